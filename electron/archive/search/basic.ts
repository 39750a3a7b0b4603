// Full-text search: a query goes through the query language's parser and compiler (user text
// never reaches MATCH as syntax) and runs against the index search/indexer.ts keeps.
//
// Results come in levels, each containing the one before it:
//   exact    the words as written (after normalisation: tashkeel, alef forms and case never matter)
//   stem     their other forms: بالناصرية for الناصرية, protesting for protests (search_stem)
//   widened  near spellings of rare words: Kazimi → Kadhimi, ساجد → سجاد (search/widen.ts), and
//            names in the other script: Kadhimi → الكاظمي (search/crossScript.ts)
// and in that order: every exact hit comes before any hit found only by its stem, and those
// before hits found only by widening. Within a level: BM25 with field weights (title, then
// people/places/tags/source, then texts), ties newest first (by seq, the order items came in).
//
// BM25 costs about a microsecond per hit, every hit, and a common word hits most of the archive
// (80 ms for 80,000 hits). So a level with more than rankCap hits is ranked in parts, each at
// most rankCap (10,000): first the hits that match in title or people/places/tags (ranked on
// those fields), then the newest rankCap of the others, then the rest. A search for one common word
// costs the same at a million items as at fifty thousand; a narrower search is ranked whole.
// A search with a single level (a phrase, a prefix, filters alone) reads its rows with their
// scores in one pass and is ranked in memory: FTS5 matches its words once, as a raw query does.
// The total and the facets always count the whole result set (search/facets.ts).
import type { SearchHit, SearchResult } from '../../../shared/api.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import { and, or, parseQuery, warningText, type Node } from '../../../shared/query.ts';
import { stemPrefix, stemToken } from '../../../shared/stem.ts';
import { sql, type Db } from '../db/connection.ts';
import { compileSearch, type CompiledSearch, type IndexName } from './compile.ts';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor.ts';
import { facetCounts, indexGeneration } from './facets.ts';
import { labelFilterWarnings } from './labelFilters.ts';
import { searchableTexts, type IndexedItem, type Piece } from './indexer.ts';
import { makeSnippet, windowSnippet, type Snippet, type SnippetTerm } from './snippet.ts';
import { expansionsFor, termDocs, widenableTerms } from './widen.ts';

export { ensureSearchIndex, forgetTerms, rebuildIndex, reindexItem, reindexItemWords, searchableText, searchIndexProblem, searchIndexReport, withMergesHeld, type SearchableText } from './indexer.ts';

/** Tunable limits, exported for the benchmark and for tests that need a large level without 10,000 items. */
export const searchTuning = {
  /** Above this many hits a level is ranked in parts (see the top of this file). */
  rankCap: 10_000,
};
/** BM25 weights of the columns title, meta (people, place, source, speaker, tags) and body. */
const WEIGHTS = '10.0, 4.0, 1.0';
/** A word in fewer documents than this (counting its other forms) is widened to near spellings. */
const WIDEN_BELOW = 3;
/** FTS5's parser stack allows this much nesting in a match before a field split adds two levels. */
const MAX_SPLIT_NESTING = 8;

interface Level {
  readonly name: 'exact' | 'stem' | 'widened';
  /** The FTS5 table ranked; null when the level is not one MATCH (then listed newest first). */
  readonly table: IndexName | null;
  readonly compiled: CompiledSearch;
}

/** A part of the result order: one level's new hits, or a part of them when the level is large. */
interface Tier {
  /** The MATCH expression ranked (the level's, or a field split of it); null: not ranked. */
  readonly match: string | null;
  /** Extra condition (rowid ranges) and its parameters. */
  readonly cond: string;
  readonly params: readonly unknown[];
}

/** At most this many tiers per level; a cursor names a tier as level × TIERS_PER_LEVEL + its index. */
const TIERS_PER_LEVEL = 8;

interface Plan {
  readonly levels: readonly Level[];
  /** Each level's tiers, worked out when a page first reaches the level. */
  readonly tiers: Map<number, readonly Tier[]>;
  /** Every seq of the last level, ascending: the whole result set. */
  readonly seqs: readonly number[];
  /**
   * When the search has only one level to start with (a phrase, a prefix, filters alone), its
   * rows were read once with their scores, and pages are cut from these in memory.
   */
  readonly scored: { readonly seqs: readonly number[]; readonly scores: readonly number[] } | null;
  readonly alsoMatched: SearchResult['alsoMatched'];
  /** The words highlighted in a hit of each level: a hit found as typed shows the words typed, one found by widening also the near spellings. */
  readonly snippetTerms: readonly (readonly SnippetTerm[])[];
  readonly total: number;
  /** Counted when a page first needs them: an export by query (searchSeqs) never does. */
  facets: SearchResult['facets'] | null;
}

