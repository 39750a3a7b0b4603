// The quick switcher (Ctrl+K): as a person types part of a title, a tag or a collection, however
// misspelt, the closest few come up within a frame. fuse.js scores the suggestions, but it scans
// whatever list it is given (ENVIRONMENT.md: 465 ms over 100k titles), so titles are narrowed
// first with search_titles, a trigram index of every title. Candidates are the newest titles
// holding the typed text as it is (all its trigrams, but those of words no title holds: typos),
// and the titles sharing most of its rare trigrams (those in at most a few hundred titles; a typo
// spoils only the three around it); fuse.js ranks the best 150 of those.
// Tags and collections are few: all of them are scored (narrowed the same way, in memory, when
// there are many). Under three characters, no trigram: what starts with the typed letters among
// the newest items, the tags and the collections.
// Everything is compared in its search form: normalised tokens joined by single spaces, so case,
// tashkeel, alef forms and punctuation never matter; highlight ranges map back to the original.
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import type { QuickHit } from '../../../shared/api.ts';
import type { ItemKind } from '../../../shared/domain.ts';
import { mapRange, normalizeText, normalizeWithMap, tokenize, tokenizeWithOffsets } from '../../../shared/normalize.ts';
import { sql, type Db } from '../db/connection.ts';

/** Titles fuse.js scores at most. */
const CANDIDATES = 150;
/** A trigram in more titles than this is too common to gather candidates by. */
const RARE = 600;
/** Candidate titles read, at most, from rare trigrams together. */
const GATHER = 3000;
/** Below this many characters trigrams cannot be formed: the newest items are the candidates. */
const MIN_TRIGRAM_TEXT = 3;
/** Labels (tags, collections) scored by fuse.js at most; more are narrowed by shared trigrams first. */
const LABEL_CANDIDATES = 200;

const FUSE_OPTIONS: IFuseOptions<Candidate> = {
  includeScore: true,
  includeMatches: true,
  ignoreLocation: true,
  threshold: 0.4,
  minMatchCharLength: 2,
  isCaseSensitive: true, // already folded by normalisation
  keys: ['form'],
};

/** A string in its search form, with where each of its characters came from in the original. */
interface Form {
  readonly form: string;
  /** map[i]: start in the original of form[i]'s normalised character; map[form.length] = original.length. */
  readonly map: Int32Array;
  readonly normMap: Int32Array;
}

/** Normalised tokens joined by single spaces: what titles and the typed text are compared as. */
function formOf(text: string): string {
  return tokenize(normalizeText(text)).join(' ');
}

/** The search form with the way back to the original string (formOf(original) === searchForm(original).form). */
export function searchForm(original: string): Form {
  const { text, map } = normalizeWithMap(original);
  const tokens = tokenizeWithOffsets(text);
  let form = '';
  const toNorm: number[] = [];
  for (const t of tokens) {
    if (form.length > 0) {
      form += ' ';
      toNorm.push(t.start - 1 >= 0 ? t.start - 1 : t.start); // the separator before the token
    }
    form += t.token;
    for (let k = t.start; k < t.end; k++) toNorm.push(k);
  }
  toNorm.push(text.length);
  return { form, map: Int32Array.from(toNorm), normMap: map };
}

/** Highlight ranges in the original for [start, end] (inclusive) ranges of the search form. */
function originalRanges(f: Form, indices: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of indices) {
    const start = f.map[a] as number;
    const end = (f.map[b] as number) + 1;
    const [from, to] = mapRange(f.normMap, start, end);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else if (to > from) out.push([from, to]);
  }
  return out;
}

/** The distinct trigrams of a text, by code point as FTS5's trigram tokenizer counts them. */
function trigramsOf(text: string): string[] {
  const chars = Array.from(text);
  const out = new Set<string>();
  for (let k = 0; k + 3 <= chars.length; k++) out.add(chars.slice(k, k + 3).join(''));
  return [...out];
}

function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function jsonSeqs(db: Db, match: string, limit: number): number[] {
  const json = sql(db, 'SELECT json_group_array(rowid) FROM (SELECT rowid FROM search_titles WHERE search_titles MATCH ? ORDER BY rowid DESC LIMIT ?)').pluck().get(match, limit) as string;
  return JSON.parse(json) as number[];
}

