// Archive.open(dir): the one object that owns an archive's database and blob store. Every change
// goes through here, in one transaction with its custody event and its search-index update.
import fs from 'node:fs';
import path from 'node:path';
import {
  EDITABLE_FIELDS,
  ItemFields,
  TestimonyFields,
  type CustodyEvent,
  type ReceivedCustodyEvent,
  type FileRole,
  type Item,
  type ItemFields as ItemFieldsT,
  type ItemKind,
  type ItemSummary,
  type TestimonyFields as TestimonyFieldsT,
} from '../../shared/domain.ts';
import {
  type BulkProgressEvent,
  type BulkResult,
  type CheckResult,
  type CustodyReport,
  type ParsedArgsOf,
  type QuickHit,
  type SearchResult,
  type VerifyEvery,
  type VerifyReport,
  type VerifyStatus,
} from '../../shared/api.ts';
import { ArchiveError, isBusy, isDiskFull } from '../../shared/errors.ts';
import { phrase, type Phrase } from '../../shared/phrase.ts';
import { parseOrThrow } from '../../shared/validation.ts';
import type { LabelKind } from '../../shared/vocabulary.ts';
import { closeDatabase, openDatabase, sql, type Db } from './db/connection.ts';
import { CustodyLog, type NewCustodyEvent } from './custody.ts';
import { crashPoint } from './faults.ts';
import { newItemId } from './ids.ts';
import * as items from './items.ts';
import * as labels from './labels.ts';
import { DB_FILE, archiveFolderProblem, defaultArchiveDir } from './location.ts';
import { ensureSearchIndex, forgetTerms, rebuildIndex, reindexItem, reindexItemWords, searchIndexReport, searchItems, withMergesHeld } from './search/basic.ts';
import { quickSwitch } from './search/quick.ts';
import { BlobStore, type Placement, type StagedBlob } from './store.ts';
import { custodyReport, setVerifySchedule, verifyArchive, verifyStatus, type VerifyOptions } from './verify.ts';

export { DB_FILE };

/**
 * An empty folder someone else made (the folder picker, say) that becomes an archive: readable by
 * its owner only, as a folder Sijil makes is. Where the disk has no such permissions (a FAT-formatted
 * stick), or will not let us change them, there is nothing more to do.
 */
function ownerOnly(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (a mount point owned by the system): the archive is still made.
  }
}
/** items.bulk reports progress after this many items (a few hundred items take ~0.1 s). */
const BULK_PROGRESS_EVERY = 500;

/** How a change to many items in one transaction reports its count and hears a cancel. */
interface ManyItemsOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BulkProgressEvent) => void;
}

/**
 * Called before each item of a change that holds the thread in one transaction: every few hundred
 * items, reports the count (the worker posts it at once, so a long change shows it moves) and
 * honours a cancel. The thread is held until the commit, so a cancel is seen only where the
 * worker reads it, in the report just sent (engineWorker.ts); thrown here, it rolls back every item.
 */
function itemsCheckpoint(done: number, total: number, options: ManyItemsOptions): void {
  if (done === 0 || done % BULK_PROGRESS_EVERY !== 0) return;
  options.onProgress?.({ done, total });
  if (options.signal?.aborted) throw new ArchiveError('cancelled', phrase('archive.bulk.cancelled', { count: total }));
}

/** Changes each item in turn, at a checkpoint before each, and reports the whole count at the end. */
function eachItem<T>(list: readonly T[], options: ManyItemsOptions, change: (item: T) => void): void {
  for (const [done, item] of list.entries()) {
    itemsCheckpoint(done, list.length, options);
    change(item);
  }
  if (list.length > 0) options.onProgress?.({ done: list.length, total: list.length });
}