const EMPTY_FACETS: SearchResult['facets'] = { kind: [], language: [], year: [], tag: [] };

function seqOf(level: Level): string {
  return level.table ? `${level.table}.rowid` : 'i.seq';
}

function fromOf(level: Level): string {
  const t = level.table;
  if (!t) return 'search_docs i';
  return level.compiled.needsDocs ? `${t} JOIN search_docs i ON i.seq = ${t}.rowid` : t;
}

/** The WHERE clause selecting a level's rows (with `match` in place of the level's own expression). */
function whereOf(level: Level, match: string | null = level.compiled.match): { where: string; params: unknown[] } {
  const c = level.compiled;
  if (!level.table || match === null) return { where: c.where, params: [...c.params] };
  return { where: `${level.table} MATCH ? AND ${c.where}`, params: [match, ...c.params] };
}

function compileLevel(name: Level['name'], root: Node, index: IndexName): Level {
  const compiled = compileSearch({ root, warnings: [] }, { index, seq: `${index}.rowid`, docs: 'search_docs' });
  if (compiled.match !== null) return { name, table: index, compiled };
  // No MATCH to rank by: select over search_docs (the live items), with `where` naming i.seq.
  return { name, table: null, compiled: compileSearch({ root, warnings: [] }, { index, seq: 'i.seq', docs: 'search_docs' }) };
}

/**
 * The tree for the stem index: each word becomes its stem (marked for search_stem), an Arabic
 * prefix also its form without و and article; phrases, other prefixes and exclusions stay as
 * written (matched in search_fts), so the stem level contains the exact one. The same node is
 * returned when nothing changes.
 */
export function stemTree(node: Node): Node {
  switch (node.type) {
    case 'term': {
      if (node.stem) return node;
      if (!node.prefix) return { type: 'term', text: stemToken(node.text), prefix: false, stem: true };
      const p = stemPrefix(node.text);
      return p === node.text ? node : (or([node, { type: 'term', text: p, prefix: true, stem: true }]) as Node);
    }
    case 'and':
    case 'or': {
      const children = node.children.map(stemTree);
      if (children.every((c, k) => c === node.children[k])) return node;
      return (node.type === 'and' ? and(children) : or(children)) as Node;
    }
    case 'phrase':
    case 'not':
    case 'filter':
      return node;
  }
}

/** The tree with each widened word replaced by (word OR its near spellings), outside exclusions. */
function widen(node: Node, alternatives: ReadonlyMap<string, readonly string[]>): Node {
  switch (node.type) {
    case 'term': {
      const near = node.prefix ? undefined : alternatives.get(node.text);
      if (!near) return node;
      // A one-word phrase stays as written through stemTree (matched in search_fts).
      return or([node, ...near.map((text): Node => (broadStem(text) ? { type: 'phrase', words: [text], prefix: false } : { type: 'term', text, prefix: false }))]) as Node;
    }
    case 'and':
      return and(node.children.map((c) => widen(c, alternatives))) as Node;
    case 'or':
      return or(node.children.map((c) => widen(c, alternatives))) as Node;
    case 'not':
    case 'phrase':
    case 'filter':
      return node;
  }
}

/** The words a hit is found by (not those it must lack), for highlighting. */
function positiveTerms(node: Node): SnippetTerm[] {
  switch (node.type) {
    case 'term':
      return [{ text: node.text, prefix: node.prefix }];
    case 'phrase':
      return node.words.map((text, i) => ({ text, prefix: node.prefix && i === node.words.length - 1 }));
    case 'and':
    case 'or':
      return node.children.flatMap(positiveTerms);
    case 'not':
    case 'filter':
      return [];
  }
}

