// An age file written straight to disk, for bundles: the writer fills 1 MiB batches (file data is
// read from disk directly into them), and each full batch is sealed and written at its own offset
// in the file, on worker threads once the file is large (chunkEngine.ts). The buffers go round and
// round between the threads, so a gigabyte passes without a gigabyte of allocations, and the main
// thread is left with reading and whatever the caller does with the bytes (hashing), and with
// sealing the batches the worker is too far behind to take (see #dispatch).
//
// The bytes are exactly those createEncryptStream would produce for the same plaintext and keys.
import type { FileHandle } from 'node:fs/promises';
import { fdatasync, write } from 'node:fs';
import { BATCH_BYTES, BATCH_CHUNKS, CHUNK_BYTES, ChunkEngine, MAX_IN_FLIGHT } from './chunkEngine.ts';
import { AgeError } from './errors.ts';
import { prepareWrap, startFile } from './encrypt.ts';
import type { EncryptOptions } from './encrypt.ts';
import { TAG_BYTES } from './primitives.ts';

function writeAll(fd: number, bytes: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) =>
      write(fd, bytes, offset, bytes.length - offset, position + offset, (error, written) => {
        if (error) reject(error);
        else if (offset + written < bytes.length) next(offset + written);
        else resolve();
      });
    next(0);
  });
}