export interface NewItemInput {
  /** Normally made here; an importer may choose it ahead so duplicates in one batch can name it. */
  readonly id?: string;
  readonly kind: ItemKind;
  readonly fields: Partial<ItemFieldsT> & { title: string };
  readonly testimony?: Partial<TestimonyFieldsT> | null;
  readonly html?: string | null;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly tags?: readonly string[];
  readonly collections?: readonly string[];
  /** Files already staged in the store, with their roles. */
  readonly files?: readonly StagedFile[];
  readonly texts?: readonly { role: 'transcript' | 'translation'; language: string | null; text: string; fileIndex?: number }[];
  /** What the custody event says about where this came from. */
  readonly custody?: { action: 'create' | 'import'; details: Record<string, unknown> };
}

export interface StagedFile {
  readonly staged: StagedBlob;
  readonly role: FileRole;
  readonly name: string;
  readonly mime: string;
  readonly language?: string | null;
}


export class Archive {
  readonly dir: string;
  readonly db: Db;
  readonly store: BlobStore;
  readonly custody: CustodyLog;
  /** Injected clock, so tests can pin times; ISO 8601 in UTC. */
  now: () => string = () => new Date().toISOString();

  private constructor(dir: string, db: Db, store: BlobStore) {
    this.dir = dir;
    this.db = db;
    this.store = store;
    this.custody = new CustodyLog(db);
  }

  /** Creates the archive if the folder is new or empty; opens it if it holds one. */
  static open(dir: string = defaultArchiveDir()): Archive {
    const root = path.resolve(dir);
    const dbFile = path.join(root, DB_FILE);
    const problem = archiveFolderProblem(root);
    if (problem) throw new ArchiveError('archive-unreadable', problem);
    const fresh = !fs.existsSync(dbFile);
    try {
      // A new archive folder is readable by its owner only: other accounts on a shared laptop
      // must not browse testimonies. Parents are made as usual; an archive already there is left as it is.
      fs.mkdirSync(path.dirname(root), { recursive: true });
      if (!fs.existsSync(root)) fs.mkdirSync(root, { mode: 0o700 });
      else if (fresh) ownerOnly(root);
    } catch (err) {
      throw new ArchiveError('archive-unreadable', phrase('archive.open.cannotCreate', { path: root, reason: (err as Error).message }));
    }
    const db = openDatabase(dbFile);
    const archive = new Archive(root, db, new BlobStore(root));
    archive.cleanLeftovers();
    // After an upgrade that changed how text is indexed, the index is rebuilt once, here.
    ensureSearchIndex(db);
    return archive;
  }

  close(): void {
    closeDatabase(this.db);
  }

