// Keeps the search index in step with the items (every write calls reindexItem in its own
// transaction), rebuilds it, and checks it. What is indexed, per live item (schema: migrations 4, 8
// and 9):
//   search_fts     the item's words: normalised tokens (shared/normalize.ts), joined by spaces
//   search_stem    the stem of each of those tokens (shared/stem.ts), same columns
//   search_titles  the title's tokens again, for trigram lookup by the quick switcher
//   search_docs    kind, language and date, for filters and facets
//   search_pieces  texts too long for snippets to scan, again in pieces (migration 6), so a
//                  snippet deep in a 50 MB transcript reads one piece, never the whole column
//   search_names   the Latin words it writes as names (crossScript.ts nameWords)
// and for the vocabulary as a whole: search_terms, every word held, and search_sounds, each of
// those under its sound key (crossScript.ts soundKey).
// FTS5 is fed tokens joined by spaces rather than the normalised text: its unicode61 tables are
// older than JavaScript's, and would keep an emoji such as 🫨 inside a word (z🫨w one token) where
// tokenize() splits it. Fed our tokens, the index holds exactly tokenize(normalizeText(text)).
import { NORMALIZE_VERSION, normalizeText, tokenize } from '../../../shared/normalize.ts';
import { STEM_VERSION, stemToken } from '../../../shared/stem.ts';
import { phrase, say, type Phrase } from '../../../shared/phrase.ts';
import { sql, type Db } from '../db/connection.ts';
import { SOUND_VERSION, nameWords, soundKey } from './crossScript.ts';
import { noteIndexChange } from './facets.ts';
import { SCAN_CHARS } from './snippet.ts';

/**
 * The format the index rows are built in, stamped in search_meta: when normalisation, stemming
 * or what is indexed changes, the stamp differs and the archive rebuilds its index on opening.
 */
export const SEARCH_FORMAT = `normalize ${NORMALIZE_VERSION}, stem ${STEM_VERSION}, sound ${SOUND_VERSION}, index 4`;

/** The original text of an item's searchable fields, grouped by index column. */
export interface SearchableText {
  readonly title: string;
  readonly meta: readonly { name: string; text: string | null }[];
  /** With `length` when only the beginning of a long text was read (see searchableTexts). */
  readonly body: readonly { name: string; text: string | null; length?: number }[];
}

export interface IndexedItem extends SearchableText {
  readonly id: string;
  readonly deleted: boolean;
  readonly kind: string;
  readonly language: string | null;
  /** The date filters and the year facet use: event, else published, else captured. */
  readonly date: string | null;
}

/** What an item says, field by field: the index is built from it, and snippets are cut from it. */
export function searchableText(db: Db, seq: number): IndexedItem | undefined {
  return searchableTexts(db, [seq]).get(seq);
}

/**
 * A text column read whole, or for snippets not at all when the text is long (then it was kept
 * in search_pieces, `field` being its place in the body column): SQLite loads a column whole, so
 * even substr() of a 50 MB text reads 50 MB.
 */
function textColumn(column: string, name: string, field: string, scan: boolean): string {
  if (!scan) return `${column} AS ${name}, 0 AS ${name}_long`;
  const long = `EXISTS (SELECT 1 FROM search_pieces p WHERE p.seq = i.seq AND p.field = ${field})`;
  return `CASE WHEN ${long} THEN NULL ELSE ${column} END AS ${name}, ${long} AS ${name}_long`;
}

/**
 * searchableText for several items at once: four queries in all rather than four per item. For
 * snippets (`scan`), a long text (body, transcripts) is its first piece from search_pieces, with
 * its `length`, and whether the item is in the trash is not read (a column
 * after a long body costs reading the body through).
 */
