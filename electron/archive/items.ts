// Rows of items and what hangs off them (testimony details, files, texts), mapped to domain types.
// Plain SQL with parameters; the Archive wraps these in transactions and records custody.
import type {
  FileRecord,
  FileRole,
  Item,
  ItemFields,
  ItemKind,
  ItemSummary,
  ItemText,
  LinkRecord,
  TestimonyFields,
} from '../../shared/domain.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { sql, type Db } from './db/connection.ts';

/** Domain field -> column. Only these names ever reach SQL as identifiers. */
export const ITEM_COLUMNS: Readonly<Record<keyof ItemFields, string>> = {
  title: 'title',
  description: 'description',
  language: 'language',
  sourceUrl: 'source_url',
  sourceOutlet: 'source_outlet',
  sourceAuthor: 'source_author',
  publishedAt: 'published_at',
  capturedAt: 'captured_at',
  eventDate: 'event_date',
  place: 'place',
  people: 'people',
  sensitivity: 'sensitivity',
  body: 'body',
};

export const TESTIMONY_COLUMNS: Readonly<Record<keyof TestimonyFields, string>> = {
  speakerAlias: 'speaker_alias',
  speakerName: 'speaker_name',
  speakerContact: 'speaker_contact',
  relationToCase: 'relation_to_case',
  interviewer: 'interviewer',
  consent: 'consent',
  protectedNotes: 'protected_notes',
};

export interface ItemRef {
  readonly seq: number;
  readonly id: string;
}

type Row = Record<string, unknown>;

