// What the app asks the engine for as the page loads. This module is in the page's first, small
// script (main.tsx) with nothing heavy (no React, i18n or zod): the calls go out while the app's
// own code is still being fetched and run, not after it. At launch the engine's first answers
// take about as long as that code does, so the two now overlap instead of adding up.
import type { ArchiveInfo } from '../shared/api.ts';
import type { ItemSummary } from '../shared/domain.ts';
import { api } from './api.ts';
import { DEFAULT_FILTERS, PAGE_SIZE, libraryQuery, listFilters, type ListQuery } from './library/query.ts';
import { parseRoute } from './route.ts';

interface FirstPage {
  readonly key: string;
  readonly count: Promise<{ total: number }>;
  readonly first: Promise<ItemSummary[]>;
  /** Both answers, once both are here: a list drawn after that draws its rows in its first render. */
  answered: { readonly total: number; readonly rows: ItemSummary[] } | null;
  readonly askedAt: number;
}

/**
 * A prefetch no list took this soon is dropped: someone who left the library before it drew and
 * comes back minutes later must see the archive as it is then (the CLI may have added items), not
 * as it was at launch.
 */
const PREFETCH_KEPT_MS = 15_000;

/**
 * The count and first page of the list the app opens on, for the first usePagedItems of that
 * same query to take: the library's rows then come back with the archive's info, instead of two
 * round trips after it (the shell draws, the library mounts, and only then would it ask).
 */
function firstPagePrefetch() {
  let held: FirstPage | null = null;
  return {
    /** Asks for the count and first page of `query` now; returns the two calls. */
    ask(query: ListQuery): Promise<unknown>[] {
      const count = api.call('items.count', listFilters(query));
      const first = api.call('items.list', { ...query, limit: PAGE_SIZE, offset: 0 });
      // Not taken (another screen at launch, or an error shown by the call made instead): no unhandled rejection.
      count.catch(() => undefined);
      first.catch(() => undefined);
      const asked: FirstPage = { key: JSON.stringify(query), count, first, answered: null, askedAt: performance.now() };
      Promise.all([count, first]).then(
        ([{ total }, rows]) => (asked.answered = { total, rows }),
        () => undefined,
      );
      held = asked;
      return [count, first];
    },
    /**
     * The prefetch if it answers the list `key` at revision 0 (after a change made in the app it
     * may be out of date); another list makes it stale. It stays until a list has used it (see
     * `used`): React may run an effect again before then (a suspended sibling hides and reveals
     * the tree), and the second run must not ask again.
     */
    take(key: string, revision: number): FirstPage | null {
      if (held !== null && (held.key !== key || revision !== 0 || performance.now() - held.askedAt > PREFETCH_KEPT_MS)) held = null;
      return held;
    },
    /** A list has shown the prefetched answer: later lists ask afresh. */
    used(key: string): void {
      if (held?.key === key) held = null;
    },
    /** The app did not open on a list after all (an empty archive shows the first-run screen). */
    drop(): void {
      held = null;
    },
  };
}

export const launchPage = firstPagePrefetch();

// Asked first: the shell waits for it (an empty archive shows the first-run screen instead).
const launchInfo = api.call('archive.info', {});
let info: Promise<ArchiveInfo> | null = launchInfo;
let infoAnswer: ArchiveInfo | null = null;
launchInfo.then(
  (value) => (infoAnswer = value),
  () => undefined,
);
const asked: Promise<unknown>[] = [launchInfo];
if (parseRoute(window.location.hash).name === 'library') asked.push(...launchPage.ask(libraryQuery(DEFAULT_FILTERS, false)));
const answered = Promise.allSettled(asked);

/** The archive's info: the launch's answer the first time, a new call after that. */
export function archiveInfo(): Promise<ArchiveInfo> {
  const pending = info ?? api.call('archive.info', {});
  info = null;
  return pending;
}

/** The launch's info if it has come already (the shell's first render then needs no second one). */
export function launchedInfo(): ArchiveInfo | null {
  return infoAnswer;
}

/**
 * Resolves once the launch's calls are answered (or failed) and a frame drawn after that is
 * painted: what the first screen does not need waits for this, so as not to compete with it.
 */
export function afterLaunch(): Promise<void> {
  return answered.then(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
}