/** The seqs matching `match` at a level, ascending. */
function seqsOf(db: Db, level: Level, match: string | null): number[] {
  const { where, params } = whereOf(level, match);
  const json = sql(db, `SELECT json_group_array(${seqOf(level)}) FROM ${fromOf(level)} WHERE ${where}`).pluck().get(...params) as string;
  const seqs = JSON.parse(json) as number[];
  // FTS5 and table scans yield rowids in order; a different query plan would not.
  for (let i = 1; i < seqs.length; i++) if ((seqs[i] as number) < (seqs[i - 1] as number)) return seqs.sort((a, b) => a - b);
  return seqs;
}

/** A level's seqs (ascending) with their bm25 values (0 when the level is not ranked). */
function scoredSeqs(db: Db, level: Level): { seqs: number[]; scores: number[] } {
  const { where, params } = whereOf(level);
  const score = level.table && level.compiled.match !== null ? `bm25(${level.table}, ${WEIGHTS})` : '0';
  // An auxiliary function such as bm25 may not sit inside an aggregate: the rows come from a
  // subquery, kept apart by its LIMIT (SQLite would otherwise flatten it into the aggregate).
  const [seqs, scores] = sql(db,
    `SELECT json_group_array(seq), json_group_array(score)
     FROM (SELECT ${seqOf(level)} AS seq, ${score} AS score FROM ${fromOf(level)} WHERE ${where} LIMIT -1)`,
  )
    .raw()
    .get(...params) as [string, string];
  const s = JSON.parse(seqs) as number[];
  const v = JSON.parse(scores) as number[];
  for (let i = 1; i < s.length; i++) {
    if ((s[i] as number) < (s[i - 1] as number)) {
      const order = s.map((_, k) => k).sort((a, b) => (s[a] as number) - (s[b] as number));
      return { seqs: order.map((k) => s[k] as number), scores: order.map((k) => v[k] as number) };
    }
  }
  return { seqs: s, scores: v };
}

/**
 * The `count` best rows (score ascending, then newest) strictly after `after`, from rows read
 * with their scores: one pass, keeping a short sorted list, so page 1 of 80,000 rows costs no sort.
 */
function bestAfter(scored: NonNullable<Plan['scored']>, count: number, after: CursorPosition | null, tier: number): RankedRow[] {
  const { seqs, scores } = scored;
  const before = (sa: number, qa: number, sb: number, qb: number) => sa < sb || (sa === sb && qa > qb);
  const best: [number, number][] = []; // [score, seq], best first
  for (let i = 0; i < seqs.length; i++) {
    const q = seqs[i] as number;
    const v = scores[i] as number;
    if (after && !before(after.score, after.seq, v, q)) continue;
    if (best.length >= count) {
      const worst = best[best.length - 1] as [number, number];
      if (!before(v, q, worst[0], worst[1])) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && before(v, q, (best[at - 1] as [number, number])[0], (best[at - 1] as [number, number])[1])) at--;
    best.splice(at, 0, [v, q]);
  }
  return best.map(([v, q]) => ({ tier, seq: q, score: v }));
}

/** The ascending seqs of `all` that are not in `some` (both ascending). */
function minus(all: readonly number[], some: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of all) {
    while (j < some.length && (some[j] as number) < x) j++;
    if (j >= some.length || some[j] !== x) out.push(x);
  }
  return out;
}

/**
 * A level's tiers: whole when it has at most rankCap hits; else the hits that match in title or
 * people/places/tags, then the others, each split into its newest rankCap and the rest. The
 * thresholds come from the levels' seqs, so splitting costs one more pass over the index.
 */
function tiersOf(db: Db, plan: Plan, k: number): readonly Tier[] {
  const known = plan.tiers.get(k);
  if (known) return known;
  const level = plan.levels[k] as Level;
  const match = level.compiled.match;
  const cap = searchTuning.rankCap;
  if (k === 0 && plan.scored) {
    // Ranked whole already (see Plan.scored).
    const whole = [{ match, cond: '1', params: [] }];
    plan.tiers.set(k, whole);
    return whole;
  }
  const last = k === plan.levels.length - 1;
  // A level holds no more than the last one: when that is small, every level is.
  const all = !level.table || match === null || plan.seqs.length <= cap ? null : last ? plan.seqs : seqsOf(db, level, match);
  let tiers: Tier[];
  if (all === null || all.length <= cap) tiers = [{ match, cond: '1', params: [] }];
  else {
    tiers = [];
    const seq = seqOf(level);
    const windowed = (m: string, seqs: readonly number[]) => {
      if (seqs.length === 0) return;
      if (seqs.length <= cap) tiers.push({ match: m, cond: '1', params: [] });
      else {
        const threshold = seqs[seqs.length - cap] as number;
        tiers.push({ match: m, cond: `${seq} >= ?`, params: [threshold] });
        tiers.push({ match: m, cond: `${seq} < ?`, params: [threshold] });
      }
    };
    if (level.compiled.nesting <= MAX_SPLIT_NESTING) {
      const fields = `{title meta} : (${match})`;
      const inFields = seqsOf(db, level, fields);
      windowed(fields, inFields);
      windowed(`(${match}) NOT (${fields})`, minus(all, inFields));
    } else {
      windowed(match as string, all);
    }
  }
  plan.tiers.set(k, tiers);
  return tiers;
}

