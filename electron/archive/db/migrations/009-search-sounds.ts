import type { Migration } from './index.ts';

/**
 * search_sounds: each word of the vocabulary (search_terms) under its sound key, the consonants
 * romanisations of Arabic write (search/crossScript.ts: Kadhimi, Kazimi, الكاظمي → kzm). The same
 * name in the other script is then one lookup of the key, where it was a scan of a few thousand
 * words of the vocabulary for each word searched: cheap enough to look for it in every search,
 * not only for words in few documents. `named` counts the items that write a Latin word as a
 * name (in their people, place, source or speaker, or capitalised inside a sentence): a common
 * word is matched in the other script only when most items that have it write it so, or Arabic
 * بطون would be offered for "between". Rows are written by the indexer with search_terms; the
 * format stamp is made stale so that the archive rebuilds its index, and so fills the table,
 * when it opens.
 */
export const searchSounds: Migration = {
  name: 'search sounds',
  up(db) {
    db.exec(`
      CREATE TABLE search_sounds (
        sound TEXT NOT NULL,
        term TEXT NOT NULL,
        named INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (sound, term)
      ) WITHOUT ROWID;
      INSERT OR REPLACE INTO search_meta (key, value) VALUES ('format', 'search_sounds made (migration 9)');
      DELETE FROM search_meta WHERE key = 'pending';
    `);
  },
};