  /** Removes what a crashed writer left behind (see store.ts), holding the write lock. */
  private cleanLeftovers(): void {
    const referenced = sql(this.db, 'SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
    const exported = sql(this.db, "SELECT 1 FROM custody_events WHERE action = 'export' AND json_extract(details, '$.bundle') = ? LIMIT 1").pluck();
    try {
      this.db
        .transaction(() =>
          this.store.cleanLeftovers(
            (sha) => referenced.get(sha) !== undefined,
            (bundleId) => exported.get(bundleId) !== undefined,
          ),
        )
        .immediate();
    } catch (err) {
      // Another process has held the write lock past the busy timeout: it is alive and writing.
      // Opening must not fail for that; the leftovers wait for the next open.
      if (!isBusy(err)) throw err;
    }
  }

  /**
   * Runs `fn` in one write transaction, placing the blobs it references (those `keep` accepts,
   * given fn's result) before it commits. Staged blobs belong to the caller until the commit: on
   * failure they are back in tmp/ to retry or discard.
   */
  write<T>(fn: (now: string) => T, blobs: readonly StagedBlob[] = [], keep: (result: T, blob: StagedBlob) => boolean = () => true): T {
    const now = this.now();
    if (blobs.length === 0) {
      try {
        return this.db.transaction(() => fn(now)).immediate();
      } catch (err) {
        forgetTerms(this.db);
        throw diskFull(err, this.dir);
      }
    }
    crashPoint('after-stage');
    let placement: Placement;
    try {
      placement = this.store.beginPlacement(blobs);
    } catch (err) {
      throw diskFull(err, this.dir);
    }
    crashPoint('after-journal');
    let result: T;
    try {
      result = this.db
        .transaction(() => {
          const value = fn(now);
          // Blobs of what `fn` decided not to write stay staged, for the caller to discard.
          for (const blob of blobs) if (keep(value, blob)) placement.place(blob);
          crashPoint('after-place');
          placement.flush();
          crashPoint('before-commit');
          return value;
        })
        .immediate();
    } catch (err) {
      // The staged blobs go back to tmp/: they still belong to the caller, who may retry or discard.
      placement.rollback();
      forgetTerms(this.db);
      throw diskFull(err, this.dir);
    }
    crashPoint('after-commit');
    placement.done();
    return result;
  }

  private log(event: NewCustodyEvent, now: string): CustodyEvent {
    return this.custody.append(event, now);
  }

  resolve(idOrPrefix: string): items.ItemRef {
    return items.resolveItem(this.db, idOrPrefix);
  }

  get(idOrPrefix: string): Item {
    return items.loadItem(this.db, this.resolve(idOrPrefix));
  }

  list(options: ListFilterOptions & { sort?: 'created' | 'date' | 'title'; desc?: boolean; limit?: number; offset?: number } = {}): ItemSummary[] {
    return items.listItems(this.db, {
      ...listFilter(options),
      sort: options.sort,
      desc: options.desc,
      limit: options.limit ?? 100,
      offset: options.offset ?? 0,
    });
  }

  /** How many items a list with these filters holds, so a view can size itself before paging. */
  countItems(options: ListFilterOptions = {}): number {
    return items.countItems(this.db, listFilter(options));
  }

  /**
   * Those of `ids` a list with these filters holds: the library keeps a selection only while its
   * items are still in the list shown (one trashed or untagged elsewhere leaves it).
   */
  itemsAmong(options: ListFilterOptions, ids: readonly string[]): string[] {
    return items.itemsAmong(this.db, listFilter(options), ids);
  }

  count(): { items: number; trash: number; blobs: number; bytes: number } {
    return sql(this.db,
        `SELECT (SELECT count(*) FROM items WHERE deleted_at IS NULL) AS items,
                (SELECT count(*) FROM items WHERE deleted_at IS NOT NULL) AS trash,
                (SELECT count(*) FROM blobs) AS blobs, (SELECT COALESCE(sum(size), 0) FROM blobs) AS bytes`,
      )
      .get() as { items: number; trash: number; blobs: number; bytes: number };
  }

  /** Creates an item with its files, texts and labels in one transaction. */
  create(input: NewItemInput): Item {
    const [ref] = this.createMany([input]);
    return items.loadItem(this.db, ref as items.ItemRef);
  }

  /**
   * Creates several items in ONE transaction (one commit, one fsync): how imports stay fast.
   * Every input is validated before anything is written; all land or none. With `skipDuplicates`,
   * an input whose original file is already in the archive (say, committed a moment ago by another
   * process) is not created: its place in the result names the item that holds that content, and
   * its staged blobs are left for the caller to discard.
   */
  createMany(inputs: readonly NewItemInput[]): items.ItemRef[];
  createMany(inputs: readonly NewItemInput[], options: { skipDuplicates: true }): (items.ItemRef | { duplicateOf: items.ExistingOriginal })[];
  createMany(inputs: readonly NewItemInput[], options: { skipDuplicates?: boolean } = {}): (items.ItemRef | { duplicateOf: items.ExistingOriginal })[] {
    const checked = inputs.map((input) => {
      const fields = validateFields(input.fields, true) as Partial<ItemFieldsT> & { title: string };
      const testimony = input.testimony ? validateTestimony(input.testimony) : null;
      if (testimony && input.kind !== 'testimony') throw new ArchiveError('invalid-argument', phrase('archive.item.testimonyOnly'));
      if (input.id !== undefined && !/^[0-9a-z]{26}$/.test(input.id)) throw new ArchiveError('invalid-argument', phrase('archive.item.notAnId', { id: input.id }));
      return { input, fields, testimony };
    });
    const owner = new Map(inputs.flatMap((input, i) => (input.files ?? []).map((f) => [f.staged, i] as const)));
    return this.write(
      (now) =>
        checked.map(({ input, fields, testimony }) => {
          // Checked under the write lock, so two processes cannot both add the same content.
          const original = input.files?.find((f) => f.role === 'original');
          const existing = options.skipDuplicates && original ? items.findOriginalBySha(this.db, original.staged.sha256) : undefined;
          return existing ? { duplicateOf: existing } : this.insertNew(input, fields, testimony, now);
        }),
      [...owner.keys()],
      (results, blob) => !('duplicateOf' in (results[owner.get(blob) as number] as object)),
    );
  }

  private insertNew(
    input: NewItemInput,
    fields: Partial<ItemFieldsT> & { title: string },
    testimony: Partial<TestimonyFieldsT> | null,
    now: string,
  ): items.ItemRef {
    const staged = input.files ?? [];
    const ref = items.insertItem(
      this.db,
      { id: input.id ?? newItemId(), kind: input.kind, fields, html: input.html ?? null, extra: input.extra ?? {} },
      now,
    );
    if (input.kind === 'testimony') items.upsertTestimony(this.db, ref.seq, testimony ?? {});
    const fileIds = staged.map((f) =>
      items.insertFile(
        this.db,
        ref.seq,
        { role: f.role, name: f.name, sha256: f.staged.sha256, size: f.staged.size, mime: f.mime, language: f.language ?? null },
        now,
      ),
    );
    for (const text of input.texts ?? [])
      items.insertText(this.db, ref.seq, { ...text, fileId: text.fileIndex === undefined ? null : (fileIds[text.fileIndex] ?? null) });
    const tags = labels.addTags(this.db, ref.seq, input.tags ?? []);
    const collections = (input.collections ?? []).map((c) => labels.addToCollection(this.db, ref.seq, c, now)).filter(Boolean);
    const original = staged.find((f) => f.role === 'original');
    this.log(
      {
        action: input.custody?.action ?? 'create',
        itemId: ref.id,
        sha256: original?.staged.sha256 ?? null,
        details: {
          kind: input.kind,
          title: fields.title,
          ...input.custody?.details,
          files: staged.map((f) => ({ role: f.role, name: f.name, sha256: f.staged.sha256, size: f.staged.size })),
          ...(tags.length ? { tags } : {}),
          ...(collections.length ? { collections } : {}),
        },
      },
      now,
    );
    reindexItem(this.db, ref.seq);
    return ref;
  }

  /** Sets fields; values are validated, and the custody event records old and new values. */
  edit(idOrPrefix: string, patch: Record<string, unknown>): Item {
    const ref = this.resolve(idOrPrefix);
    const unknown = Object.keys(patch).filter((k) => !(EDITABLE_FIELDS as readonly string[]).includes(k));
    if (unknown.length > 0)
      throw new ArchiveError('invalid-argument', phrase('archive.edit.notEditable', { names: unknown.join(', '), fields: EDITABLE_FIELDS.join(', ') }));
    const itemPatch = validateFields(pick(patch, Object.keys(ItemFields.shape)), false);
    const testimonyPatch = validateTestimony(pick(patch, Object.keys(TestimonyFields.shape)));
    const before = items.loadItem(this.db, ref);
    if (Object.keys(testimonyPatch).length > 0 && before.kind !== 'testimony')
      throw new ArchiveError('invalid-argument', phrase('archive.edit.notTestimony', { title: before.title }));
    this.write((now) => {
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [k, v] of Object.entries(itemPatch)) {
        const old = before[k as keyof ItemFieldsT];
        if (old !== v) changes[k] = { from: old, to: v };
      }
      for (const [k, v] of Object.entries(testimonyPatch)) {
        const old = before.testimony?.[k as keyof TestimonyFieldsT] ?? null;
        if (old !== v) changes[k] = { from: k in PROTECTED ? '(protected)' : old, to: k in PROTECTED ? '(protected)' : v };
      }
      if (Object.keys(changes).length === 0) return;
      items.updateItemFields(this.db, ref.seq, itemPatch, now);
      if (Object.keys(testimonyPatch).length > 0) {
        items.upsertTestimony(this.db, ref.seq, testimonyPatch);
        sql(this.db, 'UPDATE items SET updated_at = ? WHERE seq = ?').run(now, ref.seq);
      }
      this.log({ action: 'edit', itemId: ref.id, details: { changes: truncateChanges(changes) } }, now);
      reindexItem(this.db, ref.seq);
    });
    return items.loadItem(this.db, ref);
  }

