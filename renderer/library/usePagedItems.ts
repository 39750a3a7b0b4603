// The library's rows, fetched a page at a time as they scroll into view: the list knows how many
// items there are (items.count) and asks only for the pages it draws, so 100,000 items cost what
// a screenful does.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArgsOf } from '../../shared/api.ts';
import type { ItemSummary } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';

export const PAGE_SIZE = 100;
const MAX_IN_FLIGHT = 4;

export type ListQuery = Omit<ArgsOf<'items.list'>, 'limit' | 'offset'>;

/** The count and first page asked for at launch, before React draws (see prefetchFirstPage). */
let launchPrefetch: { key: string; count: Promise<{ total: number }>; first: Promise<ItemSummary[]> } | null = null;

/**
 * Asks for the count and the first page of `query` now, for the first usePagedItems of that same
 * query to take: at launch the library's rows then come back with the archive's info instead of
 * two round trips after it (the shell draws, the library mounts, and only then would it ask).
 */
export function prefetchFirstPage(query: ListQuery): void {
  const { sort: _sort, desc: _desc, ...filters } = query;
  const count = api.call('items.count', filters as ArgsOf<'items.count'>);
  const first = api.call('items.list', { ...query, limit: PAGE_SIZE, offset: 0 });
  // Not taken (another screen at launch, or an error shown by the call made instead): no unhandled rejection.
  count.catch(() => undefined);
  first.catch(() => undefined);
  launchPrefetch = { key: JSON.stringify(query), count, first };
}

/**
 * The launch's prefetch if it was for `key`. It stays until a list has used its answer (see
 * usedPrefetch): React may run an effect again before then (a suspended sibling hides and
 * reveals the tree), and the second run must not ask again. Another key makes it stale.
 */
function prefetchFor(key: string, revision: number) {
  // After any change made in the app (revision > 0) the launch's answer may be out of date.
  if (launchPrefetch !== null && (launchPrefetch.key !== key || revision !== 0)) launchPrefetch = null;
  return launchPrefetch;
}

/** Forgets the launch's prefetch unused (the app did not open on a list after all). */
export function dropFirstPagePrefetch(): void {
  launchPrefetch = null;
}

/** Once a list has shown the prefetched answer, later lists ask afresh. */
function usedPrefetch(key: string): void {
  if (launchPrefetch?.key === key) launchPrefetch = null;
}

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
  const [count, setCount] = useState<{ key: string; total: number } | null>(null);
  const total = count?.key === key ? count.total : null;
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const generation = useRef(0);
  const pages = useRef(new Map<number, ItemSummary[]>());
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
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Map();
    setError(null);
    let live = true;
    const { sort: _sort, desc: _desc, ...filters } = JSON.parse(key) as ListQuery;
    const prefetched = prefetchFor(key, revision);
    (prefetched?.count ?? api.call('items.count', filters as ArgsOf<'items.count'>)).then(
      (r) => {
        if (!live) return;
        usedPrefetch(key);
        setCount({ key, total: r.total });
        fill();
      },
      (err: unknown) => {
        if (!live) return;
        usedPrefetch(key);
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