// Page 2 onwards reuses the plan of page 1 while nothing was written in between.
const plans = new WeakMap<Db, Map<string, Plan>>();
const PLANS_KEPT = 8;

function planSearch(db: Db, text: string, root: Node, reuse: boolean): Plan {
  const key = `${indexGeneration(db)}\u0000${searchTuning.rankCap}\u0000${text}`;
  let cache = plans.get(db);
  if (!cache) plans.set(db, (cache = new Map()));
  const kept = reuse ? cache.get(key) : undefined;
  if (kept) return kept;

  const levels: Level[] = [compileLevel('exact', root, 'search_fts')];
  const stemmed = stemTree(root);
  if (levels[0]?.table && stemmed !== root) levels.push(compileLevel('stem', stemmed, 'search_stem'));
  // One level: its rows and their scores in one pass. FTS5 then matches the words once, as a raw
  // query does, instead of once for the total and again for the ranking: a phrase of common
  // words costs mostly the matching.
  const scored = levels.length === 1 ? scoredSeqs(db, levels[0] as Level) : null;
  let seqs = scored ? [...scored.seqs] : seqsOf(db, levels[levels.length - 1] as Level, (levels[levels.length - 1] as Level).compiled.match);
  // A rare word, counting its other forms, also in its near spellings and the other script; any
  // word written as a name also in the other script. Neither depends on how many hits the query
  // has, or how many a page shows: the result set is the same however it is paged, and a common
  // word beside a rare one (Kazimi OR protest) does not stop the rare one from being widened.
  const widenable = levels[0]?.table ? widenableTerms(root) : [];
  const expansions = widenable.length > 0 ? expansionsFor(db, widenable, WIDEN_BELOW, {}, (t) => stemDocs(db, stemToken(t), WIDEN_BELOW) < WIDEN_BELOW) : [];
  const alsoMatched: { term: string; alternatives: string[] }[] = [];
  if (expansions.length > 0) {
    const alternatives = new Map(expansions.map((e) => [e.term, e.alternatives.map((a) => a.term)]));
    const widened = compileLevel('widened', stemTree(widen(root, alternatives)), 'search_stem');
    const wider = seqsOf(db, widened, widened.compiled.match);
    if (wider.length > seqs.length) {
      levels.push(widened);
      seqs = wider;
      for (const e of expansions) alsoMatched.push({ term: e.term, alternatives: e.alternatives.map((a) => a.term) });
    }
  }
  const terms = positiveTerms(root);
  const typed: SnippetTerm[] = terms.map((t) => (levels.length > 1 ? { ...t, stem: t.prefix ? stemPrefix(t.text) : stemToken(t.text) } : t));
  const near: SnippetTerm[] = alsoMatched.flatMap((e) => e.alternatives.map((t) => (broadStem(t) ? { text: t, prefix: false } : { text: t, prefix: false, stem: stemToken(t) })));
  const snippetTerms = levels.map((level) => (level.name === 'widened' ? [...typed, ...near] : typed));
  const plan: Plan = { levels, tiers: new Map(), seqs, scored, alsoMatched, snippetTerms, total: seqs.length, facets: null };
  if (cache.size >= PLANS_KEPT) cache.delete(cache.keys().next().value as string);
  cache.set(key, plan);
  return plan;
}

/** A stem this short stands for too many words to match a near spelling by (see broadStem). */
const MIN_NEAR_STEM = 3;

/**
 * Whether a near spelling is matched as written rather than by its stem: Porter cuts some words
 * down to a common one (inning → in, being → be), and one misspelt word widened to "in" would
 * bring in most of the archive (measured: "inrine", 80% of 100k documents).
 */
