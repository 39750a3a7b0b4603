// The contract: every operation once, with the zod schema of its argument and the type of its
// result. The CLI, the desktop app's IPC bridge and browser mode all validate against it and call
// the same handlers (electron/archive/handlers.ts), so the three doors cannot drift apart.
import { z } from 'zod';
import {
  DateText,
  ItemKind,
  Sensitivity,
  type CustodyEvent,
  type ReceivedCustodyEvent,
  type ImportSummary,
  type Item,
  type ItemSummary,
} from './domain.ts';
import { phrase, type Phrase, type PhraseKey } from './phrase.ts';
import type { QueryWarning } from './query.ts';
import { rule } from './validation.ts';
import { BULK_ACTIONS, LABEL_KINDS, LIST_SORTS, MAX_COLLECTION_DESCRIPTION, MAX_LABEL_CHARS, type BulkAction, type ListSort } from './vocabulary.ts';

export { BULK_ACTIONS, LIST_SORTS, type BulkAction, type ListSort };

const Id = z.string().trim().min(1, rule('schema.itemIdRequired')).max(64);
const Label = z.string().trim().min(1, rule('schema.nameEmpty')).max(MAX_LABEL_CHARS);
/** The most results one call returns (list, search); more come by paging. */
export const MAX_LIMIT = 10_000;
const Limit = z.number().int().min(1).max(MAX_LIMIT);
const FilePath = z.string().min(1, rule('schema.filePathRequired')).max(4096);
/** The renderer makes these (crypto.randomUUID); both doors key their running calls by them. */
export const CallId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, rule('schema.callId'));

const NewTestimony = z.object({
  title: z.string().trim().min(1, rule('schema.testimonyTitle')).max(2000),
  speakerAlias: z.string().max(500).nullish(),
  speakerName: z.string().max(500).nullish(),
  speakerContact: z.string().max(2000).nullish(),
  relationToCase: z.string().max(2000).nullish(),
  interviewer: z.string().max(500).nullish(),
  consent: z.string().max(4000).nullish(),
  protectedNotes: z.string().max(100_000).nullish(),
  language: z.string().max(35).nullish(),
  eventDate: DateText.nullish(),
  place: z.string().max(2000).nullish(),
  description: z.string().max(100_000).optional(),
  sensitivity: Sensitivity.optional(),
  recording: FilePath.nullish(),
  transcripts: z.array(z.object({ path: FilePath, language: z.string().max(35).nullish(), role: z.enum(['transcript', 'translation']) })).max(50).default([]),
  tags: z.array(Label).max(200).default([]),
  collections: z.array(Label).max(50).default([]),
});

/** What the library can be narrowed to; `from`/`to` bound the item's date (event, published or captured). */
const ListFilters = z.object({
  kind: ItemKind.optional(),
  tag: Label.optional(),
  collection: Label.optional(),
  trash: z.boolean().optional(),
  from: DateText.optional(),
  to: DateText.optional(),
});
const Sort = z.enum(LIST_SORTS);

// Keys (helper K). Passphrases are taken as typed, never trimmed or normalised: stock `age` must
// open the key file with the same keystrokes.
/** The fewest characters (code points) a passphrase protecting the archive's key may have. */
export const MIN_KEY_PASSPHRASE_CHARS = 12;
const Passphrase = z.string().min(1, rule('schema.passphraseRequired')).max(1024);
const NewKeyPassphrase = Passphrase.refine((p) => [...p].length >= MIN_KEY_PASSPHRASE_CHARS, {
  ...rule('schema.passphraseTooShort'),
  params: { count: MIN_KEY_PASSPHRASE_CHARS },
});
const RecipientName = z.string().trim().min(1, rule('schema.recipientNameRequired')).max(100);
const RecipientKey = z.string().trim().min(1, rule('schema.recipientKeyRequired')).max(4096);

export interface AddressBookEntry {
  readonly name: string;
  /** An age recipient: age1… (X25519) or age1pq1… (post-quantum). */
  readonly recipient: string;
}