  tag(idOrPrefix: string, add: readonly string[], remove: readonly string[] = []): Item {
    const ref = this.resolve(idOrPrefix);
    this.write((now) => this.tagIn(ref, add, remove, now));
    return items.loadItem(this.db, ref);
  }

  /** Inside a write: true when a tag was added or removed. */
  private tagIn(ref: items.ItemRef, add: readonly string[], remove: readonly string[], now: string): boolean {
    const added = labels.addTags(this.db, ref.seq, add);
    const removed = labels.removeTags(this.db, ref.seq, remove);
    if (added.length) this.log({ action: 'tag', itemId: ref.id, details: { tags: added } }, now);
    if (removed.length) this.log({ action: 'untag', itemId: ref.id, details: { tags: removed } }, now);
    if (added.length || removed.length) reindexItemWords(this.db, ref.seq);
    return added.length > 0 || removed.length > 0;
  }

  collect(idOrPrefix: string, collection: string, remove = false): Item {
    const ref = this.resolve(idOrPrefix);
    this.write((now) => this.collectIn(ref, collection, remove, now));
    return items.loadItem(this.db, ref);
  }

  /** Inside a write: true when the item joined (or left) the collection. */
  private collectIn(ref: items.ItemRef, collection: string, remove: boolean, now: string): boolean {
    const name = remove ? labels.removeFromCollection(this.db, ref.seq, collection) : labels.addToCollection(this.db, ref.seq, collection, now);
    if (name) this.log({ action: remove ? 'uncollect' : 'collect', itemId: ref.id, details: { collection: name } }, now);
    return Boolean(name);
  }

