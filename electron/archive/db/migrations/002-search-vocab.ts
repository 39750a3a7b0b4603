import type { Migration } from './index.ts';

/**
 * The search index's own vocabulary, read straight from the FTS5 index (fts5vocab reads the
 * index's term list, so it never drifts out of step with search_fts and costs nothing to
 * maintain). Typo and transliteration tolerance (search/widen.ts) picks near terms from it.
 * 'row' gives one row per term: term, doc (documents containing it), cnt (occurrences).
 */
export const searchVocab: Migration = {
  name: 'search vocabulary',
  up(db) {
    db.exec(`CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');`);
  },
};
