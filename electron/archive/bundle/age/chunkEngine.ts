// Seals and opens the payload's 64 KiB chunks in batches, on this thread or on a worker thread.
//
// ChaCha20-Poly1305 is most of the CPU an export or import spends; the rest (reading files,
// tar, SHA-256, writing) is on the main thread. `tar c | age` runs those two halves in two
// processes; here a worker thread does the sealing and opening while the main thread prepares the
// next batch, with each batch's ArrayBuffer transferred (moved, never copied) both ways.
//
// A stream starts on this thread and only moves to the worker once it has proved large, so small
// files (and the many small tests) never pay for starting a thread. The worker is used only with
// node:crypto's native cipher: where the runtime lacks it (Electron) or SIJIL_AEAD asks for the
// JavaScript one, everything stays on this thread, exactly as before.
import { write } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { currentAead } from './aead.ts';
import type { Aead, AeadKey } from './aead.ts';
import { TAG_BYTES } from './primitives.ts';

export const CHUNK_BYTES = 64 * 1024;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;
/** Chunks handled as one unit: one message to the worker, one write of the result. */
export const BATCH_CHUNKS = 16;
export const BATCH_BYTES = BATCH_CHUNKS * CHUNK_BYTES;
export const SEALED_BATCH_BYTES = BATCH_CHUNKS * SEALED_CHUNK_BYTES;

/** Sets `nonce` (12 bytes) to chunk `counter`'s: an 11-byte big-endian counter, then the last-chunk flag. */
export function setChunkNonce(nonce: Buffer, counter: number, last: boolean): void {
  // A safe integer is far below 2^88 chunks; the top three counter bytes stay zero.
  nonce.fill(0, 0, 3);
  nonce.writeUInt32BE(Math.floor(counter / 2 ** 32), 3);
  nonce.writeUInt32BE(counter % 2 ** 32, 7);
  nonce[11] = last ? 1 : 0;
}

/** Batches a stream keeps sealing or opening ahead of its consumer. */
export const MAX_IN_FLIGHT = 4;

export type OpenedBatch = {
  /** The plaintext of the chunks that authenticated, in order (opened * CHUNK_BYTES bytes). */
  plaintext: Buffer;
  /** How many chunks, from the first, authenticated as middle chunks; fewer than all: the next one did not. */
  opened: number;
  /** The sealed batch as given, so the caller can look again at the chunk that failed. */
  sealed: Buffer;
};

let workerAfterBatches = 4;
let workersAllowed = process.env.SIJIL_AGE_WORKER !== '0';
// Chunks are independent (each has its own nonce), so batches can be sealed on several threads at
// once; two keep up with reading and hashing on the main thread.
let workerCount = Math.max(1, Math.min(2, availableParallelism()));

/**
 * For tests: after how many batches a stream moves to a worker (0: from the first), and whether
 * workers are used at all (SIJIL_AGE_WORKER=0 turns them off too).
 */
export function configureChunkWorker(options: { afterBatches?: number; enabled?: boolean; workers?: number }): void {
  if (options.afterBatches !== undefined) workerAfterBatches = options.afterBatches;
  if (options.workers !== undefined) workerCount = Math.max(1, options.workers);
  if (options.enabled !== undefined) workersAllowed = options.enabled;
}

const COLLECT_EVERY_BYTES = 1024 * 1024;

