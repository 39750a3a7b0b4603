// What a bundle says about its items, version 1: data/archive.json (the whole bundle at a glance,
// first in the tar so `inspect` can stop reading there) and data/items/<id>/item.json (one item
// whole). Export writes these, inspect and import read them; import trusts nothing it has not
// parsed against these schemas.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  DateShape,
  FileRole,
  ItemFields,
  ItemId,
  ItemKind,
  PROTECTED_TESTIMONY_FIELDS,
  TestimonyFields,
} from '../../../shared/domain.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase, type PhraseValue } from '../../../shared/phrase.ts';
import { issuePhrase, rule } from '../../../shared/validation.ts';
import { MAX_LABEL_CHARS } from '../../../shared/vocabulary.ts';
import { canonicalJson } from '../custody.ts';

export const BUNDLE_FORMAT = 'sijil-bundle';
export const BUNDLE_VERSION = 1;
export const ARCHIVE_JSON = 'data/archive.json';
/** Bag paths start at the bag's root, as the manifest lists them: data/items/<id>/<name>. */
export const itemFolder = (id: string): string => `data/items/${id}`;
export const itemJsonPath = (id: string): string => `${itemFolder(id)}/item.json`;
/**
 * Each item's custody report, plain text for a reader without Sijil (custodyReport.ts). Derived
 * from item.json and archive.json, so import checks it against the manifest only and keeps nothing of it.
 */
export const CUSTODY_REPORT = 'custody.txt';
export const custodyReportPath = (id: string): string => `${itemFolder(id)}/${CUSTODY_REPORT}`;

/**
 * Key in an item's `extra` listing files the archive knows by hash but does not hold (they arrived
 * in a bundle exported without media). They still count as the item's files: an export lists
 * them as omitted, and a later bundle that carries them fills them in.
 */
export const FILES_NOT_INCLUDED = 'filesNotIncluded';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, rule('bundle.json.notSha256'));
const Timestamp = z.string().min(4).max(64);
const BagFilePath = z.string().min(6).max(4096).startsWith('data/');
const LabelName = z.string().min(1).max(MAX_LABEL_CHARS);
// Earlier builds of Sijil let impossible days (2019-02-30) in. A bundle carrying one is evidence to
// receive whole, so its dates are held to the written shape only; the doors refuse such a day.
const CarriedDate = DateShape.nullable();
const MAX_ITEMS = 1_000_000;

/** A file of an item. `path` is where its bytes are in the bag, or null when they were left out. */
export const FileEntry = z
  .object({
    role: FileRole,
    name: z.string().min(1).max(1000),
    sha256: Sha256,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mime: z.string().min(1).max(255),
    language: z.string().max(35).nullable(),
    addedAt: Timestamp,
    path: BagFilePath.nullable(),
  })
  .strict();
export type FileEntry = z.infer<typeof FileEntry>;

/** What `extra.filesNotIncluded` holds: a file entry without a place in any bag. */
export const MissingFile = FileEntry.omit({ path: true });
export type MissingFile = z.infer<typeof MissingFile>;

export const TextEntry = z
  .object({
    role: z.enum(['transcript', 'translation']),
    language: z.string().max(35).nullable(),
    text: z.string().max(50_000_000),
    /** Index in the item's `files` of the file this text was read from, if any. */
    file: z.number().int().min(0).nullable(),
  })
  .strict();
export type TextEntry = z.infer<typeof TextEntry>;

/** A custody event exactly as the exporting archive hashed it (see custody.ts eventHash). */
export const CustodyEventEntry = z
  .object({
    seq: z.number().int().min(1),
    at: Timestamp,
    action: z.string().min(1).max(64),
    itemId: z.string().max(64).nullable(),
    sha256: z.string().max(64).nullable(),
    details: z.record(z.string(), z.unknown()),
    prevHash: Sha256,
    hash: Sha256,
  })
  .strict();
export type CustodyEventEntry = z.infer<typeof CustodyEventEntry>;

/** An event the exporting archive itself received from an earlier bundle, kept with its source. */
export const ForeignCustodyEventEntry = CustodyEventEntry.extend({ bundleId: z.string().min(1).max(64) }).strict();
export type ForeignCustodyEventEntry = z.infer<typeof ForeignCustodyEventEntry>;

/** data/items/<id>/item.json: one item whole. */
export const ItemEntry = z
  .object({
    id: ItemId,
    kind: ItemKind,
    ...ItemFields.shape,
    publishedAt: CarriedDate,
    capturedAt: CarriedDate,
    eventDate: CarriedDate,
    html: z.string().max(100_000_000).nullable(),
    extra: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    testimony: TestimonyFields.nullable(),
    tags: z.array(LabelName).max(10_000),
    collections: z.array(LabelName).max(10_000),
    files: z.array(FileEntry).max(100_000),
    texts: z.array(TextEntry).max(10_000),
  })
  .strict();
