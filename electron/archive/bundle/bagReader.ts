// Reads a bag written as a tar stream (see bagWriter.ts) into a staging folder and verifies it
// completely before anyone acts on it. Every entry is checked before a byte of it is written;
// payload files are staged under opaque numbered names (not their bag paths), so no name in a
// hostile or merely foreign bag can escape the folder, collide on a case-insensitive disk, or be
// refused by Windows. On any failure everything staged is removed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { phrase, type Phrase } from '../../../shared/phrase.ts';
import { BagError } from './bagErrors.ts';
import { bagEntryPath, checkRelativePath, decodeManifestPath, foldPath } from './bagPath.ts';
import { feedParser } from './tarFeed.ts';

export type ReadBagLimits = {
  /** Most tar entries accepted (directories included); reading stops at the first one over. */
  maxEntries?: number;
  /** Most bytes (sum of declared entry sizes) accepted. */
  maxBytes?: number;
  /** Free space to assume in the staging folder instead of asking the file system (for tests). */
  freeBytes?: number;
};

/** How readBag treats its input and output, beyond what it checks. */
export type ReadBagIo = {
  /** Called with each input chunk once nothing in the reader refers to its bytes (see Reuse). */
  recycle?: (chunk: Uint8Array) => void;
  /**
   * Flush a large staged file to disk (fdatasync) each time this many more bytes of it are
   * written, while the next are decrypted: the caller's final fsync then finds little left.
   */
  flushEvery?: number;
};

export type ReadBagFile = { bagPath: string; stagedPath: string; sha256: string; size: number };

export type ReadBag = {
  /** bag-info.txt, label as written to every value given for it, in order. */
  bagInfo: Record<string, string[]>;
  /** Payload files, in tar order; bagPath is relative to data/. */
  files: ReadBagFile[];
};

// Export refuses a selection that would need more (export.ts), so whatever Sijil exports, it can
// import; a hostile tar of more entries is refused as soon as it passes the limit. Each entry
// held costs a PayloadFile and its path (a few hundred bytes), so the limit also bounds memory.
export const DEFAULT_MAX_ENTRIES = 500_000;
// bagit.txt and bag-info.txt are read whole; nothing legitimate comes near this.
const MAX_SMALL_TAG_BYTES = 1024 * 1024;
const TAG_FILES = new Set(['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']);
const SHA256 = /^[0-9a-fA-F]{64}$/;
// Small entries are held in memory and written in batches rather than one by one: a bag of
// 200,000 one-byte files (a "tar bomb") then costs no disk work before it is refused, where
// writing each file on arrival took a minute on a slow disk. Memory stays bounded: at most
// PENDING_BYTES of data, plus a small record per entry, and entries are capped by maxEntries.
const SMALL_FILE_BYTES = 64 * 1024;
const PENDING_BYTES = 16 * 1024 * 1024;
const FLUSH_CONCURRENCY = 32;

type Staged = { path: string; stagedPath: string; sha256: string; size: number };

/**
 * A staged payload file, as small as it can be: a bag may hold up to DEFAULT_MAX_ENTRIES of them,
 * all held until the manifest at the end of the tar is checked. Its staged name is its number, and
 * its bag path is kept once (the reader's answer is these objects, not copies of them).
 */
class PayloadFile implements ReadBagFile {
  /** The path in the bag, data/ included. */
  readonly path: string;
  /** 1-based, in tar order: the staged file's name in the payload folder. */
  readonly number: number;
  readonly sha256: string;
  readonly size: number;
  readonly #dir: string;

  constructor(dir: string, path: string, number: number, sha256: string, size: number) {
    this.#dir = dir;
    this.path = path;
    this.number = number;
    this.sha256 = sha256;
    this.size = size;
  }

  get bagPath(): string {
    return this.path.slice('data/'.length);
  }

