import type { Migration } from './index.ts';

/**
 * A third reason for a conflict: 'same-file', an item under another id whose original file is
 * one of ours but whose description is not (two researchers archiving the same video, each with
 * their own title, transcript or testimony details). It used to be folded into our item as a
 * duplicate, its own description lost; now both are kept until a person decides, as for the
 * other conflicts. SQLite cannot change a CHECK constraint, so the table is copied into a new one.
 */
export const conflictSameFile: Migration = {
  name: 'conflicts over the same file',
  up(db) {
    db.exec(`
      CREATE TABLE conflicts_new (
        id INTEGER PRIMARY KEY,
        local_item_id TEXT NOT NULL,
        incoming_item_id TEXT NOT NULL UNIQUE,
        bundle_item_id TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        incoming_hash TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('both-changed', 'changed-there', 'same-file')),
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT CHECK (resolution IN ('local', 'incoming', 'both')),
        UNIQUE (bundle_item_id, incoming_hash)
      );
      INSERT INTO conflicts_new (id, local_item_id, incoming_item_id, bundle_item_id, bundle_id, incoming_hash, reason, created_at, resolved_at, resolution)
        SELECT id, local_item_id, incoming_item_id, bundle_item_id, bundle_id, incoming_hash, reason, created_at, resolved_at, resolution FROM conflicts;
      DROP TABLE conflicts;
      ALTER TABLE conflicts_new RENAME TO conflicts;
      CREATE INDEX conflicts_local ON conflicts (local_item_id);
      CREATE INDEX conflicts_open ON conflicts (resolved_at, id);
    `);
  },
};
