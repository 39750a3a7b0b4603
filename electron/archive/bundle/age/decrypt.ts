// Decryption: read the header, find the file key with the passphrase or one of the identities,
// check the header MAC, then release the payload chunk by chunk as each authenticates.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Duplex } from 'node:stream';
import { phrase } from '../../../../shared/phrase.ts';
import { dearmor, looksArmored } from './armor.ts';
import { ByteReader } from './byteReader.ts';
import type { ByteSource } from './byteReader.ts';
import { AgeError, headerDamaged } from './errors.ts';
import { macKey, readHeader } from './header.ts';
import type { Stanza } from './header.ts';
import { equalBytes, hmacSha256 } from './primitives.ts';
import { assertAgeRuntime } from './runtime.ts';
import { MAX_WORK_FACTOR, SCRYPT_STANZA, checkWorkFactor, unwrapScrypt } from './scrypt.ts';
import { ChunkEngine, SEALED_BATCH_BYTES } from './chunkEngine.ts';
import { PAYLOAD_NONCE_BYTES, openBatches, openPayload, payloadKey } from './stream.ts';
import { parseIdentity, unwrapWith } from './keys.ts';
import type { Identity } from './keys.ts';

export type DecryptOptions = Readonly<{
  passphrase?: string;
  /** Secret keys, AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1… (see parseIdentityFile for key files). */
  identities?: readonly string[];
  /** Largest scrypt work factor to accept; at most (and by default) 22. */
  maxWorkFactor?: number;
  /** Whether the input is ASCII-armored: 'auto' (default) looks at how it begins. */
  armor?: boolean | 'auto';
}>;

type Prepared = Readonly<{
  passphrase: string | undefined;
  identities: readonly Identity[];
  maxWorkFactor: number;
  armor: boolean | 'auto';
}>;

function prepare(options: DecryptOptions): Prepared {
  assertAgeRuntime();
  const maxWorkFactor = options.maxWorkFactor ?? MAX_WORK_FACTOR;
  checkWorkFactor(maxWorkFactor, MAX_WORK_FACTOR);
  const identities = (options.identities ?? []).map(parseIdentity);
  if (options.passphrase === undefined && identities.length === 0) {
    throw new AgeError('invalid-key', phrase('bundle.age.nothingToDecryptWith'));
  }
  return { passphrase: options.passphrase, identities, maxWorkFactor, armor: options.armor ?? 'auto' };
}

async function unwrapFileKey(stanzas: readonly Stanza[], options: Prepared): Promise<Buffer> {
  const scrypt = stanzas.find((stanza) => stanza.type === SCRYPT_STANZA);
  if (scrypt !== undefined) {
    // People assume a file their passphrase opens was made by someone who knows it; with other
    // stanzas beside it, a holder of another recipient key could have made it instead.
    if (stanzas.length !== 1) throw headerDamaged(phrase('bundle.age.header.passphraseNotAlone'));
    if (options.passphrase === undefined) {
      throw new AgeError('no-matching-identity', phrase('bundle.age.needsPassphrase'));
    }
    const fileKey = await unwrapScrypt(scrypt, options.passphrase, options.maxWorkFactor);
    if (fileKey === null) throw new AgeError('wrong-passphrase', phrase('bundle.age.wrongPassphrase'));
    return fileKey;
  }
  for (const stanza of stanzas) {
    for (const identity of options.identities) {
      const fileKey = unwrapWith(identity, stanza);
      if (fileKey !== null) return fileKey;
    }
  }
  throw new AgeError(
    'no-matching-identity',
    options.identities.length === 0 ? phrase('bundle.age.needsKey') : phrase('bundle.age.noMatchingKey'),
  );
}

/**
 * Reads the header and payload nonce from `reader` and checks the header's MAC: the payload key,
 * and the payload's offset (in the reader's bytes).
 */
async function unlock(reader: ByteReader, options: Prepared): Promise<{ key: Buffer; start: number }> {
  const header = await readHeader(reader);
  const fileKey = await unwrapFileKey(header.stanzas, options);
  if (!equalBytes(hmacSha256(macKey(fileKey), header.macInput), header.mac)) {
    throw headerDamaged(phrase('bundle.age.header.macMismatch'));
  }
  const nonce = await reader.read(PAYLOAD_NONCE_BYTES);
  if (nonce.length < PAYLOAD_NONCE_BYTES) {
    throw new AgeError('truncated', phrase('bundle.age.cutAfterHeader', { offset: String(header.length + nonce.length) }), {
      offset: header.length + nonce.length,
    });
  }
  return { key: payloadKey(fileKey, nonce), start: header.length + PAYLOAD_NONCE_BYTES };
}