export function searchableTexts(db: Db, seqs: readonly number[], options: { scan?: boolean } = {}): Map<number, IndexedItem> {
  const out = new Map<number, IndexedItem>();
  if (seqs.length === 0) return out;
  const scan = options.scan === true;
  const list = JSON.stringify(seqs);
  const columns = `i.seq, i.id, i.kind, i.language, COALESCE(i.event_date, i.published_at, i.captured_at) AS date, i.title,
                   ${textColumn('i.description', 'description', '0', scan)},
                   i.people, i.place, i.source_outlet, i.source_author, ${textColumn('i.body', 'body', '1', scan)},
                   ${scan ? 'NULL' : 'i.deleted_at'} AS deleted_at`;
  const rows = (
    seqs.length === 1
      ? sql(db, `SELECT ${columns} FROM items i WHERE i.seq = ?`).all(seqs[0])
      : sql(db, `SELECT ${columns} FROM json_each(?) j CROSS JOIN items i ON i.seq = j.value`).all(list)
  ) as Record<string, string | number | null>[];
  if (rows.length === 0) return out;
  const bySeq = <T>(query: string): Map<number, T[]> => {
    const m = new Map<number, T[]>();
    for (const r of sql(db, query).all(list) as (T & { seq: number })[]) {
      let a = m.get(r.seq);
      if (!a) m.set(r.seq, (a = []));
      a.push(r);
    }
    return m;
  };
  const tags = bySeq<{ name: string }>('SELECT it.item_seq AS seq, t.name FROM json_each(?) j CROSS JOIN item_tags it ON it.item_seq = j.value JOIN tags t ON t.id = it.tag_id');
  const texts = scan
    ? scannedTexts(db, list)
    : bySeq<{ role: string; text: string | null; text_long: number }>(
        'SELECT x.item_seq AS seq, x.role, x.text, 0 AS text_long FROM json_each(?) j CROSS JOIN item_texts x ON x.item_seq = j.value ORDER BY x.item_seq, x.id',
      );
  const testimonies = rows.some((r) => r.kind === 'testimony')
    ? bySeq<{ speaker_alias: string | null; relation_to_case: string | null }>(
        'SELECT t.item_seq AS seq, t.speaker_alias, t.relation_to_case FROM json_each(?) j CROSS JOIN testimonies t ON t.item_seq = j.value',
      )
    : new Map<number, { speaker_alias: string | null; relation_to_case: string | null }[]>();
  for (const r of rows) {
    const item = r as Record<string, string | null> & { seq: number };
    const seq = item.seq;
    const testimony = testimonies.get(seq)?.[0];
    const tagNames = (tags.get(seq) ?? []).map((t) => t.name).sort();
    out.set(seq, {
      id: item.id as string,
      deleted: item.deleted_at !== null,
      kind: item.kind as string,
      language: item.language ?? null,
      date: item.date ?? null,
      title: item.title ?? '',
      meta: [
        { name: 'people', text: item.people ?? null },
        { name: 'place', text: item.place ?? null },
        { name: 'source', text: [item.source_outlet, item.source_author].filter(Boolean).join(' · ') || null },
        { name: 'speaker', text: [testimony?.speaker_alias, testimony?.relation_to_case].filter(Boolean).join(' · ') || null },
        { name: 'tags', text: tagNames.join(', ') || null },
      ],
      body: [
        r.description_long ? longField(db, seq, 0, 'description') : { name: 'description', text: item.description ?? null },
        r.body_long ? longField(db, seq, 1, 'body') : { name: 'body', text: item.body ?? null },
        ...(texts.get(seq) ?? []).map((t, k) => (t.text_long ? longField(db, seq, k + 2, t.role) : { name: t.role, text: t.text })),
      ],
    });
  }
  return out;
}

/**
 * Transcripts and translations of some items (a JSON list of seqs) for snippets: those kept in
 * search_pieces are not read (text null, text_long 1). A text's place in the body column is 2 +
 * its rank among the item's texts (after description and body).
 */