/** Reads into `buffer` until `length` bytes or the end of the file; resolves to the count. */
async function readFully(file: FileHandle, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file.read(buffer, offset + got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** File regions (about a batch each) read ahead of the one being hashed. */
const READ_AHEAD = 4;

export class AgeFileWriter {
  readonly #fd: number;
  readonly #engine: ChunkEngine;
  #batch: Buffer;
  #used = 0;
  #counter = 0;
  #position: number;
  readonly #inFlight: Promise<void>[] = [];
  #failure: unknown = null;
  #ended = false;
  #flushEvery = Infinity;
  #unflushed = 0;
  #flushing: Promise<void> | null = null;
  #sealedInstead = 0;
  #stopped: Promise<void> | null = null;

  private constructor(fd: number, key: Buffer, position: number) {
    this.#fd = fd;
    this.#engine = new ChunkEngine(key);
    this.#batch = this.#engine.take(BATCH_BYTES);
    this.#position = position;
  }

  /**
   * Starts an age file in `fd` (open for writing, empty; the caller closes it after end()). The
   * options are checked before anything is written. Armor is not offered: bundles are binary.
   */
  static async create(fd: number, options: EncryptOptions, writing: { flushEvery?: number } = {}): Promise<AgeFileWriter> {
    if (options.armor === true) throw new AgeError('unsupported', 'An armored age file cannot be written with AgeFileWriter.');
    const { head, key } = await startFile(prepareWrap(options));
    await writeAll(fd, head, 0);
    const writer = new AgeFileWriter(fd, key, head.length);
    writer.#flushEvery = writing.flushEvery ?? Infinity;
    return writer;
  }

  /**
   * With `flushEvery`, the file is flushed to disk (fdatasync, on libuv's thread pool) each time
   * that many more bytes have been written, while the next ones are sealed: a caller who fsyncs
   * at the end then waits for the last stretch only, not for the disk to take the whole file.
   */
  #wrote(bytes: number): void {
    this.#unflushed += bytes;
    if (this.#flushing !== null || this.#unflushed < this.#flushEvery || this.#ended) return;
    this.#unflushed = 0;
    this.#flushing = new Promise<void>((resolve, reject) => fdatasync(this.#fd, (error) => (error ? reject(error) : resolve())));
    this.#flushing.then(
      () => (this.#flushing = null),
      (error: unknown) => (this.#failure ??= error),
    );
  }

  #check(): void {
    if (this.#failure !== null) throw this.#failure;
    if (this.#ended) throw new Error('The age file is already complete.');
  }

  /**
   * Seals and writes the current batch, continuing in `next` (a fresh one by default); waits
   * only if too many batches are still in flight.
   */
  async #dispatch(final: boolean, next?: Buffer): Promise<void> {
    const length = this.#used;
    // When the worker is behind, this thread seals the batch itself rather than wait for it: the
    // core it would have left idle does the work (on two cores, the worker sealing and writing
    // and this thread reading and hashing do not take the same time, and which is slower varies).
    const here = this.#engine.backlog >= MAX_IN_FLIGHT;
    if (here) this.#sealedInstead++;
    const sealing = this.#engine.sealTo(this.#fd, this.#position, this.#batch, length, this.#counter, final, here);
    const bytes = length + Math.max(1, Math.ceil(length / CHUNK_BYTES)) * TAG_BYTES;
    sealing.then(
      () => this.#wrote(bytes),
      (error: unknown) => (this.#failure ??= error),
    );
    this.#inFlight.push(sealing);
    this.#position += length + Math.max(1, Math.ceil(length / CHUNK_BYTES)) * TAG_BYTES;
    this.#counter += BATCH_CHUNKS;
    this.#used = 0;
    this.#batch = next ?? this.#engine.take(BATCH_BYTES);
    // The worker's share is bounded above; this bounds the batches sealed here and still being written.
    while (this.#inFlight.length > 2 * MAX_IN_FLIGHT) await this.#inFlight.shift();
    if (this.#failure !== null) throw this.#failure;
  }

  /** Batches this thread sealed because the worker was behind (for tests). */
  get sealedInstead(): number {
    return this.#sealedInstead;
  }

  /** Appends bytes (copied: the caller may reuse them once this resolves). */
  async write(bytes: Uint8Array): Promise<void> {
    this.#check();
    for (let at = 0; at < bytes.length; ) {
      // A full batch goes out only once a further byte exists, so the last chunk is always known.
      if (this.#used === BATCH_BYTES) await this.#dispatch(false);
      const n = Math.min(BATCH_BYTES - this.#used, bytes.length - at);
      this.#batch.set(bytes.subarray(at, at + n), this.#used);
      this.#used += n;
      at += n;
    }
  }

  /**
   * Appends up to `size` bytes read from `file` (from its start), read directly into the batches.
   * `seen` gets each piece, in order, before it is sealed (and if it returns a promise, nothing
   * goes on until it settles). Resolves to the bytes read: fewer than `size` only if the file is
   * shorter.
   *
   * Several reads are in flight at once, into the batches that come next: a file not in the page
   * cache is then read from the disk while the pieces before it are hashed and sealed, instead of
   * the disk waiting for them.
   */
  async copyFile(file: FileHandle, size: number, seen: (bytes: Uint8Array) => void | Promise<void>): Promise<number> {
    this.#check();
    type Region = { batch: Buffer; at: number; length: number; read: Promise<number> };
    const regions: Region[] = [];
    let planned = 0;
    let batch = this.#batch;
    let at = this.#used;
    const plan = () => {
      while (planned < size && regions.length < READ_AHEAD) {
        if (at === BATCH_BYTES) {
          batch = this.#engine.take(BATCH_BYTES);
          at = 0;
        }
        const length = Math.min(BATCH_BYTES - at, size - planned);
        regions.push({ batch, at, length, read: readFully(file, batch, at, length, planned) });
        planned += length;
        at += length;
      }
    };
    let done = 0;
    try {
      plan();
      for (let region = regions.shift(); region !== undefined; region = regions.shift()) {
        const got = await region.read;
        if (got === 0) break;
        // A region in a new batch means the current one is full and more bytes follow it.
        if (region.batch !== this.#batch) await this.#dispatch(false, region.batch);
        await seen(region.batch.subarray(region.at, region.at + got));
        this.#used = region.at + got;
        done += got;
        if (got < region.length) break;
        plan();
      }
    } finally {
      // Reads still running write into their batches: those are not reused before they finish.
      await Promise.allSettled(regions.map((r) => r.read));
    }
    return done;
  }

  /** Appends `last`, seals the rest with the last chunk marked, and resolves once every byte is written. */
  async end(last?: Uint8Array): Promise<void> {
    if (last !== undefined) await this.write(last);
    this.#check();
    await this.#dispatch(true);
    this.#ended = true;
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
    void this.#engine.close();
    await this.#flushing?.catch(() => undefined);
    if (this.#failure !== null) throw this.#failure;
  }

  /** Stops: nothing more is written (the caller removes the partial file). */
  destroy(error?: unknown): void {
    this.#failure ??= error ?? new Error('The age file was abandoned.');
    if (this.#stopped !== null) return;
    this.#ended = true;
    // The batches already handed out are let finish, writes and all, and the worker's thread
    // exit, before settled() resolves: a write still running on the thread pool when the caller
    // closes the descriptor could land in whatever file is opened next under the same number.
    this.#stopped = Promise.allSettled(this.#inFlight).then(() => this.#engine.close());
  }

  /** Waits for writes already started to settle, so the file can be closed safely after destroy(). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#inFlight);
    await this.#stopped;
    await this.#flushing?.catch(() => undefined);
  }
}