function broadStem(text: string): boolean {
  return Array.from(stemToken(text)).length < MIN_NEAR_STEM;
}

/** Documents whose words include this stem, counted up to `cap`. */
function stemDocs(db: Db, stem: string, cap: number): number {
  return sql(db, 'SELECT count(*) FROM (SELECT rowid FROM search_stem WHERE search_stem MATCH ? LIMIT ?)')
    .pluck()
    .get(`"${stem.replaceAll('"', '""')}"`, cap) as number;
}

interface RankedRow {
  readonly tier: number;
  readonly seq: number;
  readonly score: number;
}

/** Up to `count` rows of tier `t` of level `k`, after `after` when given (a position in this tier). */
function tierRows(db: Db, plan: Plan, k: number, t: number, count: number, after: CursorPosition | null): RankedRow[] {
  if (k === 0 && plan.scored) return bestAfter(plan.scored, count, after, 0);
  const tier = tiersOf(db, plan, k)[t] as Tier;
  const level = plan.levels[k] as Level;
  const seq = seqOf(level);
  const { where, params } = whereOf(level, tier.match);
  // (Naming the result's rows as `rowid IN (...)` looked cheaper for selective filters, but FTS5
  // then restarts the query for each row, at a cost that grows with the word's postings: measured
  // 200 µs a row for a word in 8% of 100k documents.)
  const parts: string[] = [where];
  const args: unknown[] = [...params];
  if (tier.cond !== '1') {
    parts.push(tier.cond);
    args.push(...tier.params);
  }
  if (k > 0) {
    // Only what the level before did not find.
    const before = plan.levels[k - 1] as Level;
    const prior = whereOf(before);
    parts.push(`${seq} NOT IN (SELECT ${seqOf(before)} FROM ${fromOf(before)} WHERE ${prior.where})`);
    args.push(...prior.params);
  }
  const ranked = level.table !== null && tier.match !== null;
  const score = ranked ? `bm25(${level.table}, ${WEIGHTS})` : '0';
  const key = k * TIERS_PER_LEVEL + t;
  if (after && !ranked) {
    parts.push(`${seq} < ?`);
    args.push(after.seq);
  } else if (after) {
    // score >= the last one's, and the ties up to it dropped here: bm25 is worked out once more
    // per row for the condition, where an OR of two comparisons would cost it twice more.
    parts.push(`${score} >= ?`);
    args.push(after.score);
  }
  const statement = sql(db, `SELECT ${seq} AS seq, ${score} AS score FROM ${fromOf(level)} WHERE ${parts.join(' AND ')} ORDER BY score, seq DESC LIMIT ?`).raw();
  for (let extra = 32; ; extra *= 4) {
    const rows = statement.all(...args, count + (after && ranked ? extra : 0)) as [number, number][];
    const kept = after && ranked ? rows.filter(([s, v]) => v > after.score || s < after.seq) : rows;
    if (kept.length >= count || rows.length < count + extra || !(after && ranked)) {
      return kept.slice(0, count).map(([s, v]) => ({ tier: key, seq: s, score: v }));
    }
  }
}

/**
 * Runs a query in the query language (shared/query.ts): ranked hits (see the top of this file),
 * what the parser dropped, the near spellings used, and the total and facets of the whole result
 * set. `cursor` (from a previous result's nextCursor, same query) continues where that page ended.
 */