function scannedTexts(db: Db, list: string): Map<number, { role: string; text: string | null; text_long: number }[]> {
  const rows = sql(db,
    `SELECT x.item_seq AS seq, x.id, x.role, 1 + row_number() OVER (PARTITION BY x.item_seq ORDER BY x.id) AS field
     FROM json_each(?) j CROSS JOIN item_texts x ON x.item_seq = j.value ORDER BY x.item_seq, x.id`,
  ).all(list) as { seq: number; id: number; role: string; field: number }[];
  const out = new Map<number, { role: string; text: string | null; text_long: number }[]>();
  if (rows.length === 0) return out;
  const long = new Set(
    (sql(db, 'SELECT DISTINCT p.seq, p.field FROM json_each(?) j CROSS JOIN search_pieces p ON p.seq = j.value WHERE p.field >= 2').raw().all(list) as [number, number][]).map(
      ([seq, field]) => `${seq}:${field}`,
    ),
  );
  const short = rows.filter((r) => !long.has(`${r.seq}:${r.field}`)).map((r) => r.id);
  const text = new Map(sql(db, 'SELECT x.id, x.text FROM json_each(?) j CROSS JOIN item_texts x ON x.id = j.value').raw().all(JSON.stringify(short)) as [number, string][]);
  for (const r of rows) {
    let a = out.get(r.seq);
    if (!a) out.set(r.seq, (a = []));
    const isLong = long.has(`${r.seq}:${r.field}`);
    a.push({ role: r.role, text: isLong ? null : (text.get(r.id) ?? null), text_long: isLong ? 1 : 0 });
  }
  return out;
}

/**
 * The first piece of a long text, and its whole length: a snippet scans that much, and beyond it
 * asks the index where the words are (search/basic.ts, longSnippet).
 */
function longField(db: Db, seq: number, field: number, name: string): { name: string; text: string; length: number } {
  const piece = sql(db, 'SELECT text, field_length FROM search_pieces WHERE seq = ? AND field = ? ORDER BY char LIMIT 1').raw().get(seq, field) as
    | [string, number]
    | undefined;
  return { name, text: piece?.[0] ?? '', length: piece?.[1] ?? 0 };
}

/** Texts are normalised and split in pieces of at most this many characters, so a 50 MB transcript never holds millions of token strings at once. */
const PIECE = 1 << 20;
/** A text longer than snippets scan is kept again in pieces this long (see search_pieces). */
export const PIECE_CHARS = 1 << 16;

/** A piece of a long text: its first token's position in the column, and its place in the field. */
export interface Piece {
  readonly token: number;
  readonly field: number;
  readonly char: number;
  readonly fieldLength: number;
  readonly text: string;
}

/**
 * One column's fields as the two word indexes take them: the tokens of their texts (as if joined
 * by line breaks), and their stems, each joined by spaces. Distinct tokens are added to `terms`;
 * `pieces`, when given, receives the pieces of texts too long for snippets to scan.
 */
export function indexForms(fields: readonly (string | null)[], terms?: Set<string>, pieces?: Piece[]): { words: string; stems: string } {
  const words: string[] = [];
  const stems: string[] = [];
  let count = 0;
  fields.forEach((text, field) => {
    if (!text) return;
    const long = pieces !== undefined && text.length > SCAN_CHARS;
    const size = long ? PIECE_CHARS : PIECE;
    for (let start = 0; start < text.length; ) {
      let end = Math.min(text.length, start + size);
      // Cut after whitespace, where no token and no normalisation segment can straddle the cut.
      if (end < text.length) {
        const space = text.slice(start, end).search(/\s\S*$/);
        if (space > 0) end = start + space + 1;
      }
      if (long) pieces.push({ token: count, field, char: start, fieldLength: text.length, text: text.slice(start, end) });
      const tokens = tokenize(normalizeText(text.slice(start, end)));
      if (terms) for (const t of tokens) terms.add(t);
      if (tokens.length > 0) {
        words.push(tokens.join(' '));
        stems.push(tokens.map(stemToken).join(' '));
      }
      count += tokens.length;
      start = end;
    }
  });
  return { words: words.join(' '), stems: stems.join(' ') };
}

