// Basic full-text search: the index holds normalised text (so tashkeel, alef forms and case never
// stop a match), and a query is tokenised the same way, each token quoted, so user text never
// reaches MATCH as syntax.
import { normalizeText, tokenize } from '../../../shared/normalize.ts';
import type { SearchHit } from '../../../shared/api.ts';
import { sql, type Db } from '../db/connection.ts';

/** Writes an item's searchable text into the index, replacing what was there. */
export function reindexItem(db: Db, seq: number): void {
  const item = sql(db, 'SELECT title, description, people, place, source_outlet, source_author, body, deleted_at FROM items WHERE seq = ?')
    .get(seq) as Record<string, string | null> | undefined;
  sql(db, 'DELETE FROM search_fts WHERE rowid = ?').run(seq);
  if (!item || item.deleted_at) return;
  const tags = sql(db, 'SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_seq = ?').all(seq) as { name: string }[];
  const texts = sql(db, 'SELECT text FROM item_texts WHERE item_seq = ?').all(seq) as { text: string }[];
  const testimony = sql(db, 'SELECT speaker_alias, relation_to_case FROM testimonies WHERE item_seq = ?').get(seq) as
    | Record<string, string | null>
    | undefined;
  const meta = [item.people, item.place, item.source_outlet, item.source_author, testimony?.speaker_alias, testimony?.relation_to_case, ...tags.map((t) => t.name)];
  const body = [item.description, item.body, ...texts.map((t) => t.text)];
  sql(db, 'INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(
    seq,
    normalizeText(item.title ?? ''),
    normalizeText(meta.filter(Boolean).join('\n')),
    normalizeText(body.filter(Boolean).join('\n')),
  );
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
  return sql(db,
      `SELECT i.id, i.kind, i.title, COALESCE(i.event_date, i.published_at, i.captured_at) AS date,
              -bm25(search_fts, 10.0, 4.0, 1.0) AS score,
              snippet(search_fts, -1, '[', ']', '…', 12) AS snippet
       FROM search_fts JOIN items i ON i.seq = search_fts.rowid
       WHERE search_fts MATCH ? AND i.deleted_at IS NULL
       ORDER BY bm25(search_fts, 10.0, 4.0, 1.0), i.created_at DESC LIMIT ?`,
    )
    .all(match, limit) as SearchHit[];
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
