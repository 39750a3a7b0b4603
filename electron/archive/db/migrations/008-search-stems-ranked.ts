import type { Migration } from './index.ts';

// The tokenizer of migration 4, written out because a released migration never changes.
const WORDS = `tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"`;

/**
 * search_stem keeps positions (detail=full). With detail=column a contentless table has no
 * count of a word in a column, and FTS5's bm25() is 0 for every row (SQLite 3.54): the hits
 * found only by another form of a word, or by a near spelling, all tied and came newest first,
 * so a passing mention in last week's note came before a report about the very thing.
 * The table is made anew and empty, and the format stamp says so: the archive rebuilds its whole
 * index when it opens (search/indexer.ts ensureSearchIndex), as after any change of format.
 */
export const searchStemsRanked: Migration = {
  name: 'search stems ranked',
  up(db) {
    db.exec(`
      DROP TABLE search_stem_vocab;
      DROP TABLE search_stem;
      CREATE VIRTUAL TABLE search_stem USING fts5 (title, meta, body, content = '', contentless_delete = 1, ${WORDS});
      CREATE VIRTUAL TABLE search_stem_vocab USING fts5vocab(search_stem, 'row');
      INSERT OR REPLACE INTO search_meta (key, value) VALUES ('format', 'search_stem made anew (migration 8)');
      DELETE FROM search_meta WHERE key = 'pending';
    `);
  },
};
