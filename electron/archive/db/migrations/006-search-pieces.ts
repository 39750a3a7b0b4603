import type { Migration } from './index.ts';

/**
 * Long texts kept again in pieces for snippets, replacing migration 4's search_marks (which held
 * only where the pieces began): SQLite loads a column whole even for substr(), so a snippet from
 * a 50 MB transcript read 50 MB on every search that showed it (measured 0.5–1 s a search).
 * search_pieces holds each text longer than snippets scan (200,000 characters) in pieces of about
 * 64k characters, with the position of each piece's first token in the body column and the text's
 * whole length.
 *
 * Only the items that had marks have long texts, and only their rows need writing: their seqs are
 * left in search_meta under 'pending', and the indexer indexes them again when the archive opens
 * (search/indexer.ts, ensureSearchIndex). Rebuilding the whole index instead would keep a large
 * archive closed for many minutes after an upgrade.
 */
export const searchPieces: Migration = {
  name: 'search pieces of long texts',
  up(db) {
    db.exec(`
      CREATE TABLE search_pieces (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL,
        field INTEGER NOT NULL,
        token INTEGER NOT NULL,
        char INTEGER NOT NULL,
        field_length INTEGER NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX search_pieces_token ON search_pieces (seq, token);
      CREATE INDEX search_pieces_field ON search_pieces (seq, field, char);
      INSERT OR REPLACE INTO search_meta (key, value)
        SELECT 'pending', json_group_array(seq) FROM (SELECT DISTINCT seq FROM search_marks ORDER BY seq) HAVING count(*) > 0;
      DROP TABLE search_marks;
    `);
  },
};
