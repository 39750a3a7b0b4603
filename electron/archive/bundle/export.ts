// Export: items of the archive as a .sijil bundle, streamed end to end (blob store -> tar -> age ->
// file) so memory stays flat whatever the size. Everything is read from one snapshot of the
// database (its own read-only connection in one read transaction; blobs never change), so an
// edit made during a long export neither blocks on it nor tears it. The file is written beside its
// destination under a temporary name and renamed only when whole: a cancelled or failed export
// leaves nothing behind, and what a crashed one left is removed by the next (partialFile.ts).
// The custody log records the export of every item once the file exists.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BundleExportResult, BundleProgressEvent } from '../../../shared/api.ts';
import type { FileRecord, ItemKind } from '../../../shared/domain.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import { sql, type Db } from '../db/connection.ts';
import { crashPoint } from '../faults.ts';
import { DB_FILE, type Archive } from '../index.ts';
import { diagnoseChain, withholdItems } from '../custody.ts';
import { formatCustodyReport } from '../custodyReport.ts';
import * as items from '../items.ts';
import { labelKey } from '../labels.ts';
import { searchSeqs } from '../search/basic.ts';
import type { ExportJournal } from '../store.ts';
import { AgeFileWriter } from './age/fileWriter.ts';
import {
  ARCHIVE_JSON,
  BUNDLE_FORMAT,
  CUSTODY_REPORT,
  BUNDLE_VERSION,
  contentHash,
  custodyReportPath,
  itemFolder,
  bundleCounts,
  itemJsonPath,
  itemSummary,
  redactEntry,
  type ArchiveJson,
  type ItemEntry,
  type ItemSummaryEntry,
  type OmittedFile,
} from './archiveJson.ts';
import { isBagError } from './bagErrors.ts';
import { DEFAULT_MAX_ENTRIES } from './bagReader.ts';
import { createBagWriterTo, createNameDeduper, safeBagName } from './bagWriter.ts';
import { partialPathFor, removeStalePartials } from './partialFile.ts';
import { bundleError } from './bundleErrors.ts';
import type { Encryption } from './credentials.ts';
import { custodyOf, foreignCustodyOf, itemEntry } from './entries.ts';

export interface ExportSelection {
  readonly ids?: readonly string[];
  readonly collection?: string;
  readonly query?: string;
}

export interface ExportOptions {
  /** Nothing selected: every item not in the trash. */
  readonly selection: ExportSelection;
  readonly to: string;
  readonly encryption: Encryption;
  /** Leave out protected testimony fields and items marked protected. */
  readonly redact?: boolean;
  /** Include original video, audio and image files (default); without, they are listed as omitted. */
  readonly media?: boolean;
  readonly overwrite?: boolean;
  /** bag-info's Source-Organization: who made the bundle. */
  readonly organization?: string | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: BundleProgressEvent) => void;
}

const PACKAGE = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
export const SOFTWARE = `Sijil ${PACKAGE.version}`;
const MEDIA_KINDS: ReadonlySet<ItemKind> = new Set(['video', 'audio', 'image']);
const PROGRESS_BYTES = 4 << 20;
const FLUSH_EVERY = 64 << 20;

