// Basic full-text search: the index holds normalised text (so tashkeel, alef forms and case never
// stop a match), and a query is tokenised the same way, each token quoted, so user text never
// reaches MATCH as syntax.
import { normalizeText, tokenize } from '../../../shared/normalize.ts';
import type { SearchHit } from '../../../shared/api.ts';
import { makeSnippet } from './snippet.ts';
import { sql, type Db } from '../db/connection.ts';

/** The original text of an item's searchable fields, grouped by index column. */
export interface SearchableText {
  readonly title: string;
  readonly meta: readonly { name: string; text: string | null }[];
  readonly body: readonly { name: string; text: string | null }[];
}

/** What an item says, field by field: the index is built from it, and snippets are cut from it. */
export function searchableText(db: Db, seq: number): (SearchableText & { deleted: boolean }) | undefined {
  const item = sql(db, 'SELECT title, description, people, place, source_outlet, source_author, body, deleted_at FROM items WHERE seq = ?').get(seq) as
    | Record<string, string | null>
    | undefined;
  if (!item) return undefined;
  const tags = sql(db, 'SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_seq = ?').pluck().all(seq) as string[];
  const texts = sql(db, 'SELECT role, text FROM item_texts WHERE item_seq = ? ORDER BY id').all(seq) as { role: string; text: string }[];
  const testimony = sql(db, 'SELECT speaker_alias, relation_to_case FROM testimonies WHERE item_seq = ?').get(seq) as
    | Record<string, string | null>
    | undefined;
  return {
    deleted: item.deleted_at !== null,
    title: item.title ?? '',
    meta: [
      { name: 'people', text: item.people ?? null },
      { name: 'place', text: item.place ?? null },
      { name: 'source', text: [item.source_outlet, item.source_author].filter(Boolean).join(' · ') || null },
      { name: 'speaker', text: [testimony?.speaker_alias, testimony?.relation_to_case].filter(Boolean).join(' · ') || null },
      { name: 'tags', text: tags.join(', ') || null },
    ],
    body: [{ name: 'description', text: item.description ?? null }, { name: 'body', text: item.body ?? null }, ...texts.map((t) => ({ name: t.role, text: t.text }))],
  };
}

/** Writes an item's searchable text into the index, replacing what was there. */
export function reindexItem(db: Db, seq: number): void {
  sql(db, 'DELETE FROM search_fts WHERE rowid = ?').run(seq);
  const text = searchableText(db, seq);
  if (!text || text.deleted) return;
  const join = (fields: readonly { text: string | null }[]) => normalizeText(fields.map((f) => f.text).filter(Boolean).join('\n'));
  sql(db, 'INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(seq, normalizeText(text.title), join(text.meta), join(text.body));
}

/** The FTS5 expression for a person's text: every word must match, each quoted. Null when empty. */
export function toMatchExpression(query: string): string | null {
  const tokens = tokenize(normalizeText(query));
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
}

export function searchBasic(db: Db, query: string, limit: number): SearchHit[] {
  const match = toMatchExpression(query);
  if (match === null) return [];
  const rows = sql(db,
      `SELECT i.seq, i.id, i.kind, i.title, COALESCE(i.event_date, i.published_at, i.captured_at) AS date,
              -bm25(search_fts, 10.0, 4.0, 1.0) AS score
       FROM search_fts JOIN items i ON i.seq = search_fts.rowid
       WHERE search_fts MATCH ? AND i.deleted_at IS NULL
       ORDER BY bm25(search_fts, 10.0, 4.0, 1.0), i.created_at DESC LIMIT ?`,
    )
    .all(match, limit) as (Omit<SearchHit, 'snippet'> & { seq: number })[];
  const terms = tokenize(normalizeText(query)).map((text) => ({ text, prefix: false }));
  return rows.map(({ seq, ...hit }) => {
    const text = searchableText(db, seq);
    // The title is shown anyway: a snippet from the text says more, so the title comes last.
    const snippet = text ? makeSnippet([...text.body, ...text.meta, { name: 'title', text: text.title }], terms) : null;
    return { ...hit, snippet };
  });
}

/** FTS5's own consistency check of the index structure. Throws if it is damaged. */
export function checkIndex(db: Db): void {
  sql(db, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)").run();
}

export function rebuildIndex(db: Db): number {
  sql(db, 'DELETE FROM search_fts').run();
  const seqs = sql(db, 'SELECT seq FROM items WHERE deleted_at IS NULL').pluck().all() as number[];
  for (const seq of seqs) reindexItem(db, seq);
  return seqs.length;
}