async function* decryptPrepared(source: ByteSource, options: Prepared): AsyncGenerator<Buffer> {
  let reader = new ByteReader(source);
  if (options.armor === true || (options.armor === 'auto' && (await looksArmored(reader)))) {
    reader = new ByteReader(dearmor(reader, options.armor === 'auto'));
  }
  const { key, start } = await unlock(reader, options);
  yield* openPayload(reader, key, start);
}

/** An age file's plaintext, chunk by chunk, whose chunks can be handed back for reuse. */
export type DecryptedFile = AsyncGenerator<Buffer> & {
  /**
   * Hands back a chunk this yielded, once nothing refers to any of its bytes any more (no pending
   * write, no view kept): its memory is reused for a later chunk instead of being allocated anew.
   * Every view of it becomes empty, so one kept by mistake reads nothing rather than other bytes.
   * Optional: chunks never handed back are simply collected.
   */
  recycle(chunk: Uint8Array): void;
};

/** Batches read ahead of the one being opened, so that a cold disk keeps streaming. */
const READ_AHEAD = 3;

/** Reads into `buffer` until `length` bytes or the end of the file; resolves to the count. */
async function readFully(file: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/**
 * Decrypts the age file at `path` (binary or armored), as decryptChunks does. A binary file's
 * payload is read by offset straight into the buffers that are opened, a few batches ahead.
 * `onRead` is told the bytes read from the file as they are.
 */
export function decryptFile(path: string, options: DecryptOptions, onRead?: (bytes: number) => void): DecryptedFile {
  const prepared = prepare(options);
  let engine: ChunkEngine | null = null;
  const chunks = (async function* (): AsyncGenerator<Buffer> {
    const file = await open(path, 'r');
    const reads: Promise<{ batch: Buffer; at: number; length: number }>[] = [];
    try {
      let size = (await file.stat()).size;
      let position = 0;
      // The header is read through a ByteReader, in small pieces; the payload then by offset.
      const pieces = async function* (): AsyncGenerator<Buffer> {
        for (;;) {
          const piece = Buffer.allocUnsafe(64 * 1024);
          const { bytesRead } = await file.read(piece, 0, piece.length, position);
          if (bytesRead === 0) return;
          position += bytesRead;
          onRead?.(bytesRead);
          yield piece.subarray(0, bytesRead);
        }
      };
      const reader = new ByteReader(pieces());
      if (prepared.armor === true || (prepared.armor === 'auto' && (await looksArmored(reader)))) {
        const dearmored = new ByteReader(dearmor(reader, prepared.armor === 'auto'));
        const { key, start } = await unlock(dearmored, prepared);
        yield* openPayload(dearmored, key, start);
        return;
      }
      const { key, start } = await unlock(reader, prepared);
      // Bytes already read past the payload's start are read again: simpler than handing them over.
      onRead?.(start - position);
      const batches = new ChunkEngine(key);
      engine = batches;
      let planned = start;
      const plan = () => {
        for (; reads.length < READ_AHEAD && planned < size; planned += SEALED_BATCH_BYTES) {
          const batch = batches.take(SEALED_BATCH_BYTES);
          const at = planned;
          reads.push(readFully(file, batch, Math.min(SEALED_BATCH_BYTES, size - at), at).then((length) => ({ batch, at, length })));
        }
      };
      const probe = Buffer.alloc(1);
      yield* openBatches(
        async () => {
          plan();
          const read = reads.shift();
          if (read === undefined) return { batch: batches.take(SEALED_BATCH_BYTES), length: 0, more: false };
          const { batch, at, length } = await read;
          onRead?.(length);
          const end = at + length;
          let more = length === SEALED_BATCH_BYTES && end < size;
          if (length === SEALED_BATCH_BYTES && end >= size && (await file.read(probe, 0, 1, end)).bytesRead > 0) {
            // The file grew since it was first measured: read on to its new end.
            size = (await file.stat()).size;
            more = true;
          }
          return { batch, length, more };
        },
        batches,
        key,
        start,
      );
    } finally {
      // Reads still running write into their buffers: the file is closed only once they finish.
      await Promise.allSettled(reads);
      await file.close();
    }
  })();
  return Object.assign(chunks, { recycle: (chunk: Uint8Array) => engine?.reuse(chunk) });
}

/** Decrypts an age file (binary or armored), yielding plaintext only as each 64 KiB chunk authenticates. */
export function decryptChunks(source: ByteSource, options: DecryptOptions): AsyncGenerator<Buffer> {
  return decryptPrepared(source, prepare(options));
}

/** A Duplex stream: age file in, plaintext out. Options are checked when it is created. */
export function createDecryptStream(options: DecryptOptions): Duplex {
  const prepared = prepare(options);
  return Duplex.from(async function* (source: ByteSource) {
    yield* decryptPrepared(source, prepared);
  });
}

/** Decrypts an age file held in memory. */
export async function decrypt(file: Uint8Array, options: DecryptOptions): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of decryptChunks([file], options)) parts.push(part);
  return Buffer.concat(parts);
}