  /**
   * One change to many items (the library's multi-select) in ONE transaction: every item changes
   * or, if any id is unknown (the refusal names every such id) or a write fails, none does. Each
   * item changed gets its own custody event, exactly as the one-item call would write it; items
   * already so are left alone. A cancel stops it between slices of items, undoing them all.
   *
   * Takes the arguments as the contract's schema leaves them: every caller comes through a door
   * that has parsed them (see handlers.ts), and parsing 100,000 ids again here cost 0.05-0.2 s of
   * CPU for nothing.
   */
  bulk(ids: BulkArgs['ids'], action: BulkArgs['action'], name: BulkArgs['name'], options: ManyItemsOptions = {}): BulkResult {
    return this.writeMany(options, (now) => {
      // Under the write lock, so where each item is (trash or not) cannot change before it is used.
      const { refs, failures } = items.resolveItems(this.db, ids);
      if (failures.length > 0) throw unknownIds(failures, ids.length);
      // In the order they were added, whatever the order chosen: FTS5 takes rows in rising rowid
      // order without writing out what it holds in memory first (20,000 of 100,000 items chosen
      // newest first, as the library lists them, took 14 s to tag; in this order 11.5 s).
      const inOrder = refs.toSorted((a, b) => a.seq - b.seq);
      let changed = 0;
      eachItem(inOrder, options, (ref) => {
        const did =
          action === 'tag'
            ? this.tagIn(ref, [name!], [], now)
            : action === 'collect'
              ? this.collectIn(ref, name!, false, now)
              : this.trashIn(ref, action === 'trash', now);
        if (did) changed++;
      });
      return { changed, unchanged: refs.length - changed };
    });
  }