  get stagedPath(): string {
    return join(this.#dir, String(this.number));
  }
}

function sizeOf(size: number): Phrase {
  return phrase('bundle.bag.bytes', { count: size });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// tar-stream reports damage as plain Errors; these are the two it raises for broken input.
export function tarError(error: unknown): BagError {
  if (error instanceof BagError) return error;
  const message = reasonOf(error);
  if (/unexpected end/i.test(message)) return new BagError('truncated', phrase('bundle.bag.endsEarly'), { cause: error });
  if (/invalid tar header|header exceeds|invalid header/i.test(message)) {
    return new BagError('damaged-tar', phrase('bundle.bag.tarHeader'), { cause: error });
  }
  return new BagError('io-error', phrase('bundle.bag.unreadable', { reason: message }), { cause: error });
}

function checkEntryType(header: Header, name: string): void {
  switch (header.type) {
    case 'file':
    case 'contiguous-file': // a regular file in every tar implementation that matters
    case 'directory':
      return;
    case 'symlink':
      throw new BagError('symlink', phrase('bundle.bag.symlink', { entry: name }), { entry: name });
    case 'link':
      throw new BagError('hardlink', phrase('bundle.bag.hardlink', { entry: name }), { entry: name });
    case 'character-device':
    case 'block-device':
    case 'fifo':
      throw new BagError('special-file', phrase('bundle.bag.specialFile', { entry: name, type: String(header.type) }), { entry: name });
    default:
      throw new BagError('unsupported-entry', phrase('bundle.bag.unsupportedEntry', { entry: name }), { entry: name });
  }
}

async function readSmallTag(staged: Map<string, Staged>, name: string): Promise<string | null> {
  const tag = staged.get(name);
  if (!tag) return null;
  return (await readFile(tag.stagedPath, 'utf8')).replace(/^\uFEFF/, '');
}

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line !== '');
}

