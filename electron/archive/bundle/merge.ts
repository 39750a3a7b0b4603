// Merging a verified bundle into the archive, in ONE transaction through archive.write (blobs placed
// before the commit). Nothing local is ever overwritten:
// - an item we lack is added with its id, files, texts, labels and custody;
// - an item we have in the same version (same content hash) is recognised, as is an item whose
//   original file we already hold under another id;
// - an item we have in another version is compared with the versions we have shared (exported or
//   imported, recorded in our custody log): an incoming version we already had is simply older;
//   anything else is kept beside ours as a new item, recorded as a conflict for a person to settle;
// - tags, collections and links merge by union; files a bundle without media left out are filled
//   in when a later bundle brings them.
// The bundle's custody events are stored as they were hashed (foreign_custody_events), and our own
// chain records the import.
import fs from 'node:fs';
import type { BundleImportResult, BundleItemStatus, ConflictRecord } from '../../../shared/api.ts';
import { ItemFields } from '../../../shared/domain.ts';
import { canonicalJson } from '../custody.ts';
import { sql, type Db } from '../db/connection.ts';
import { newItemId } from '../ids.ts';
import type { Archive } from '../index.ts';
import * as items from '../items.ts';
import * as labels from '../labels.ts';
import { reindexItem } from '../search/basic.ts';
import type { StagedBlob } from '../store.ts';
import {
  FILES_NOT_INCLUDED,
  addsNothing,
  contentHash,
  parseItemJson,
  redactEntry,
  type ArchiveJson,
  type CustodyEventEntry,
  type ItemEntry,
  type MissingFile,
} from './archiveJson.ts';
import { itemEntry, missingFilesOf, sharedVersions, withoutMissingFiles } from './entries.ts';

/** A bundle whose every file, checksum and description has been checked (importBundle.ts). */
export interface VerifiedBundle {
  readonly json: ArchiveJson;
  /** Staged item.json of each item, by bundle item id. */
  readonly entryFiles: ReadonlyMap<string, string>;
  /** Content hash of each incoming item, by bundle item id. */
  readonly hashes: ReadonlyMap<string, string>;
  /** The bytes the bundle carries, one staged copy per hash. */
  readonly staged: ReadonlyMap<string, StagedBlob>;
  /** The bundle's file name, for the record. */
  readonly fileName: string;
  /**
   * ingest/html.ts's resanitizeHtml, loaded only when some item carries a reading copy: it brings
   * jsdom, some 80 MB of memory a bundle of media alone should not pay for.
   */
  readonly resanitizeHtml: ((html: string) => string | null) | null;
}

type Outcome = BundleImportResult['items'][number];

interface Merged {
  readonly result: BundleImportResult;
  /** Hashes of the staged blobs new file rows reference: only these are placed in the store. */
  readonly used: ReadonlySet<string>;
}

export function mergeBundle(archive: Archive, bundle: VerifiedBundle, blobs: readonly StagedBlob[]): BundleImportResult {
  const merged = archive.write(
    (now) => new Merger(archive, bundle, now).run(),
    blobs,
    (m, blob) => m.used.has(blob.sha256),
  );
  return merged.result;
}

class Merger {
  private readonly db: Db;
  private readonly json: ArchiveJson;
  private readonly used = new Set<string>();
  private readonly idMap = new Map<string, string>();
  private readonly outcomes: Outcome[] = [];
  private filesAdded = 0;
  private linksAdded = 0;
  private readonly archive: Archive;
  private readonly bundle: VerifiedBundle;
  private readonly now: string;

  constructor(archive: Archive, bundle: VerifiedBundle, now: string) {
    this.archive = archive;
    this.bundle = bundle;
    this.now = now;
    this.db = archive.db;
    this.json = bundle.json;
  }

  private get bundleId(): string {
    return this.json.bundleId;
  }

