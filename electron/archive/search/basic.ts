// Full-text search: the index holds normalised text (so tashkeel, alef forms and case never stop a
// match); a query goes through the query language's parser and compiler, so user text never
// reaches MATCH as syntax.
import { normalizeText } from '../../../shared/normalize.ts';
import { and, or, parseQuery, type Node } from '../../../shared/query.ts';
import { compileQuery } from './compile.ts';
import { expansionsFor, widenableTerms } from './widen.ts';
import type { SearchHit, SearchResult } from '../../../shared/api.ts';
import { makeSnippet, type SnippetTerm } from './snippet.ts';
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

/**
 * Runs a query in the query language (shared/query.ts): parsed to a tree, compiled to escaped
 * FTS5 and parameterised SQL, ranked by BM25 (title, then people/places/tags, then text) with ties
 * broken by recency; a query of filters alone lists the newest items that pass them. A word found
 * in few documents is widened to near spellings from the index's vocabulary (Kazimi → Kadhimi,
 * ساجد → سجاد); hits found only that way come after every exact hit.
 */
export function searchItems(db: Db, text: string, limit: number): SearchResult {
  const query = parseQuery(text);
  if (query.root === null) return { hits: [], warnings: query.warnings, alsoMatched: [], total: 0, facets: { kind: [], language: [], year: [], tag: [] } };
  const exact = runQuery(db, query.root, limit);
  const expansions = exact.length < limit ? expansionsFor(db, widenableTerms(query.root)) : [];
  let widened: typeof exact = [];
  if (expansions.length > 0) {
    const seen = new Set(exact.map((h) => h.seq));
    const alternatives = new Map(expansions.map((e) => [e.term, e.alternatives.map((a) => a.term)]));
    widened = runQuery(db, widen(query.root, alternatives), limit + exact.length)
      .filter((h) => !seen.has(h.seq))
      .slice(0, limit - exact.length);
  }
  const alsoMatched = widened.length > 0 ? expansions.map((e) => ({ term: e.term, alternatives: e.alternatives.map((a) => a.term) })) : [];
  const snippetTerms = positiveTerms(query.root).concat(alsoMatched.flatMap((e) => e.alternatives.map((t) => ({ text: t, prefix: false }))));
  const hits = [...exact, ...widened].map(({ seq, ...hit }) => {
    const fields = searchableText(db, seq);
    // The title is shown anyway: a snippet from the text says more, so the title comes last.
    const snippet = fields && snippetTerms.length ? makeSnippet([...fields.body, ...fields.meta, { name: 'title', text: fields.title }], snippetTerms) : null;
    return { ...hit, snippet };
  });
  const facets = facetsOf(db, widened.length > 0 ? widen(query.root, new Map(alsoMatched.map((e) => [e.term, e.alternatives]))) : query.root);
  return { hits, warnings: query.warnings, alsoMatched, ...facets };
}

/** How many items match in all, and how they divide by kind, language, year and tag. */
function facetsOf(db: Db, root: Node): Pick<SearchResult, 'total' | 'facets'> {
  const { match, where, params } = compileQuery({ root, warnings: [] });
  const hits =
    match === null
      ? `WITH hits AS (SELECT i.seq FROM items i WHERE i.deleted_at IS NULL AND ${where})`
      : `WITH hits AS (SELECT i.seq FROM search_fts JOIN items i ON i.seq = search_fts.rowid
                       WHERE search_fts MATCH ? AND i.deleted_at IS NULL AND ${where})`;
  const args = match === null ? params : [match, ...params];
  const count = (expression: string, join = '') =>
    sql(db,
      `${hits} SELECT ${expression} AS value, count(*) AS count FROM hits JOIN items i ON i.seq = hits.seq ${join}
       WHERE ${expression} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
    ).all(...args) as { value: string; count: number }[];
  const total = sql(db, `${hits} SELECT count(*) FROM hits`).pluck().get(...args) as number;
  return {
    total,
    facets: {
      kind: count('i.kind'),
      language: count('i.language'),
      year: count('substr(COALESCE(i.event_date, i.published_at, i.captured_at), 1, 4)'),
      tag: count('t.name', 'JOIN item_tags it ON it.item_seq = i.seq JOIN tags t ON t.id = it.tag_id'),
    },
  };
}

type Row = Omit<SearchHit, 'snippet'> & { seq: number };

function runQuery(db: Db, root: Node, limit: number): Row[] {
  const { match, where, params } = compileQuery({ root, warnings: [] });
  const select = `SELECT i.seq, i.id, i.kind, i.title, COALESCE(i.event_date, i.published_at, i.captured_at) AS date`;
  return (
    match === null
      ? sql(db, `${select}, 0 AS score FROM items i WHERE i.deleted_at IS NULL AND ${where} ORDER BY i.created_at DESC, i.seq DESC LIMIT ?`).all(...params, limit)
      : sql(db,
          `${select}, -bm25(search_fts, 10.0, 4.0, 1.0) AS score
           FROM search_fts JOIN items i ON i.seq = search_fts.rowid
           WHERE search_fts MATCH ? AND i.deleted_at IS NULL AND ${where}
           ORDER BY bm25(search_fts, 10.0, 4.0, 1.0), i.created_at DESC LIMIT ?`,
        ).all(match, ...params, limit)
  ) as Row[];
}

/** The tree with each widened word replaced by (word OR its near spellings), outside exclusions. */
function widen(node: Node, alternatives: ReadonlyMap<string, readonly string[]>): Node {
  switch (node.type) {
    case 'term': {
      const near = node.prefix ? undefined : alternatives.get(node.text);
      return near ? (or([node, ...near.map((text) => ({ type: 'term', text, prefix: false }) as const)]) as Node) : node;
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

/**
 * What is wrong with the search index, or null: FTS5's own check of its structure, and whether it
 * holds exactly the items not in the trash.
 */
export function searchIndexProblem(db: Db): string | null {
  try {
    sql(db, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)").run();
  } catch (err) {
    return (err as Error).message;
  }
  const { live, indexed } = sql(db, 'SELECT (SELECT count(*) FROM items WHERE deleted_at IS NULL) AS live, (SELECT count(*) FROM search_fts) AS indexed').get() as {
    live: number;
    indexed: number;
  };
  return live === indexed ? null : `the index holds ${indexed} items but the archive has ${live}`;
}

export function rebuildIndex(db: Db): number {
  sql(db, 'DELETE FROM search_fts').run();
  const seqs = sql(db, 'SELECT seq FROM items WHERE deleted_at IS NULL').pluck().all() as number[];
  for (const seq of seqs) reindexItem(db, seq);
  return seqs.length;
}