/** Removes an item from every search table (a no-op when it is not indexed). */
function unindex(db: Db, seq: number): void {
  if (sql(db, 'SELECT 1 FROM search_docs WHERE seq = ?').get(seq) === undefined) return;
  sql(db, 'DELETE FROM search_fts WHERE rowid = ?').run(seq);
  sql(db, 'DELETE FROM search_stem WHERE rowid = ?').run(seq);
  sql(db, 'DELETE FROM search_titles WHERE rowid = ?').run(seq);
  sql(db, 'DELETE FROM search_docs WHERE seq = ?').run(seq);
  sql(db, 'DELETE FROM search_names WHERE seq = ?').run(seq);
  sql(db, 'DELETE FROM search_pieces WHERE seq = ?').run(seq);
}

// Words known to be in search_terms and search_sounds, so the common ones cost no lookup. A word
// remembered wrongly would never be written: widening and the other script could not find it. So
// the cache is emptied when a write rolls back (forgetTerms, called by Archive.write), and when
// another connection has written (SQLite's data_version: it may have rebuilt the index).
const knownTerms = new WeakMap<Db, { version: number; terms: Set<string> }>();
const KNOWN_TERMS_MAX = 500_000;

/** Empties the cache of known words: after a write that rolled back. */
export function forgetTerms(db: Db): void {
  knownTerms.delete(db);
}

function addTerms(db: Db, terms: ReadonlySet<string>): void {
  const version = db.pragma('data_version', { simple: true }) as number;
  let cached = knownTerms.get(db);
  if (!cached || cached.version !== version || cached.terms.size > KNOWN_TERMS_MAX) knownTerms.set(db, (cached = { version, terms: new Set() }));
  const known = cached.terms;
  const fresh: string[] = [];
  for (const term of terms) if (!known.has(term)) fresh.push(term);
  if (fresh.length === 0) return;
  // Many rows a statement: an article brings dozens of new words, and a call into SQLite for
  // each cost more than the inserts. (Bound values, not JSON, so every string goes in unchanged.)
  for (let i = 0; i < fresh.length; i += TERMS_PER_INSERT) {
    const chunk = fresh.slice(i, i + TERMS_PER_INSERT);
    sql(db, `INSERT OR IGNORE INTO search_terms (term) VALUES ${'(?),'.repeat(chunk.length - 1)}(?)`).run(...chunk);
  }
  // Each word also under its sound, for finding it from the other script (search/crossScript.ts).
  const sounds: string[] = [];
  for (const term of fresh) {
    const key = soundKey(term);
    if (key !== null) sounds.push(key, term);
  }
  for (let i = 0; i < sounds.length; i += 2 * TERMS_PER_INSERT) {
    const chunk = sounds.slice(i, i + 2 * TERMS_PER_INSERT);
    sql(db, `INSERT OR IGNORE INTO search_sounds (sound, term) VALUES ${'(?, ?),'.repeat(chunk.length / 2 - 1)}(?, ?)`).run(...chunk);
  }
  for (const term of fresh) known.add(term);
}

const TERMS_PER_INSERT = 64;

/** An item's three columns as the word indexes take them (see indexForms); only the body is cut into pieces. */
export function itemForms(item: SearchableText, terms?: Set<string>, pieces?: Piece[]): Record<'title' | 'meta' | 'body', { words: string; stems: string }> {
  return {
    title: indexForms([item.title], terms),
    meta: indexForms(item.meta.map((f) => f.text), terms),
    body: indexForms(item.body.map((f) => f.text), terms, pieces),
  };
}

/**
 * An item's words and stems (the tags among them) into search_fts and search_stem, and its new
 * words into the vocabulary; the snippet pieces its body is cut into go to `pieces`.
 */