  run(): Merged {
    const previous = sql(this.db, 'SELECT imported_at FROM imported_bundles WHERE bundle_id = ?').pluck().get(this.bundleId) as string | undefined;
    const changesBefore = totalChanges(this.db);
    for (const c of this.json.collections) labels.ensureCollection(this.db, c.name, this.now, c.description);
    for (const summary of this.json.items) this.mergeItem(summary.id);
    for (const link of this.json.links) this.mergeLink(link);
    const changed = totalChanges(this.db) > changesBefore;
    const count = (status: BundleItemStatus) => this.outcomes.filter((o) => o.status === status).length;
    const result: BundleImportResult = {
      bundleId: this.bundleId,
      alreadyImported: previous ?? null,
      added: count('added'),
      unchanged: count('unchanged') + count('local-newer') + count('conflict-known'),
      duplicates: count('duplicate'),
      conflicts: count('conflict'),
      filesAdded: this.filesAdded,
      linksAdded: this.linksAdded,
      redacted: this.json.redacted,
      media: this.json.media,
      organization: this.json.organization,
      createdAt: this.json.createdAt,
      items: this.outcomes,
    };
    if (previous === undefined) {
      sql(this.db,
        `INSERT INTO imported_bundles (bundle_id, imported_at, created_at, software, organization, redacted, media, items, added, conflicts, file_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        this.bundleId,
        this.now,
        this.json.createdAt,
        this.json.software,
        this.json.organization,
        this.json.redacted ? 1 : 0,
        this.json.media ? 1 : 0,
        this.json.items.length,
        result.added,
        result.conflicts,
        this.bundle.fileName,
      );
    }
    // Importing a bundle again that brings nothing new leaves no trace at all.
    if (previous === undefined || changed) {
      this.archive.custody.append(
        {
          action: 'import-bundle',
          itemId: null,
          details: {
            bundle: this.bundleId,
            file: this.bundle.fileName,
            createdAt: this.json.createdAt,
            software: this.json.software,
            ...(this.json.organization ? { organization: this.json.organization } : {}),
            redacted: this.json.redacted,
            media: this.json.media,
            items: this.json.items.length,
            added: result.added,
            unchanged: result.unchanged,
            duplicates: result.duplicates,
            conflicts: result.conflicts,
            filesAdded: result.filesAdded,
            ...(previous ? { importedBefore: previous } : {}),
          },
        },
        this.now,
      );
    }
    return { result, used: this.used };
  }

  private resanitize(html: string): string | null {
    const resanitizeHtml = this.bundle.resanitizeHtml;
    // verifyBundle read every item.json merged here and loads the sanitiser when one has a reading copy.
    if (resanitizeHtml === null) throw new Error('a reading copy reached the merge without the sanitiser loaded');
    return resanitizeHtml(html);
  }

  private entry(id: string): ItemEntry {
    return parseItemJson(fs.readFileSync(this.bundle.entryFiles.get(id) as string, 'utf8'), id);
  }

  private mergeItem(id: string): void {
    const entry = this.entry(id);
    const incoming = this.bundle.hashes.get(id) as string;
    const found = this.current(id);
    let outcome: Outcome;
    if (found) {
      const local = found.ref;
      const localEntry = itemEntry(this.db, items.loadItem(this.db, local));
      const localHash = contentHash(localEntry);
      // A redacted bundle lacks the protected fields by design: compare what it could carry.
      const comparable = this.json.redacted ? contentHash(redactEntry(localEntry)) : localHash;
      const held = sql(this.db, 'SELECT incoming_item_id FROM conflicts WHERE bundle_item_id = ? AND incoming_hash = ?').pluck().get(id, incoming) as
        | string
        | undefined;
      // Every version shared along the way counts: after "keep theirs", the version we put away too.
      const shared = incoming === comparable || held ? new Set<string>() : new Set(found.chain.flatMap((chained) => [...sharedVersions(this.db, chained)]));
      if (incoming === comparable) {
        outcome = { bundleItemId: id, itemId: local.id, title: localEntry.title, status: 'unchanged' };
        this.addLabels(local, entry);
        this.fillMissingFiles(local);
      } else if (held) {
        outcome = { bundleItemId: id, itemId: held, title: entry.title, status: 'conflict-known', conflictOf: local.id };
      } else if (shared.has(incoming)) {
        outcome = { bundleItemId: id, itemId: local.id, title: localEntry.title, status: 'local-newer' };
        this.fillMissingFiles(local);
      } else {
        const reason = found.sameFile ? 'same-file' : shared.has(localHash) || shared.has(comparable) ? 'changed-there' : 'both-changed';
        outcome = this.keepBeside(local.id, entry, newItemId(), incoming, reason);
      }
    } else {
      const original = entry.files.find((f) => f.role === 'original');
      const duplicate = original ? items.findOriginalBySha(this.db, original.sha256) : undefined;
      const ref = duplicate ? (sql(this.db, 'SELECT seq, id FROM items WHERE id = ?').get(duplicate.id) as items.ItemRef) : undefined;
      // Once taken for ours, this version stays ours, whatever we edit afterwards: importing it again changes nothing.
      const decided =
        ref !== undefined &&
        sql(this.db,
          `SELECT 1 FROM custody_events WHERE item_id = ? AND action = 'import-bundle'
           AND json_extract(details, '$.duplicate') = ? AND json_extract(details, '$.duplicateHash') = ?`,
        ).get(ref.id, id, incoming) !== undefined;
      const ours = ref === undefined || decided ? undefined : itemEntry(this.db, items.loadItem(this.db, ref));
      if (duplicate && ref && (decided || (ours && addsNothing(entry, this.json.redacted ? redactEntry(ours) : ours)))) {
        outcome = { bundleItemId: id, itemId: duplicate.id, title: duplicate.title, status: 'duplicate' };
        if (!decided) this.archive.custody.append({ action: 'import-bundle', itemId: ref.id, details: { bundle: this.bundleId, duplicate: id, duplicateHash: incoming } }, this.now);
        this.addLabels(ref, entry);
        this.fillMissingFiles(ref);
      } else if (duplicate) {
        // Our file, described by someone else: their description is kept, under its own id, beside ours.
        outcome = this.keepBeside(duplicate.id, entry, id, incoming, 'same-file');
      } else {
        this.insert(entry, id, incoming, null);
        outcome = { bundleItemId: id, itemId: id, title: entry.title, status: 'added' };
      }
    }
    this.idMap.set(id, outcome.itemId);
    this.outcomes.push(outcome);
    this.keepCustody(id, outcome.itemId);
  }

  /**
   * Our item for a bundle's item id: the item with that id, or, where a conflict over it was
   * resolved by keeping the incoming version (ours then went to the trash), the version kept, and
   * so on; and for an item that came as our file described differently and was not kept, our item
   * with that file. The next version from the same source is compared with what we kept, not with
   * the version put away.
   */
  private current(id: string): { ref: items.ItemRef; chain: string[]; sameFile: boolean } | undefined {
    const byId = sql(this.db, 'SELECT seq, id FROM items WHERE id = ?');
    let ref = byId.get(id) as items.ItemRef | undefined;
    if (!ref) return undefined;
    const chain = [ref.id];
    let sameFile = false;
    for (;;) {
      const next = sql(this.db,
        `SELECT CASE WHEN local_item_id = @id THEN incoming_item_id ELSE local_item_id END AS id, reason FROM conflicts
         WHERE (local_item_id = @id AND resolution = 'incoming' AND reason <> 'same-file')
            OR (incoming_item_id = @id AND reason = 'same-file' AND resolution = 'local')
         ORDER BY conflicts.id DESC LIMIT 1`,
      ).get({ id: ref.id }) as { id: string; reason: string } | undefined;
      const kept = next === undefined || chain.includes(next.id) ? undefined : (byId.get(next.id) as items.ItemRef | undefined);
      if (!kept || !next) break;
      ref = kept;
      chain.push(kept.id);
      sameFile ||= next.reason === 'same-file';
    }
    return { ref, chain, sameFile };
  }

  /** The incoming version as an item of its own (`copyId`) beside ours, marked as a conflict for a person to resolve. */
  private keepBeside(localId: string, entry: ItemEntry, copyId: string, incoming: string, reason: ConflictRecord['reason']): Outcome {
    const copy = this.insert(entry, copyId, incoming, { conflictOf: localId, reason });
    sql(this.db,
      `INSERT INTO conflicts (local_item_id, incoming_item_id, bundle_item_id, bundle_id, incoming_hash, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(localId, copy.id, entry.id, this.bundleId, incoming, reason, this.now);
    this.archive.custody.append({ action: 'import-bundle', itemId: localId, details: { bundle: this.bundleId, conflict: copy.id, reason } }, this.now);
    return { bundleItemId: entry.id, itemId: copy.id, title: entry.title, status: 'conflict', conflictOf: localId };
  }

  /** Whether the archive holds, or this bundle brings, the bytes of a file. */
  private available(sha256: string): boolean {
    return this.bundle.staged.has(sha256) || this.archive.store.has(sha256);
  }

  private useBlob(sha256: string): void {
    if (this.bundle.staged.has(sha256) && !this.archive.store.has(sha256)) this.used.add(sha256);
  }

  private insert(entry: ItemEntry, id: string, hash: string, conflict: { conflictOf: string; reason: string } | null): items.ItemRef {
    const fields = Object.fromEntries(Object.keys(ItemFields.shape).map((k) => [k, entry[k as keyof typeof ItemFields.shape]])) as ItemFields;
    // A reading copy made by another archive is hostile input like any saved page: it is sanitised
    // here exactly as the importer sanitises its own (for a copy Sijil made, that changes nothing).
    const html = entry.html === null ? null : this.resanitize(entry.html);
    const ref = items.insertItem(this.db, { id, kind: entry.kind, fields, html, extra: {} }, entry.createdAt);
    if (entry.kind === 'testimony') items.upsertTestimony(this.db, ref.seq, entry.testimony ?? {});
    const fileIds: (number | null)[] = [];
    const missing: MissingFile[] = [];
    for (const file of entry.files) {
      const { path: _path, ...record } = file;
      if (!this.available(file.sha256)) {
        missing.push(record);
        fileIds.push(null);
        continue;
      }
      this.useBlob(file.sha256);
      items.insertBlob(this.db, file.sha256, file.size, this.now);
      fileIds.push(items.insertFile(this.db, ref.seq, record, file.addedAt));
    }
    for (const text of entry.texts)
      items.insertText(this.db, ref.seq, { role: text.role, language: text.language, text: text.text, fileId: text.file === null ? null : (fileIds[text.file] ?? null) });
    const extra = { ...withoutMissingFiles(entry.extra), ...(missing.length > 0 ? { [FILES_NOT_INCLUDED]: missing } : {}) };
    sql(this.db, 'UPDATE items SET extra = ?, updated_at = ? WHERE seq = ?').run(JSON.stringify(extra), entry.updatedAt, ref.seq);
    const tags = labels.addTags(this.db, ref.seq, entry.tags);
    const collections = entry.collections.map((c) => labels.addToCollection(this.db, ref.seq, c, this.now)).filter(Boolean);
    this.archive.custody.append(
      {
        action: 'import-bundle',
        itemId: id,
        sha256: entry.files.find((f) => f.role === 'original')?.sha256 ?? null,
        details: {
          bundle: this.bundleId,
          contentHash: hash,
          kind: entry.kind,
          title: entry.title,
          ...(id !== entry.id ? { bundleItemId: entry.id } : {}),
          ...(conflict ?? {}),
          files: entry.files.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size })),
          ...(missing.length > 0 ? { filesNotIncluded: missing.length } : {}),
          ...(tags.length ? { tags } : {}),
          ...(collections.length ? { collections } : {}),
          ...(this.json.organization ? { from: this.json.organization } : {}),
        },
      },
      this.now,
    );
    reindexItem(this.db, ref.seq);
    return ref;
  }

