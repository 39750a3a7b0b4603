// Facet counts (kind, language, year, tag) over a whole result set, which for a common word is
// most of the archive. Counting in SQL means one B-tree lookup per hit in search_docs and another
// in item_tags (measured ~0.5 µs a hit: 40 ms for 80,000 hits); here every indexed item's kind,
// language, year and tags sit in typed arrays indexed by seq, so a hit costs a few array reads.
// The arrays follow the index: the indexer reports each item it touches (noteIndexChange) and
// those rows are read again before the next count; a commit by another connection (the CLI beside
// the app) changes PRAGMA data_version, and then everything is read again.
import type { FacetCount, SearchResult } from '../../../shared/api.ts';
import { sql, type Db } from '../db/connection.ts';

/** At most this many values per facet, most common first. */
const FACET_VALUES = 100;
/** Tag lists changed since the last full load are kept aside; past this many, load everything again. */
const MAX_OVERRIDES = 50_000;

class Interner {
  readonly values: string[] = [''];
  private readonly codes = new Map<string, number>();
  code(value: string | null): number {
    if (value === null || value === '') return 0;
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.push(value) - 1;
      this.codes.set(value, c);
    }
    return c;
  }
}

interface Cache {
  dataVersion: number;
  /** Items touched by this connection since their rows were last read; null: read everything. */
  dirty: Set<number> | null;
  size: number;
  kind: Uint8Array;
  language: Uint16Array;
  year: Uint16Array;
  /** Whether seq is indexed. */
  live: Uint8Array;
  kinds: Interner;
  languages: Interner;
  years: Interner;
  /** Tags per seq as loaded: tagIds[tagStart[seq] .. tagStart[seq + 1]). */
  tagStart: Int32Array;
  tagIds: Int32Array;
  /** Tag lists read since the full load. */
  tagOverride: Map<number, readonly number[]>;
}

const caches = new WeakMap<Db, Cache>();
const generations = new WeakMap<Db, number>();

/** Called by the indexer for each item it (re)indexes or removes; null for everything. */
export function noteIndexChange(db: Db, seq: number | null): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
  const cache = caches.get(db);
  if (!cache) return;
  if (seq === null || cache.dirty === null) cache.dirty = null;
  else {
    cache.dirty.add(seq);
    if (cache.dirty.size > MAX_OVERRIDES) cache.dirty = null;
  }
}

function dataVersion(db: Db): number {
  return sql(db, 'PRAGMA data_version').pluck().get() as number;
}

/**
 * Changes whenever the index may have changed: a write through this connection or a commit by
 * another. What was computed from the index under one value holds while it stays the same.
 */
export function indexGeneration(db: Db): string {
  return `${dataVersion(db)}.${generations.get(db) ?? 0}`;
}

function load(db: Db): Cache {
  const version = dataVersion(db);
  const maxSeq = (sql(db, 'SELECT max(seq) FROM items').pluck().get() as number | null) ?? 0;
  const size = maxSeq + 1024;
  const cache: Cache = {
    dataVersion: version,
    dirty: new Set(),
    size,
    kind: new Uint8Array(size),
    language: new Uint16Array(size),
    year: new Uint16Array(size),
    live: new Uint8Array(size),
    kinds: new Interner(),
    languages: new Interner(),
    years: new Interner(),
    tagStart: new Int32Array(size + 1),
    tagIds: new Int32Array(0),
    tagOverride: new Map(),
  };
  // Read as a few JSON arrays rather than a row at a time: at a million items, seconds apart.
  const [seqs, kinds, languages, dates] = (
    sql(db, 'SELECT json_group_array(seq), json_group_array(kind), json_group_array(language), json_group_array(date) FROM search_docs').raw().get() as string[]
  ).map((j) => JSON.parse(j) as unknown[]) as [number[], string[], (string | null)[], (string | null)[]];
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i] as number;
    if (seq >= size) continue; // written after max(seq) was read: picked up as a change
    setRow(cache, seq, kinds[i] as string, languages[i] ?? null, dates[i] ?? null);
  }
  // Tags, ordered by item: a compressed row list (one offset per seq).
  const [itemJson, tagJson] = sql(db, 'SELECT json_group_array(item_seq), json_group_array(tag_id) FROM (SELECT item_seq, tag_id FROM item_tags ORDER BY item_seq)')
    .raw()
    .get() as [string, string];
  const items = JSON.parse(itemJson) as number[];
  const tagIdList = JSON.parse(tagJson) as number[];
  const ids = new Int32Array(items.length);
  let k = 0;
  let seq = 0;
  for (let i = 0; i < items.length; i++) {
    const s = items[i] as number;
    if (s >= size) break;
    while (seq <= s) cache.tagStart[seq++] = k;
    ids[k++] = tagIdList[i] as number;
  }
  while (seq <= size) cache.tagStart[seq++] = k;
  cache.tagIds = ids.subarray(0, k);
  return cache;
}

