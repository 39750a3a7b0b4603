// Keeps the search index in step with the items (every write calls reindexItem in its own
// transaction), rebuilds it, and checks it. What is indexed, per live item (schema: migration 4):
//   search_fts     the item's words: normalised tokens (shared/normalize.ts), joined by spaces
//   search_stem    the stem of each of those tokens (shared/stem.ts), same columns
//   search_titles  the title's tokens again, for trigram lookup by the quick switcher
//   search_docs    kind, language and date, for filters and facets
// FTS5 is fed tokens joined by spaces rather than the normalised text: its unicode61 tables are
// older than JavaScript's, and would keep an emoji such as 🫨 inside a word (z🫨w one token) where
// tokenize() splits it. Fed our tokens, the index holds exactly tokenize(normalizeText(text)).
import { NORMALIZE_VERSION, normalizeText, tokenize } from '../../../shared/normalize.ts';
import { STEM_VERSION, stemToken } from '../../../shared/stem.ts';
import { sql, type Db } from '../db/connection.ts';
import { noteIndexChange } from './facets.ts';
import { SCAN_CHARS } from './snippet.ts';

/**
 * The format the index rows are built in, stamped in search_meta: when normalisation, stemming
 * or what is indexed changes, the stamp differs and the archive rebuilds its index on opening.
 */
export const SEARCH_FORMAT = `normalize ${NORMALIZE_VERSION}, stem ${STEM_VERSION}, index 1`;

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

/** A text column read whole, or (for snippets) its first `chars` characters and, if longer, its length. */
function textColumn(column: string, name: string, chars: number | undefined): string {
  if (chars === undefined) return `${column} AS ${name}, NULL AS ${name}_length`;
  // octet_length reads the record header only; length() would read a 50 MB text through.
  return `substr(${column}, 1, ${chars}) AS ${name}, CASE WHEN octet_length(${column}) > ${chars} THEN length(${column}) END AS ${name}_length`;
}

/**
 * searchableText for several items at once: four queries in all rather than four per item. With
 * `scanChars`, long texts (body, transcripts) are read only that far, and carry their length.
 */
export function searchableTexts(db: Db, seqs: readonly number[], options: { scanChars?: number } = {}): Map<number, IndexedItem> {
  const out = new Map<number, IndexedItem>();
  if (seqs.length === 0) return out;
  const list = JSON.stringify(seqs);
  const columns = `i.seq, i.id, i.kind, i.language, COALESCE(i.event_date, i.published_at, i.captured_at) AS date, i.title, i.description,
                   i.people, i.place, i.source_outlet, i.source_author, ${textColumn('i.body', 'body', options.scanChars)}, i.deleted_at`;
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
  const texts = bySeq<{ role: string; text: string; text_length: number | null }>(
    `SELECT x.item_seq AS seq, x.role, ${textColumn('x.text', 'text', options.scanChars)}
     FROM json_each(?) j CROSS JOIN item_texts x ON x.item_seq = j.value ORDER BY x.item_seq, x.id`,
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
        { name: 'description', text: item.description ?? null },
        withLength({ name: 'body', text: item.body ?? null }, r.body_length),
        ...(texts.get(seq) ?? []).map((t) => withLength({ name: t.role, text: t.text }, t.text_length)),
      ],
    });
  }
  return out;
}

function withLength(field: { name: string; text: string | null }, length: unknown): { name: string; text: string | null; length?: number } {
  return typeof length === 'number' && field.text !== null && length > field.text.length ? { ...field, length } : field;
}

/** Texts are normalised and split in pieces of at most this many characters, so a 50 MB transcript never holds millions of token strings at once. */
const PIECE = 1 << 20;
/** A text longer than snippets scan gets a mark at the start of every piece this long (see search_marks). */
export const MARK_PIECE = 1 << 16;

/** Where a piece of a long text begins: its first token's position in the column, and its place in the field. */
export interface Mark {
  readonly token: number;
  readonly field: number;
  readonly char: number;
}

/**
 * One column's fields as the two word indexes take them: the tokens of their texts (as if joined
 * by line breaks), and their stems, each joined by spaces. Distinct tokens are added to `terms`;
 * `marks`, when given, receives the pieces of texts too long for snippets to scan.
 */
