// The library's rows, fetched a page at a time as they scroll into view: the list knows how many
// items there are (items.count) and asks only for the pages it draws, so 100,000 items cost what
// a screenful does.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemSummary } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { launchPage } from '../launch.ts';
import { listFilters, PAGE_SIZE, type ListQuery } from './query.ts';

const MAX_IN_FLIGHT = 4;

export interface PagedItems {
  /** null until the count is known. */
  readonly total: number | null;
  readonly error: string | null;
  item(index: number): ItemSummary | undefined;
  /** Asks for the pages covering these rows (the ones on screen); returns at once. */
  want(start: number, end: number): void;
  /** Every row in the range, fetching what is missing (for a shift-click across pages). */
  range(start: number, end: number): Promise<ItemSummary[]>;
}

export function usePagedItems(query: ListQuery, revision: number): PagedItems {
  const key = JSON.stringify(query);
  // The count belongs to the query it was asked for: a new filter's list is unknown (null) until its
  // own count arrives, never the old list's length. A new revision keeps it while it is re-counted.
  // At launch the prefetched answer may be here before this list first renders: that render then
  // has the count and the first rows, instead of one render without them and another once taken.
  const [launched] = useState(() => launchPage.take(key, revision)?.answered ?? null);
  const [count, setCount] = useState<{ key: string; total: number } | null>(launched && { key, total: launched.total });
  const total = count?.key === key ? count.total : null;
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const generation = useRef(0);
  const pages = useRef(new Map<number, ItemSummary[]>(launched ? [[0, launched.rows]] : []));
  // The list the launch's answer is for: while the list is still that one, the effect below has
  // nothing to ask, however often React runs it (it runs it again when a suspended sibling hides
  // and reveals the tree).
  const seeded = useRef(launched === null ? null : `${key}|${revision}`);
  const inFlight = useRef(new Map<number, Promise<ItemSummary[]>>());
  const wanted = useRef<[number, number]>([0, 0]);
  const queryRef = useRef(query);
  queryRef.current = query;
  const fillRef = useRef<() => void>(() => undefined);

  const fetchPage = useCallback((page: number, asked?: Promise<ItemSummary[]>): Promise<ItemSummary[]> => {
    const existing = inFlight.current.get(page);
    if (existing) return existing;
    const gen = generation.current;
    const promise = (asked ?? api.call('items.list', { ...queryRef.current, limit: PAGE_SIZE, offset: page * PAGE_SIZE }))
      .then((rows) => {
        if (gen === generation.current) {
          pages.current.set(page, rows);
          setTick((n) => n + 1);
        }
        return rows;
      })
      .finally(() => {
        if (gen === generation.current) inFlight.current.delete(page);
      });
    inFlight.current.set(page, promise);
    promise.then(
      () => {
        if (gen === generation.current) fillRef.current();
      },
      (err: unknown) => {
        if (gen === generation.current) setError(errorMessage(err));
      },
    );
    return promise;
  }, []);

  // Fetches the wanted pages not yet here, a few at a time; pages scrolled past before their turn are never asked for.
  const fill = useCallback(() => {
    const [start, end] = wanted.current;
    for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(end / PAGE_SIZE); page++) {
      if (inFlight.current.size >= MAX_IN_FLIGHT) return;
      if (!pages.current.has(page) && !inFlight.current.has(page)) void fetchPage(page).catch(() => undefined);
    }
  }, [fetchPage]);
  fillRef.current = fill;

  useEffect(() => {
    if (seeded.current === `${key}|${revision}`) {
      // Drawn with the launch's answer already: nothing to ask, and pages asked for since go on.
      launchPage.used(key);
      return;
    }
    seeded.current = null;
    generation.current++;
    inFlight.current = new Map();
    setError(null);
    pages.current = new Map();
    let live = true;
    const prefetched = launchPage.take(key, revision);
    (prefetched?.count ?? api.call('items.count', listFilters(JSON.parse(key) as ListQuery))).then(
      (r) => {
        if (!live) return;
        launchPage.used(key);
        setCount({ key, total: r.total });
        fill();
      },
      (err: unknown) => {
        if (!live) return;
        launchPage.used(key);
        setError(errorMessage(err));
      },
    );
    // The first rows travel beside the count, not one round trip after it (launch draws them sooner).
    if (prefetched) void fetchPage(0, prefetched.first).catch(() => undefined);
    else void fetchPage(Math.floor(wanted.current[0] / PAGE_SIZE)).catch(() => undefined);
    setTick((n) => n + 1);
    return () => {
      live = false;
    };
  }, [key, revision, fill, fetchPage]);

  const want = useCallback(
    (start: number, end: number) => {
      const [s, e] = wanted.current;
      if (s === start && e === end && inFlight.current.size === 0) {
        fill();
        return;
      }
      wanted.current = [start, end];
      fill();
    },
    [fill],
  );

  const range = useCallback(
    async (start: number, end: number) => {
      const out: ItemSummary[] = [];
      for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(end / PAGE_SIZE); page++) {
        const rows = pages.current.get(page) ?? (await fetchPage(page));
        rows.forEach((row, i) => {
          const index = page * PAGE_SIZE + i;
          if (index >= start && index <= end) out.push(row);
        });
      }
      return out;
    },
    [fetchPage],
  );

  const item = useCallback((index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], []);

  return { total, error, item, want, range };
}