// Bundles (helper A). Secrets are taken as typed (never trimmed): they must open the same file in
// stock `age`. A bundle is for a passphrase or for keys (recipients and/or the archive's own).
const BundleCredentials = z
  .object({
    passphrase: z.string().min(1, rule('schema.passphraseEmpty')).max(1024).optional(),
    recipients: z.array(z.string().trim().min(1).max(4096)).max(100).optional(),
    /** AGE-SECRET-KEY-1… or the contents of an identity file as age-keygen writes it. */
    identity: z.string().min(1).max(100_000).optional(),
    useArchiveKey: z.boolean().optional(),
    /** Unlocks the archive's own key, to open a bundle with it. */
    keyPassphrase: z.string().min(1).max(1024).optional(),
  })
  .strict();
export const VERIFY_EVERY = ['off', 'daily', 'weekly', 'monthly'] as const;
const VerifyEvery = z.enum(VERIFY_EVERY);
export type VerifyEvery = (typeof VERIFY_EVERY)[number];

const BundleSelection = z
  .object({
    ids: z.array(Id).min(1).max(100_000).optional(),
    collection: Label.optional(),
    query: z.string().trim().min(1, rule('schema.queryEmpty')).max(10_000).optional(),
  })
  .strict();

/** The bulk actions that take no name, as a refusal names them. */
const BULK_ACTION_NAMES = { trash: 'schema.bulk.action.trash', restore: 'schema.bulk.action.restore' } as const satisfies Record<Exclude<BulkAction, 'tag' | 'collect'>, PhraseKey>;

