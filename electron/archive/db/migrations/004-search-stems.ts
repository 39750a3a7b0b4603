import type { Migration } from './index.ts';

// Tokenizer for the word indexes, written out because a released migration never changes: the
// same categories as migration 1 (shared/normalize.ts FTS5_TOKENIZER).
const WORDS = `tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"`;

/**
 * The search index, rebuilt for stemming, the quick switcher and facets:
 * - search_fts becomes contentless: it held a second copy of every text (normalised), read by
 *   nothing, since snippets are cut from the original. Its columns are fed the tokens of
 *   shared/normalize.ts joined by spaces, so its terms are exactly tokenize(normalizeText(...))
 *   whatever SQLite's Unicode tables say about emoji and new characters.
 * - search_stem: the stem of every token (shared/stem.ts) at the same place, positions not kept
 *   (detail=column: words and prefixes, no phrases), for the second tier of results.
 * - search_titles: trigrams of each title, to find quick-switcher candidates despite typos.
 * - search_docs: the little that filters and facets read (kind, language, date), one row per
 *   indexed item: far cheaper to look up than items rows, which carry whole bodies.
 * - search_terms: every word search_fts has held, for typo widening to range-scan: fts5vocab
 *   counts each term's documents by walking its postings, so scanning 5,000 terms there walks
 *   a large part of the index (measured 60 ms at 10k documents, growing with the archive).
 * - search_marks: for texts too long to scan for a snippet (a 50 MB transcript), where every
 *   64k characters begin, counted in tokens, so a match's position from the index
 *   (search_instances) leads straight to the stretch of text around it.
 * - search_meta: which index format the rows were built with. Rows are written by the indexer
 *   (electron/archive/search/indexer.ts) when the archive opens and finds the stamp out of date,
 *   never by this migration, so a later change to the indexer cannot break this step.
 */
export const searchStems: Migration = {
  name: 'search stems, quick switcher and facets',
  up(db) {
    db.exec(`
      DROP TABLE search_vocab;
      DROP TABLE search_fts;
      CREATE VIRTUAL TABLE search_fts USING fts5 (title, meta, body, content = '', contentless_delete = 1, ${WORDS});
      CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
      CREATE VIRTUAL TABLE search_stem USING fts5 (title, meta, body, content = '', contentless_delete = 1, detail = column, ${WORDS});
      CREATE VIRTUAL TABLE search_stem_vocab USING fts5vocab(search_stem, 'row');
      CREATE VIRTUAL TABLE search_titles USING fts5 (title, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram case_sensitive 1');
      CREATE VIRTUAL TABLE search_titles_vocab USING fts5vocab(search_titles, 'row');
      CREATE TABLE search_docs (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        language TEXT,
        date TEXT
      );
      CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE VIRTUAL TABLE search_instances USING fts5vocab(search_fts, 'instance');
      CREATE TABLE search_marks (
        seq INTEGER NOT NULL,
        token INTEGER NOT NULL,
        field INTEGER NOT NULL,
        char INTEGER NOT NULL,
        PRIMARY KEY (seq, token)
      ) WITHOUT ROWID;
      CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO search_meta (key, value) VALUES ('format', 'none');
    `);
  },
};
