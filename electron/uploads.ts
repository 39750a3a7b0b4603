// Browser mode's way in for dropped files: a browser cannot name paths on disk, so the renderer
// uploads each file (with its place inside a dropped folder) into a staging folder per drop, and
// imports from there with `import.paths`. The staging sits in the archive's tmp/ (same disk as the
// archive, never the system's shared /tmp: these are testimonies) and is removed once imported.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveError, CodedError } from '../shared/errors.ts';
import { phrase, type Phrase } from '../shared/phrase.ts';
import { isInside } from './archive/location.ts';

export interface UploadLimits {
  /** Most bytes one drop may upload (the whole batch). */
  readonly maxBatchBytes?: number;
  /** Free space left on the archive's disk after an upload and its copy into the store. */
  readonly reserveBytes?: number;
}

const DEFAULT_MAX_BATCH = 256 * 2 ** 30;
const DEFAULT_RESERVE = 512 * 2 ** 20;
const BATCH_ID = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_PATH_CHARS = 1024;
const MAX_NAME_BYTES = 255;
const MAX_DEPTH = 64;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

// Subtle: the store removes whatever a dead process left in tmp/ when any process opens the archive
// (store.ts cleanLeftovers), and keeps what a live one owns by this name pattern:
// <host>-<pid>-<16 hex>.part. Staging named so survives the CLI opening the archive meanwhile, and is
// cleaned at the next start if this server dies before removing it.
const HOST = os.hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 40) || 'host';

interface Batch {
  readonly dir: string;
  bytes: number;
}

export class UploadStaging {
  readonly tmpDir: string;
  private readonly batches = new Map<string, Batch>();
  private readonly maxBatchBytes: number;
  private readonly reserveBytes: number;

  constructor(archiveDir: string, limits: UploadLimits = {}) {
    this.tmpDir = path.join(path.resolve(archiveDir), 'tmp');
    this.maxBatchBytes = limits.maxBatchBytes ?? DEFAULT_MAX_BATCH;
    this.reserveBytes = limits.reserveBytes ?? DEFAULT_RESERVE;
  }

  /** The batch's staging folder (made if new): importing it imports everything dropped at once. */
  async root(batchId: string): Promise<string> {
    return (await this.batch(batchId)).dir;
  }

  /**
   * Streams `body` to `relativePath` inside the batch's folder, making the folders it names.
   * Returns the file's path on this computer, for `import.paths`.
   */
  async receive(batchId: string, relativePath: string, body: Readable, declaredLength: number | null): Promise<string> {
    const segments = checkRelativePath(relativePath);
    const batch = await this.batch(batchId);
    const target = path.join(batch.dir, ...segments);
    if (!isInside(batch.dir, target)) throw new ArchiveError('invalid-argument', phrase('doors.upload.outside', { path: relativePath }));
    if (declaredLength !== null) {
      await this.checkFreeSpace(batch.dir, declaredLength, relativePath);
      this.checkBatchSize(batch, declaredLength);
    }
    try {
      await fsp.mkdir(path.dirname(target), { recursive: true });
    } catch (err) {
      throw new ArchiveError('conflict', phrase('doors.upload.cannotPlace', { path: relativePath, why: describeFsError(err) }));
    }
    let out: fs.WriteStream;
    try {
      out = await openExclusive(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new ArchiveError('conflict', phrase('doors.upload.twice', { path: relativePath }));
      throw new ArchiveError('conflict', phrase('doors.upload.cannotWrite', { path: relativePath, why: describeFsError(err) }));
    }
    let received = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        received += chunk.length;
        batch.bytes += chunk.length;
        if (batch.bytes > this.maxBatchBytes) callback(tooLarge(this.maxBatchBytes));
        else if (declaredLength !== null && received > declaredLength) callback(new ArchiveError('invalid-argument', phrase('doors.upload.tooLong')));
        else callback(null, chunk);
      },
    });
    // Subtle: the body is piped by hand, not through pipeline(), so a refused upload leaves the
    // request readable: the server drains it and the browser gets to read the error response
    // instead of a reset connection.
    let ended = false;
    body.once('end', () => (ended = true));
    body.once('error', (err) => counter.destroy(err));
    body.once('close', () => {
      if (!ended) counter.destroy(new ArchiveError('cancelled', phrase('doors.upload.interrupted', { path: relativePath })));
    });
    body.pipe(counter);
    try {
      await pipeline(counter, out);
      if (declaredLength !== null && received !== declaredLength)
        throw new ArchiveError('invalid-argument', phrase('doors.upload.incomplete', { path: relativePath, received, declared: declaredLength }));
    } catch (err) {
      body.unpipe(counter);
      body.resume();
      batch.bytes -= received;
      await fsp.rm(target, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new ArchiveError('disk-full', phrase('doors.upload.diskFull', { path: relativePath }));
      throw err;
    }
    return target;
  }

  /**
   * After `import.paths` with these paths has finished (whatever its outcome): removes those that
   * lie in a staging folder, and a batch's folder once nothing is left in it.
   */
  async release(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      const resolved = path.resolve(p);
      for (const [id, batch] of this.batches) {
        if (!isInside(batch.dir, resolved)) continue;
        if (resolved !== batch.dir) await fsp.rm(resolved, { recursive: true, force: true });
        if (resolved === batch.dir || (await isEmptyDir(batch.dir))) {
          this.batches.delete(id);
          await fsp.rm(batch.dir, { recursive: true, force: true });
        }
      }
    }
  }

  /**
   * A staged path as the person dropped it ("Case 7/statement.txt"), for progress and summaries:
   * the staging folder's own name means nothing to them. Other paths are returned unchanged.
   */
  displayPath(p: string): string {
    const resolved = path.resolve(p);
    for (const batch of this.batches.values()) {
      if (resolved === batch.dir) return '.';
      if (isInside(batch.dir, resolved)) return path.relative(batch.dir, resolved).split(path.sep).join('/');
    }
    return p;
  }

  /** Removes every staging folder (the server is stopping). */
  async clear(): Promise<void> {
    const dirs = [...this.batches.values()].map((b) => b.dir);
    this.batches.clear();
    await Promise.all(dirs.map((d) => fsp.rm(d, { recursive: true, force: true })));
  }

  private async batch(batchId: string): Promise<Batch> {
    if (typeof batchId !== 'string' || !BATCH_ID.test(batchId))
      throw new ArchiveError('invalid-argument', phrase('doors.upload.batchId'));
    let batch = this.batches.get(batchId);
    if (!batch) {
      batch = { dir: path.join(this.tmpDir, `${HOST}-${process.pid}-${randomBytes(8).toString('hex')}.part`), bytes: 0 };
      this.batches.set(batchId, batch);
    }
    // Made again if an import released it while more files of the same drop were still coming.
    await fsp.mkdir(batch.dir, { recursive: true, mode: 0o700 });
    return batch;
  }

  private checkBatchSize(batch: Batch, incoming: number): void {
    if (batch.bytes + incoming > this.maxBatchBytes) throw tooLarge(this.maxBatchBytes);
  }

  private async checkFreeSpace(dir: string, incoming: number, name: string): Promise<void> {
    let free: number;
    try {
      const stats = await fsp.statfs(dir);
      free = stats.bavail * stats.bsize;
    } catch {
      return; // A filesystem that cannot say: the write itself will fail with ENOSPC if it must.
    }
    // Twice: the upload itself, then its copy into the store when it is imported.
    const needed = 2 * incoming + this.reserveBytes;
    if (needed > free)
      throw new ArchiveError('disk-full', phrase('doors.upload.noSpace', { name, size: gb(incoming), needed: gb(needed), free: gb(free) }));
  }
}