/** A read-only connection holding one read transaction: every query on it sees the same moment. */
function openSnapshot(archive: Archive): Db {
  const db = new Database(path.join(archive.dir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN');
    // The snapshot is taken at the first read, not at BEGIN.
    db.prepare('SELECT count(*) FROM items').get();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function closeSnapshot(db: Db): void {
  try {
    if (db.inTransaction) db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/** The order items go into a bundle: oldest first. */
const ORDER = 'ORDER BY i.created_at, i.seq';

/** The items selected, oldest first, none in the trash. */
export function selectItems(db: Db, selection: ExportSelection): items.ItemRef[] {
  const given = [selection.ids?.length ? 'ids' : null, selection.collection !== undefined ? 'collection' : null, selection.query !== undefined ? 'query' : null].filter(Boolean);
  if (given.length > 1) throw new ArchiveError('invalid-argument', phrase('bundle.export.oneWay'));
  if (selection.ids?.length) {
    const seen = new Set<number>();
    const refs: (items.ItemRef & { createdAt: string })[] = [];
    for (const id of selection.ids) {
      const ref = items.resolveItem(db, id);
      const row = sql(db, 'SELECT deleted_at AS deletedAt, created_at AS createdAt, title FROM items WHERE seq = ?').get(ref.seq) as {
        deletedAt: string | null;
        createdAt: string;
        title: string;
      };
      if (row.deletedAt !== null) throw new ArchiveError('in-trash', phrase('bundle.export.inTrash', { title: row.title, id: ref.id }));
      if (!seen.has(ref.seq)) refs.push({ ...ref, createdAt: row.createdAt });
      seen.add(ref.seq);
    }
    return refs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.seq - b.seq)).map(({ seq, id }) => ({ seq, id }));
  }
  if (selection.collection !== undefined) {
    const key = labelKey(selection.collection);
    if (sql(db, 'SELECT 1 FROM collections WHERE key = ?').get(key) === undefined)
      throw new ArchiveError('not-found', phrase('bundle.export.noCollection', { name: selection.collection }));
    return sql(db,
      `SELECT i.seq, i.id FROM collection_items ci JOIN collections c ON c.id = ci.collection_id JOIN items i ON i.seq = ci.item_seq
       WHERE c.key = ? AND i.deleted_at IS NULL ${ORDER}`,
    ).all(key) as items.ItemRef[];
  }
  if (selection.query !== undefined) return queryItems(db, selection.query);
  return sql(db, `SELECT i.seq, i.id FROM items i WHERE i.deleted_at IS NULL ${ORDER}`).all() as items.ItemRef[];
}

/**
 * Every item the search finds for this query, exactly as the search screen counts them (its
 * total): the words as typed, their other forms, their near spellings and the other script.
 */
function queryItems(db: Db, text: string): items.ItemRef[] {
  const seqs = searchSeqs(db, text);
  if (seqs.length === 0) return [];
  return sql(db, `SELECT i.seq, i.id FROM items i WHERE i.seq IN (SELECT value FROM json_each(?)) AND i.deleted_at IS NULL ${ORDER}`).all(JSON.stringify(seqs)) as items.ItemRef[];
}

function isOmittedMedia(kind: ItemKind, file: Pick<FileRecord, 'role' | 'mime'>): boolean {
  return file.role === 'original' && (MEDIA_KINDS.has(kind) || /^(video|audio|image)\//i.test(file.mime));
}

interface Planned {
  readonly ref: items.ItemRef;
  readonly hash: string;
  readonly original: string | null;
}

/**
 * One item as the bundle carries it. Deterministic, so the second pass (which streams the item)
 * writes exactly the paths and bytes the first pass (which wrote archive.json) promised.
 */
function bundleEntry(db: Db, ref: items.ItemRef, redact: boolean, media: boolean): ItemEntry {
  const item = items.loadItem(db, ref);
  const folder = itemFolder(item.id);
  const unique = createNameDeduper();
  unique('item.json');
  unique(CUSTODY_REPORT);
  const entry = itemEntry(db, item, (file) => (!media && isOmittedMedia(item.kind, file) ? null : `${folder}/${unique(safeBagName(file.name))}`));
  return redact ? redactEntry(entry) : entry;
}

type ChainCheck = { events: number; problems: { position: number; seq: number; problem: string; detail: string }[] };

/**
 * The item's custody report for a lawyer (data/items/<id>/custody.txt), from what the bundle
 * carries of it: the entry as exported (redacted if the bundle is) and the custody events that
 * travel with it, so the report says nothing the rest of the bundle does not.
 */
function custodyReportBytes(entry: ItemEntry, json: ArchiveJson, chain: ChainCheck): Buffer {
  return Buffer.from(
    formatCustodyReport({
      item: entry,
      redacted: json.redacted,
      files: entry.files.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size, mime: f.mime })),
      events: json.custody[entry.id] ?? [],
      foreignEvents: json.foreignCustody[entry.id] ?? [],
      chain,
      generatedAt: json.createdAt,
      software: json.software,
    }),
  );
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the bundle; resolves once it is complete, in place, and its export is in the custody log. */
export async function exportBundle(archive: Archive, options: ExportOptions): Promise<BundleExportResult> {
  const redact = options.redact === true;
  const media = options.media !== false;
  const destination = path.resolve(options.to);
  const signal = options.signal;
  const progress = options.onProgress;
  const createdAt = archive.now();
  const bundleId = randomUUID();

  if (fs.existsSync(destination)) {
    if (fs.statSync(destination).isDirectory()) throw new ArchiveError('invalid-argument', phrase('bundle.export.isFolder', { path: destination }));
    if (!options.overwrite) throw new ArchiveError('invalid-argument', phrase('bundle.export.exists', { path: destination }));
  }
  const folder = path.dirname(destination);
  if (!fs.existsSync(folder)) throw new ArchiveError('file-unreadable', phrase('bundle.export.noFolder', { path: folder }));

  const db = openSnapshot(archive);
  // What an export that crashed left in this folder goes now; this one's own is named to be found the same way.
  removeStalePartials(folder);
  const temp = partialPathFor(destination);
  let written = false;
  let output: fsp.FileHandle | undefined;
  let age: AgeFileWriter | undefined;
  // Lets the archive's next open remove what a killed export left (store.ts, beginExport).
  let journal: ExportJournal | undefined;
  try {
    // Pass 1: what the bundle holds, for archive.json (which comes first so inspect reads only it).
    const selected = selectItems(db, options.selection);
    const planned: Planned[] = [];
    const summaries: ItemSummaryEntry[] = [];
    const omitted: OmittedFile[] = [];
    const custody: ArchiveJson['custody'] = {};
    const foreignCustody: ArchiveJson['foreignCustody'] = {};
    const collectionNames = new Set<string>();
    // A redacted bundle leaves no trace of a protected item: not even its id in another item's custody.
    const hidden = redact ? new Set(sql(db, "SELECT id FROM items WHERE sensitivity = 'protected'").pluck().all() as string[]) : new Set<string>();
    const visible = <T extends { details: Record<string, unknown> }>(events: T[]): T[] =>
      hidden.size === 0 ? events : events.filter((e) => !(JSON.stringify(e.details).match(/[0-9a-z]{26}/g) ?? []).some((id) => hidden.has(id)));
    let withheld = 0;
    for (const [index, ref] of selected.entries()) {
      if (index % 256 === 0) {
        signal?.throwIfAborted();
        progress?.({ phase: 'preparing', done: index, total: selected.length });
      }
      if (redact && (sql(db, 'SELECT sensitivity FROM items WHERE seq = ?').pluck().get(ref.seq) as string) === 'protected') {
        withheld++;
        continue;
      }
      const entry = bundleEntry(db, ref, redact, media);
      for (const file of entry.files) {
        if (file.path === null) {
          omitted.push({ itemId: entry.id, role: file.role, name: file.name, sha256: file.sha256, size: file.size, mime: file.mime });
          continue;
        }
        // A missing or damaged blob must fail the export now, not halfway through the file.
        const stat = fs.statSync(archive.store.pathOf(file.sha256), { throwIfNoEntry: false });
        if (!stat || stat.size !== file.size)
          throw new ArchiveError('file-unreadable', phrase('bundle.export.fileMissing', { name: file.name, title: entry.title }));
      }
      for (const c of entry.collections) collectionNames.add(c);
      summaries.push(itemSummary(entry));
      custody[entry.id] = visible(custodyOf(db, entry.id));
      const foreign = visible(foreignCustodyOf(db, entry.id));
      if (foreign.length > 0) foreignCustody[entry.id] = foreign;
      planned.push({ ref, hash: contentHash(entry), original: entry.files.find((f) => f.role === 'original')?.sha256 ?? null });
    }
    // The selection was given right and found nothing to put in a bundle.
    if (planned.length === 0)
      throw new ArchiveError('not-found', withheld > 0 ? phrase('bundle.export.allProtected') : phrase('bundle.export.nothing'));

    const counts = bundleCounts(summaries, omitted);
    const { files } = counts;
    // Whatever Sijil exports it must be able to import: the bag reader accepts DEFAULT_MAX_ENTRIES
    // tar entries (archive.json, per item its item.json, custody.txt and files, four tag files).
    const entries = 1 + 2 * planned.length + files + 4;
    if (entries > DEFAULT_MAX_ENTRIES)
      throw new ArchiveError('invalid-argument', phrase('bundle.export.tooManyFiles', { count: entries, max: DEFAULT_MAX_ENTRIES }));
    // The whole chain as it stands in this snapshot, for each item's custody report. In a redacted
    // bundle a problem naming a protected item says so without its id.
    const diagnosis = await diagnoseChain(db, { signal });
    const chain: ChainCheck = {
      events: diagnosis.events,
      problems: diagnosis.problems.map((p) => withholdItems(p, hidden)),
    };

    const ids = new Set(planned.map((p) => p.ref.id));
    const links = (
      sql(db, 'SELECT f.id AS "from", t.id AS "to", l.relation FROM links l JOIN items f ON f.seq = l.from_seq JOIN items t ON t.seq = l.to_seq ORDER BY f.id, t.id, l.relation')
        .all() as { from: string; to: string; relation: string }[]
    ).filter((l) => ids.has(l.from) && ids.has(l.to));
    const collections = (sql(db, 'SELECT name, description FROM collections ORDER BY key').all() as { name: string; description: string }[]).filter((c) =>
      collectionNames.has(c.name),
    );
    const archiveJson: ArchiveJson = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      bundleId,
      createdAt,
      software: SOFTWARE,
      organization: options.organization ?? null,
      redacted: redact,
      media,
      counts,
      items: summaries,
      collections,
      links,
      custody,
      foreignCustody,
      omitted,
    };
    const archiveJsonBytes = jsonBytes(archiveJson);
    summaries.length = 0;

    // Pass 2: stream the bag through age into the temporary file.
    const bagInfo: Record<string, string> = {};
    if (options.organization) bagInfo['Source-Organization'] = options.organization.replace(/[\r\n]+/g, ' ');
    Object.assign(bagInfo, {
      'Bag-Software-Agent': SOFTWARE,
      'External-Identifier': bundleId,
      'External-Description': `Sijil bundle of ${planned.length} item${planned.length === 1 ? '' : 's'}${redact ? ', redacted' : ''}${media ? '' : ', without original media'}`,
      'Sijil-Bundle-Version': String(BUNDLE_VERSION),
      'Sijil-Redacted': redact ? 'yes' : 'no',
      'Sijil-Media': media ? 'included' : 'omitted',
    });
    const total = archiveJsonBytes.length + counts.bytes;
    let done = 0;
    let reported = 0;
    const advance = (bytes: number) => {
      done += bytes;
      if (done - reported >= PROGRESS_BYTES || done === total) {
        reported = done;
        progress?.({ phase: 'writing', done, total });
      }
    };
    // The bag goes straight into the age file: blobs are read into the buffers that are sealed,
    // hashed on the way (sealing and writing happen on a worker thread meanwhile).
    journal = archive.store.beginExport({ temp, destination, bundleId });
    output = await fsp.open(temp, 'wx');
    written = true;
    journal.created((await output.stat()).ino);
    // Flushed as it is written, so the fsync before the rename finds little left to write.
    age = await AgeFileWriter.create(output.fd, options.encryption.options, { flushEvery: FLUSH_EVERY });
    const sealer = age;
    const writer = createBagWriterTo(
      {
        write: (bytes) => sealer.write(bytes),
        copyFile: (file, size, seen) =>
          sealer.copyFile(file, size, (bytes) => {
            signal?.throwIfAborted();
            advance(bytes.byteLength);
            return seen(bytes);
          }),
        end: (last) => sealer.end(last),
        destroy: (error) => sealer.destroy(error),
      },
      { bagInfo, mtime: new Date(createdAt) },
    );
    await writer.addFile(ARCHIVE_JSON.slice('data/'.length), archiveJsonBytes, archiveJsonBytes.length);
    advance(archiveJsonBytes.length);
    for (const { ref } of planned) {
      signal?.throwIfAborted();
      const entry = bundleEntry(db, ref, redact, media);
      const itemJson = jsonBytes(entry);
      await writer.addFile(itemJsonPath(entry.id).slice('data/'.length), itemJson, itemJson.length);
      const report = custodyReportBytes(entry, archiveJson, chain);
      await writer.addFile(custodyReportPath(entry.id).slice('data/'.length), report, report.length);
      for (const file of entry.files) {
        if (file.path === null) continue;
        // Read from the store and hashed as it goes out; a blob whose bytes no longer match the
        // hash the archive knows it by fails the export, rather than leave under a manifest line
        // that would either vouch for the damage or claim a hash its bytes do not have.
        await writer.addFile(file.path.slice('data/'.length), { path: archive.store.pathOf(file.sha256), sha256: file.sha256 }, file.size).catch((error: unknown) => {
          if (!isBagError(error, 'checksum-mismatch')) throw error;
          throw new ArchiveError('file-unreadable', phrase('bundle.export.fileDamaged', { name: file.name, title: entry.title }), { cause: error });
        });
      }
    }
    await writer.finish();
    closeSnapshot(db);
    await output.sync();
    await output.close();
    output = undefined;
    signal?.throwIfAborted();
    if (!options.overwrite && fs.existsSync(destination))
      throw new ArchiveError('conflict', phrase('bundle.export.appeared', { path: destination }));
    crashPoint('export-written');
    await fsp.rename(temp, destination);
    crashPoint('export-renamed');
    written = false;
    syncFolder(folder);

    const bytes = fs.statSync(destination).size;
    try {
      archive.write((now) => {
        for (const p of planned)
          archive.custody.append(
            {
              action: 'export',
              itemId: p.ref.id,
              sha256: p.original,
              details: {
                bundle: bundleId,
                contentHash: p.hash,
                file: path.basename(destination),
                redacted: redact,
                media,
                encryption: options.encryption.record.method,
                ...(options.encryption.record.recipients ? { recipients: options.encryption.record.recipients } : {}),
              },
            },
            now,
          );
      });
    } catch (error) {
      // An export the custody log does not record must not exist.
      await fsp.rm(destination, { force: true });
      throw error;
    }
    crashPoint('export-recorded');
    progress?.({ phase: 'done', done: total, total });
    return {
      path: destination,
      bundleId,
      items: planned.length,
      files,
      omittedFiles: omitted.length,
      withheld,
      bytes,
      redacted: redact,
      media,
    };
  } catch (error) {
    throw bundleError(error, destination, signal, 'export');
  } finally {
    if (db.open) closeSnapshot(db);
    if (written) {
      // Writing is stopped and the file closed before it is removed (Windows refuses otherwise).
      age?.destroy();
      await age?.settled();
      await output?.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
    }
    journal?.done();
  }
}

function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every file system can fsync a folder (Windows, FAT); the rename is atomic there all the same.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
