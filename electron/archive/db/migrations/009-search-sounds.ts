import type { Migration } from './index.ts';

/**
 * search_sounds: each word of the vocabulary (search_terms) under its sound key, the consonants
 * romanisations of Arabic write (search/crossScript.ts: Kadhimi, Kazimi, الكاظمي → kzm). The same
 * name in the other script is then one lookup of the key, where it was a scan of a few thousand
 * words of the vocabulary for each word searched: cheap enough to look for it in every search,
 * not only for words in few documents.
 * search_names: the Latin words each item writes as names (in its people, place or source, or
 * capitalised inside a sentence). A common word is matched in the other script only when most
 * items that have it write it so, or Arabic بطون would be offered for "between". Kept per item,
 * so that an edit or the trash takes an item's names back out.
 * Rows are written by the indexer; the format stamp is made stale so that the archive rebuilds
 * its index, and so fills the tables, when it opens.
 */
export const searchSounds: Migration = {
  name: 'search sounds and names',
  up(db) {
    db.exec(`
      CREATE TABLE search_sounds (sound TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (sound, term)) WITHOUT ROWID;
      CREATE TABLE search_names (term TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (term, seq)) WITHOUT ROWID;
      CREATE INDEX search_names_seq ON search_names (seq);
      INSERT OR REPLACE INTO search_meta (key, value) VALUES ('format', 'search_sounds made (migration 9)');
      DELETE FROM search_meta WHERE key = 'pending';
    `);
  },
};
