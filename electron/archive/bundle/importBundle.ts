// Import: decrypt the bundle, untar it into a staging folder while hashing (bagReader), verify every
// checksum and the Payload-Oxum, check that archive.json and each item.json agree with each other
// and with the bytes, and only then merge, in one transaction (merge.ts). Any failure before the
// commit leaves the archive as it was; the staging folder is removed whatever happens.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BundleImportResult, BundleProgressEvent } from '../../../shared/api.ts';
import type { CustodyAction } from '../../../shared/domain.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase, type Phrase } from '../../../shared/phrase.ts';
import type { LabelKind } from '../../../shared/vocabulary.ts';
import { canonicalJson, eventHash } from '../custody.ts';
import type { Archive } from '../index.ts';
import { cleanLabel, cleanRelation } from '../labels.ts';
import type { StagedBlob } from '../store.ts';
import { decryptFile, type DecryptOptions } from './age/index.ts';
import {
  ARCHIVE_JSON,
  contentHash,
  itemFolder,
  custodyReportPath,
  itemJsonPath,
  itemSummary,
  parseArchiveJson,
  parseItemJson,
  type ArchiveJson,
  type CustodyEventEntry,
} from './archiveJson.ts';
import { readBag, type ReadBag, type ReadBagLimits } from './bagReader.ts';
import { bundleError } from './bundleErrors.ts';
import { mergeBundle, type VerifiedBundle } from './merge.ts';

export interface ImportBundleOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: BundleProgressEvent) => void;
  readonly limits?: ReadBagLimits;
}

const MAX_JSON_BYTES = 512 * 1024 * 1024;
const PROGRESS_BYTES = 4 << 20;
const FLUSH_EVERY = 64 << 20;
// Named as the blob store names its temporary files (host-pid-random.part), so that the store's
// clean-up at open leaves the folder alone while this process lives and removes it after a crash.
const HOST = os.hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 40) || 'host';

