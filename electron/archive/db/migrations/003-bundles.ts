import type { Migration } from './index.ts';

/**
 * What importing bundles needs to remember. Item ids are plain text here, as in custody_events:
 * these records describe where evidence came from and must outlive any row they mention.
 */
export const bundles: Migration = {
  name: 'bundles',
  up(db) {
    db.exec(`
      -- Every bundle merged into this archive, once (the first import is the one recorded).
      CREATE TABLE imported_bundles (
        bundle_id TEXT PRIMARY KEY,
        imported_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        software TEXT NOT NULL,
        organization TEXT,
        redacted INTEGER NOT NULL CHECK (redacted IN (0, 1)),
        media INTEGER NOT NULL CHECK (media IN (0, 1)),
        items INTEGER NOT NULL,
        added INTEGER NOT NULL,
        conflicts INTEGER NOT NULL,
        file_name TEXT
      ) WITHOUT ROWID;

      -- Custody events written by other archives, kept exactly as they were hashed there, so
      -- anyone can recompute each hash. local_item_id: the item here they describe (the same id,
      -- a conflict copy, or the item that already held the same file).
      CREATE TABLE foreign_custody_events (
        id INTEGER PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        local_item_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        item_id TEXT,
        sha256 TEXT,
        details TEXT NOT NULL CHECK (json_valid(details)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (hash, local_item_id)
      );
      CREATE INDEX foreign_custody_item ON foreign_custody_events (local_item_id, at, seq);

      -- An item that arrived in a version different from ours: both are kept, the incoming one as
      -- a new item, until a person decides. incoming_hash: the content hash of that version, so
      -- the same version arriving again is recognised even after the conflict is resolved.
      CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY,
        local_item_id TEXT NOT NULL,
        incoming_item_id TEXT NOT NULL UNIQUE,
        bundle_item_id TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        incoming_hash TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('both-changed', 'changed-there')),
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT CHECK (resolution IN ('local', 'incoming', 'both')),
        UNIQUE (bundle_item_id, incoming_hash)
      );
      CREATE INDEX conflicts_local ON conflicts (local_item_id);
      CREATE INDEX conflicts_open ON conflicts (resolved_at, id);
    `);
  },
};