  /**
   * this.write for a change to many items (see itemsCheckpoint), refused at once if already
   * cancelled; the search index's merges wait for its end (see withMergesHeld).
   */
  private writeMany<T>(options: ManyItemsOptions, fn: (now: string) => T): T {
    if (options.signal?.aborted) throw new ArchiveError('cancelled', phrase('archive.bulk.cancelledBefore'));
    return this.write((now) => withMergesHeld(this.db, () => fn(now)));
  }

  createCollection(name: string, description = ''): void {
    this.write((now) => labels.ensureCollection(this.db, name, now, description));
  }

  /** Removes a tag or collection no item uses (see labels.removeUnusedLabel); returns its name. */
  removeLabel(kind: LabelKind, name: string): string {
    return this.write(() => labels.removeUnusedLabel(this.db, kind, name));
  }

  /** Sets (or, empty, clears) what a collection is about; see labels.describeCollection. */
  describeCollection(name: string, description: string): { name: string; description: string } {
    return this.write(() => labels.describeCollection(this.db, name, description));
  }

  /**
   * Renames a tag or collection, or merges it into the one already named so (see
   * labels.renameLabel). Every item that held it changes, so each gets the events its own call
   * would write: the old name taken off and, unless it had it already, the new one put on.
   */
  renameLabel(kind: LabelKind, name: string, to: string, options: ManyItemsOptions = {}): { from: string; name: string; items: number; merged: boolean } {
    return this.writeMany(options, (now) => {
      const renamed = labels.renameLabel(this.db, kind, name, to);
      // Each item's words are indexed again (its tags are among them): 20,000 items with a page
      // of text each take about 15 s, so it reports and can be cancelled as items.bulk can.
      eachItem(renamed.items, options, (item) => {
        if (kind === 'tag') {
          this.log({ action: 'untag', itemId: item.id, details: { tags: [renamed.from] } }, now);
          if (!item.hadTarget) this.log({ action: 'tag', itemId: item.id, details: { tags: [renamed.to] } }, now);
          reindexItemWords(this.db, item.seq);
        } else {
          this.log({ action: 'uncollect', itemId: item.id, details: { collection: renamed.from } }, now);
          if (!item.hadTarget) this.log({ action: 'collect', itemId: item.id, details: { collection: renamed.to } }, now);
        }
      });
      return { from: renamed.from, name: renamed.to, items: renamed.items.length, merged: renamed.merged };
    });
  }

  tags(): labels.LabelCount[] {
    return labels.listTags(this.db);
  }

  collections(): (labels.LabelCount & { description: string })[] {
    return labels.listCollections(this.db);
  }

  link(fromId: string, toId: string, relation = 'related'): Item {
    const from = this.resolve(fromId);
    const to = this.resolve(toId);
    const rel = labels.cleanRelation(relation);
    this.write((now) => {
      if (labels.addLink(this.db, from.seq, to.seq, rel, now)) {
        this.log({ action: 'link', itemId: from.id, details: { to: to.id, relation: rel } }, now);
        this.log({ action: 'link', itemId: to.id, details: { from: from.id, relation: rel } }, now);
      }
    });
    return items.loadItem(this.db, from);
  }

  unlink(fromId: string, toId: string, relation: string | null = null): Item {
    const from = this.resolve(fromId);
    const to = this.resolve(toId);
    const rel = relation === null ? null : labels.cleanRelation(relation);
    this.write((now) => {
      if (labels.removeLink(this.db, from.seq, to.seq, rel) > 0) {
        this.log({ action: 'unlink', itemId: from.id, details: { to: to.id, relation: rel } }, now);
        this.log({ action: 'unlink', itemId: to.id, details: { from: from.id, relation: rel } }, now);
      }
    });
    return items.loadItem(this.db, from);
  }

  /** Moves an item to the trash: hidden from lists and search, restorable, never erased here. */
  trash(idOrPrefix: string): Item {
    const ref = this.resolve(idOrPrefix);
    this.write((now) => this.trashIn(ref, true, now));
    return items.loadItem(this.db, ref);
  }

  restore(idOrPrefix: string): Item {
    const ref = this.resolve(idOrPrefix);
    this.write((now) => this.trashIn(ref, false, now));
    return items.loadItem(this.db, ref);
  }