  /** Tags and collections the incoming version has and ours lacks (a union: nothing is removed). */
  private addLabels(ref: items.ItemRef, entry: ItemEntry): void {
    const tags = labels.addTags(this.db, ref.seq, entry.tags);
    if (tags.length > 0) {
      this.archive.custody.append({ action: 'tag', itemId: ref.id, details: { tags, bundle: this.bundleId } }, this.now);
      reindexItem(this.db, ref.seq);
    }
    for (const c of entry.collections) {
      const name = labels.addToCollection(this.db, ref.seq, c, this.now);
      if (name) this.archive.custody.append({ action: 'collect', itemId: ref.id, details: { collection: name, bundle: this.bundleId } }, this.now);
    }
  }

  /** Files our item knows only by hash (it came without media) whose bytes are now at hand. */
  private fillMissingFiles(ref: items.ItemRef): void {
    const extra = JSON.parse(sql(this.db, 'SELECT extra FROM items WHERE seq = ?').pluck().get(ref.seq) as string) as Record<string, unknown>;
    const missing = missingFilesOf(extra);
    if (missing.length === 0) return;
    const found = missing.filter((f) => this.available(f.sha256));
    if (found.length === 0) return;
    for (const file of found) {
      this.useBlob(file.sha256);
      items.insertBlob(this.db, file.sha256, file.size, this.now);
      items.insertFile(this.db, ref.seq, file, file.addedAt);
    }
    const still = missing.filter((f) => !found.includes(f));
    const next = { ...withoutMissingFiles(extra), ...(still.length > 0 ? { [FILES_NOT_INCLUDED]: still } : {}) };
    sql(this.db, 'UPDATE items SET extra = ? WHERE seq = ?').run(JSON.stringify(next), ref.seq);
    this.archive.custody.append(
      {
        action: 'add-file',
        itemId: ref.id,
        details: { bundle: this.bundleId, files: found.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size })) },
      },
      this.now,
    );
    this.filesAdded += found.length;
  }

  /** The bundle's custody events for an item, kept as they were hashed, under the item that holds it here. */
  private keepCustody(bundleItemId: string, localItemId: string): void {
    const insert = sql(this.db,
      `INSERT OR IGNORE INTO foreign_custody_events (bundle_id, local_item_id, seq, at, action, item_id, sha256, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Details stored as the exporting archive hashed them (canonical JSON), so each hash verifies.
    const keep = (e: CustodyEventEntry, source: string) =>
      insert.run(source, localItemId, e.seq, e.at, e.action, e.itemId, e.sha256, canonicalJson(e.details), e.prevHash, e.hash);
    for (const e of this.json.custody[bundleItemId] ?? []) keep(e, this.bundleId);
    for (const e of this.json.foreignCustody[bundleItemId] ?? []) keep(e, e.bundleId);
  }

  private mergeLink(link: ArchiveJson['links'][number]): void {
    const from = this.idMap.get(link.from);
    const to = this.idMap.get(link.to);
    if (!from || !to || from === to) return;
    const seqOf = sql(this.db, 'SELECT seq FROM items WHERE id = ?').pluck();
    const relation = labels.cleanRelation(link.relation);
    if (!labels.addLink(this.db, seqOf.get(from) as number, seqOf.get(to) as number, relation, this.now)) return;
    this.linksAdded++;
    this.archive.custody.append({ action: 'link', itemId: from, details: { to, relation, bundle: this.bundleId } }, this.now);
    this.archive.custody.append({ action: 'link', itemId: to, details: { from, relation, bundle: this.bundleId } }, this.now);
  }
}

function totalChanges(db: Db): number {
  return sql(db, 'SELECT total_changes()').pluck().get() as number;
}