function writeWords(db: Db, seq: number, item: IndexedItem, pieces: Piece[]): { titleWords: string } {
  const terms = new Set<string>();
  const { title, meta, body } = itemForms(item, terms, pieces);
  addTerms(db, terms);
  sql(db, 'INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(seq, title.words, meta.words, body.words);
  sql(db, 'INSERT INTO search_stem (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(seq, title.stems, meta.stems, body.stems);
  return { titleWords: title.words };
}

function index(db: Db, seq: number, item: IndexedItem): void {
  const pieces: Piece[] = [];
  const { titleWords } = writeWords(db, seq, item, pieces);
  // The Latin words it writes as names (its tags are none: a change of tags leaves these).
  const name = sql(db, 'INSERT OR IGNORE INTO search_names (term, seq) VALUES (?, ?)');
  for (const term of nameWords(item)) name.run(term, seq);
  const insertPiece = sql(db, 'INSERT INTO search_pieces (seq, field, token, char, field_length, text) VALUES (?, ?, ?, ?, ?, ?)');
  for (const p of pieces) insertPiece.run(seq, p.field, p.token, p.char, p.fieldLength, p.text);
  sql(db, 'INSERT INTO search_titles (rowid, title) VALUES (?, ?)').run(seq, titleWords);
  sql(db, 'INSERT INTO search_docs (seq, kind, language, date) VALUES (?, ?, ?, ?)').run(seq, item.kind, item.language, item.date);
}

/** Writes an item's searchable text into the index, replacing what was there (removing it if trashed). */
export function reindexItem(db: Db, seq: number): void {
  unindex(db, seq);
  const item = searchableText(db, seq);
  if (item && !item.deleted) index(db, seq, item);
  noteIndexChange(db, seq);
}

/**
 * After a change to an item's tags alone: its words (the tags are among them) written again. Its
 * title trigrams, filter values and snippet pieces do not change, so they are not rewritten (in
 * a bulk tag of 100,000 short notes that saved about a fifth of the time). The index it leaves is
 * the one reindexItem would.
 */
export function reindexItemWords(db: Db, seq: number): void {
  const item = searchableText(db, seq);
  if (!item || item.deleted || sql(db, 'SELECT 1 FROM search_docs WHERE seq = ?').get(seq) === undefined) {
    reindexItem(db, seq);
    return;
  }
  sql(db, 'DELETE FROM search_fts WHERE rowid = ?').run(seq);
  sql(db, 'DELETE FROM search_stem WHERE rowid = ?').run(seq);
  // The body is cut as index() cuts it; its pieces, already stored, are not needed here.
  writeWords(db, seq, item, []);
  noteIndexChange(db, seq);
}

/** The FTS5 tables of the index, each one row per indexed item. */
const FTS_TABLES = ['search_fts', 'search_stem', 'search_titles'] as const;

/** FTS5's own default for 'deletemerge' (the share of a segment's rows, in percent). */
const DEFAULT_DELETE_MERGE = 10;

/**
 * Runs `change`, which re-indexes or removes many items, inside a write transaction, with FTS5's
 * tombstone merges held off until it ends. By default FTS5 rewrites a whole segment as soon as a
 * tenth of its rows are deleted; in an archive of 100,000 items, most in one segment, tagging
 * 20,000 of them rewrote that segment over and over (27 s; 14 s held off). The deleted rows
 * are then left as tombstones, which queries skip and later merges clear, as after any deletes.
 * The setting is put back even when `change` throws, so the open connection never keeps it (the
 * rollback then undoes the write of it).
 */
export function withMergesHeld<T>(db: Db, change: () => T): T {
  const before = FTS_TABLES.map((table) => {
    const value = sql(db, `SELECT v FROM ${table}_config WHERE k = 'deletemerge'`).pluck().get();
    return typeof value === 'number' ? value : DEFAULT_DELETE_MERGE;
  });
  // FTS5 takes the value only as an SQL integer, which a JS number (bound as a real) is not.
  const set = (table: string, percent: number) => sql(db, `INSERT INTO ${table} (${table}, rank) VALUES ('deletemerge', ?)`).run(BigInt(percent));
  for (const table of FTS_TABLES) set(table, 0);
  try {
    return change();
  } finally {
    FTS_TABLES.forEach((table, i) => set(table, before[i]!));
  }
}

/** Empties the index and indexes every live item again; call inside a write transaction. */
export function rebuildIndex(db: Db): number {
  for (const table of FTS_TABLES) sql(db, `INSERT INTO ${table} (${table}) VALUES ('delete-all')`).run();
  sql(db, 'DELETE FROM search_docs').run();
  sql(db, 'DELETE FROM search_terms').run();
  sql(db, 'DELETE FROM search_sounds').run();
  sql(db, 'DELETE FROM search_names').run();
  sql(db, 'DELETE FROM search_pieces').run();
  knownTerms.delete(db);
  const seqs = sql(db, 'SELECT seq FROM items WHERE deleted_at IS NULL ORDER BY seq').pluck().all() as number[];
  for (const seq of seqs) {
    const item = searchableText(db, seq);
    if (item && !item.deleted) index(db, seq, item);
  }
  sql(db, "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('format', ?)").run(SEARCH_FORMAT);
  sql(db, "DELETE FROM search_meta WHERE key = 'pending'").run();
  noteIndexChange(db, null);
  return seqs.length;
}

function stamp(db: Db, key: 'format' | 'pending'): string | undefined {
  return sql(db, 'SELECT value FROM search_meta WHERE key = ?').pluck().get(key) as string | undefined;
}

/**
 * Brings the index up to date when the archive opens: rebuilt whole when it was built in another
 * format (after an upgrade), or only the items a migration left in 'pending' (migration 6: the
 * items with long texts, whose pieces it could not write). True if it wrote anything.
 */
export function ensureSearchIndex(db: Db): boolean {
  if (stamp(db, 'format') === SEARCH_FORMAT && stamp(db, 'pending') === undefined) return false;
  try {
    return bringUpToDate(db);
  } catch (err) {
    forgetTerms(db);
    throw err;
  }
}

function bringUpToDate(db: Db): boolean {
  return db
    .transaction(() => {
      // Another process may have done it while this one waited for the write lock.
      if (stamp(db, 'format') !== SEARCH_FORMAT) {
        rebuildIndex(db);
        return true;
      }
      const pending = stamp(db, 'pending');
      if (pending === undefined) return false;
      for (const seq of JSON.parse(pending) as number[]) reindexItem(db, seq);
      sql(db, "DELETE FROM search_meta WHERE key = 'pending'").run();
      return true;
    })
    .immediate();
}

/**
 * What is wrong with the search index, or null: FTS5's own check of each index's structure,
 * its format, and whether it holds exactly the items not in the trash.
 */
export function searchIndexProblem(db: Db): Phrase | null {
  for (const table of FTS_TABLES) {
    try {
      sql(db, `INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).run();
    } catch (err) {
      return phrase('archive.searchIndex.damaged', { table, detail: (err as Error).message });
    }
  }
  const format = stamp(db, 'format');
  if (format !== SEARCH_FORMAT) {
    return phrase('archive.searchIndex.otherFormat', { found: format ?? phrase('archive.searchIndex.noFormat'), format: SEARCH_FORMAT });
  }
  if (stamp(db, 'pending') !== undefined) return phrase('archive.searchIndex.pending');
  const counts = sql(db,
    `SELECT (SELECT count(*) FROM items WHERE deleted_at IS NULL) AS live,
            (SELECT count(*) FROM search_docs) AS docs,
            (SELECT count(*) FROM search_docs d JOIN items i ON i.seq = d.seq WHERE i.deleted_at IS NULL) AS docsLive,
            (SELECT count(*) FROM search_fts) AS fts,
            (SELECT count(*) FROM search_stem) AS stem,
            (SELECT count(*) FROM search_titles) AS titles`,
  ).get() as Record<'live' | 'docs' | 'docsLive' | 'fts' | 'stem' | 'titles', number>;
  const { live } = counts;
  if (counts.docs !== live || counts.docsLive !== live) return phrase('archive.searchIndex.count', { count: counts.docs, live });
  for (const [table, count] of [['search_fts', counts.fts], ['search_stem', counts.stem], ['search_titles', counts.titles]] as const) {
    if (count !== live) return phrase('archive.searchIndex.countIn', { table, count, live });
  }
  return null;
}

/** The index check as the archive check and the verify report give it: 'ok' or the English problem, and the problem as a phrase. */
export function searchIndexReport(db: Db): { searchIndex: string; searchIndexSaid?: Phrase } {
  const problem = searchIndexProblem(db);
  return problem === null ? { searchIndex: 'ok' } : { searchIndex: say(problem), searchIndexSaid: problem };
}