  /**
   * Inside a write: moves the item into the trash (or out of it); false when it was already there.
   * `ref.deleted`, when given, is where the item is now (read in the same transaction).
   */
  private trashIn(ref: items.ItemRef & { readonly deleted?: boolean }, toTrash: boolean, now: string): boolean {
    const deleted = ref.deleted ?? sql(this.db, 'SELECT deleted_at IS NOT NULL FROM items WHERE seq = ?').pluck().get(ref.seq) === 1;
    if (deleted === toTrash) return false;
    items.setDeleted(this.db, ref.seq, toTrash ? now : null, now);
    this.log(toTrash ? { action: 'delete', itemId: ref.id, details: { to: 'trash' } } : { action: 'restore', itemId: ref.id, details: { from: 'trash' } }, now);
    reindexItem(this.db, ref.seq);
    return true;
  }

  history(idOrPrefix: string): CustodyEvent[] {
    return this.custody.forItem(this.resolve(idOrPrefix).id);
  }

  /** What earlier archives recorded about the item, received with it in bundles. */
  receivedHistory(idOrPrefix: string): ReceivedCustodyEvent[] {
    return this.custody.receivedFor(this.resolve(idOrPrefix).id);
  }

  search(query: string, limit = 20, cursor: string | null = null): SearchResult {
    return searchItems(this.db, query, limit, cursor);
  }

  /** Quick-switcher suggestions: items by title, tags and collections, typos forgiven. */
  quick(query: string, limit = 12): QuickHit[] {
    return quickSwitch(this.db, query, limit);
  }

  /** The item already holding this content as its original, if any. */
  findByContent(sha256: string): { id: string; title: string; deletedAt: string | null } | undefined {
    return items.findOriginalBySha(this.db, sha256);
  }

  blobPath(sha256: string): string {
    return this.store.pathOf(sha256);
  }

  rebuildSearchIndex(): number {
    return this.write(() => rebuildIndex(this.db));
  }

  /** Structural checks: SQLite, foreign keys, the search index, blob presence, custody chain. */
  check(): CheckResult {
    const integrity = String(this.db.pragma('integrity_check', { simple: true }));
    const foreignKeys = (this.db.pragma('foreign_key_check') as unknown[]).length;
    const index = searchIndexReport(this.db);
    const missingBlobs = (
      sql(this.db, 'SELECT i.id AS itemId, f.name, f.sha256 FROM files f JOIN items i ON i.seq = f.item_seq ORDER BY f.id')
        .all() as { itemId: string; name: string; sha256: string }[]
    ).filter((f) => !this.store.has(f.sha256));
    const custodyChain = this.custody.verifyChain();
    return {
      ok: integrity === 'ok' && foreignKeys === 0 && index.searchIndex === 'ok' && missingBlobs.length === 0 && custodyChain === null,
      integrity,
      foreignKeys,
      ...index,
      missingBlobs,
      custodyChain,
    };
  }

  /** Fixity: every blob re-hashed, the store, the custody chain and the database checked (verify.ts). */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifyArchive(this, options);
  }

  verifyStatus(): VerifyStatus {
    return verifyStatus(this);
  }

  setVerifySchedule(every: VerifyEvery): VerifyStatus {
    return setVerifySchedule(this, every);
  }

  custodyReport(idOrPrefix: string, signal?: AbortSignal): Promise<CustodyReport> {
    return custodyReport(this, idOrPrefix, signal);
  }
}

export interface ListFilterOptions {
  kind?: ItemKind;
  tag?: string;
  collection?: string;
  trash?: boolean;
  from?: string;
  to?: string;
}

function listFilter(options: ListFilterOptions): items.ListFilter {
  return {
    kind: options.kind,
    tagKey: options.tag === undefined ? undefined : labels.labelKey(options.tag),
    collectionKey: options.collection === undefined ? undefined : labels.labelKey(options.collection),
    trash: options.trash,
    from: options.from,
    to: options.to,
  };
}