function setRow(cache: Cache, seq: number, kind: string, language: string | null, date: string | null): void {
  cache.live[seq] = 1;
  cache.kind[seq] = cache.kinds.code(kind);
  cache.language[seq] = cache.languages.code(language);
  cache.year[seq] = cache.years.code(date === null ? null : date.slice(0, 4));
}

function grow(cache: Cache, seq: number): void {
  if (seq < cache.size) return;
  const size = Math.max(seq + 1024, cache.size * 2);
  const copy = <T extends Uint8Array | Uint16Array | Int32Array>(a: T, n: number): T => {
    const b = new (a.constructor as new (n: number) => T)(n);
    b.set(a);
    return b;
  };
  cache.kind = copy(cache.kind, size);
  cache.language = copy(cache.language, size);
  cache.year = copy(cache.year, size);
  cache.live = copy(cache.live, size);
  const start = copy(cache.tagStart, size + 1);
  start.fill(cache.tagStart[cache.size] as number, cache.size + 1);
  cache.tagStart = start;
  cache.size = size;
}

/** Reads again the rows of the items touched since the cache last looked. */
function refresh(db: Db, cache: Cache): void {
  const dirty = cache.dirty;
  if (dirty === null || dirty.size === 0) return;
  for (const seq of dirty) {
    grow(cache, seq);
    const row = sql(db, 'SELECT kind, language, date FROM search_docs WHERE seq = ?').raw().get(seq) as [string, string | null, string | null] | undefined;
    if (row) setRow(cache, seq, row[0], row[1], row[2]);
    else cache.live[seq] = 0;
    cache.tagOverride.set(seq, sql(db, 'SELECT tag_id FROM item_tags WHERE item_seq = ?').pluck().all(seq) as number[]);
  }
  dirty.clear();
}

function current(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache || cache.dirty === null || cache.dataVersion !== dataVersion(db) || cache.tagOverride.size > MAX_OVERRIDES) {
    cache = load(db);
    caches.set(db, cache);
  }
  refresh(db, cache);
  return cache;
}

function top(counts: Int32Array | Map<number, number>, name: (code: number) => string): FacetCount[] {
  const out: FacetCount[] = [];
  const entries: Iterable<[number, number]> = counts instanceof Map ? counts : counts.entries();
  for (const [code, count] of entries) if (code !== 0 && count > 0) out.push({ value: name(code), count });
  out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return out.slice(0, FACET_VALUES);
}

/** Facet counts over the items `seqs` (each at most once). */
export function facetCounts(db: Db, seqs: ArrayLike<number>): SearchResult['facets'] {
  const cache = current(db);
  const kinds = new Int32Array(cache.kinds.values.length);
  const languages = new Int32Array(cache.languages.values.length);
  const years = new Int32Array(cache.years.values.length);
  const tags = new Map<number, number>();
  const { kind, language, year, live, tagStart, tagIds, tagOverride, size } = cache;
  const overridden = tagOverride.size > 0;
  for (let k = 0; k < seqs.length; k++) {
    const seq = seqs[k] as number;
    if (seq >= size || live[seq] === 0) continue;
    (kinds[kind[seq] as number] as number)++;
    (languages[language[seq] as number] as number)++;
    (years[year[seq] as number] as number)++;
    const list = overridden ? tagOverride.get(seq) : undefined;
    if (list) {
      for (const tag of list) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    } else {
      for (let j = tagStart[seq] as number, end = tagStart[seq + 1] as number; j < end; j++) {
        const tag = tagIds[j] as number;
        tags.set(tag, (tags.get(tag) ?? 0) + 1);
      }
    }
  }
  // Tag names are read now, not cached, so a renamed tag needs no reload.
  const names = tags.size === 0 ? new Map<number, string>() : new Map(sql(db, 'SELECT id, name FROM tags').raw().all() as [number, string][]);
  const tagCounts = top(tags, (id) => names.get(id) ?? '');
  return {
    kind: top(kinds, (c) => cache.kinds.values[c] as string),
    language: top(languages, (c) => cache.languages.values[c] as string),
    year: top(years, (c) => cache.years.values[c] as string),
    tag: tagCounts.filter((t) => t.value !== ''),
  };
}

/** Forgets the cache (benchmarks measure the cold path with it). */
export function dropFacetCache(db: Db): void {
  caches.delete(db);
}