/** Items whose titles may be what was typed: those sharing the most rare trigrams with it. */
function titleCandidates(db: Db, form: string): number[] {
  if (form.length < MIN_TRIGRAM_TEXT) {
    return sql(db, 'SELECT seq FROM search_docs ORDER BY seq DESC LIMIT ?').pluck().all(CANDIDATES) as number[];
  }
  // Each trigram's titles, up to one more than RARE: the list of a rare one, and for the others
  // the knowledge that they are common, in one query each.
  const grams = trigramsOf(form).map((g) => ({ g, seqs: jsonSeqs(db, ftsString(g), RARE + 1) }));
  grams.sort((x, y) => x.seqs.length - y.seqs.length);
  const shared = new Map<number, number>();
  let gathered = 0;
  for (const { seqs } of grams) {
    if (seqs.length === 0) continue;
    if (seqs.length > RARE || gathered + seqs.length > GATHER) break;
    for (const seq of seqs) shared.set(seq, (shared.get(seq) ?? 0) + 1);
    gathered += seqs.length;
  }
  // Titles holding what was typed as it is, leaving out the words that no title holds (typos):
  // all the text's trigrams but those touching such a word (FTS5 intersects them cheaply, however
  // common each is). Rare trigrams alone fail when the only rare ones are a typo's, rare because
  // they are wrong ("concerninng the sentence" is found through "the sentence"), and when there
  // are none at all (short or common words: "re: [i", "no line").
  const chars = Array.from(form);
  const typos: [number, number][] = [];
  let at = 0;
  for (const word of form.split(' ')) {
    const length = Array.from(word).length;
    if (length >= MIN_TRIGRAM_TEXT && jsonSeqs(db, trigramsOf(word).map(ftsString).join(' AND '), 1).length === 0) typos.push([at, at + length]);
    at += length + 1;
  }
  const titles = new Map(grams.map((x) => [x.g, x.seqs.length]));
  const kept = new Set<string>();
  for (let k = 0; k + 3 <= chars.length; k++) {
    if (typos.some(([a, b]) => k < b && k + 3 > a)) continue;
    const g = chars.slice(k, k + 3).join('');
    if ((titles.get(g) ?? 0) > 0) kept.add(g);
  }
  const whole = kept.size > 0 ? jsonSeqs(db, [...kept].map(ftsString).join(' AND '), CANDIDATES) : [];
  const out = new Set<number>(whole.slice(0, CANDIDATES / 2));
  const byShared = [...shared].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  for (const [seq] of byShared) {
    if (out.size >= CANDIDATES) break;
    out.add(seq);
  }
  for (const seq of whole) {
    if (out.size >= CANDIDATES) break;
    out.add(seq);
  }
  return [...out];
}

interface Candidate {
  readonly type: QuickHit['type'];
  readonly id: string;
  readonly title: string;
  readonly itemKind: ItemKind | null;
  readonly seq: number;
  /** The title's search form (see searchForm; the offsets are worked out for the hits shown only). */
  readonly form: string;
}

interface Labels {
  readonly key: string;
  readonly list: readonly Candidate[];
}

const labelCache = new WeakMap<Db, Labels>();

/**
 * Every tag and collection in its search form, read again after any write: by another connection
 * (data_version) or by this one (total_changes). A signature of the two tables (count, largest id,
 * length of the names) missed a rename that kept the length, "dhi qar" to "Dhi Qar".
 */
function labels(db: Db): readonly Candidate[] {
  const key = JSON.stringify([db.pragma('data_version', { simple: true }), sql(db, 'SELECT total_changes()').pluck().get()]);
  const cached = labelCache.get(db);
  if (cached?.key === key) return cached.list;
  const list: Candidate[] = [];
  for (const [type, table] of [['tag', 'tags'], ['collection', 'collections']] as const) {
    for (const [id, name] of sql(db, `SELECT id, name FROM ${table} ORDER BY id`).raw().all() as [number, string][]) {
      const form = formOf(name);
      if (form) list.push({ type, id: name, title: name, itemKind: null, seq: -id, form });
    }
  }
  labelCache.set(db, { key, list });
  return list;
}

function narrowLabels(list: readonly Candidate[], form: string): readonly Candidate[] {
  if (list.length <= LABEL_CANDIDATES) return list;
  const grams = new Set(trigramsOf(form));
  const scored = list.map((c) => {
    let n = 0;
    for (const g of trigramsOf(c.form)) if (grams.has(g)) n++;
    return { c, n };
  });
  return scored
    .filter((s) => s.n > 0 || form.length < MIN_TRIGRAM_TEXT)
    .sort((a, b) => b.n - a.n)
    .slice(0, LABEL_CANDIDATES)
    .map((s) => s.c);
}

/** Quick-switcher suggestions for what was typed, best first (see the top of this file). */
export function quickSwitch(db: Db, query: string, limit = 12): QuickHit[] {
  const form = formOf(query);
  if (form === '') return [];
  const seqs = titleCandidates(db, form);
  const items: Candidate[] = [];
  if (seqs.length > 0) {
    // search_titles holds live items only. (id, kind and title come first in a row: an item's
    // body is never read here.)
    const rows = sql(db, 'SELECT i.seq, i.id, i.kind, i.title FROM json_each(?) j CROSS JOIN items i ON i.seq = j.value')
      .raw()
      .all(JSON.stringify(seqs)) as [number, string, ItemKind, string][];
    for (const [seq, id, kind, title] of rows) items.push({ type: 'item', id, title, itemKind: kind, seq, form: formOf(title) });
  }
  const candidates = [...items, ...narrowLabels(labels(db), form)];
  if (form.length < MIN_TRIGRAM_TEXT) {
    // One or two characters: what starts with them, newest first, labels before items.
    const starts = candidates.filter((c) => c.form.startsWith(form) || c.form.includes(` ${form}`));
    starts.sort((a, b) => (a.type === 'item' ? 1 : 0) - (b.type === 'item' ? 1 : 0) || b.seq - a.seq);
    return starts.slice(0, limit).map((c) => {
      const at = c.form.startsWith(form) ? 0 : c.form.indexOf(` ${form}`) + 1;
      return hit(c, [[at, at + form.length - 1]]);
    });
  }
  const fuse = new Fuse(candidates, FUSE_OPTIONS);
  const found = fuse.search(form) as FuseResult<Candidate>[];
  found.sort((a, b) => (a.score ?? 1) - (b.score ?? 1) || b.item.seq - a.item.seq);
  return found.slice(0, limit).map((r) => hit(r.item, r.matches?.[0]?.indices ?? []));
}

function hit(c: Candidate, indices: readonly (readonly [number, number])[]): QuickHit {
  return { type: c.type, id: c.id, title: c.title, itemKind: c.itemKind, ranges: originalRanges(searchForm(c.title), indices) };
}
