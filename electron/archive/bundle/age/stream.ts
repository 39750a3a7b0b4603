// The payload: STREAM (Hoang, Reyhanitabar, Rogaway, Vizár) over ChaCha20-Poly1305 with 64 KiB
// chunks. Each chunk's nonce is an 11-byte big-endian counter and a last-chunk flag, so chunks
// cannot be reordered, dropped or cut off at a boundary without detection.
//
// Chunks are gathered into batches of 16 (1 MiB) and sealed or opened together (chunkEngine.ts),
// on worker threads once a stream is large, with a few batches in flight so that reading, the
// cipher and writing overlap. Gathering from a stream copies each byte once; nothing else does.
import { phrase, type Phrase } from '../../../../shared/phrase.ts';
import type { ByteReader } from './byteReader.ts';
import {
  BATCH_BYTES,
  BATCH_CHUNKS,
  CHUNK_BYTES,
  ChunkEngine,
  MAX_IN_FLIGHT as IN_FLIGHT,
  SEALED_BATCH_BYTES,
  SEALED_CHUNK_BYTES,
  setChunkNonce,
} from './chunkEngine.ts';
import { AgeError } from './errors.ts';
import { hkdfSha256, open } from './primitives.ts';

export { CHUNK_BYTES, SEALED_CHUNK_BYTES };
export const PAYLOAD_NONCE_BYTES = 16;

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return hkdfSha256(fileKey, nonce, 'payload');
}

function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  setChunkNonce(nonce, counter, last);
  return nonce;
}

/** Settles promises nobody will await any more, so an abandoned stream raises no unhandled rejection. */
function abandon(pending: readonly Promise<unknown>[]): void {
  for (const promise of pending) promise.catch(() => undefined);
}

/** Encrypts what the reader holds, yielding sealed chunks (a batch of them at a time). */
export async function* sealPayload(reader: ByteReader, key: Uint8Array): AsyncGenerator<Buffer> {
  const engine = new ChunkEngine(key);
  const pending: Promise<Buffer>[] = [];
  try {
    let batch = engine.take(BATCH_BYTES);
    let used = 0;
    let counter = 0;
    for (let input = await reader.readSome(); input.length > 0; input = await reader.readSome()) {
      for (let at = 0; at < input.length; ) {
        // A full batch is sealed only once a further byte exists: then none of its chunks is the
        // last, and a payload that is an exact multiple of 64 KiB ends with a full chunk marked
        // last, never with an empty one (the spec allows an empty chunk only alone).
        if (used === BATCH_BYTES) {
          engine.collectIfChurning();
          pending.push(engine.seal(batch, used, counter, false));
          counter += BATCH_CHUNKS;
          batch = engine.take(BATCH_BYTES);
          used = 0;
          while (pending.length > IN_FLIGHT) yield await (pending.shift() as Promise<Buffer>);
        }
        const n = Math.min(BATCH_BYTES - used, input.length - at);
        batch.set(input.subarray(at, at + n), used);
        used += n;
        at += n;
      }
    }
    pending.push(engine.seal(batch, used, counter, true));
    while (pending.length > 0) yield await (pending.shift() as Promise<Buffer>);
  } finally {
    abandon(pending);
    void engine.close();
  }
}

/** `what` is a `bundle.age.payload.…` phrase: how the content at `offset` fails. */
function damaged(offset: number, what: Phrase): AgeError {
  return new AgeError('payload-damaged', phrase('bundle.age.payloadDamaged', { offset: String(offset), what }), { offset });
}

/**
 * A middle chunk (more bytes follow it) that does not authenticate as one: releases its plaintext
 * if it authenticates as the last chunk (the CCTV vectors expect that), then always throws.
 */
function* failMiddle(key: Uint8Array, sealed: Uint8Array, counter: number, offset: number): Generator<Buffer, never> {
  // A chunk that authenticates as the last one, with more bytes after it: data was appended.
  // Its plaintext is authentic but the file is not.
  const final = open(key, sealed, chunkNonce(counter, true));
  if (final !== null) {
    yield final;
    throw damaged(offset + SEALED_CHUNK_BYTES, phrase('bundle.age.payload.trailingData'));
  }
  throw damaged(offset, phrase('bundle.age.payload.block', { block: String(counter + 1) }));
}