function parseBagInfo(text: string): Record<string, string[]> {
  const info = new Map<string, string[]>();
  let last: string[] | null = null;
  for (const line of lines(text)) {
    if (/^[ \t]/.test(line) && last !== null) {
      // RFC 8493 continuation line: part of the previous value.
      const index = last.length - 1;
      last[index] = `${last[index] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BagError('bad-tag-file', phrase('bundle.bag.badInfoLine', { file: 'bag-info.txt', line: line.slice(0, 80) }), { entry: 'bag-info.txt' });
    const label = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    last = info.get(label) ?? [];
    last.push(value);
    info.set(label, last);
  }
  return Object.fromEntries(info);
}

/** Walks a manifest staged on disk line by line, so a huge manifest never sits in memory whole. */
async function eachManifestLine(stagedPath: string, name: string, prefix: string, onLine: (path: string, hash: string) => void): Promise<void> {
  const input = createReadStream(stagedPath, { encoding: 'utf8' });
  // readline splits on CR, LF and CRLF alike, which is what RFC 8493 allows.
  const reader = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  for await (const raw of reader) {
    const line = first ? raw.replace(/^\uFEFF/, '') : raw;
    first = false;
    if (line.trim() === '') continue;
    const match = /^(\S+)[ \t]+\*?(.+)$/.exec(line);
    const hash = match?.[1];
    const encoded = match?.[2];
    if (hash === undefined || encoded === undefined || !SHA256.test(hash)) {
      throw new BagError('bad-tag-file', phrase('bundle.bag.badManifestLine', { file: name, line: line.slice(0, 80) }), { entry: name });
    }
    const path = decodeManifestPath(encoded);
    if (!path.startsWith(prefix) && prefix !== '') {
      throw new BagError('bad-tag-file', phrase('bundle.bag.listsOutside', { file: name, path, prefix }), { entry: name });
    }
    onLine(path, hash.toLowerCase());
  }
}

/** A small manifest (the tag manifest) as a map of path to checksum. */
async function readManifest(stagedPath: string, name: string, prefix: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  await eachManifestLine(stagedPath, name, prefix, (path, hash) => {
    if (entries.has(path)) throw new BagError('bad-tag-file', phrase('bundle.bag.listsTwice', { file: name, path }), { entry: name });
    entries.set(path, hash);
  });
  return entries;
}

async function verify(staged: Map<string, Staged>, payload: PayloadFile[], files: Map<string, PayloadFile>): Promise<Record<string, string[]>> {
  const bagit = await readSmallTag(staged, 'bagit.txt');
  if (bagit === null) throw new BagError('not-a-bag', phrase('bundle.bag.noBagit'), { entry: 'bagit.txt' });
  const declaration = parseBagInfo(bagit);
  const version = declaration['BagIt-Version'];
  const encoding = declaration['Tag-File-Character-Encoding'];
  if (version?.length !== 1 || encoding?.length !== 1) {
    throw new BagError('bad-tag-file', phrase('bundle.bag.bagitDeclarations', { file: 'bagit.txt' }), { entry: 'bagit.txt' });
  }
  if (!/^1\.\d+$/.test(version[0] ?? '')) {
    throw new BagError('unsupported-version', phrase('bundle.bag.version', { version: version[0] ?? '' }), { entry: 'bagit.txt' });
  }
  if ((encoding[0] ?? '').toUpperCase() !== 'UTF-8') {
    throw new BagError('bad-tag-file', phrase('bundle.bag.encoding', { encoding: encoding[0] ?? '' }), { entry: 'bagit.txt' });
  }

  // The tag manifest first: it vouches for bag-info.txt and the payload manifest read next.
  const tagManifestFile = staged.get('tagmanifest-sha256.txt');
  if (!tagManifestFile) throw new BagError('bad-tag-file', phrase('bundle.bag.noTagManifest'), { entry: 'tagmanifest-sha256.txt' });
  const tagManifest = await readManifest(tagManifestFile.stagedPath, 'tagmanifest-sha256.txt', '');
  for (const [path, hash] of tagManifest) {
    const tag = staged.get(path);
    if (!tag || !TAG_FILES.has(path) || path === 'tagmanifest-sha256.txt') {
      throw new BagError('missing-file', phrase('bundle.bag.tagListedMissing', { file: 'tagmanifest-sha256.txt', path }), { entry: path });
    }
    if (tag.sha256 !== hash) throw new BagError('tag-checksum-mismatch', phrase('bundle.bag.tagChecksum', { path }), { entry: path });
  }
  for (const name of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) {
    if (staged.has(name) && !tagManifest.has(name)) {
      throw new BagError('tag-checksum-mismatch', phrase('bundle.bag.tagUncovered', { path: name }), { entry: name });
    }
  }

  const infoText = await readSmallTag(staged, 'bag-info.txt');
  if (infoText === null) throw new BagError('bad-tag-file', phrase('bundle.bag.noBagInfo'), { entry: 'bag-info.txt' });
  const bagInfo = parseBagInfo(infoText);

  const manifestFile = staged.get('manifest-sha256.txt');
  if (!manifestFile) throw new BagError('bad-tag-file', phrase('bundle.bag.noManifest'), { entry: 'manifest-sha256.txt' });
  // Checked line by line against the staged files, without a second map of every path: a missing
  // file is reported before an extra one, and both before a checksum that does not match.
  const listed = new Uint8Array(payload.length);
  let missing: string | null = null;
  let mismatch: string | null = null;
  await eachManifestLine(manifestFile.stagedPath, 'manifest-sha256.txt', 'data/', (path, hash) => {
    const file = files.get(foldPath(path));
    if (file?.path !== path) {
      missing ??= path;
      return;
    }
    if (listed[file.number - 1] === 1) throw new BagError('bad-tag-file', phrase('bundle.bag.listsTwice', { file: 'manifest-sha256.txt', path }), { entry: 'manifest-sha256.txt' });
    listed[file.number - 1] = 1;
    if (file.sha256 !== hash) mismatch ??= path;
  });
  if (missing !== null) throw new BagError('missing-file', phrase('bundle.bag.missingFile', { path: missing }), { entry: missing });
  const extra = listed.indexOf(0);
  if (extra >= 0) {
    const path = (payload[extra] as PayloadFile).path;
    throw new BagError('extra-file', phrase('bundle.bag.extraFile', { path }), { entry: path });
  }
  if (mismatch !== null) {
    throw new BagError('checksum-mismatch', phrase('bundle.bag.checksum', { path: mismatch }), { entry: mismatch });
  }

  const oxum = bagInfo['Payload-Oxum'];
  const octets = payload.reduce((sum, file) => sum + file.size, 0);
  const match = oxum?.length === 1 ? /^(\d+)\.(\d+)$/.exec(oxum[0] ?? '') : null;
  if (!match) throw new BagError('oxum-mismatch', phrase('bundle.bag.noOxum', { file: 'bag-info.txt' }), { entry: 'bag-info.txt' });
  if (Number(match[1]) !== octets || Number(match[2]) !== payload.length) {
    // The counts as bare digits, as the bag writes them, to be compared with bag-info.txt.
    const counts = { declaredFiles: match[2] ?? '', declaredBytes: match[1] ?? '', files: String(payload.length), bytes: String(octets) };
    throw new BagError('oxum-mismatch', phrase('bundle.bag.oxumMismatch', { file: 'bag-info.txt', ...counts }), { entry: 'bag-info.txt' });
  }
  return bagInfo;
}

/**
 * Extracts the bag in `tar` into `stagingDir` (a fresh, empty folder) and verifies it: structure,
 * every checksum, the tag manifest and Payload-Oxum. Throws a BagError on the first problem, after
 * removing everything it wrote (the folder itself is left).
 */
export async function readBag(tar: Readable, stagingDir: string, limits: ReadBagLimits = {}, io: ReadBagIo = {}): Promise<ReadBag> {
  const reuse = io.recycle === undefined ? null : new Reuse(io.recycle);
  const flushEvery = io.flushEvery ?? Infinity;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const free =
    limits.freeBytes ??
    (await freeSpace(stagingDir).catch((error: unknown) => {
      throw new BagError('io-error', phrase('bundle.bag.stagingUnusable', { path: stagingDir, reason: reasonOf(error) }), { cause: error });
    }));
  const maxBytes = limits.maxBytes ?? Infinity;
  const payloadDir = join(stagingDir, 'payload');
  const tagDir = join(stagingDir, 'tags');
  const created: string[] = [];
  const parser = extract();
  let inputBytes = 0;
  let tail = Buffer.alloc(0); // the last 1,024 bytes read, for the end-of-archive check
  let inputError: unknown = null;
  // The parser's own error ("Unexpected end of data") says what went wrong; the entry stream it
  // destroys reports only "Stream was destroyed", so the parser's is kept to be reported instead.
  let parserError: unknown = null;
  parser.on('error', (error: unknown) => (parserError ??= error));
  // The iterator must exist before the first byte is fed: it listens for 'entry' events only from
  // the moment it is created, and an entry emitted earlier would be lost (the read would hang).
  const entriesOf = parser[Symbol.asyncIterator]();

  // Feeds the parser by hand (rather than a pipeline) to count the bytes for the end-of-archive
  // check and to stop reading the moment the loop below gives up.
  const pump = feedParser(parser, tar, {
    onChunk: (bytes) => {
      inputBytes += bytes.byteLength;
      tail = bytes.byteLength >= 1024 ? Buffer.from(bytes.subarray(bytes.byteLength - 1024)) : Buffer.concat([tail, bytes]).subarray(-1024);
      reuse?.written(bytes);
    },
    onDrain: () => reuse?.drained(),
    onError: (error) => (inputError = error),
  });

  try {
    await mkdir(payloadDir);
    created.push(payloadDir);
    await mkdir(tagDir);
    created.push(tagDir);

    const files = new Map<string, PayloadFile>(); // fold key -> payload file
    const staged = new Map<string, Staged>(); // tag file name -> staged tag file
    const payload: PayloadFile[] = [];
    const dirs = new Set<string>(); // fold keys of folders, explicit or implied
    let entries = 0;
    let declared = 0;
    let archiveEnd = 0;
    const pending: Pending = { arena: Buffer.alloc(0), used: 0, files: [] };

    try {
      for await (const entry of { [Symbol.asyncIterator]: () => entriesOf }) {
        const header = entry.header;
        const raw = header.name;
        entries++;
        if (entries > maxEntries) {
          throw new BagError('too-many-entries', phrase('bundle.bag.tooManyEntries', { count: maxEntries }), { entry: raw });
        }
        checkEntryType(header, raw);
        const isDir = header.type === 'directory';
        const entryPath = bagEntryPath(raw);
        const name = isDir ? entryPath.replace(/\/+$/, '') : entryPath;
        // The bag's own folder, as `tar cf - .` lists it first.
        if (isDir && name === '' && entryPath !== raw) {
          if (header.size !== 0) throw new BagError('damaged-tar', phrase('bundle.bag.folderHoldsData', { entry: raw }), { entry: raw });
          continue;
        }
        checkRelativePath(name, raw);
        const fold = foldPath(name);
        const inData = name.startsWith('data/');
        if (isDir) {
          if (name !== 'data' && !inData) throw new BagError('outside-data', phrase('bundle.bag.folderOutside', { entry: raw }), { entry: raw });
          if (files.has(fold) || staged.has(name)) throw new BagError('duplicate-path', phrase('bundle.bag.folderIsFile', { entry: raw }), { entry: raw });
        } else if (!inData && !TAG_FILES.has(name)) {
          throw new BagError('outside-data', phrase('bundle.bag.entryOutside', { entry: raw }), { entry: raw });
        } else if (files.has(fold) || dirs.has(fold) || staged.has(name) || (!inData && [...staged.keys()].some((k) => foldPath(k) === fold))) {
          throw new BagError('duplicate-path', phrase('bundle.bag.entryTwice', { entry: raw }), { entry: raw });
        }
        const segments = name.split('/');
        for (let i = 1; i <= segments.length - (isDir ? 0 : 1); i++) {
          const parent = foldPath(segments.slice(0, i).join('/'));
          if (files.has(parent)) throw new BagError('duplicate-path', phrase('bundle.bag.insideFile', { entry: raw, parent: segments.slice(0, i).join('/') }), { entry: raw });
          dirs.add(parent);
        }

        const size = header.size;
        declared += size;
        if (declared > maxBytes) {
          throw new BagError('too-large', phrase('bundle.bag.tooLarge', { size: sizeOf(maxBytes), entry: raw }), { entry: raw });
        }
        if (declared > free) {
          throw new BagError('insufficient-space', phrase('bundle.bag.noSpace', { entry: raw, size: sizeOf(free) }), { entry: raw });
        }
        if ((name === 'bagit.txt' || name === 'bag-info.txt') && size > MAX_SMALL_TAG_BYTES) {
          throw new BagError('bad-tag-file', phrase('bundle.bag.tagTooLarge', { path: name, size: sizeOf(size) }), { entry: raw });
        }
        // entry.offset is where this entry's own header block starts (after any PAX header).
        archiveEnd = entry.offset + 512 + size + ((512 - (size % 512)) % 512);
        if (isDir) {
          // tar-stream would parse a directory's data as the next header; no real tar writes any.
          if (size !== 0) throw new BagError('damaged-tar', phrase('bundle.bag.folderHoldsData', { entry: raw }), { entry: raw });
          continue;
        }
        const stagedDir = inData ? payloadDir : tagDir;
        const stagedName = inData ? String(payload.length + 1) : name;
        const stagedPath = join(stagedDir, stagedName);
        let sha256: string;
        let written: number;
        if (size <= SMALL_FILE_BYTES) {
          if (pending.used + size > pending.arena.byteLength) await flushPending(pending);
          ({ sha256, written } = await gatherEntry(entry, pending, stagedDir, stagedName, raw));
        } else {
          ({ sha256, written } = await stageEntry(entry, stagedPath, reuse, flushEvery));
        }
        if (written !== size) throw new BagError('truncated', phrase('bundle.bag.endsInside', { entry: raw }), { entry: raw });
        if (inData) {
          const file = new PayloadFile(payloadDir, name, payload.length + 1, sha256, size);
          files.set(fold, file);
          payload.push(file);
        } else {
          staged.set(name, { path: name, stagedPath, sha256, size });
        }
      }
    } catch (error) {
      throw tarError(inputError ?? parserError ?? error);
    }
    await pump;
    if (inputError !== null) throw tarError(inputError);
    // A tar ends with two zero blocks; tar-stream accepts a stream cut cleanly between entries (or
    // just after a PAX header), so their absence is the only sign that entries after the cut were lost.
    if (entries === 0 || inputBytes - archiveEnd < 1024 || tail.length < 1024 || tail.some((byte) => byte !== 0)) {
      throw new BagError('truncated', phrase('bundle.bag.noEndMarker'));
    }

    await flushPending(pending);
    const bagInfo = await verify(staged, payload, files);
    return { bagInfo, files: payload };
  } catch (error) {
    parser.destroy();
    tar.destroy();
    await pump.catch(() => undefined);
    await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
    throw error instanceof BagError ? error : new BagError('io-error', phrase('bundle.bag.notStaged', { reason: reasonOf(error) }), { cause: error });
  }
}

/**
 * When an input chunk may be handed back to its producer for reuse (see DecryptedFile.recycle): no
 * part of the tar parser or of a staged file's pending write still refers to its bytes.
 *
 * The parser has processed every chunk written to it when it drains; it then holds at most part
 * of a header (under 512 bytes, copied out when the next chunk arrives) and, in the current entry's
 * stream, less than its 16 KiB buffer of the newest data; it parses the next header only once the
 * entry before is read to its end, and stageEntry returns only once its writes are done. So a
 * chunk is free once two more chunks have been processed after it and no write from it is
 * pending. Small entries are copied out (gatherEntry) and never refer to a chunk.
 */
class Reuse {
  readonly #recycle: (chunk: Uint8Array) => void;
  #unconfirmed: Uint8Array[] = [];
  readonly #processed: Uint8Array[] = [];
  readonly #pendingWrites = new Map<ArrayBufferLike, number>();
  readonly #afterWrites = new Map<ArrayBufferLike, Uint8Array>();

  constructor(recycle: (chunk: Uint8Array) => void) {
    this.#recycle = recycle;
  }

  written(chunk: Uint8Array): void {
    this.#unconfirmed.push(chunk);
  }

  drained(): void {
    this.#processed.push(...this.#unconfirmed);
    this.#unconfirmed = [];
    while (this.#processed.length > 2) {
      const chunk = this.#processed.shift() as Uint8Array;
      if ((this.#pendingWrites.get(chunk.buffer) ?? 0) > 0) this.#afterWrites.set(chunk.buffer, chunk);
      else this.#recycle(chunk);
    }
  }

  writing(bytes: Uint8Array): void {
    this.#pendingWrites.set(bytes.buffer, (this.#pendingWrites.get(bytes.buffer) ?? 0) + 1);
  }

  wrote(bytes: Uint8Array): void {
    const left = (this.#pendingWrites.get(bytes.buffer) ?? 1) - 1;
    if (left > 0) {
      this.#pendingWrites.set(bytes.buffer, left);
      return;
    }
    this.#pendingWrites.delete(bytes.buffer);
    const chunk = this.#afterWrites.get(bytes.buffer);
    if (chunk === undefined) return;
    this.#afterWrites.delete(bytes.buffer);
    this.#recycle(chunk);
  }
}

// Held small files live in one shared buffer: a separate Buffer per file costs kilobytes of
// allocator overhead each, which for 200,000 one-byte files was most of a gigabyte.
type Pending = { arena: Buffer; used: number; files: { dir: string; name: string; start: number; end: number }[] };

/** Reads a small entry (at most SMALL_FILE_BYTES) into the pending arena, to be written by flushPending. */
async function gatherEntry(entry: AsyncIterable<unknown>, pending: Pending, dir: string, name: string, raw: string): Promise<{ sha256: string; written: number }> {
  if (pending.arena.byteLength === 0) pending.arena = Buffer.allocUnsafe(PENDING_BYTES);
  const hash = createHash('sha256');
  const start = pending.used;
  for await (const chunk of entry) {
    const bytes = chunk as Uint8Array;
    if (pending.used + bytes.byteLength > pending.arena.byteLength) {
      throw new BagError('damaged-tar', phrase('bundle.bag.entryOverflow', { entry: raw }), { entry: raw });
    }
    hash.update(bytes);
    pending.arena.set(bytes, pending.used);
    pending.used += bytes.byteLength;
  }
  pending.files.push({ dir, name, start, end: pending.used });
  return { sha256: hash.digest('hex'), written: pending.used - start };
}

async function stageEntry(entry: AsyncIterable<unknown>, stagedPath: string, reuse: Reuse | null, flushEvery: number): Promise<{ sha256: string; written: number }> {
  const hash = createHash('sha256');
  let written = 0;
  // 'wx': the staging names are fresh; an existing file would mean something is wrong.
  const handle = await open(stagedPath, 'wx', 0o600);
  // One write in flight while the next piece is hashed: the disk and the hash overlap.
  let writing: Promise<unknown> = Promise.resolve();
  let flushing: Promise<void> | null = null;
  let unflushed = 0;
  try {
    for await (const chunk of entry) {
      const bytes = chunk as Uint8Array;
      hash.update(bytes);
      await writing;
      reuse?.writing(bytes);
      writing = writeFully(handle, bytes, written).finally(() => reuse?.wrote(bytes));
      written += bytes.byteLength;
      unflushed += bytes.byteLength;
      if (unflushed >= flushEvery && flushing === null) {
        unflushed = 0;
        const started: Promise<void> = writing.then(() => handle.datasync()).finally(() => {
          if (flushing === started) flushing = null;
        });
        flushing = started;
        started.catch(() => undefined);
      }
    }
    await writing;
    await flushing;
  } finally {
    await writing.catch(() => undefined);
    await flushing?.catch(() => undefined);
    await handle.close();
  }
  return { sha256: hash.digest('hex'), written };
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let at = 0; at < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.byteLength - at, position + at);
    at += bytesWritten;
  }
}

/** Writes held small files, a few at a time so a slow disk's latency overlaps, and empties the arena. */
async function flushPending(pending: Pending): Promise<void> {
  const batch = pending.files.splice(0);
  for (let i = 0; i < batch.length; i += FLUSH_CONCURRENCY) {
    await Promise.all(
      batch.slice(i, i + FLUSH_CONCURRENCY).map((f) => writeFile(join(f.dir, f.name), pending.arena.subarray(f.start, f.end), { flag: 'wx', mode: 0o600 })),
    );
  }
  pending.used = 0;
}

async function freeSpace(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}