export type ItemEntry = z.infer<typeof ItemEntry>;

/** An item as archive.json lists it: enough to show and count, the rest is in its item.json. */
export const ItemSummaryEntry = z
  .object({
    id: ItemId,
    kind: ItemKind,
    title: ItemFields.shape.title,
    sensitivity: ItemFields.shape.sensitivity,
    language: ItemFields.shape.language,
    date: z.string().max(64).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    tags: z.array(LabelName).max(10_000),
    collections: z.array(LabelName).max(10_000),
    files: z.array(FileEntry).max(100_000),
    /** data/items/<id>/item.json */
    path: BagFilePath,
  })
  .strict();
export type ItemSummaryEntry = z.infer<typeof ItemSummaryEntry>;

/**
 * What archive.json says of an item, made from its item.json: the exporter writes it so, and the
 * import refuses a bundle whose archive.json says anything else of it (inspect shows archive.json,
 * the import takes item.json: the two must not tell a recipient different things).
 */
export function itemSummary(entry: ItemEntry): ItemSummaryEntry {
  return {
    id: entry.id,
    kind: entry.kind,
    title: entry.title,
    sensitivity: entry.sensitivity,
    language: entry.language,
    date: entry.eventDate ?? entry.publishedAt ?? entry.capturedAt,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    tags: entry.tags,
    collections: entry.collections,
    files: entry.files,
    path: itemJsonPath(entry.id),
  };
}

export const OmittedFile = z
  .object({ itemId: ItemId, role: FileRole, name: z.string().min(1).max(1000), sha256: Sha256, size: z.number().int().min(0), mime: z.string().max(255) })
  .strict();
export type OmittedFile = z.infer<typeof OmittedFile>;

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** data/archive.json */
export const ArchiveJson = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    bundleId: z.string().regex(/^[0-9a-z-]{8,64}$/, rule('bundle.json.notBundleId')),
    createdAt: Timestamp,
    /** The program that wrote the bundle, as "Sijil 0.1.0". */
    software: z.string().min(1).max(200),
    /** Who made it (bag-info's Source-Organization), when the exporter said. */
    organization: z.string().max(500).nullable(),
    /** Protected testimony fields and items marked protected were left out. */
    redacted: z.boolean(),
    /** Whether original video, audio and image files are included. */
    media: z.boolean(),
    counts: z
      .object({
        items: Count,
        byKind: z.partialRecord(ItemKind, Count),
        /** Files whose bytes are in the bundle, and their total size. */
        files: Count,
        bytes: Count,
        omittedFiles: Count,
        omittedBytes: Count,
      })
      .strict(),
    items: z.array(ItemSummaryEntry).max(MAX_ITEMS),
    collections: z.array(z.object({ name: LabelName, description: z.string().max(100_000) }).strict()).max(100_000),
    links: z.array(z.object({ from: ItemId, to: ItemId, relation: z.string().min(1).max(100) }).strict()).max(10_000_000),
    /** This archive's custody events for each item, oldest first. */
    custody: z.record(ItemId, z.array(CustodyEventEntry)),
    /** Events the exporting archive received with each item from earlier bundles. */
    foreignCustody: z.record(ItemId, z.array(ForeignCustodyEventEntry)),
    /** Files left out (media off), listed so a recipient knows what exists and can verify it later. */
    omitted: z.array(OmittedFile).max(10_000_000),
  })
  .strict();
export type ArchiveJson = z.infer<typeof ArchiveJson>;

/** Only format and version, checked first so a newer bundle gets a message that says so. */
export const ArchiveJsonHeader = z.object({ format: z.string(), version: z.number() });

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The entry with protected testimony fields removed, as a redacted bundle carries it. */
export function redactEntry(entry: ItemEntry): ItemEntry {
  if (!entry.testimony) return entry;
  const testimony = { ...entry.testimony };
  for (const field of PROTECTED_TESTIMONY_FIELDS) testimony[field] = null;
  return { ...entry, testimony };
}

/**
 * What an item says, as one hash: every field, its testimony details, texts and files (by hash,
 * whether or not their bytes are held). Not its id, timestamps, tags, collections or links: those
 * merge by union and never make two versions of an item differ.
 */
