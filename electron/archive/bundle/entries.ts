// Items of an archive as bundle entries (archiveJson.ts), and the custody that travels with them.
// Shared by export (which writes entries) and import (which compares an incoming entry with the
// local item of the same id). Every function takes the connection to read from: export reads
// from its own snapshot connection, import from the archive's inside its write transaction.
import type { FileRecord, Item } from '../../../shared/domain.ts';
import { sql, type Db } from '../db/connection.ts';
import * as items from '../items.ts';
import { receivedEvents, toEvent, type EventRow } from '../custody.ts';
import {
  FILES_NOT_INCLUDED,
  MissingFile,
  type CustodyEventEntry,
  type FileEntry,
  type ForeignCustodyEventEntry,
  type ItemEntry,
} from './archiveJson.ts';

/** The files an item's `extra` says it lacks (see FILES_NOT_INCLUDED); malformed entries are ignored. */
export function missingFilesOf(extra: Readonly<Record<string, unknown>>): MissingFile[] {
  const list = extra[FILES_NOT_INCLUDED];
  if (!Array.isArray(list)) return [];
  return list.flatMap((f) => {
    const parsed = MissingFile.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

export function withoutMissingFiles(extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra).filter(([k]) => k !== FILES_NOT_INCLUDED));
}

/**
 * The item as a bundle entry. `pathOf` places each held file in the bag (null: left out); files
 * the archive knows only by hash come last, always without a path.
 */
export function itemEntry(db: Db, item: Item, pathOf: (file: FileRecord) => string | null = () => null): ItemEntry {
  const seq = (sql(db, 'SELECT seq FROM items WHERE id = ?').get(item.id) as { seq: number }).seq;
  const textFiles = new Map(
    (sql(db, 'SELECT id, file_id AS fileId FROM item_texts WHERE item_seq = ?').all(seq) as { id: number; fileId: number | null }[]).map((r) => [r.id, r.fileId]),
  );
  const fileIndex = new Map(item.files.map((f, i) => [f.id, i]));
  const files: FileEntry[] = [
    ...item.files.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size, mime: f.mime, language: f.language, addedAt: f.addedAt, path: pathOf(f) })),
    ...missingFilesOf(item.extra).map((f) => ({ ...f, path: null })),
  ];
  return {
    id: item.id,
    kind: item.kind,
    title: item.title,
    description: item.description,
    language: item.language,
    sourceUrl: item.sourceUrl,
    sourceOutlet: item.sourceOutlet,
    sourceAuthor: item.sourceAuthor,
    publishedAt: item.publishedAt,
    capturedAt: item.capturedAt,
    eventDate: item.eventDate,
    place: item.place,
    people: item.people,
    sensitivity: item.sensitivity,
    body: item.body,
    html: item.html,
    extra: withoutMissingFiles(item.extra),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    testimony: item.kind === 'testimony' ? item.testimony : null,
    tags: [...item.tags],
    collections: [...item.collections],
    files,
    texts: item.texts.map((t) => {
      const fileId = textFiles.get(t.id) ?? null;
      return { role: t.role, language: t.language, text: t.text, file: fileId === null ? null : (fileIndex.get(fileId) ?? null) };
    }),
  };
}

export function loadEntry(db: Db, id: string): ItemEntry | null {
  const ref = sql(db, 'SELECT seq, id FROM items WHERE id = ?').get(id) as items.ItemRef | undefined;
  return ref ? itemEntry(db, items.loadItem(db, ref)) : null;
}

/** This archive's own custody events for an item, oldest first. */
export function custodyOf(db: Db, itemId: string): CustodyEventEntry[] {
  return (sql(db, 'SELECT * FROM custody_events WHERE item_id = ? ORDER BY seq').all(itemId) as EventRow[]).map(toEvent);
}

/** Events other archives wrote about an item, received with it in bundles. */
export function foreignCustodyOf(db: Db, itemId: string): ForeignCustodyEventEntry[] {
  return receivedEvents(db, itemId);
}

/**
 * The content hashes of the versions of an item this archive has had in step with another: each
 * version it exported and each it took in from a bundle. An incoming version among them is one
 * we already had; a local version among them has not changed since it was last shared.
 */
export function sharedVersions(db: Db, itemId: string): Set<string> {
  const rows = sql(db,
    `SELECT json_extract(details, '$.contentHash') AS hash FROM custody_events
     WHERE item_id = ? AND action IN ('export', 'import-bundle') AND json_extract(details, '$.contentHash') IS NOT NULL`,
  ).all(itemId) as { hash: unknown }[];
  return new Set(rows.map((r) => r.hash).filter((h): h is string => typeof h === 'string'));
}
