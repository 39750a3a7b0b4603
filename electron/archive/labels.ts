// Tags, collections (cases) and links between items. Names are matched by their normalised key so
// "Dhi Qar" and "dhi qar" (or a tag typed with and without tashkeel) are one label.
import { normalizeText } from '../../shared/normalize.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { MAX_LABEL_CHARS, type LabelKind } from '../../shared/vocabulary.ts';
import { sql, type Db } from './db/connection.ts';

export function labelKey(name: string): string {
  return normalizeText(name.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

/** Cleans a label a person typed; refuses an empty or absurd one. */
export function cleanLabel(name: string, what: LabelKind): string {
  const clean = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  // Separate sentences for tags and collections: in Arabic the two words differ in gender.
  if (!labelKey(clean)) throw new ArchiveError('invalid-argument', phrase(what === 'tag' ? 'archive.tag.empty' : 'archive.collection.empty'));
  if (clean.length > MAX_LABEL_CHARS)
    throw new ArchiveError('invalid-argument', phrase(what === 'tag' ? 'archive.tag.tooLong' : 'archive.collection.tooLong', { count: MAX_LABEL_CHARS }));
  return clean;
}

function tagId(db: Db, name: string): number {
  const clean = cleanLabel(name, 'tag');
  const key = labelKey(clean);
  sql(db, 'INSERT OR IGNORE INTO tags (name, key) VALUES (?, ?)').run(clean, key);
  return (sql(db, 'SELECT id FROM tags WHERE key = ?').get(key) as { id: number }).id;
}

/** Adds tags; returns the names actually added (already-present ones are left out). */
export function addTags(db: Db, seq: number, names: readonly string[]): string[] {
  const added: string[] = [];
  for (const name of names) {
    const id = tagId(db, name);
    if (sql(db, 'INSERT OR IGNORE INTO item_tags (item_seq, tag_id) VALUES (?, ?)').run(seq, id).changes > 0)
      added.push((sql(db, 'SELECT name FROM tags WHERE id = ?').get(id) as { name: string }).name);
  }
  return added;
}

export function removeTags(db: Db, seq: number, names: readonly string[]): string[] {
  const removed: string[] = [];
  for (const name of names) {
    const row = sql(db, 'SELECT id, name FROM tags WHERE key = ?').get(labelKey(name)) as { id: number; name: string } | undefined;
    if (row && sql(db, 'DELETE FROM item_tags WHERE item_seq = ? AND tag_id = ?').run(seq, row.id).changes > 0) removed.push(row.name);
  }
  return removed;
}

export function ensureCollection(db: Db, name: string, now: string, description?: string): { id: number; name: string } {
  const clean = cleanLabel(name, 'collection');
  const key = labelKey(clean);
  sql(db, 'INSERT OR IGNORE INTO collections (name, key, description, created_at) VALUES (?, ?, ?, ?)').run(
    clean,
    key,
    description ?? '',
    now,
  );
  if (description) sql(db, "UPDATE collections SET description = ? WHERE key = ? AND description = ''").run(description, key);
  return sql(db, 'SELECT id, name FROM collections WHERE key = ?').get(key) as { id: number; name: string };
}

export function addToCollection(db: Db, seq: number, name: string, now: string): string | null {
  const collection = ensureCollection(db, name, now);
  const changes = sql(db, 'INSERT OR IGNORE INTO collection_items (collection_id, item_seq, added_at) VALUES (?, ?, ?)')
    .run(collection.id, seq, now).changes;
  return changes > 0 ? collection.name : null;
}

export function removeFromCollection(db: Db, seq: number, name: string): string | null {
  const row = sql(db, 'SELECT id, name FROM collections WHERE key = ?').get(labelKey(name)) as { id: number; name: string } | undefined;
  if (!row) throw new ArchiveError('not-found', phrase('archive.collection.notFound', { name }));
  const changes = sql(db, 'DELETE FROM collection_items WHERE collection_id = ? AND item_seq = ?').run(row.id, seq).changes;
  return changes > 0 ? row.name : null;
}

/** Where each kind of label lives: its table, the table of its uses, and that table's reference. */
const LABEL_TABLES = {
  tag: { labels: 'tags', uses: 'item_tags', ref: 'tag_id' },
  collection: { labels: 'collections', uses: 'collection_items', ref: 'collection_id' },
} as const;

/** The label a person named (matched by key), or a refusal naming it as cleaned. */
function findLabel(db: Db, kind: LabelKind, name: string): { id: number; name: string } {
  const clean = cleanLabel(name, kind);
  const row = sql(db, `SELECT id, name FROM ${LABEL_TABLES[kind].labels} WHERE key = ?`).get(labelKey(clean)) as { id: number; name: string } | undefined;
  if (!row) throw new ArchiveError('not-found', phrase(kind === 'tag' ? 'archive.tag.notFound' : 'archive.collection.notFound', { name: clean }));
  return row;
}

/**
 * Removes a tag or collection that no item uses, live or in the trash, and returns its name as it
 * was written. One still in use is refused, saying how many items hold it: taking a label off an
 * item is a change to that item, recorded in its custody, which the item's own call makes.
 */
export function removeUnusedLabel(db: Db, kind: LabelKind, name: string): string {
  const table = LABEL_TABLES[kind];
  const row = findLabel(db, kind, name);
  const { live, trashed } = sql(db,
      `SELECT count(*) FILTER (WHERE i.deleted_at IS NULL) AS live, count(*) FILTER (WHERE i.deleted_at IS NOT NULL) AS trashed
       FROM ${table.uses} u JOIN items i ON i.seq = u.item_seq WHERE u.${table.ref} = ?`,
    )
    .get(row.id) as { live: number; trashed: number };
  if (live > 0) throw new ArchiveError('conflict', phrase(kind === 'tag' ? 'archive.tag.inUse' : 'archive.collection.inUse', { name: row.name, count: live }));
  if (trashed > 0) throw new ArchiveError('conflict', phrase(kind === 'tag' ? 'archive.tag.inTrash' : 'archive.collection.inTrash', { name: row.name, count: trashed }));
  sql(db, `DELETE FROM ${table.labels} WHERE id = ?`).run(row.id);
  return row.name;
}

/**
 * Sets what a collection is about (it travels with the collection in bundles); an empty one
 * clears it. Returns the collection's name as written and the description as kept.
 */
export function describeCollection(db: Db, name: string, description: string): { name: string; description: string } {
  const row = findLabel(db, 'collection', name);
  const clean = description.normalize('NFC').trim();
  sql(db, 'UPDATE collections SET description = ? WHERE id = ?').run(clean, row.id);
  return { name: row.name, description: clean };
}

/** What a rename changed: the label's names before and after, and every item that held it. */
export interface LabelRename {
  readonly from: string;
  readonly to: string;
  /** True when the new name was another label's, which now holds the items of both. */
  readonly merged: boolean;
  /** Items that held the label, live or in the trash; `hadTarget` when one held the other label too. */
  readonly items: readonly { readonly seq: number; readonly id: string; readonly hadTarget: boolean }[];
}

/**
 * Renames a tag or collection. When the new name is another label's (as its key matches), the two
 * become one under that label: "Kazimi" renamed "Kadhimi" joins the Kadhimi tag. Returns every
 * item that held the label, so the caller records the change in each one's custody; a new name
 * written exactly as the old one changes nothing and returns none.
 */
export function renameLabel(db: Db, kind: LabelKind, name: string, to: string): LabelRename {
  const table = LABEL_TABLES[kind];
  const source = findLabel(db, kind, name);
  const newName = cleanLabel(to, kind);
  if (newName === source.name) return { from: source.name, to: newName, merged: false, items: [] };
  const newKey = labelKey(newName);
  const target = sql(db, `SELECT id, name FROM ${table.labels} WHERE key = ? AND id <> ?`).get(newKey, source.id) as { id: number; name: string } | undefined;
  const held = sql(db,
      `SELECT i.seq, i.id, EXISTS (SELECT 1 FROM ${table.uses} t WHERE t.${table.ref} = ? AND t.item_seq = u.item_seq) AS hadTarget
       FROM ${table.uses} u JOIN items i ON i.seq = u.item_seq WHERE u.${table.ref} = ? ORDER BY i.seq`,
    )
    .all(target?.id ?? -1, source.id) as { seq: number; id: string; hadTarget: number }[];
  const items = held.map((r) => ({ seq: r.seq, id: r.id, hadTarget: r.hadTarget === 1 }));
  if (!target) {
    sql(db, `UPDATE ${table.labels} SET name = ?, key = ? WHERE id = ?`).run(newName, newKey, source.id);
    return { from: source.name, to: newName, merged: false, items };
  }
  if (kind === 'tag') {
    sql(db, 'INSERT OR IGNORE INTO item_tags (item_seq, tag_id) SELECT item_seq, ? FROM item_tags WHERE tag_id = ?').run(target.id, source.id);
  } else {
    // Each item keeps the day it joined the case, and the case its description if it had none.
    sql(db, 'INSERT OR IGNORE INTO collection_items (collection_id, item_seq, added_at) SELECT ?, item_seq, added_at FROM collection_items WHERE collection_id = ?')
      .run(target.id, source.id);
    sql(db, "UPDATE collections SET description = (SELECT description FROM collections WHERE id = ?) WHERE id = ? AND description = ''").run(source.id, target.id);
  }
  sql(db, `DELETE FROM ${table.labels} WHERE id = ?`).run(source.id);
  return { from: source.name, to: target.name, merged: true, items };
}

export interface LabelCount {
  readonly name: string;
  readonly count: number;
}

export function listTags(db: Db): LabelCount[] {
  return sql(db,
      // Every tagging counted, less those of items in the trash (few): joining items rows to ask
      // which are live read 100,000 rows, bodies and all, and took seconds.
      `SELECT t.name, COALESCE(a.n, 0) - COALESCE(d.n, 0) AS count FROM tags t
       LEFT JOIN (SELECT tag_id, count(*) AS n FROM item_tags GROUP BY tag_id) a ON a.tag_id = t.id
       LEFT JOIN (SELECT tag_id, count(*) AS n FROM item_tags
                  WHERE item_seq IN (SELECT seq FROM items WHERE deleted_at IS NOT NULL) GROUP BY tag_id) d ON d.tag_id = t.id
       ORDER BY t.key`,
    )
    .all() as LabelCount[];
}

export function listCollections(db: Db): (LabelCount & { description: string })[] {
  return sql(db,
      `SELECT c.name, c.description, COALESCE(a.n, 0) - COALESCE(d.n, 0) AS count FROM collections c
       LEFT JOIN (SELECT collection_id, count(*) AS n FROM collection_items GROUP BY collection_id) a ON a.collection_id = c.id
       LEFT JOIN (SELECT collection_id, count(*) AS n FROM collection_items
                  WHERE item_seq IN (SELECT seq FROM items WHERE deleted_at IS NOT NULL) GROUP BY collection_id) d ON d.collection_id = c.id
       ORDER BY c.key`,
    )
    .all() as (LabelCount & { description: string })[];
}

export function cleanRelation(relation: string): string {
  const clean = relation.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '-');
  if (!clean || clean.length > 100)
    throw new ArchiveError('invalid-argument', phrase('archive.link.badRelation'));
  return clean;
}

export function addLink(db: Db, fromSeq: number, toSeq: number, relation: string, now: string): boolean {
  if (fromSeq === toSeq) throw new ArchiveError('invalid-argument', phrase('archive.link.self'));
  return (
    sql(db, 'INSERT OR IGNORE INTO links (from_seq, to_seq, relation, created_at) VALUES (?, ?, ?, ?)').run(fromSeq, toSeq, relation, now)
      .changes > 0
  );
}

export function removeLink(db: Db, fromSeq: number, toSeq: number, relation: string | null): number {
  if (relation === null) return sql(db, 'DELETE FROM links WHERE from_seq = ? AND to_seq = ?').run(fromSeq, toSeq).changes;
  return sql(db, 'DELETE FROM links WHERE from_seq = ? AND to_seq = ? AND relation = ?').run(fromSeq, toSeq, relation).changes;
}
