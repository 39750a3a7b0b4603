// The content-addressed blob store: blobs/ab/cd/<sha256>, written once, never changed.
//
// Crash protocol (DESIGN.md "Data"): a file is copied to tmp/ while it is hashed, fsynced, then,
// inside the database transaction that references it, its sha is written to a journal and the
// file renamed into place. A crash before the commit leaves a journal naming a blob no row
// references; the next open removes that blob and every leftover of a dead process.
// Many small files are made durable together by the one syncfs that also makes their renames
// durable, after the renames and before the commit: a blob cut short by a power cut between the
// two is named by the journal and referenced by no row, so it is removed like any other.
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase, type Phrase } from '../../shared/phrase.ts';

export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  readonly tmpPath: string;
}

export interface StageOptions {
  readonly signal?: AbortSignal;
  /** Called with the bytes copied so far. */
  readonly onProgress?: (bytes: number) => void;
}

const SHA256 = /^[0-9a-f]{64}$/;
// Temp names carry host and pid so a later open can tell a dead writer's leftovers from a live one's.
const HOST = os.hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 40) || 'host';

export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  /** Fan-out folders known to exist, so placing a blob skips the mkdir. */
  private readonly knownDirs = new Set<string>();

  constructor(archiveDir: string) {
    this.root = path.join(archiveDir, 'blobs');
    this.tmpDir = path.join(archiveDir, 'tmp');
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new ArchiveError('invalid-argument', phrase('import.notSha256', { hash: sha256 }));
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  private tmpName(suffix: string): string {
    return path.join(this.tmpDir, `${HOST}-${process.pid}-${randomBytes(8).toString('hex')}${suffix}`);
  }

  /**
   * Copies a file into tmp/ while hashing it, in one streaming pass: memory stays flat whatever the
   * size. Reads run ahead of the hashing and writes trail it (see copyHashing), so the disk and the
   * CPU work at once. With `sync: false` the caller must `syncAll` the staged blobs before placing
   * them; the copy's fsync starts at once in the background, so the disk writes it out while the
   * next file is read.
   */
  async stageFile(source: string, options: StageOptions & { sync?: boolean } = {}): Promise<StagedBlob> {
    const tmpPath = this.tmpName('.part');
    let input: fsp.FileHandle | undefined;
    let out: fsp.FileHandle | undefined;
    let sha256: string;
    let size: number;
    try {
      input = await openRegularFile(source);
      out = await fsp.open(tmpPath, 'wx', 0o600);
      ({ sha256, size } = await copyHashing(input, out, options));
      await input.close();
      input = undefined;
      if (options.sync === false) {
        this.syncLater(tmpPath, out);
        out = undefined;
      } else {
        await out.sync();
        await out.close();
      }
    } catch (err) {
      await input?.close().catch(() => undefined);
      if (out) {
        await out.close().catch(() => undefined);
        await fsp.rm(tmpPath, { force: true });
      }
      throw fileError(err, source);
    }
    return { sha256, size, tmpPath };
  }

  /** Staged copies syncAll left for the placement's flush to make durable, by temp path. */
  private readonly syncWithPlacement = new Set<string>();

  /** Background fsyncs of staged copies, by temp path, for syncAll to wait for. */
  private readonly pendingSyncs = new Map<string, Promise<void>>();
  /** One background fsync at a time: each holds a thread-pool thread the next copy's reads need. */
  private syncQueue: Promise<unknown> = Promise.resolve();

  private syncLater(tmpPath: string, out: fsp.FileHandle): void {
    const synced = this.syncQueue.then(async () => {
      try {
        await out.sync();
      } finally {
        await out.close();
      }
    });
    this.syncQueue = synced.catch(() => undefined);
    // A copy discarded before syncAll never has its result read: its failure must not go unhandled.
    synced.catch(() => undefined);
    this.pendingSyncs.set(tmpPath, synced);
  }

  /**
   * Stages bytes already in memory (a small file read whole, a text written in the app). Written
   * synchronously: for small files the thread-pool round trips cost more than the write.
   */
  async stageBytes(bytes: Uint8Array, options: { sync?: boolean; source?: string } = {}): Promise<StagedBlob> {
    const tmpPath = this.tmpName('.part');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmpPath, 'wx', 0o600);
      for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset);
      if (options.sync !== false) fs.fsyncSync(fd);
      fs.closeSync(fd);
    } catch (err) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmpPath, { force: true });
      throw fileError(err, options.source ?? phrase('import.file.unnamed'));
    }
    return { sha256, size: bytes.length, tmpPath };
  }

  /**
   * Makes staged blobs durable before they are placed: waits for the fsyncs stageFile started.
   * Many small files: one syncfs(2) of the archive's filesystem costs what one fsync does, where a
   * fsync each would dominate an import; that syncfs is the placement's (`flush`), made once the
   * blobs are renamed, so these are only marked here. Otherwise, or where syncfs is not
   * available, each file is fsynced, several at once.
   */
  async syncAll(blobs: readonly StagedBlob[]): Promise<void> {
    const started = blobs.filter((b) => this.pendingSyncs.has(b.tmpPath));
    try {
      await Promise.all(started.map((b) => this.pendingSyncs.get(b.tmpPath)));
    } finally {
      for (const b of started) this.pendingSyncs.delete(b.tmpPath);
    }
    blobs = blobs.filter((b) => !started.includes(b));
    if (blobs.length >= SYNCFS_MIN_FILES && syncfsMayWork()) {
      // Left to the placement's syncfs (see the top of this file): one call instead of two.
      for (const b of blobs) this.syncWithPlacement.add(b.tmpPath);
      return;
    }
    const queue = [...blobs];
    const worker = async () => {
      for (let blob = queue.shift(); blob; blob = queue.shift()) {
        const handle = await fsp.open(blob.tmpPath, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  discard(staged: StagedBlob): void {
    this.pendingSyncs.delete(staged.tmpPath);
    this.syncWithPlacement.delete(staged.tmpPath);
    fs.rmSync(staged.tmpPath, { force: true });
  }

  /**
   * Starts placing blobs: the journal lists them before any is renamed into place. Call only
   * inside the database transaction that references them; call `done` after it commits.
   */
  beginPlacement(blobs: readonly StagedBlob[]): Placement {
    const journal = this.tmpName('.journal');
    const fd = fs.openSync(journal, 'wx', 0o600);
    try {
      fs.writeSync(fd, blobs.map((b) => b.sha256).join('\n') + '\n');
      fs.fsyncSync(fd);
    } catch (err) {
      // A full disk fails here: the empty journal must not outlive the failed write.
      fs.closeSync(fd);
      fs.rmSync(journal, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    const placed: { target: string; tmpPath: string }[] = [];
    // Copies of content the store already holds: removed once the commit is done, not before, so
    // that after a rollback every staged blob is still the caller's to retry (the importer retries
    // a failed batch item by item).
    const redundant: string[] = [];
    const touchedDirs = new Set<string>();
    // Placed blobs whose content is not yet durable (syncAll left them to flush).
    const unsynced: string[] = [];
    return {
      place: (staged) => {
        const target = this.pathOf(staged.sha256);
        const deferred = this.syncWithPlacement.delete(staged.tmpPath);
        if (fs.existsSync(target)) {
          redundant.push(staged.tmpPath);
          return;
        }
        if (deferred) unsynced.push(target);
        const dir = path.dirname(target);
        // A new fan-out folder must itself be made durable in its parent.
        const created = this.knownDirs.has(dir) ? undefined : fs.mkdirSync(dir, { recursive: true });
        this.knownDirs.add(dir);
        if (created) {
          for (let d = path.dirname(dir); ; d = path.dirname(d)) {
            touchedDirs.add(d);
            if (d === path.dirname(created) || d.length <= this.root.length) break;
          }
        }
        fs.chmodSync(staged.tmpPath, 0o444);
        fs.renameSync(staged.tmpPath, target);
        placed.push({ target, tmpPath: staged.tmpPath });
        touchedDirs.add(dir);
      },
      flush: () => {
        if ((unsynced.length > 0 || touchedDirs.size >= SYNCFS_MIN_FILES) && syncFileSystem(this.root)) return;
        for (const file of unsynced) fsyncPath(file, 'r');
        for (const dir of touchedDirs) fsyncDir(dir);
      },
      rollback: () => {
        for (const { target, tmpPath } of placed) {
          fs.renameSync(target, tmpPath);
          // Back to a writable staged copy: a retry fsyncs it again, which Windows needs write access for.
          fs.chmodSync(tmpPath, 0o600);
        }
        fs.rmSync(journal, { force: true });
      },
      done: () => {
        for (const file of redundant) fs.rmSync(file, { force: true });
        fs.rmSync(journal, { force: true });
      },
    };
  }

  /**
   * Records a bundle export under way, before its temporary file is created: a bundle is written
   * outside the archive, so without this a crash would leave its partial file (or, between the
   * rename and the custody event, an unrecorded bundle) where no clean-up looks.
   */
  beginExport(intent: { temp: string; destination: string; bundleId: string }): ExportJournal {
    const journal = this.tmpName('.export');
    const write = (value: ExportIntent, flag: 'wx' | 'w') => {
      const fd = fs.openSync(journal, flag, 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(value));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    };
    try {
      write(intent, 'wx');
    } catch (err) {
      fs.rmSync(journal, { force: true });
      throw err;
    }
    return {
      // The inode identifies our file after the rename, so a later bundle of the same name is never taken for it.
      created: (ino) => write({ ...intent, ino }, 'w'),
      done: () => fs.rmSync(journal, { force: true }),
    };
  }

  /**
   * Removes what dead writers left: partial copies, blobs their journals name that no row
   * references, and the partial or unrecorded bundle of a killed export. The callbacks must be
   * asked while holding the database's write lock.
   */
  cleanLeftovers(
    isReferenced: (sha256: string) => boolean,
    isExportRecorded: (bundleId: string) => boolean = () => true,
  ): { removedTemp: number; removedBlobs: number } {
    let removedTemp = 0;
    let removedBlobs = 0;
    for (const name of fs.readdirSync(this.tmpDir)) {
      const owner = /^(.+)-(\d+)-[0-9a-f]{16}\.(part|journal|export)$/.exec(name);
      const full = path.join(this.tmpDir, name);
      if (owner && owner[1] === HOST && isAlive(Number(owner[2]))) continue;
      if (owner && owner[1] !== HOST && ageMs(full) < 24 * 3600_000) continue;
      if (owner?.[3] === 'journal') {
        for (const sha of fs.readFileSync(full, 'utf8').split('\n')) {
          if (SHA256.test(sha) && !isReferenced(sha) && this.has(sha)) {
            fs.rmSync(this.pathOf(sha), { force: true });
            removedBlobs++;
          }
        }
      }
      if (owner?.[3] === 'export') undoExport(full, isExportRecorded);
      fs.rmSync(full, { force: true, recursive: true });
      removedTemp++;
    }
    return { removedTemp, removedBlobs };
  }

  /** Every blob file in the store, for fixity checks. */
  *listBlobs(): Generator<string> {
    if (!fs.existsSync(this.root)) return;
    for (const a of fs.readdirSync(this.root)) {
      const da = path.join(this.root, a);
      if (!fs.statSync(da).isDirectory()) continue;
      for (const b of fs.readdirSync(da)) {
        const db = path.join(da, b);
        if (!fs.statSync(db).isDirectory()) continue;
        for (const name of fs.readdirSync(db)) yield name;
      }
    }
  }
}

interface ExportIntent {
  readonly temp: string;
  readonly destination: string;
  readonly bundleId: string;
  readonly ino?: number;
}

export interface ExportJournal {
  /** Call once the temporary file exists, with its inode. */
  created(ino: number): void;
  /** Call once the bundle is in place and recorded, or once its temporary file is removed. */
  done(): void;
}

/**
 * After a killed export: its temporary file goes; a bundle already renamed into place but never
 * recorded in the custody log goes too (an export the log does not record must not exist). A
 * journal torn by the crash, or a bundle folder that is gone (a removed USB stick), is left alone.
 */
function undoExport(journal: string, isRecorded: (bundleId: string) => boolean): void {
  let intent: ExportIntent;
  try {
    intent = JSON.parse(fs.readFileSync(journal, 'utf8')) as ExportIntent;
  } catch {
    return;
  }
  if (typeof intent.temp !== 'string' || typeof intent.destination !== 'string' || !/\.partial$/.test(intent.temp)) return;
  try {
    if (fs.existsSync(intent.temp)) {
      fs.rmSync(intent.temp, { force: true });
      return;
    }
    const stat = fs.statSync(intent.destination, { throwIfNoEntry: false });
    if (stat && typeof intent.ino === 'number' && stat.ino === intent.ino && !isRecorded(String(intent.bundleId))) fs.rmSync(intent.destination, { force: true });
  } catch {
    // The bundle's folder cannot be reached now; nothing in the archive depends on it.
  }
}

export interface Placement {
  place(staged: StagedBlob): void;
  /** fsyncs the directories that received blobs, so the renames survive a power cut. */
  flush(): void;
  rollback(): void;
  done(): void;
}

// Measured on 1 GiB of 128 MiB files (ext4, cold cache): 512 KiB chunks, six in flight, cost a
// third of the kernel time 4 MiB chunks did (which fall out of the CPU caches between the read,
// the hash and the write) and overlap the disk's reads with the hashing.
const COPY_CHUNK = 512 << 10;
const COPY_DEPTH = 6;

/**
 * Copies `input` to `out` and hashes the bytes on the way, in order: what is hashed is exactly
 * what is written. Reads are issued ahead into a small ring of buffers; each buffer, once hashed,
 * is written (in order, one write at a time) and then read into again.
 */
async function copyHashing(input: fsp.FileHandle, out: fsp.FileHandle, options: StageOptions): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const free = Array.from({ length: COPY_DEPTH }, () => Buffer.allocUnsafeSlow(COPY_CHUNK));
  const reads: { buf: Buffer<ArrayBuffer>; offset: number; done: Promise<number> }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown;
  let pos = 0;
  let next = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new DOMException('The copy was cancelled.', 'AbortError');
      if (writeError) throw writeError;
      for (let buf = free.pop(); buf; buf = free.pop()) {
        const done = input.read(buf, 0, COPY_CHUNK, next).then((r) => r.bytesRead);
        // Read-ahead abandoned by an error is never awaited; its failure is not the one to report.
        done.catch(() => undefined);
        reads.push({ buf, offset: next, done });
        next += COPY_CHUNK;
      }
      const head = reads.shift();
      if (!head) {
        // Every buffer is waiting to be written.
        await writing;
        continue;
      }
      const n = await head.done;
      // Read ahead past a short read (a file that grew while it was read): read again from `pos`.
      if (head.offset !== pos) {
        free.push(head.buf);
        continue;
      }
      if (n === 0) break;
      const view = head.buf.subarray(0, n);
      hash.update(view);
      const at = pos;
      writing = writing.then(() => writeAllAt(out, view, at)).then(
        () => void free.push(head.buf),
        (err: unknown) => void (writeError ??= err),
      );
      pos += n;
      if (n < COPY_CHUNK) next = pos;
      options.onProgress?.(pos);
    }
    await writing;
    if (writeError) throw writeError;
  } finally {
    // The handles are closed by the caller; no read or write may still be using the buffers then.
    await Promise.allSettled([writing, ...reads.map((r) => r.done)]);
  }
  return { sha256: hash.digest('hex'), size: pos };
}

async function writeAllAt(out: fsp.FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await out.write(chunk, offset, chunk.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** Refuses a path that is not a file, without opening it (opening a socket fails, a device may act). */
export async function regularFile(file: string): Promise<void> {
  const stat = await fsp.stat(file).catch((err: unknown) => {
    throw fileError(err, file);
  });
  if (stat.isDirectory()) throw new ArchiveError('file-unreadable', phrase('import.file.isFolder', { file }));
  if (!stat.isFile()) throw new ArchiveError('unsupported-file', phrase('import.file.notRegular', { file }));
}

/**
 * Opens `file` for reading, refusing anything but a file: looked at first (regularFile), then
 * opened without blocking and looked at again, so a pipe put in its place meanwhile is refused
 * at once instead of waiting for a writer that never comes.
 */
export async function openRegularFile(file: string): Promise<fsp.FileHandle> {
  await regularFile(file);
  const handle = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw new ArchiveError('unsupported-file', phrase('import.file.notRegular', { file }));
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** A person-readable error for a file (its path, or a phrase for one not named) that could not be read or copied. */
export function fileError(err: unknown, file: string | Phrase): Error {
  // Already said (openRegularFile's refusals).
  if (err instanceof ArchiveError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return new ArchiveError('cancelled', phrase('import.cancelled'));
  if (e?.code === 'ENOENT') return new ArchiveError('file-unreadable', phrase('import.file.missing', { file }));
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ArchiveError('file-unreadable', phrase('import.file.permissionDenied', { file }));
  if (e?.code === 'EISDIR') return new ArchiveError('file-unreadable', phrase('import.file.isFolder', { file }));
  if (e?.code === 'ENOSPC') return new ArchiveError('disk-full', phrase('import.file.diskFull', { file }));
  return new ArchiveError('file-unreadable', phrase('import.file.copyFailed', { file, error: e?.message ?? String(err) }));
}

const SYNCFS_MIN_FILES = 8;
let syncfsWorks: boolean | undefined;

/**
 * syncfs(2) through coreutils' `sync --file-system` (Node has no binding for it): flushes every
 * dirty file and directory of the filesystem holding `dir` in one call. Linux only; false where
 * it is missing or fails, and the caller falls back to fsync.
 */
function syncFileSystem(dir: string): boolean {
  if (process.platform !== 'linux' || syncfsWorks === false) return false;
  const result = spawnSync('sync', ['--file-system', dir], { stdio: 'ignore', timeout: 120_000 });
  syncfsWorks = result.status === 0;
  return syncfsWorks;
}

/** syncfs may be used: Linux, and not known to fail. */
function syncfsMayWork(): boolean {
  return process.platform === 'linux' && syncfsWorks !== false;
}

function fsyncPath(file: string, flags: 'r' | 'r+'): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    fsyncPath(dir, 'r');
  } catch {
    // Some filesystems (Windows, FAT) cannot fsync a directory; the rename is still atomic there.
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
