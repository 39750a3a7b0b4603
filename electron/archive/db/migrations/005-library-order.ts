import type { Migration } from './index.ts';

// The date a list sorts and filters by: the event's, else publication's, else capture's. Written
// out exactly as electron/archive/items.ts writes it in its queries, since SQLite only uses an
// index on an expression for that same expression.
const DATE = 'COALESCE(event_date, published_at, captured_at)';

/**
 * Indexes for the library, which pages through every item in one of three orders with filters:
 * without them each page of a 100,000-item archive sorted by title or date sorted all the rows
 * again (0.2-0.4 s a page, measured), and every count read every row, bodies included. Each leads
 * with deleted_at, so "the live items" (deleted_at IS NULL) is a prefix the order continues from.
 * - items_live_title: the title order (case-insensitive, as the list sorts).
 * - items_live_date: newest first, which in SQLite's order puts undated items last by itself.
 * - items_live_date_nulls_last: oldest first with undated items still last.
 * - items_live_created: date added, both ways.
 * - items_state: live or trashed by kind by date added: counts, and the default order in a kind.
 * - items_kind_title, items_kind_date: the same two orders within one kind (the kind filter).
 */
export const libraryOrder: Migration = {
  name: 'library sort and count indexes',
  up(db) {
    db.exec(`
      CREATE INDEX items_live_title ON items (deleted_at, title COLLATE NOCASE);
      CREATE INDEX items_live_date ON items (deleted_at, ${DATE});
      CREATE INDEX items_live_date_nulls_last ON items (deleted_at, (${DATE} IS NULL), ${DATE});
      CREATE INDEX items_live_created ON items (deleted_at, created_at);
      CREATE INDEX items_state ON items (deleted_at, kind, created_at);
      CREATE INDEX items_kind_title ON items (deleted_at, kind, title COLLATE NOCASE);
      CREATE INDEX items_kind_date ON items (deleted_at, kind, ${DATE});
    `);
  },
};