export function searchItems(db: Db, text: string, limit: number, cursor: string | null = null): SearchResult {
  const parsed = parseQuery(text);
  const labels = labelFilterWarnings(db, parsed.root);
  const query = labels.length === 0 ? parsed : { ...parsed, warnings: [...parsed.warnings, ...labels.map(warningText)], warningCodes: [...parsed.warningCodes, ...labels] };
  const after = cursor === null ? null : decodeCursor(text, cursor);
  if (query.root === null) return { hits: [], warnings: query.warnings, warningCodes: query.warningCodes, alsoMatched: [], total: 0, facets: EMPTY_FACETS, nextCursor: null };
  const plan = planSearch(db, text, query.root, after !== null);
  const startLevel = after ? Math.floor(after.tier / TIERS_PER_LEVEL) : 0;
  const startTier = after ? after.tier % TIERS_PER_LEVEL : 0;
  if (after && (startLevel >= plan.levels.length || startTier >= tiersOf(db, plan, startLevel).length)) {
    throw new ArchiveError('invalid-argument', phrase('archive.cursor.refused', { why: phrase('archive.cursor.resultsChanged') }));
  }
  const rows: RankedRow[] = [];
  for (let k = startLevel; k < plan.levels.length && rows.length <= limit; k++) {
    const tiers = tiersOf(db, plan, k);
    for (let t = k === startLevel ? startTier : 0; t < tiers.length && rows.length <= limit; t++) {
      const from = after && k === startLevel && t === startTier ? after : null;
      rows.push(...tierRows(db, plan, k, t, limit + 1 - rows.length, from));
    }
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(text, { tier: last.tier, score: last.score, seq: last.seq }) : null;
  const items = searchableTexts(db, page.map((r) => r.seq), { scan: true });
  const hits = page
    .map((row) => hitOf(db, items.get(row.seq), row, plan.snippetTerms[Math.floor(row.tier / TIERS_PER_LEVEL)] ?? []))
    .filter((h): h is SearchHit => h !== null);
  plan.facets ??= facetCounts(db, plan.seqs);
  return { hits, warnings: query.warnings, warningCodes: query.warningCodes, alsoMatched: plan.alsoMatched, total: plan.total, facets: plan.facets, nextCursor };
}

function hitOf(db: Db, item: IndexedItem | undefined, row: RankedRow, terms: readonly SnippetTerm[]): SearchHit | null {
  if (!item) return null;
  // The title is shown anyway: a snippet from the text says more, so the title comes last.
  let snippet = terms.length ? makeSnippet([...item.body, ...item.meta, { name: 'title', text: item.title }], terms) : null;
  if (terms.length && (snippet === null || snippet.ranges.length === 0)) snippet = longSnippet(db, row.seq, item, terms) ?? snippet;
  return { id: item.id, kind: item.kind as SearchHit['kind'], title: item.title, date: item.date, score: row.score === 0 ? 0 : -row.score, snippet };
}

/** The index is asked where a word first occurs only if it is in fewer documents than this: fts5vocab walks every position of the word. */
const POSITION_DOCS = 5000;

/**
 * A snippet from deep inside a long text (only its first piece was scanned): the index gives the
 * first position of a matched word in the text column (search_instances), and the piece of the
 * text that holds it (search_pieces) is read and normalised, nothing else. Null when no word's
 * position is known (prefixes, other forms of a word, or words in too many documents to ask
 * cheaply).
 */
function longSnippet(db: Db, seq: number, item: IndexedItem, terms: readonly SnippetTerm[]): Snippet | null {
  if (!item.body.some((f) => f.length !== undefined)) return null;
  let first = Number.POSITIVE_INFINITY;
  for (const t of new Set(terms.filter((t) => !t.prefix).map((t) => t.text))) {
    if (termDocs(db, t, POSITION_DOCS) >= POSITION_DOCS) continue;
    const at = sql(db, "SELECT min(offset) FROM search_instances WHERE term = ? AND doc = ? AND col = 'body'").pluck().get(t, seq) as number | null;
    if (at !== null && at < first) first = at;
  }
  if (!Number.isFinite(first)) return null;
  // The piece the match is in, and the next one of the same text for the words that follow it.
  const piece = sql(db,
    `SELECT token, field, char, field_length AS fieldLength, text FROM search_pieces
     WHERE seq = ? AND token <= ? ORDER BY token DESC LIMIT 1`,
  ).get(seq, first) as Piece | undefined;
  const field = piece ? item.body[piece.field] : undefined;
  if (!piece || !field) return null;
  const next = sql(db, 'SELECT text FROM search_pieces WHERE seq = ? AND field = ? AND char > ? ORDER BY char LIMIT 1').pluck().get(seq, piece.field, piece.char) as
    | string
    | undefined;
  const stretch = piece.text + (next ?? '').slice(0, 2000);
  return windowSnippet(field.name, stretch, piece.char, piece.fieldLength, first - piece.token, terms);
}

/** Every item the search finds for this query (the whole result set its total counts), ascending. */
export function searchSeqs(db: Db, text: string): readonly number[] {
  const root = parseQuery(text).root;
  if (root === null) return [];
  return planSearch(db, text, root, false).seqs;
}