/** The folders and name of a relative path a browser sent, refused if it could leave the staging folder. */
export function checkRelativePath(relativePath: unknown): string[] {
  const bad = (why: Phrase) => new ArchiveError('invalid-argument', phrase('doors.upload.badPath', { path: JSON.stringify(String(relativePath).slice(0, 200)), why }));
  if (typeof relativePath !== 'string' || relativePath === '') throw bad(phrase('doors.upload.path.empty'));
  if (relativePath.length > MAX_PATH_CHARS) throw bad(phrase('doors.upload.path.long', { max: MAX_PATH_CHARS }));
  if (/[\u0000-\u001f\u007f]/.test(relativePath)) throw bad(phrase('doors.upload.path.control'));
  if (relativePath.includes('\\')) throw bad(phrase('doors.upload.path.backslash'));
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath)) throw bad(phrase('doors.upload.path.absolute'));
  const segments = relativePath.split('/');
  if (segments.length > MAX_DEPTH) throw bad(phrase('doors.upload.path.deep', { max: MAX_DEPTH }));
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') throw bad(phrase('doors.upload.path.dots'));
    if (Buffer.byteLength(s, 'utf8') > MAX_NAME_BYTES) throw bad(phrase('doors.upload.path.nameLong', { max: MAX_NAME_BYTES }));
    if (process.platform === 'win32' && (/[<>:"|?*]/.test(s) || /[. ]$/.test(s) || WINDOWS_RESERVED.test(s)))
      throw bad(phrase('doors.upload.path.windows'));
  }
  return segments;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

function openExclusive(file: string): Promise<fs.WriteStream> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    out.once('open', () => resolve(out));
    out.once('error', reject);
  });
}

function tooLarge(max: number): CodedError<'too-large'> {
  return new CodedError('too-large', phrase('doors.upload.tooLarge', { max: gb(max) }));
}

function gb(bytes: number): Phrase {
  // To a tenth of a GB ("1.5 GB", a whole number without the ".0"): a number value, so written in the language's digits.
  return bytes >= 2 ** 30 ? phrase('doors.size.gigabytes', { size: Math.round((bytes / 2 ** 30) * 10) / 10 }) : phrase('doors.size.megabytes', { size: Math.ceil(bytes / 2 ** 20) });
}

function describeFsError(err: unknown): Phrase | string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return phrase('doors.fs.inTheWay');
  if (code === 'ENAMETOOLONG') return phrase('doors.fs.nameTooLong');
  return code ?? phrase('doors.fs.refused');
}