export interface NewItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly fields: Partial<ItemFields> & { title: string };
  readonly html?: string | null;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function insertItem(db: Db, item: NewItem, now: string): ItemRef {
  const entries = Object.entries(item.fields).filter(([k, v]) => k in ITEM_COLUMNS && v !== undefined);
  const columns = ['id', 'kind', 'html', 'extra', 'created_at', 'updated_at', ...entries.map(([k]) => ITEM_COLUMNS[k as keyof ItemFields])];
  const values = [item.id, item.kind, item.html ?? null, JSON.stringify(item.extra ?? {}), now, now, ...entries.map(([, v]) => v)];
  const info = sql(db, `INSERT INTO items (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    .run(...values);
  return { seq: Number(info.lastInsertRowid), id: item.id };
}

export function updateItemFields(db: Db, seq: number, patch: Partial<ItemFields>, now: string): void {
  const entries = Object.entries(patch).filter(([k, v]) => k in ITEM_COLUMNS && v !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map(([k]) => `${ITEM_COLUMNS[k as keyof ItemFields]} = ?`);
  sql(db, `UPDATE items SET ${sets.join(', ')}, updated_at = ? WHERE seq = ?`).run(...entries.map(([, v]) => v), now, seq);
}

export function upsertTestimony(db: Db, seq: number, fields: Partial<TestimonyFields>): void {
  sql(db, 'INSERT OR IGNORE INTO testimonies (item_seq) VALUES (?)').run(seq);
  const entries = Object.entries(fields).filter(([k, v]) => k in TESTIMONY_COLUMNS && v !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map(([k]) => `${TESTIMONY_COLUMNS[k as keyof TestimonyFields]} = ?`);
  sql(db, `UPDATE testimonies SET ${sets.join(', ')} WHERE item_seq = ?`).run(...entries.map(([, v]) => v), seq);
}

export function setDeleted(db: Db, seq: number, deletedAt: string | null, now: string): void {
  sql(db, 'UPDATE items SET deleted_at = ?, updated_at = ? WHERE seq = ?').run(deletedAt, now, seq);
}

/** Resolves a full id or a unique prefix of one (at least 4 characters), as git does. */
export function resolveItem(db: Db, idOrPrefix: string): ItemRef {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-z]{4,26}$/.test(wanted))
    throw new ArchiveError('invalid-argument', phrase('archive.item.badId', { id: idOrPrefix, length: 26, min: 4 }));
  const rows = sql(db, "SELECT seq, id FROM items WHERE id >= ? AND id < ? || '~' ORDER BY id LIMIT 2")
    .all(wanted, wanted) as ItemRef[];
  if (rows.length === 0) throw new ArchiveError('not-found', phrase('archive.item.notFound', { id: idOrPrefix }));
  if (rows.length > 1 && rows[0]?.id !== wanted)
    throw new ArchiveError('ambiguous-id', phrase('archive.item.ambiguous', { prefix: idOrPrefix }));
  return rows[0] as ItemRef;
}

/** An item found for one of the ids given to resolveItems, with whether it is in the trash. */
export interface ResolvedRef extends ItemRef {
  readonly deleted: boolean;
}

/**
 * resolveItem for many ids (the library's multi-select, `sijil rm A B C`): each distinct item once,
 * in the order first named, and every id that names no single item with resolveItem's reason.
 */
export function resolveItems(db: Db, idsOrPrefixes: readonly string[]): { refs: ResolvedRef[]; failures: { id: string; error: ArchiveError }[] } {
  // A whole id is matched exactly, ten thousand to a query rather than a query each (a selection
  // can hold 100,000). Prefixes, typed by people and so few, go one by one.
  const whole = [...new Set(idsOrPrefixes.map((s) => s.trim().toLowerCase()).filter((s) => /^[0-9a-z]{26}$/.test(s)))];
  const found = new Map<string, ResolvedRef>();
  for (let i = 0; i < whole.length; i += RESOLVE_CHUNK) {
    const rows = sql(db, 'SELECT i.seq, i.id, i.deleted_at IS NOT NULL AS deleted FROM json_each(?) j CROSS JOIN items i ON i.id = j.value')
      .all(JSON.stringify(whole.slice(i, i + RESOLVE_CHUNK))) as { seq: number; id: string; deleted: number }[];
    for (const r of rows) found.set(r.id, { seq: r.seq, id: r.id, deleted: r.deleted === 1 });
  }
  const refs = new Map<number, ResolvedRef>();
  const failures: { id: string; error: ArchiveError }[] = [];
  for (const id of idsOrPrefixes) {
    let ref = found.get(id.trim().toLowerCase());
    if (!ref) {
      try {
        const one = resolveItem(db, id);
        const row = sql(db, 'SELECT deleted_at FROM items WHERE seq = ?').pluck().get(one.seq) as string | null;
        ref = { ...one, deleted: row !== null };
      } catch (err) {
        if (!(err instanceof ArchiveError)) throw err;
        failures.push({ id, error: err });
        continue;
      }
    }
    if (!refs.has(ref.seq)) refs.set(ref.seq, ref);
  }
  return { refs: [...refs.values()], failures };
}

const RESOLVE_CHUNK = 10_000;

export function insertBlob(db: Db, sha256: string, size: number, now: string): void {
  sql(db, 'INSERT OR IGNORE INTO blobs (sha256, size, added_at) VALUES (?, ?, ?)').run(sha256, size, now);
}

export interface NewFile {
  readonly role: FileRole;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
  readonly language?: string | null;
}

export function insertFile(db: Db, seq: number, file: NewFile, now: string): number {
  insertBlob(db, file.sha256, file.size, now);
  const info = sql(db, 'INSERT INTO files (item_seq, role, name, sha256, size, mime, language, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(seq, file.role, file.name, file.sha256, file.size, file.mime, file.language ?? null, now);
  return Number(info.lastInsertRowid);
}

export function insertText(
  db: Db,
  seq: number,
  text: { role: 'transcript' | 'translation'; language: string | null; text: string; fileId?: number | null },
): number {
  const info = sql(db, 'INSERT INTO item_texts (item_seq, role, language, text, file_id) VALUES (?, ?, ?, ?, ?)')
    .run(seq, text.role, text.language, text.text, text.fileId ?? null);
  return Number(info.lastInsertRowid);
}

export interface ExistingOriginal {
  readonly id: string;
  readonly title: string;
  readonly deletedAt: string | null;
}

/** The item whose original file has this content, preferring one not in the trash. */
export function findOriginalBySha(db: Db, sha256: string): ExistingOriginal | undefined {
  // Nearly every lookup of an import is of new content and finds nothing: the files index alone
  // answers that, several times faster than the join and sort below.
  if (sql(db, "SELECT 1 FROM files WHERE sha256 = ? AND role = 'original' LIMIT 1").get(sha256) === undefined) return undefined;
  return sql(db,
      `SELECT i.id, i.title, i.deleted_at AS deletedAt FROM files f JOIN items i ON i.seq = f.item_seq
       WHERE f.sha256 = ? AND f.role = 'original' ORDER BY i.deleted_at IS NOT NULL, i.seq LIMIT 1`,
    )
    .get(sha256) as ExistingOriginal | undefined;
}

export function loadItem(db: Db, ref: ItemRef): Item {
  const row = sql(db, 'SELECT * FROM items WHERE seq = ?').get(ref.seq) as Row | undefined;
  if (!row) throw new ArchiveError('not-found', phrase('archive.item.notFound', { id: ref.id }));
  const fields = Object.fromEntries(
    Object.entries(ITEM_COLUMNS).map(([k, col]) => [k, k === 'description' ? (row[col] ?? '') : (row[col] ?? null)]),
  ) as unknown as ItemFields;
  const testimonyRow = sql(db, 'SELECT * FROM testimonies WHERE item_seq = ?').get(ref.seq) as Row | undefined;
  const testimony = testimonyRow
    ? (Object.fromEntries(Object.entries(TESTIMONY_COLUMNS).map(([k, col]) => [k, testimonyRow[col] ?? null])) as unknown as TestimonyFields)
    : null;
  return {
    ...fields,
    id: row.id as string,
    kind: row.kind as ItemKind,
    html: (row.html as string | null) ?? null,
    extra: JSON.parse(row.extra as string) as Record<string, unknown>,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    deletedAt: (row.deleted_at as string | null) ?? null,
    tags: tagsOf(db, ref.seq),
    collections: (
      sql(db, 'SELECT c.name FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE ci.item_seq = ? ORDER BY c.name')
        .all(ref.seq) as { name: string }[]
    ).map((r) => r.name),
    files: sql(db,
        'SELECT id, role, name, sha256, size, mime, language, added_at AS addedAt FROM files WHERE item_seq = ? ORDER BY id',
      )
      .all(ref.seq) as FileRecord[],
    links: linksOf(db, ref.seq),
    testimony,
    texts: sql(db, 'SELECT id, role, language, text FROM item_texts WHERE item_seq = ? ORDER BY id').all(ref.seq) as ItemText[],
  };
}

export function tagsOf(db: Db, seq: number): string[] {
  return (
    sql(db, 'SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_seq = ? ORDER BY t.key').all(seq) as {
      name: string;
    }[]
  ).map((r) => r.name);
}

function linksOf(db: Db, seq: number): LinkRecord[] {
  return sql(db,
      `SELECT i.id AS itemId, i.title, i.kind, l.relation, 'out' AS direction FROM links l JOIN items i ON i.seq = l.to_seq WHERE l.from_seq = ?
       UNION ALL
       SELECT i.id AS itemId, i.title, i.kind, l.relation, 'in' AS direction FROM links l JOIN items i ON i.seq = l.from_seq WHERE l.to_seq = ?`,
    )
    .all(seq, seq) as LinkRecord[];
}

export interface ListFilter {
  readonly kind?: ItemKind;
  readonly tagKey?: string;
  readonly collectionKey?: string;
  readonly trash?: boolean;
  /** Bounds on the item's date (event, else published, else captured); partial dates allowed. */
  readonly from?: string;
  readonly to?: string;
}

export interface ListOptions extends ListFilter {
  readonly sort?: 'created' | 'date' | 'title';
  readonly desc?: boolean;
  readonly limit: number;
  readonly offset: number;
}

// The expressions below match migration 005's indexes exactly: SQLite uses an index on an
// expression only for that same expression.
const ITEM_DATE = 'COALESCE(i.event_date, i.published_at, i.captured_at)';

function listWhere(options: ListFilter): { where: string; params: unknown[] } {
  const where = [options.trash ? 'i.deleted_at IS NOT NULL' : 'i.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (options.kind) {
    where.push('i.kind = ?');
    params.push(options.kind);
  }
  if (options.tagKey !== undefined) {
    where.push('i.seq IN (SELECT it.item_seq FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE t.key = ?)');
    params.push(options.tagKey);
  }
  if (options.collectionKey !== undefined) {
    where.push('i.seq IN (SELECT ci.item_seq FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE c.key = ?)');
    params.push(options.collectionKey);
  }
  if (options.from !== undefined) {
    where.push(`${ITEM_DATE} >= ?`);
    params.push(options.from);
  }
  if (options.to !== undefined) {
    // Subtle: "to 2019" includes 2019-12-31T23:59; '~' sorts after every character a date holds.
    where.push(`${ITEM_DATE} <= ?`);
    params.push(`${options.to}~`);
  }
  return { where: where.join(' AND '), params };
}

const ORDER = {
  created: { asc: 'i.created_at ASC, i.seq ASC', desc: 'i.created_at DESC, i.seq DESC' },
  // Undated items last both ways: NULL sorts first in SQLite, so newest-first gets it for free
  // and oldest-first sorts on "is undated" before the date (index items_date_nulls_last).
  date: { asc: `(${ITEM_DATE} IS NULL) ASC, ${ITEM_DATE} ASC, i.seq ASC`, desc: `${ITEM_DATE} DESC, i.seq DESC` },
  title: { asc: 'i.title COLLATE NOCASE ASC, i.seq ASC', desc: 'i.title COLLATE NOCASE DESC, i.seq DESC' },
} as const;

export function listItems(db: Db, options: ListOptions): ItemSummary[] {
  const { where, params } = listWhere(options);
  const order = ORDER[options.sort ?? 'created'][options.desc === false ? 'asc' : 'desc'];
  // Two steps: the page's rows by an index walk that reads nothing but the keys, then the columns
  // of those rows alone. In one query SQLite would build every skipped row of a deep page too.
  const seqs = sql(db, `SELECT i.seq FROM items i WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, options.limit, options.offset) as number[];
  if (seqs.length === 0) return [];
  // The media a thumbnail is drawn from: a thumbnail file first, else the first image or video original.
  const rows = sql(db,
      `SELECT i.seq, i.id, i.kind, i.title, ${ITEM_DATE} AS date,
              i.created_at AS createdAt, i.deleted_at AS deletedAt, i.sensitivity,
              (SELECT f.id || ' ' || f.mime FROM files f
                WHERE f.item_seq = i.seq AND f.role IN ('thumbnail', 'original')
                  AND (f.mime LIKE 'image/%' OR f.mime LIKE 'video/%')
                ORDER BY f.role = 'thumbnail' DESC, f.id LIMIT 1) AS media
       FROM items i WHERE i.seq IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(seqs)) as (Omit<ItemSummary, 'tags' | 'media'> & { seq: number; media: string | null })[];
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const tags = tagsOfMany(db, seqs);
  return seqs.flatMap((seq) => {
    const row = bySeq.get(seq);
    if (!row) return [];
    const { seq: _seq, media, ...rest } = row;
    return [{ ...rest, tags: tags.get(seq) ?? [], media: parseMedia(media) }];
  });
}

function tagsOfMany(db: Db, seqs: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const rows = sql(db,
      `SELECT it.item_seq AS seq, t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id
       WHERE it.item_seq IN (SELECT value FROM json_each(?)) ORDER BY it.item_seq, t.key`,
    )
    .all(JSON.stringify(seqs)) as { seq: number; name: string }[];
  for (const { seq, name } of rows) {
    const list = out.get(seq);
    if (list) list.push(name);
    else out.set(seq, [name]);
  }
  return out;
}

function parseMedia(text: string | null): ItemSummary['media'] {
  if (text === null) return null;
  const space = text.indexOf(' ');
  return { fileId: Number(text.slice(0, space)), mime: text.slice(space + 1) };
}

export function countItems(db: Db, options: ListFilter): number {
  const { where, params } = listWhere(options);
  return (sql(db, `SELECT count(*) AS n FROM items i WHERE ${where}`).get(...params) as { n: number }).n;
}

/** Those of `ids` (whole ids) that a list with these filters holds, in the order given. */
export function itemsAmong(db: Db, options: ListFilter, ids: readonly string[]): string[] {
  const { where, params } = listWhere(options);
  const held = new Set<string>();
  for (let i = 0; i < ids.length; i += RESOLVE_CHUNK) {
    const rows = sql(db, `SELECT i.id FROM json_each(?) j CROSS JOIN items i ON i.id = j.value WHERE ${where}`)
      .pluck()
      .all(JSON.stringify(ids.slice(i, i + RESOLVE_CHUNK)), ...params) as string[];
    for (const id of rows) held.add(id);
  }
  return ids.filter((id) => held.has(id));
}
