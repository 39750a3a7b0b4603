import type { Migration } from './index.ts';

const KINDS = `'article','video','audio','image','document','testimony','note'`;

export const initialSchema: Migration = {
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE items (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
        kind TEXT NOT NULL CHECK (kind IN (${KINDS})),
        title TEXT NOT NULL CHECK (length(title) > 0),
        description TEXT NOT NULL DEFAULT '',
        language TEXT,
        source_url TEXT,
        source_outlet TEXT,
        source_author TEXT,
        published_at TEXT,
        captured_at TEXT,
        event_date TEXT,
        place TEXT,
        people TEXT,
        sensitivity TEXT NOT NULL DEFAULT 'normal'
          CHECK (sensitivity IN ('normal','sensitive','graphic','protected')),
        body TEXT,
        html TEXT,
        extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX items_created ON items (created_at);
      CREATE INDEX items_kind ON items (kind, created_at);

      CREATE TABLE testimonies (
        item_seq INTEGER PRIMARY KEY REFERENCES items (seq) ON DELETE CASCADE,
        speaker_alias TEXT,
        speaker_name TEXT,
        speaker_contact TEXT,
        relation_to_case TEXT,
        interviewer TEXT,
        consent TEXT,
        protected_notes TEXT
      );

      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        added_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        item_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('original','transcript','translation','thumbnail','attachment')),
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES blobs (sha256),
        size INTEGER NOT NULL,
        mime TEXT NOT NULL,
        language TEXT,
        added_at TEXT NOT NULL
      );
      CREATE INDEX files_item ON files (item_seq);
      CREATE INDEX files_sha256 ON files (sha256);

      CREATE TABLE item_texts (
        id INTEGER PRIMARY KEY,
        item_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('transcript','translation')),
        language TEXT,
        text TEXT NOT NULL,
        file_id INTEGER REFERENCES files (id) ON DELETE SET NULL
      );
      CREATE INDEX item_texts_item ON item_texts (item_seq);

      -- key: the normalised name, so "Dhi Qar" and "dhi qar" are one tag.
      CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE
      );
      CREATE TABLE item_tags (
        item_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        PRIMARY KEY (item_seq, tag_id)
      ) WITHOUT ROWID;
      CREATE INDEX item_tags_tag ON item_tags (tag_id);

      CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE collection_items (
        collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        item_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        added_at TEXT NOT NULL,
        PRIMARY KEY (collection_id, item_seq)
      ) WITHOUT ROWID;
      CREATE INDEX collection_items_item ON collection_items (item_seq);

      CREATE TABLE links (
        from_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        to_seq INTEGER NOT NULL REFERENCES items (seq) ON DELETE CASCADE,
        relation TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (from_seq, to_seq, relation),
        CHECK (from_seq <> to_seq)
      ) WITHOUT ROWID;
      CREATE INDEX links_to ON links (to_seq);

      -- Append-only and hash-chained: item_id is plain text so the history outlives any row.
      CREATE TABLE custody_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        item_id TEXT,
        sha256 TEXT,
        details TEXT NOT NULL CHECK (json_valid(details)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX custody_item ON custody_events (item_id, seq);

      -- Basic full-text search over normalised text (the rowid is items.seq). Marks count as word
      -- characters so the tokenizer splits words exactly as shared/normalize.ts does (its
      -- FTS5_TOKENIZER, written out here because a released migration never changes).
      CREATE VIRTUAL TABLE search_fts USING fts5 (
        title, meta, body,
        tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
      );
    `);
  },
};