export async function importBundle(archive: Archive, file: string, decryption: DecryptOptions, options: ImportBundleOptions = {}): Promise<BundleImportResult> {
  const source = path.resolve(file);
  const { signal, onProgress } = options;
  const staging = path.join(archive.store.tmpDir, `${HOST}-${process.pid}-${randomBytes(8).toString('hex')}.part`);
  try {
    const stat = await fsp.stat(source);
    if (stat.isDirectory()) throw new ArchiveError('file-unreadable', phrase('bundle.isFolder', { file: source }));
    await fsp.mkdir(staging, { mode: 0o700 });
    const total = stat.size;
    let done = 0;
    let reported = 0;
    const counted = (bytes: number) => {
      signal?.throwIfAborted();
      done += bytes;
      if (done - reported >= PROGRESS_BYTES || done === total) {
        reported = done;
        onProgress?.({ phase: 'reading', done, total });
      }
    };
    onProgress?.({ phase: 'reading', done: 0, total });
    signal?.throwIfAborted();
    // Two decrypted batches buffered ahead of the tar reader are enough to keep both sides busy;
    // the reader hands each batch back once done with it, and its memory is decrypted into again.
    const plaintext = decryptFile(source, decryption, counted);
    // Large staged files are flushed as they are written, so syncAll below finds little to do.
    const bag = await readBag(Readable.from(plaintext, { highWaterMark: 2 }), staging, options.limits, { recycle: plaintext.recycle, flushEvery: FLUSH_EVERY });
    signal?.throwIfAborted();
    const verified = await verifyBundle(bag, path.basename(source));
    const blobs = [...verified.staged.values()].filter((b) => !archive.store.has(b.sha256));
    await archive.store.syncAll(blobs);
    // The last moment to cancel: the merge is one transaction, and a short one.
    signal?.throwIfAborted();
    onProgress?.({ phase: 'merging', done: 0, total: verified.json.items.length });
    const result = mergeBundle(archive, verified, blobs);
    onProgress?.({ phase: 'done', done: verified.json.items.length, total: verified.json.items.length });
    return result;
  } catch (error) {
    throw bundleError(error, source, signal, 'import');
  } finally {
    await fsp.rm(staging, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** `reason` is a `bundle.import.…` phrase, written to follow "The bundle cannot be trusted: ". */
function damaged(reason: Phrase): ArchiveError {
  return new ArchiveError('bundle-damaged', phrase('bundle.untrusted', { reason }));
}

async function readSmall(file: { stagedPath: string; size: number }, what: string): Promise<string> {
  if (file.size > MAX_JSON_BYTES) throw damaged(phrase('bundle.import.tooLarge', { path: what }));
  return fsp.readFile(file.stagedPath, 'utf8');
}

function checkEvent(e: CustodyEventEntry, where: Phrase): void {
  const hash = eventHash({ seq: e.seq, at: e.at, action: e.action as CustodyAction, itemId: e.itemId, sha256: e.sha256, prevHash: e.prevHash }, canonicalJson(e.details));
  if (hash !== e.hash) throw damaged(phrase('bundle.import.custodyAltered', { where, seq: String(e.seq) }));
}

function checkLabel(name: string, what: LabelKind, where: string): void {
  try {
    cleanLabel(name, what);
  } catch {
    throw damaged(phrase(what === 'tag' ? 'bundle.import.badTag' : 'bundle.import.badCollection', { path: where, name: name.slice(0, 40) }));
  }
}

/**
 * bag-info.txt says again what archive.json says of the bundle (its id, whether it is redacted,
 * whether media is in it, its format version). Both are covered by checksums, so two that
 * contradict each other were not written by one export: the bundle was put together by hand. A
 * label left out (a bag made by another tool and repacked) is not a contradiction.
 */
function checkBagInfo(info: Readonly<Record<string, readonly string[]>>, json: ArchiveJson): void {
  const expected: Record<string, string> = {
    'External-Identifier': json.bundleId,
    'Sijil-Redacted': json.redacted ? 'yes' : 'no',
    'Sijil-Media': json.media ? 'included' : 'omitted',
    'Sijil-Bundle-Version': String(json.version),
  };
  for (const [label, value] of Object.entries(expected)) {
    const said = Object.hasOwn(info, label) ? info[label] : undefined;
    if (said !== undefined && (said.length !== 1 || said[0] !== value)) throw damaged(phrase('bundle.import.bagInfoDisagrees', { label }));
  }
}

/**
 * Everything about the bundle's content that the bag's checksums cannot vouch for: archive.json
 * and each item.json parse, agree with each other and with the files, every file in the bag is
 * accounted for, and every custody event matches its hash.
 */
export async function verifyBundle(bag: ReadBag, fileName: string): Promise<VerifiedBundle> {
  const byPath = new Map(bag.files.map((f) => [`data/${f.bagPath}`, f]));
  const jsonFile = byPath.get(ARCHIVE_JSON);
  if (!jsonFile) throw new ArchiveError('not-a-bundle', phrase('bundle.noArchiveJson'));
  const json: ArchiveJson = parseArchiveJson(await readSmall(jsonFile, 'data/archive.json'));
  checkBagInfo(bag.bagInfo, json);
  const accounted = new Set<string>([ARCHIVE_JSON]);
  const entryFiles = new Map<string, string>();
  const hashes = new Map<string, string>();
  const staged = new Map<string, StagedBlob>();
  let readingCopies = false;
  for (const summary of json.items) {
    const id = summary.id;
    if (entryFiles.has(id)) throw damaged(phrase('bundle.import.listedTwice', { id }));
    if (summary.path !== itemJsonPath(id)) throw damaged(phrase('bundle.import.descriptionOutside', { id }));
    const itemFile = byPath.get(summary.path);
    if (!itemFile) throw damaged(phrase('bundle.import.missing', { path: summary.path }));
    accounted.add(summary.path);
    const entry = parseItemJson(await readSmall(itemFile, summary.path), id);
    if (canonicalJson(itemSummary(entry)) !== canonicalJson(summary)) throw damaged(phrase('bundle.import.disagree', { path: summary.path, title: entry.title }));
    if (entry.kind !== 'testimony' && entry.testimony !== null) throw damaged(phrase('bundle.import.notTestimony', { path: summary.path }));
    for (const f of entry.files) {
      if (f.path === null) continue;
      if (!f.path.startsWith(`${itemFolder(id)}/`)) throw damaged(phrase('bundle.import.fileOutside', { path: summary.path, name: f.name }));
      const held = byPath.get(f.path);
      if (!held) throw damaged(phrase('bundle.import.fileMissing', { path: f.path }));
      if (held.sha256 !== f.sha256 || held.size !== f.size) throw damaged(phrase('bundle.import.notTheFile', { file: f.path, path: summary.path }));
      accounted.add(f.path);
      if (!staged.has(f.sha256)) staged.set(f.sha256, { sha256: f.sha256, size: f.size, tmpPath: held.stagedPath });
    }
    for (const t of entry.texts) if (t.file !== null && t.file >= entry.files.length) throw damaged(phrase('bundle.import.textWithoutFile', { path: summary.path }));
    for (const tag of entry.tags) checkLabel(tag, 'tag', summary.path);
    for (const c of entry.collections) checkLabel(c, 'collection', summary.path);
    entryFiles.set(id, itemFile.stagedPath);
    hashes.set(id, contentHash(entry));
    readingCopies ||= entry.html !== null;
  }
  for (const f of bag.files) {
    const at = `data/${f.bagPath}`;
    if (accounted.has(at)) continue;
    // An item's custody report is for people; what it says is in archive.json, checked above.
    const folder = /^data\/items\/([^/]+)\/custody\.txt$/.exec(at)?.[1];
    if (folder !== undefined && entryFiles.has(folder) && at === custodyReportPath(folder)) continue;
    throw damaged(phrase('bundle.import.unnamed', { path: at }));
  }
  for (const c of json.collections) checkLabel(c.name, 'collection', 'data/archive.json');
  for (const link of json.links) {
    if (!entryFiles.has(link.from) || !entryFiles.has(link.to)) throw damaged(phrase('bundle.import.linksMissing'));
    if (link.from === link.to) throw damaged(phrase('bundle.import.linksItself', { id: link.from }));
    try {
      cleanRelation(link.relation);
    } catch {
      throw damaged(phrase('bundle.import.badRelation', { relation: link.relation.slice(0, 40) }));
    }
  }
  for (const [id, events] of Object.entries(json.custody)) {
    if (!entryFiles.has(id)) throw damaged(phrase('bundle.import.custodyForMissing', { id }));
    for (const e of events) {
      if (e.itemId !== id) throw damaged(phrase('bundle.import.custodyMisfiled', { other: e.itemId ?? phrase('bundle.import.noItem'), id }));
      checkEvent(e, phrase('bundle.import.item', { id }));
    }
  }
  for (const [id, events] of Object.entries(json.foreignCustody)) {
    if (!entryFiles.has(id)) throw damaged(phrase('bundle.import.custodyForMissing', { id }));
    for (const e of events) checkEvent(e, phrase('bundle.import.foreignItem', { id, bundle: e.bundleId }));
  }
  const resanitizeHtml = readingCopies ? (await import('../ingest/html.ts')).resanitizeHtml : null;
  return { json, entryFiles, hashes, staged, fileName, resanitizeHtml };
}