// The worker's whole program: plain CommonJS evaluated from this string, so it needs no file of its
// own beside the bundled app, and only node:crypto (the worker runs only where that is native).
// setNonce must stay the same as setChunkNonce above; every age test of a large payload checks it.
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createCipheriv, createDecipheriv } = require('node:crypto');
const { writeSync } = require('node:fs');
const CHUNK = ${CHUNK_BYTES};
const TAG = ${TAG_BYTES};
const SEALED = CHUNK + TAG;
const { createSecretKey } = require('node:crypto');
const key = createSecretKey(Buffer.from(workerData.key));
const nonce = Buffer.alloc(12);
function setNonce(counter, last) {
  nonce.writeUInt32BE(Math.floor(counter / 2 ** 32), 3);
  nonce.writeUInt32BE(counter % 2 ** 32, 7);
  nonce[11] = last ? 1 : 0;
}
function seal(input, length, counter, final) {
  const chunks = Math.max(1, Math.ceil(length / CHUNK));
  const out = Buffer.allocUnsafeSlow(length + chunks * TAG);
  let at = 0;
  for (let i = 0; i < chunks; i++) {
    setNonce(counter + i, final && i === chunks - 1);
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
    const body = cipher.update(input.subarray(i * CHUNK, Math.min(length, (i + 1) * CHUNK)));
    cipher.final();
    out.set(body, at);
    at += body.length;
    out.set(cipher.getAuthTag(), at);
    at += TAG;
  }
  return { out, opened: chunks };
}
function open(input, length, counter) {
  const chunks = length / SEALED;
  const out = Buffer.allocUnsafeSlow(chunks * CHUNK);
  let opened = 0;
  for (; opened < chunks; opened++) {
    const sealed = input.subarray(opened * SEALED, (opened + 1) * SEALED);
    setNonce(counter + opened, false);
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
    decipher.setAuthTag(sealed.subarray(CHUNK));
    const body = decipher.update(sealed.subarray(0, CHUNK));
    try {
      decipher.final();
    } catch {
      break;
    }
    out.set(body, opened * CHUNK);
  }
  return { out, opened };
}
// Every chunk node:crypto seals or opens is a fresh 64 KiB buffer (allocated twice over, in fact:
// its output is resized with a copy), freed only when V8 collects it, and V8 lets tens of
// megabytes of that garbage pile up per thread. Freed in such heaps, the memory goes back to the
// system and every later chunk pays page faults for it again: that cost more than the cipher. A
// minor collection after every batch (a fraction of a millisecond: the worker holds almost
// nothing) keeps the garbage below what malloc gives back, so the same memory is reused, and the
// thread's footprint flat. The gc function is obtained once; the flag is switched off at once.
let collect = null;
try {
  const v8 = require('node:v8');
  v8.setFlagsFromString('--expose-gc');
  collect = require('node:vm').runInNewContext('gc');
  v8.setFlagsFromString('--no-expose-gc');
} catch {
  collect = null;
}
let sinceCollect = 0;
function collected(bytes) {
  sinceCollect += bytes;
  if (collect !== null && sinceCollect >= ${COLLECT_EVERY_BYTES}) {
    sinceCollect = 0;
    collect({ type: 'minor' });
  }
}
let spare = null;
function sealWrite(input, length, counter, final, fd, position) {
  const chunks = Math.max(1, Math.ceil(length / CHUNK));
  const size = length + chunks * TAG;
  // One output buffer, reused: a fresh megabyte per batch costs page faults and collections.
  if (spare === null || spare.length < size) spare = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < chunks; i++) {
    setNonce(counter + i, final && i === chunks - 1);
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
    const body = cipher.update(input.subarray(i * CHUNK, Math.min(length, (i + 1) * CHUNK)));
    cipher.final();
    spare.set(body, at);
    at += body.length;
    spare.set(cipher.getAuthTag(), at);
    at += TAG;
  }
  for (let written = 0; written < size; ) written += writeSync(fd, spare, written, size - written, position + written);
}
parentPort.on('message', (m) => {
  const input = Buffer.from(m.buffer, 0, m.length);
  collected(m.length);
  try {
    if (m.op === 'sealWrite') {
      sealWrite(input, m.length, m.counter, m.final, m.fd, m.position);
      parentPort.postMessage({ id: m.id, out: null, opened: 0, buffer: m.buffer }, [m.buffer]);
      return;
    }
    const { out, opened } = m.op === 'seal' ? seal(input, m.length, m.counter, m.final) : open(input, m.length, m.counter);
    parentPort.postMessage({ id: m.id, out: out.buffer, opened, buffer: m.buffer }, [out.buffer, m.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: { message: String(error && error.message), code: error && error.code, syscall: error && error.syscall } });
  }
});
`;

function writeAt(fd: number, bytes: Buffer, offset: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => write(fd, bytes, offset, bytes.length - offset, position, (error, written) => (error ? reject(error) : resolve(written))));
}

type Reply = { id: number; out: ArrayBuffer | null; opened: number; buffer: ArrayBuffer; error?: { message: string; code?: string; syscall?: string } };
type Request = { op: 'seal' | 'open' | 'sealWrite'; buffer: ArrayBuffer; length: number; counter: number; final: boolean; fd?: number; position?: number };
type Waiting = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** One stream's worker: requests are answered in the order they were sent. */
class ChunkWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #next = 0;
  #failure: Error | null = null;

  constructor(key: Uint8Array) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { key: Uint8Array.from(key) } });
    // A stream abandoned half-way must never keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.error === undefined) {
        waiting?.resolve(reply);
        return;
      }
      // A system error (a full disk: ENOSPC) keeps its code, so the caller can say what happened.
      const error = Object.assign(new Error(reply.error.message), { code: reply.error.code, syscall: reply.error.syscall });
      waiting?.reject(error);
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
      this.#waiting.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`The encryption worker stopped (exit code ${code}).`)));
  }

  request(message: Request): Promise<Reply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise<Reply>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id }, [message.buffer]);
    });
  }

  close(): void {
    this.#failure ??= new Error('The encryption worker was closed.');
    void this.#worker.terminate();
  }
}

/**
 * Seals or opens batches for one stream, with one key. Buffers come from take() and belong to the
 * engine again once given to seal() or open(): it hands them back to take() when it is done.
 */
export class ChunkEngine {
  readonly #key: Uint8Array;
  readonly #aeadKey: AeadKey;
  readonly #aead: Aead;
  readonly #nonce = Buffer.alloc(12);
  readonly #free = new Map<number, Buffer[]>();
  #batches = 0;
  readonly #workers: ChunkWorker[] = [];

  constructor(key: Uint8Array) {
    this.#key = key;
    this.#aead = currentAead();
    this.#aeadKey = this.#aead.importKey(key);
  }

  /** A buffer of `bytes` to fill; transferable, so the worker can take it without a copy. */
  take(bytes: number): Buffer {
    return this.#free.get(bytes)?.pop() ?? Buffer.allocUnsafeSlow(bytes);
  }

  #give(buffer: Buffer): void {
    const list = this.#free.get(buffer.byteLength) ?? [];
    // Enough spares for the batches in flight; more would only hold memory.
    if (list.length <= MAX_IN_FLIGHT) list.push(buffer);
    this.#free.set(buffer.byteLength, list);
  }

  /** The worker for the next batch (round robin), or null to do it on this thread. */
  #useWorker(): ChunkWorker | null {
    const batch = this.#batches++;
    if (!workersAllowed || this.#aead.name !== 'native' || batch < workerAfterBatches) return null;
    const index = (batch - workerAfterBatches) % workerCount;
    this.#workers[index] ??= new ChunkWorker(this.#key);
    return this.#workers[index];
  }

  /**
   * Seals the first `length` bytes of `batch` as chunks counter, counter + 1, …; the last one is
   * flagged last if `final`. Only a final batch may be short of BATCH_BYTES (or empty).
   */
  async seal(batch: Buffer, length: number, counter: number, final: boolean): Promise<Buffer> {
    const worker = this.#useWorker();
    if (worker !== null) {
      const reply = await worker.request({ op: 'seal', buffer: batch.buffer as ArrayBuffer, length, counter, final });
      this.#give(Buffer.from(reply.buffer));
      return Buffer.from(reply.out as ArrayBuffer);
    }
    const out = this.#sealHere(batch, length, counter, final, Buffer.allocUnsafe(length + Math.max(1, Math.ceil(length / CHUNK_BYTES)) * TAG_BYTES));
    this.#give(batch);
    return out;
  }

  /**
   * seal(), then writes the result to `fd` at `position`. Every batch has its own place in the
   * file, so batches sealed here and on the worker may be written in any order.
   */
  async sealTo(fd: number, position: number, batch: Buffer, length: number, counter: number, final: boolean): Promise<void> {
    const worker = this.#useWorker();
    if (worker !== null) {
      const reply = await worker.request({ op: 'sealWrite', buffer: batch.buffer as ArrayBuffer, length, counter, final, fd, position });
      this.#give(Buffer.from(reply.buffer));
      return;
    }
    const sealed = this.#sealHere(batch, length, counter, final, this.take(SEALED_BATCH_BYTES));
    this.#give(batch);
    try {
      for (let written = 0; written < sealed.length; ) written += await writeAt(fd, sealed, written, position + written);
    } finally {
      this.#give(Buffer.from(sealed.buffer, 0, sealed.buffer.byteLength));
    }
  }

  #sealHere(batch: Buffer, length: number, counter: number, final: boolean, out: Buffer): Buffer {
    const chunks = Math.max(1, Math.ceil(length / CHUNK_BYTES));
    for (let i = 0; i < chunks; i++) {
      setChunkNonce(this.#nonce, counter + i, final && i === chunks - 1);
      const start = i * CHUNK_BYTES;
      this.#aead.sealInto(this.#aeadKey, batch.subarray(start, Math.min(length, start + CHUNK_BYTES)), this.#nonce, out, start + i * TAG_BYTES);
    }
    return out.subarray(0, length + chunks * TAG_BYTES);
  }

  /**
   * Opens the first `length` bytes of `batch`, whole sealed chunks all known to be followed by
   * more data (so none may be the last), stopping at the first that does not authenticate.
   */
  async open(batch: Buffer, length: number, counter: number): Promise<OpenedBatch> {
    const worker = this.#useWorker();
    if (worker !== null) {
      const reply = await worker.request({ op: 'open', buffer: batch.buffer as ArrayBuffer, length, counter, final: false });
      return { plaintext: Buffer.from(reply.out as ArrayBuffer, 0, reply.opened * CHUNK_BYTES), opened: reply.opened, sealed: Buffer.from(reply.buffer, 0, length) };
    }
    const chunks = length / SEALED_CHUNK_BYTES;
    const out = Buffer.allocUnsafe(chunks * CHUNK_BYTES);
    let opened = 0;
    for (; opened < chunks; opened++) {
      setChunkNonce(this.#nonce, counter + opened, false);
      const sealed = batch.subarray(opened * SEALED_CHUNK_BYTES, (opened + 1) * SEALED_CHUNK_BYTES);
      if (!this.#aead.openInto(this.#aeadKey, sealed, this.#nonce, out, opened * CHUNK_BYTES)) break;
    }
    return { plaintext: out.subarray(0, opened * CHUNK_BYTES), opened, sealed: batch.subarray(0, length) };
  }

  /** Hands a buffer back once the caller is done with it (an open() batch's `sealed`). */
  recycle(buffer: Buffer): void {
    this.#give(Buffer.from(buffer.buffer, 0, buffer.buffer.byteLength));
  }

  close(): void {
    for (const worker of this.#workers) worker.close();
    this.#workers.length = 0;
    this.#free.clear();
  }
}