/** SQLite's and the file system's "no space left", as the one sentence every door shows; other errors as they are. */
function diskFull(err: unknown, dir: string): unknown {
  // One already put into words (by a step inside) keeps its own sentence.
  if (!isDiskFull(err) || err instanceof ArchiveError) return err;
  return new ArchiveError('disk-full', phrase('archive.diskFull', { dir }), { cause: err });
}

/** items.bulk's arguments once parsed by the contract's schema (at the door). */
type BulkArgs = ParsedArgsOf<'items.bulk'>;
/** Ids named in a bulk refusal; past these, a count (a selection can hold 100,000). */
const NAMED_IDS = 10;

/** Why a bulk change was refused: every id that names no item, then that nothing changed. */
function unknownIds(failures: readonly { id: string; error: ArchiveError }[], total: number): ArchiveError {
  const shown = failures.slice(0, NAMED_IDS);
  const missing = shown.filter((f) => f.error.code === 'not-found').map((f) => f.id);
  const sentences: (Phrase | string)[] = [
    ...(missing.length === 1 ? [phrase('archive.item.notFound', { id: missing[0]! })] : missing.length > 1 ? [phrase('archive.bulk.noItems', { ids: missing.join(', ') })] : []),
    // resolveItem's own reason (an ambiguous prefix, a malformed id), as it said it.
    ...shown.filter((f) => f.error.code !== 'not-found').map((f) => f.error.phrase ?? f.error.message),
    ...(failures.length > shown.length ? [moreRefused(failures.slice(shown.length))] : []),
    ...(total > 1 ? [phrase('archive.bulk.noneChanged', { count: total })] : []),
  ];
  const codes = new Set(failures.map((f) => f.error.code));
  return new ArchiveError(codes.size === 1 ? (failures[0] as { error: ArchiveError }).error.code : 'not-found', joinSentences(sentences));
}

/** Sentences said one after another, as one phrase (each still said in the language asked for). */
function joinSentences(sentences: readonly (Phrase | string)[]): Phrase | string {
  return sentences.reduceRight<Phrase | string | undefined>((rest, first) => (rest === undefined ? first : phrase('archive.sentences', { first, rest })), undefined) ?? '';
}

/** The ids past those named: how many, and why (most often all unknown, but a prefix can be ambiguous, an id malformed). */
function moreRefused(rest: readonly { error: ArchiveError }[]): Phrase {
  if (rest.every((f) => f.error.code === 'not-found')) return phrase('archive.bulk.moreNotFound', { count: rest.length });
  return phrase('archive.bulk.moreRefused', { count: rest.length });
}

const PROTECTED: Record<string, true> = { speakerName: true, speakerContact: true, protectedNotes: true };

function pick(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

/** NFC-normalises strings and validates them against the domain schema, with a readable error. */
// Built once: zod compiles a schema on first use, which per item would cost more than the insert.
const NEW_FIELDS = ItemFields.partial().required({ title: true });
const FIELD_PATCH = ItemFields.partial();
const TESTIMONY_PATCH = TestimonyFields.partial();

function validateFields(fields: Record<string, unknown>, creating: boolean): Partial<ItemFieldsT> {
  return parseOrThrow(creating ? NEW_FIELDS : FIELD_PATCH, nfcAll(fields));
}

function validateTestimony(fields: Record<string, unknown>): Partial<TestimonyFieldsT> {
  return parseOrThrow(TESTIMONY_PATCH, nfcAll(fields));
}

function nfcAll(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => {
        if (typeof v !== 'string') return [k, v];
        const s = v.normalize('NFC');
        return [k, k === 'title' ? s.replace(/\s+/g, ' ').trim() : s];
      }),
  );
}

/** Keeps custody events small: a 50 MB body edit records its size, not its text twice. */
function truncateChanges(changes: Record<string, { from: unknown; to: unknown }>): Record<string, { from: unknown; to: unknown }> {
  const short = (v: unknown): unknown => (typeof v === 'string' && v.length > 500 ? `(${v.length} characters)` : v);
  return Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, { from: short(c.from), to: short(c.to) }]));
}