/** The payload's final chunk (nothing follows it), `counter` being its index. */
function* openLast(key: Uint8Array, sealed: Uint8Array, counter: number, offset: number): Generator<Buffer> {
  // Only possible before the first chunk: a middle chunk is one only because bytes followed it.
  if (sealed.length === 0) {
    throw new AgeError('truncated', phrase('bundle.age.noPayload'), {
      offset,
    });
  }
  const plaintext = open(key, sealed, chunkNonce(counter, true));
  if (plaintext === null) {
    // A full chunk that authenticates as a middle one means the file was cut at a chunk boundary.
    const middle = sealed.length === SEALED_CHUNK_BYTES ? open(key, sealed, chunkNonce(counter, false)) : null;
    if (middle !== null) {
      yield middle;
      throw new AgeError('truncated', phrase('bundle.age.finalMissing', { offset: String(offset + SEALED_CHUNK_BYTES) }), {
        offset: offset + SEALED_CHUNK_BYTES,
      });
    }
    throw damaged(offset, phrase('bundle.age.payload.finalBlock', { block: String(counter + 1) }));
  }
  if (plaintext.length === 0 && counter > 0) throw damaged(offset, phrase('bundle.age.payload.emptyFinal'));
  yield plaintext;
}

type Opening = { promise: ReturnType<ChunkEngine['open']>; counter: number };

/**
 * The payload's next batch: a buffer from the engine (SEALED_BATCH_BYTES long) holding `length`
 * bytes, and whether at least one more byte follows them (only then can its chunks all be middle
 * ones).
 */
export type NextBatch = () => Promise<{ batch: Buffer; length: number; more: boolean }>;

/** A NextBatch over a ByteReader (any byte source: streams, armor), copying into the batch. */
function batchesFromReader(reader: ByteReader, engine: ChunkEngine): NextBatch {
  let leftover: Buffer | null = null;
  return async () => {
    const batch = engine.take(SEALED_BATCH_BYTES);
    let used = 0;
    while (used < batch.length) {
      const input: Buffer = leftover ?? (await reader.readSome());
      leftover = null;
      if (input.length === 0) return { batch, length: used, more: false };
      const n = Math.min(batch.length - used, input.length);
      batch.set(input.subarray(0, n), used);
      used += n;
      if (n < input.length) leftover = input.subarray(n);
    }
    return { batch, length: used, more: leftover !== null || !(await reader.atEnd()) };
  };
}

/**
 * Decrypts the payload batch by batch, yielding plaintext only once it has authenticated, so no
 * forged or damaged byte ever reaches the caller. `start` is the payload's offset in the file, for
 * error messages.
 */
export async function* openBatches(next: NextBatch, engine: ChunkEngine, key: Uint8Array, start: number): AsyncGenerator<Buffer> {
  const pending: Opening[] = [];
  const offsetOf = (counter: number) => start + counter * SEALED_CHUNK_BYTES;
  // Yields an opened batch's plaintext, or what authenticated of it before the error it ends in.
  const release = async function* (opening: Opening): AsyncGenerator<Buffer> {
    const { plaintext, opened, failed } = await opening.promise;
    if (opened > 0) yield plaintext;
    if (opened < BATCH_CHUNKS) yield* failMiddle(key, failed, opening.counter + opened, offsetOf(opening.counter + opened));
  };
  try {
    for (let counter = 0; ; counter += BATCH_CHUNKS) {
      const { batch, length, more } = await next();
      if (more) {
        engine.collectIfChurning();
        pending.push({ promise: engine.open(batch, length, counter), counter });
        while (pending.length > IN_FLIGHT) yield* release(pending.shift() as Opening);
        continue;
      }
      while (pending.length > 0) yield* release(pending.shift() as Opening);
      // The rest, up to one batch, chunk by chunk: whole middle chunks, then the last (maybe short).
      let at = 0;
      let chunk = counter;
      for (; length - at > SEALED_CHUNK_BYTES; at += SEALED_CHUNK_BYTES, chunk++) {
        const sealed = batch.subarray(at, at + SEALED_CHUNK_BYTES);
        const plaintext = open(key, sealed, chunkNonce(chunk, false));
        if (plaintext === null) yield* failMiddle(key, sealed, chunk, offsetOf(chunk));
        else yield plaintext;
      }
      yield* openLast(key, batch.subarray(at, length), chunk, offsetOf(chunk));
      return;
    }
  } finally {
    abandon(pending.map((p) => p.promise));
    void engine.close();
  }
}

/** Decrypts the sealed chunks the reader holds (see openBatches). */
export function openPayload(reader: ByteReader, key: Uint8Array, start: number): AsyncGenerator<Buffer> {
  const engine = new ChunkEngine(key);
  return openBatches(batchesFromReader(reader, engine), engine, key, start);
}