export const contract = {
  'archive.info': { args: z.object({}).strict(), result: {} as ArchiveInfo },
  /**
   * Desktop app only, answered by its door: asks for another archive folder (the system's folder
   * picker), remembers it and starts the app again on it. Browser mode serves the folder it was
   * started with and refuses this.
   */
  'archive.choose': { args: z.object({}).strict(), result: {} as { chosen: false } | { chosen: true; dir: string } },
  'archive.check': { args: z.object({}).strict(), result: {} as CheckResult },
  'items.list': {
    args: z
      .object({
        ...ListFilters.shape,
        sort: Sort.default('created'),
        desc: z.boolean().default(true),
        limit: Limit.default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: [] as ItemSummary[],
  },
  // Renderer (helper D): the library pages through items.list and needs the total to size its list.
  'items.count': { args: ListFilters.strict(), result: {} as { total: number } },
  /** Those of `ids` (whole ids, in the order given) that the list with these filters holds. */
  'items.among': { args: ListFilters.extend({ ids: z.array(Id).max(100_000) }).strict(), result: {} as { ids: string[] } },
  'archive.loadSample': { args: z.object({}).strict(), result: {} as { loaded: boolean } },
  'items.get': { args: z.object({ id: Id }).strict(), result: {} as Item },
  'items.edit': {
    args: z.object({ id: Id, set: z.record(z.string().max(64), z.union([z.string(), z.null()])) }).strict(),
    result: {} as Item,
  },
  'items.tag': {
    args: z.object({ id: Id, add: z.array(Label).max(200).default([]), remove: z.array(Label).max(200).default([]) }).strict(),
    result: {} as Item,
  },
  'items.collect': { args: z.object({ id: Id, collection: Label, remove: z.boolean().default(false) }).strict(), result: {} as Item },
  'items.link': {
    args: z
      .object({ from: Id, to: Id, relation: z.string().trim().min(1).max(100).default('related'), remove: z.boolean().default(false) })
      .strict(),
    result: {} as Item,
  },
  'items.trash': { args: z.object({ id: Id }).strict(), result: {} as Item },
  'items.restore': { args: z.object({ id: Id }).strict(), result: {} as Item },
  // Renderer (helper 5): the library's multi-select. One change for every selected item in ONE
  // transaction (all or nothing), one custody event per item it changes. A cancel is read at each
  // progress report (every 500 items) and rolls back every item changed so far.
  'items.bulk': {
    args: z
      .object({
        ids: z.array(Id).min(1, rule('schema.selectItems')).max(100_000),
        action: z.enum(BULK_ACTIONS),
        /** The tag or collection, for tag and collect (and only for them). */
        name: Label.optional(),
      })
      .strict()
      .superRefine((a, ctx) => {
        if (a.action === 'tag' || a.action === 'collect') {
          if (a.name === undefined)
            ctx.addIssue({ code: 'custom', path: ['name'], ...rule(a.action === 'tag' ? 'schema.bulk.tagNameRequired' : 'schema.bulk.collectionNameRequired') });
        } else if (a.name !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['name'], ...rule('schema.bulk.noName'), params: { action: phrase(BULK_ACTION_NAMES[a.action]) } });
        }
      }),
    result: {} as BulkResult,
    // Thousands of items take seconds: the count so far, every few hundred items.
    progress: 'items.progress',
  },
  'items.history': { args: z.object({ id: Id }).strict(), result: [] as CustodyEvent[] },
  /** What earlier archives recorded about the item, received with it in bundles (their own numbering and hashes). */
  'items.history.received': { args: z.object({ id: Id }).strict(), result: [] as ReceivedCustodyEvent[] },
  'items.addNote': {
    args: z
      .object({
        title: z.string().trim().min(1, rule('schema.noteTitle')).max(2000),
        body: z.string().max(50_000_000),
        language: z.string().max(35).nullish(),
        tags: z.array(Label).max(200).default([]),
        collections: z.array(Label).max(50).default([]),
      })
      .strict(),
    result: {} as Item,
  },
  'items.addTestimony': { args: NewTestimony.strict(), result: {} as Item },
  'labels.tags': { args: z.object({}).strict(), result: [] as LabelCount[] },
  'labels.collections': { args: z.object({}).strict(), result: [] as (LabelCount & { description: string })[] },
  /** Removes a tag or collection that no item uses, not even one in the trash; refused otherwise. */
  'labels.remove': { args: z.object({ kind: z.enum(LABEL_KINDS), name: Label }).strict(), result: {} as { removed: string } },
  /** What a collection (a case) is about, in a paragraph or two; empty clears it. It travels in bundles. */
  'labels.describe': {
    args: z.object({ name: Label, description: z.string().max(MAX_COLLECTION_DESCRIPTION, rule('schema.descriptionTooLong')) }).strict(),
    result: {} as { name: string; description: string },
  },
  /**
   * Renames a tag or collection on every item that holds it, live or in the trash (each item's
   * custody records it). A name another label has already merges the two under that one.
   */
  'labels.rename': {
    args: z.object({ kind: z.enum(LABEL_KINDS), name: Label, to: Label }).strict(),
    result: {} as { from: string; name: string; items: number; merged: boolean },
    // One transaction, as items.bulk: the count every few hundred items, and a cancel rolls it back.
    progress: 'items.progress',
  },
  'import.paths': {
    args: z
      .object({
        paths: z.array(FilePath).min(1, rule('schema.pathsRequired')).max(10_000),
        tags: z.array(Label).max(200).default([]),
        collections: z.array(Label).max(50).default([]),
        kind: ItemKind.optional(),
      })
      .strict(),
    result: {} as ImportSummary,
    progress: 'import.progress',
  },
  'search.query': {
    args: z
      .object({
        query: z.string().max(10_000, rule('schema.queryTooLong')),
        limit: Limit.default(20),
        /** nextCursor of the previous page of the same query. */
        cursor: z.string().max(1000).optional(),
      })
      .strict(),
    result: {} as SearchResult,
  },
  // Search (helper F): the quick switcher (Ctrl+K), fuzzy over titles, tags and collections.
  'search.quick': {
    args: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(50).default(12) }).strict(),
    result: [] as QuickHit[],
  },
  'index.check': { args: z.object({}).strict(), result: {} as { ok: boolean; problem: string | null; said?: Phrase } },
  'index.rebuild': { args: z.object({}).strict(), result: {} as { indexed: number } },
  // Keys (helper K): the archive's own age key (keys/identity.age, passphrase-protected) and the
  // address book of named recipients bundles are encrypted to.
  'keys.status': { args: z.object({}).strict(), result: {} as { recipient: string | null } },
  'keys.create': { args: z.object({ passphrase: NewKeyPassphrase }).strict(), result: {} as { recipient: string } },
  /** Opens the key with its passphrase (proving it is remembered) and restores keys/identity.pub if lost. */
  'keys.check': { args: z.object({ passphrase: Passphrase }).strict(), result: {} as { recipient: string } },
  'keys.recipients.list': { args: z.object({}).strict(), result: [] as AddressBookEntry[] },
  'keys.recipients.add': { args: z.object({ name: RecipientName, recipient: RecipientKey }).strict(), result: {} as AddressBookEntry },
  'keys.recipients.remove': { args: z.object({ name: RecipientName }).strict(), result: {} as AddressBookEntry },
  // Doors (helper B): cancels the running call with this id. The desktop app's ipc.ts and browser
  // mode's server.ts answer it themselves (electron/calls.ts); the engine alone knows no calls.
  'calls.cancel': { args: z.object({ callId: CallId }).strict(), result: {} as { cancelled: boolean } },
  // Bundles (helper A): .sijil files (age-encrypted BagIt bags), and the conflicts importing one can leave.
  'bundle.export': {
    args: z
      .object({
        /** Empty: the whole archive (items in the trash never leave). At most one way of selecting. */
        selection: BundleSelection.default({}),
        to: FilePath,
        credentials: BundleCredentials,
        redact: z.boolean().default(false),
        media: z.boolean().default(true),
        overwrite: z.boolean().default(false),
        organization: z.string().trim().max(500).optional(),
      })
      .strict(),
    result: {} as BundleExportResult,
    progress: 'bundle.progress',
  },
  'bundle.inspect': { args: z.object({ path: FilePath, credentials: BundleCredentials }).strict(), result: {} as BundleInfo },
  'bundle.import': {
    args: z.object({ path: FilePath, credentials: BundleCredentials }).strict(),
    result: {} as BundleImportResult,
    progress: 'bundle.progress',
  },
  'conflicts.list': { args: z.object({ includeResolved: z.boolean().default(false) }).strict(), result: [] as ConflictRecord[] },
  // Fixity (issue 8): re-hash every blob, walk the custody chain, check the database. Each run is
  // recorded as an archive-level custody event, which is also where verify.status reads the last one.
  'archive.verify': {
    args: z
      .object({
        /** Only these items' files; the custody chain, the database and untracked files are always checked whole. */
        items: z.array(Id).min(1).max(100_000).optional(),
      })
      .strict(),
    result: {} as VerifyReport,
    progress: 'verify.progress',
  },
  /** The last verification and the schedule (kept in the archive folder, so it moves with the archive). */
  'verify.status': { args: z.object({}).strict(), result: {} as VerifyStatus },
  'verify.schedule': { args: z.object({ every: VerifyEvery }).strict(), result: {} as VerifyStatus },
  /** A custody report a lawyer can read: the item, its files and their hashes, every event, whether the chain holds. */
  'items.custodyReport': { args: z.object({ id: Id }).strict(), result: {} as CustodyReport },
  'conflicts.resolve': {
    args: z.object({ id: z.number().int().min(1), keep: z.enum(['local', 'incoming', 'both']) }).strict(),
    result: {} as ConflictRecord,
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ArgsOf<C extends Channel> = z.input<Contract[C]['args']>;
export type ParsedArgsOf<C extends Channel> = z.output<Contract[C]['args']>;
export type ResultOf<C extends Channel> = Contract[C]['result'];
export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export interface ArchiveInfo {
  readonly dir: string;
  readonly items: number;
  readonly trash: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly schemaVersion: number;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly integrity: string;
  readonly foreignKeys: number;
  /** 'ok', or what is wrong with the search index in English; `searchIndexSaid` is the same as a phrase. */
  readonly searchIndex: string;
  readonly searchIndexSaid?: Phrase;
  readonly missingBlobs: readonly { itemId: string; name: string; sha256: string }[];
  readonly custodyChain: { seq: number; problem: string; said?: Phrase } | null;
}

export interface BulkResult {
  /** Items the action changed (each has its custody event). */
  readonly changed: number;
  /** Items already so (already tagged, in the collection, in the trash, or not in it), left as they were. */
  readonly unchanged: number;
}

/** `items.progress`: items.bulk has gone through `done` of `total` items (the commit follows the last). */
export interface BulkProgressEvent {
  readonly done: number;
  readonly total: number;
}

export interface LabelCount {
  readonly name: string;
  readonly count: number;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** What the query parser dropped or reinterpreted ("kind:movie is not a kind; ..."). */
  readonly warnings: readonly string[];
  /** The same warnings as codes and parts (shared/query.ts), in the same order: what a screen translates. */
  readonly warningCodes: readonly QueryWarning[];
  /** Words found in few documents, and the near spellings the search also used ("also matched"). */
  readonly alsoMatched: readonly { readonly term: string; readonly alternatives: readonly string[] }[];
  /** Every matching item, not only the hits returned. */
  readonly total: number;
  /** How the whole result set divides, most common first (at most 100 values each). */
  readonly facets: {
    readonly kind: readonly FacetCount[];
    readonly language: readonly FacetCount[];
    readonly year: readonly FacetCount[];
    readonly tag: readonly FacetCount[];
  };
  /** Pass as `cursor` (same query) for the next page; null on the last page. Opaque. */
  readonly nextCursor: string | null;
}

/** One quick-switcher suggestion: an item by its title, or a tag or collection to filter by. */
export interface QuickHit {
  readonly type: 'item' | 'tag' | 'collection';
  /** The item's id, or the tag's or collection's name. */
  readonly id: string;
  /** What to show: the item's title, or the tag's or collection's name. */
  readonly title: string;
  readonly itemKind: ItemKind | null;
  /** Ranges [start, end) of `title` (UTF-16 units) to highlight, as matched. */
  readonly ranges: [number, number][];
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface SearchHit {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string;
  readonly date: string | null;
  readonly score: number;
  /** A window of the original text of the best-matching field, with the matched words' ranges. */
  readonly snippet: { readonly field: string; readonly text: string; readonly ranges: readonly (readonly [number, number])[] } | null;
}

export interface ImportProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly path: string;
  /** While a large file is copied: bytes copied so far, of `size`. */
  readonly bytes?: number;
  readonly size?: number;
}

// Bundles (helper A) -------------------------------------------------------------------------------

/** `bundle.progress`: phases preparing, writing, done (export); reading, merging, done (import). */
export interface BundleProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface BundleExportResult {
  readonly path: string;
  readonly bundleId: string;
  readonly items: number;
  /** Files whose bytes are in the bundle. */
  readonly files: number;
  /** Files left out (media off), listed in archive.json by hash and size. */
  readonly omittedFiles: number;
  /** Items marked protected that a redacted bundle left out. */
  readonly withheld: number;
  /** Size of the .sijil file. */
  readonly bytes: number;
  readonly redacted: boolean;
  readonly media: boolean;
}

export interface BundleInfo {
  readonly file: string;
  readonly size: number;
  readonly bundleId: string;
  readonly createdAt: string;
  /** The program that made it ("Sijil 0.1.0"). */
  readonly software: string;
  /** Who made it (bag-info's Source-Organization), if the exporter said. */
  readonly organization: string | null;
  readonly redacted: boolean;
  /** Whether original video, audio and image files are included. */
  readonly media: boolean;
  readonly counts: {
    readonly items: number;
    readonly byKind: Partial<Record<ItemKind, number>>;
    readonly files: number;
    readonly bytes: number;
    readonly omittedFiles: number;
    readonly omittedBytes: number;
    readonly links: number;
    readonly collections: number;
  };
  /** When this archive imported this very bundle before, or null. */
  readonly alreadyImported: string | null;
  /** How many of its items (by id) this archive already has. */
  readonly alreadyHere: number;
  readonly items: readonly {
    readonly id: string;
    readonly kind: ItemKind;
    readonly title: string;
    readonly date: string | null;
    readonly sensitivity: Sensitivity;
    readonly files: number;
    /** Bytes of this item's files that are in the bundle. */
    readonly bytes: number;
    /** This archive already has an item with this id. */
    readonly here: boolean;
  }[];
  readonly collections: readonly { readonly name: string; readonly description: string; readonly items: number }[];
  readonly omitted: readonly { readonly itemId: string; readonly role: string; readonly name: string; readonly sha256: string; readonly size: number; readonly mime: string }[];
  /** More than 10,000 items or omitted files: the lists stop there (the counts do not). */
  readonly truncated: boolean;
}

/**
 * What became of each item of an imported bundle: added (new here, same id); unchanged (we have
 * this very version); local-newer (we had this version and changed it since); duplicate (another
 * item here holds the same original file); conflict (a different version: kept beside ours as a
 * new item, to resolve); conflict-known (that version is already kept from an earlier import).
 */
export type BundleItemStatus = 'added' | 'unchanged' | 'local-newer' | 'duplicate' | 'conflict' | 'conflict-known';

export interface BundleImportResult {
  readonly bundleId: string;
  /** When this bundle was first imported, if before now. */
  readonly alreadyImported: string | null;
  readonly added: number;
  readonly unchanged: number;
  readonly duplicates: number;
  readonly conflicts: number;
  /** Files an item here lacked (from a bundle without media) that this bundle brought. */
  readonly filesAdded: number;
  readonly linksAdded: number;
  readonly redacted: boolean;
  readonly media: boolean;
  readonly organization: string | null;
  readonly createdAt: string;
  readonly items: readonly {
    readonly bundleItemId: string;
    /** The item here that holds it: the same id, the conflict copy, or the duplicate. */
    readonly itemId: string;
    readonly title: string;
    readonly status: BundleItemStatus;
    /** For conflicts: our item the incoming version conflicts with. */
    readonly conflictOf?: string;
  }[];
}

export interface ConflictRecord {
  readonly id: number;
  readonly localItemId: string;
  readonly localTitle: string;
  /** The incoming version, kept as its own item. */
  readonly incomingItemId: string;
  readonly incomingTitle: string;
  readonly bundleId: string;
  /**
   * both-changed: both versions changed since they were last shared; changed-there: only the
   * incoming one; same-file: an item under another id with our original file, described differently.
   */
  readonly reason: 'both-changed' | 'changed-there' | 'same-file';
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: 'local' | 'incoming' | 'both' | null;
}

// Fixity (issue 8) ---------------------------------------------------------------------------------

export interface VerifyFileProblem {
  readonly itemId: string;
  readonly itemTitle: string;
  /** The file's name in the item, and its role (original, transcript, ...). */
  readonly fileName: string;
  readonly role: string;
  /** The hash recorded when the file was collected. */
  readonly sha256: string;
  /** For a changed file: the hash its bytes have now. */
  readonly actual?: string;
}

/** A break in the custody chain, at `position` (1-based, in chain order) and event `seq`. */
export interface CustodyProblem {
  readonly position: number;
  readonly seq: number;
  readonly problem: 'edited' | 'removed' | 'reordered' | 'inserted';
  /** One sentence a person can act on. */
  readonly detail: string;
  /** The same, as a phrase for the interface to say in its language (absent from reports older than phrases). */
  readonly said?: Phrase;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** File rows checked, distinct blobs re-hashed, and their bytes. */
  readonly files: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly changed: readonly VerifyFileProblem[];
  readonly missing: readonly VerifyFileProblem[];
  /** Files in the blob store no item refers to, relative to the archive folder. */
  readonly untracked: readonly { readonly path: string; readonly bytes: number }[];
  readonly custody: { readonly events: number; readonly problems: readonly CustodyProblem[] };
  readonly database: { readonly integrity: string; readonly foreignKeys: number; readonly searchIndex: string; readonly searchIndexSaid?: Phrase };
}

/** `verify.progress`: files (done/total files, bytes/totalBytes), then custody, database, done. */
export interface VerifyProgressEvent {
  readonly phase: 'files' | 'custody' | 'database' | 'done';
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

export interface VerifyStatus {
  readonly every: VerifyEvery;
  readonly last: {
    readonly at: string;
    readonly ok: boolean;
    readonly changed: number;
    readonly missing: number;
    readonly untracked: number;
    readonly custodyProblems: number;
  } | null;
  /** A schedule is set and the last verification is older than it allows (or there was none). */
  readonly due: boolean;
}

export interface CustodyReport {
  /** A suggested file name, e.g. custody-<item id>.txt. */
  readonly fileName: string;
  readonly text: string;
}
