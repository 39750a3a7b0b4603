// What the library lists: its filters and the items.list query they make. No React here: the
// launch (launch.ts) asks for the library's first page with it before the app's code has loaded.
import type { ArgsOf } from '../../shared/api.ts';
import type { ItemKind } from '../../shared/domain.ts';
import type { ListSort } from '../../shared/vocabulary.ts';

/** Rows asked for at a time. */
export const PAGE_SIZE = 100;

export type ListQuery = Omit<ArgsOf<'items.list'>, 'limit' | 'offset'>;

export interface LibraryFilters {
  readonly kind?: ItemKind;
  readonly tag?: string;
  readonly collection?: string;
  readonly from?: string;
  readonly to?: string;
  readonly sort: ListSort;
  readonly desc: boolean;
}

export const DEFAULT_FILTERS: LibraryFilters = { sort: 'created', desc: true };

/** The query's filters alone, as items.count and items.among take them (the order is the list's). */
export function listFilters(query: ListQuery): ArgsOf<'items.count'> {
  const { sort: _sort, desc: _desc, ...filters } = query;
  return filters;
}

/** What the library lists for these filters (the trash has its own fixed order). */
export function libraryQuery(filters: LibraryFilters, trash: boolean): ListQuery {
  if (trash) return { trash: true, sort: 'created', desc: true };
  return { kind: filters.kind, tag: filters.tag, collection: filters.collection, from: filters.from, to: filters.to, sort: filters.sort, desc: filters.desc };
}