export function contentHash(entry: ItemEntry): string {
  const fileKey = (f: Omit<MissingFile, 'addedAt'>) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size, mime: f.mime, language: f.language });
  const files = entry.files.map(fileKey).sort((a, b) => {
    const x = canonicalJson(a);
    const y = canonicalJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const texts = entry.texts.map((t) => ({ role: t.role, language: t.language, text: t.text, file: t.file === null ? null : (entry.files[t.file]?.sha256 ?? null) }));
  const extra = Object.fromEntries(Object.entries(entry.extra).filter(([k]) => k !== FILES_NOT_INCLUDED));
  const content: Record<string, unknown> = { kind: entry.kind, html: entry.html, extra, testimony: entry.testimony, files, texts };
  for (const key of Object.keys(ItemFields.shape)) content[key] = entry[key as keyof typeof ItemFields.shape];
  return sha256Hex(canonicalJson(content));
}

/**
 * Whether `incoming` says nothing `ours` does not: each field it fills, ours holds the same; each
 * of its texts and files (thumbnails aside) ours has too. Not compared: when each archive took
 * the item in (capturedAt), and the reading copy, made from the same original file. For an item
 * under another id with our original file: if it adds nothing it is our item again, else a
 * description of its own that must not be lost.
 */
export function addsNothing(incoming: ItemEntry, ours: ItemEntry): boolean {
  for (const key of Object.keys(ItemFields.shape) as (keyof ItemFields)[]) {
    const value = incoming[key];
    if (key === 'capturedAt' || value === null || value === '' || (key === 'sensitivity' && value === 'normal')) continue;
    if (value !== ours[key]) return false;
  }
  for (const [key, value] of Object.entries(incoming.testimony ?? {})) {
    if (value !== null && value !== '' && value !== ours.testimony?.[key as keyof TestimonyFields]) return false;
  }
  const textKey = (t: ItemEntry['texts'][number]) => canonicalJson({ role: t.role, language: t.language, text: t.text });
  const texts = new Set(ours.texts.map(textKey));
  if (incoming.texts.some((t) => !texts.has(textKey(t)))) return false;
  const files = new Set(ours.files.map((f) => f.sha256));
  return incoming.files.every((f) => f.role === 'thumbnail' || files.has(f.sha256));
}

/** The first problem zod found: a schema's rule() as its phrase, zod's own English as it is. */
function describeIssue(error: z.ZodError): PhraseValue {
  const issue = error.issues[0];
  // Said as every door says a broken rule (shared/validation.ts), a schema's rule() included.
  const said: PhraseValue = issue === undefined ? phrase('bundle.json.invalidValue') : issuePhrase(issue);
  return issue?.path.length ? phrase('bundle.json.issueAt', { path: issue.path.map(String).join('.'), rule: said }) : said;
}

/** archive.json, parsed and checked; a bundle from a newer Sijil, or not from Sijil, says so. */
export function parseArchiveJson(text: string): ArchiveJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError('bundle-damaged', phrase('bundle.json.archiveNotJson'));
  }
  const head = ArchiveJsonHeader.safeParse(raw);
  if (!head.success || head.data.format !== BUNDLE_FORMAT)
    throw new ArchiveError('not-a-bundle', phrase('bundle.json.notSijil'));
  if (head.data.version !== BUNDLE_VERSION)
    throw new ArchiveError(
      'unsupported-file',
      head.data.version > BUNDLE_VERSION
        ? phrase('bundle.json.newer', { version: String(head.data.version) })
        : phrase('bundle.json.unknownFormat', { version: String(head.data.version) }),
    );
  const parsed = ArchiveJson.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ArchiveError('bundle-damaged', phrase('bundle.json.archiveInvalid', { issue: describeIssue(parsed.error) }));
  checkCounts(parsed.data);
  return parsed.data;
}

/** What archive.json's counts say: what its items and omitted files add up to. */
export function bundleCounts(items: readonly ItemSummaryEntry[], omitted: readonly OmittedFile[]): ArchiveJson['counts'] {
  const byKind: Partial<Record<ItemSummaryEntry['kind'], number>> = {};
  let files = 0;
  let bytes = 0;
  for (const item of items) {
    byKind[item.kind] = (byKind[item.kind] ?? 0) + 1;
    for (const f of item.files) {
      if (f.path === null) continue;
      files++;
      bytes += f.size;
    }
  }
  return { items: items.length, byKind, files, bytes, omittedFiles: omitted.length, omittedBytes: omitted.reduce((n, f) => n + f.size, 0) };
}

/** The counts inspect shows are the ones the lists add up to, or the bundle is refused as damaged. */
function checkCounts(json: ArchiveJson): void {
  if (canonicalJson(bundleCounts(json.items, json.omitted)) !== canonicalJson(json.counts)) throw new ArchiveError('bundle-damaged', phrase('bundle.json.countsDisagree'));
}

/** An item.json, parsed and checked against the item it must describe. */
export function parseItemJson(text: string, id: string): ItemEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError('bundle-damaged', phrase('bundle.json.itemNotJson', { path: itemJsonPath(id) }));
  }
  const parsed = ItemEntry.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ArchiveError('bundle-damaged', phrase('bundle.json.itemInvalid', { path: itemJsonPath(id), issue: describeIssue(parsed.error) }));
  if (parsed.data.id !== id) throw new ArchiveError('bundle-damaged', phrase('bundle.json.otherItem', { path: itemJsonPath(id), id: parsed.data.id }));
  return parsed.data;
}