export function indexForms(fields: readonly (string | null)[], terms?: Set<string>, marks?: Mark[]): { words: string; stems: string } {
  const words: string[] = [];
  const stems: string[] = [];
  let count = 0;
  fields.forEach((text, field) => {
    if (!text) return;
    const long = marks !== undefined && text.length > SCAN_CHARS;
    const size = long ? MARK_PIECE : PIECE;
    for (let start = 0; start < text.length; ) {
      let end = Math.min(text.length, start + size);
      // Cut after whitespace, where no token and no normalisation segment can straddle the cut.
      if (end < text.length) {
        const space = text.slice(start, end).search(/\s\S*$/);
        if (space > 0) end = start + space + 1;
      }
      if (long) marks.push({ token: count, field, char: start });
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
  sql(db, 'DELETE FROM search_marks WHERE seq = ?').run(seq);
}

// Words known to be in search_terms, so the common ones cost no lookup. A word remembered from a
// transaction that rolled back is missing from the table until the cache is next emptied (or the
// index rebuilt): widening cannot offer it meanwhile, and nothing else reads the table.
const knownTerms = new WeakMap<Db, Set<string>>();
const KNOWN_TERMS_MAX = 500_000;

function addTerms(db: Db, terms: ReadonlySet<string>): void {
  let known = knownTerms.get(db);
  if (!known || known.size > KNOWN_TERMS_MAX) knownTerms.set(db, (known = new Set()));
  const insert = sql(db, 'INSERT OR IGNORE INTO search_terms (term) VALUES (?)');
  for (const term of terms) {
    if (known.has(term)) continue;
    insert.run(term);
    known.add(term);
  }
}

function index(db: Db, seq: number, item: IndexedItem): void {
  const terms = new Set<string>();
  const marks: Mark[] = [];
  const title = indexForms([item.title], terms);
  const meta = indexForms(item.meta.map((f) => f.text), terms);
  const body = indexForms(item.body.map((f) => f.text), terms, marks);
  addTerms(db, terms);
  for (const m of marks) sql(db, 'INSERT INTO search_marks (seq, token, field, char) VALUES (?, ?, ?, ?)').run(seq, m.token, m.field, m.char);
  sql(db, 'INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(seq, title.words, meta.words, body.words);
  sql(db, 'INSERT INTO search_stem (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(seq, title.stems, meta.stems, body.stems);
  sql(db, 'INSERT INTO search_titles (rowid, title) VALUES (?, ?)').run(seq, title.words);
  sql(db, 'INSERT INTO search_docs (seq, kind, language, date) VALUES (?, ?, ?, ?)').run(seq, item.kind, item.language, item.date);
}

/** Writes an item's searchable text into the index, replacing what was there (removing it if trashed). */
export function reindexItem(db: Db, seq: number): void {
  unindex(db, seq);
  const item = searchableText(db, seq);
  if (item && !item.deleted) index(db, seq, item);
  noteIndexChange(db, seq);
}

/** Empties the index and indexes every live item again; call inside a write transaction. */
export function rebuildIndex(db: Db): number {
  for (const table of ['search_fts', 'search_stem', 'search_titles']) sql(db, `INSERT INTO ${table} (${table}) VALUES ('delete-all')`).run();
  sql(db, 'DELETE FROM search_docs').run();
  sql(db, 'DELETE FROM search_terms').run();
  sql(db, 'DELETE FROM search_marks').run();
  knownTerms.delete(db);
  const seqs = sql(db, 'SELECT seq FROM items WHERE deleted_at IS NULL ORDER BY seq').pluck().all() as number[];
  for (const seq of seqs) {
    const item = searchableText(db, seq);
    if (item && !item.deleted) index(db, seq, item);
  }
  sql(db, "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('format', ?)").run(SEARCH_FORMAT);
  noteIndexChange(db, null);
  return seqs.length;
}

/** Rebuilds the index when it was built in another format (after an upgrade); true if it did. */
export function ensureSearchIndex(db: Db): boolean {
  const format = () => sql(db, "SELECT value FROM search_meta WHERE key = 'format'").pluck().get() as string | undefined;
  if (format() === SEARCH_FORMAT) return false;
  return db
    .transaction(() => {
      // Another process may have rebuilt it while this one waited for the write lock.
      if (format() === SEARCH_FORMAT) return false;
      rebuildIndex(db);
      return true;
    })
    .immediate();
}

const FTS_TABLES = ['search_fts', 'search_stem', 'search_titles'] as const;

/**
 * What is wrong with the search index, or null: FTS5's own check of each index's structure,
 * its format, and whether it holds exactly the items not in the trash.
 */
export function searchIndexProblem(db: Db): string | null {
  for (const table of FTS_TABLES) {
    try {
      sql(db, `INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).run();
    } catch (err) {
      return `${table}: ${(err as Error).message}`;
    }
  }
  const format = sql(db, "SELECT value FROM search_meta WHERE key = 'format'").pluck().get() as string | undefined;
  if (format !== SEARCH_FORMAT) return `the index was built in another format (${format ?? 'none'}, this version uses ${SEARCH_FORMAT})`;
  const counts = sql(db,
    `SELECT (SELECT count(*) FROM items WHERE deleted_at IS NULL) AS live,
            (SELECT count(*) FROM search_docs) AS docs,
            (SELECT count(*) FROM search_docs d JOIN items i ON i.seq = d.seq WHERE i.deleted_at IS NULL) AS docsLive,
            (SELECT count(*) FROM search_fts) AS fts,
            (SELECT count(*) FROM search_stem) AS stem,
            (SELECT count(*) FROM search_titles) AS titles`,
  ).get() as Record<'live' | 'docs' | 'docsLive' | 'fts' | 'stem' | 'titles', number>;
  if (counts.docs !== counts.live || counts.docsLive !== counts.live) return `the index holds ${counts.docs} items but the archive has ${counts.live}`;
  for (const [name, n] of [['search_fts', counts.fts], ['search_stem', counts.stem], ['search_titles', counts.titles]] as const) {
    if (n !== counts.live) return `the index holds ${n} items but the archive has ${counts.live} (in ${name})`;
  }
  return null;
}
