// The payload: STREAM (Hoang, Reyhanitabar, Rogaway, Vizár) over ChaCha20-Poly1305 with 64 KiB
// chunks. Each chunk's nonce is an 11-byte big-endian counter and a last-chunk flag, so chunks
// cannot be reordered, dropped or cut off at a boundary without detection.
import type { ByteReader } from './byteReader.ts';
import { AgeError } from './errors.ts';
import { TAG_BYTES, hkdfSha256, open, seal } from './primitives.ts';

export const CHUNK_BYTES = 64 * 1024;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;
export const PAYLOAD_NONCE_BYTES = 16;

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return hkdfSha256(fileKey, nonce, 'payload');
}

function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  // A safe integer is far below 2^88 chunks; the top three counter bytes stay zero.
  nonce.writeUIntBE(Math.floor(counter / 2 ** 32), 3, 4);
  nonce.writeUInt32BE(counter % 2 ** 32, 7);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Encrypts what the reader holds, yielding sealed chunks. */
export async function* sealPayload(reader: ByteReader, key: Uint8Array): AsyncGenerator<Buffer> {
  for (let counter = 0; ; counter++) {
    const plaintext = await reader.read(CHUNK_BYTES);
    // Read-ahead decides the flag: a payload that is an exact multiple of 64 KiB ends with a full
    // chunk marked last, never with an empty one (the spec allows an empty chunk only alone).
    const last = await reader.atEnd();
    yield seal(key, plaintext, chunkNonce(counter, last));
    if (last) return;
  }
}

function damaged(offset: number, what: string): AgeError {
  return new AgeError('payload-damaged', `The file is damaged at byte ${offset}: ${what}. Everything before that point was intact.`, { offset });
}

/**
 * Decrypts sealed chunks, yielding each chunk's plaintext only once it has authenticated, so no
 * forged or damaged byte ever reaches the caller. `start` is the payload's offset in the file, for
 * error messages.
 */
export async function* openPayload(reader: ByteReader, key: Uint8Array, start: number): AsyncGenerator<Buffer> {
  for (let counter = 0; ; counter++) {
    const offset = start + counter * SEALED_CHUNK_BYTES;
    const sealed = await reader.read(SEALED_CHUNK_BYTES);
    if (!(await reader.atEnd())) {
      const plaintext = open(key, sealed, chunkNonce(counter, false));
      if (plaintext !== null) {
        yield plaintext;
        continue;
      }
      // A chunk that authenticates as the last one, with more bytes after it: data was appended.
      // Its plaintext is authentic (the CCTV vectors expect it released) but the file is not.
      const final = open(key, sealed, chunkNonce(counter, true));
      if (final !== null) {
        yield final;
        throw damaged(offset + SEALED_CHUNK_BYTES, 'unexpected data follows the end of the encrypted content');
      }
      throw damaged(offset, `encrypted block ${counter + 1} does not authenticate`);
    }

    // Only possible before the first chunk: a middle chunk is one only because bytes followed it.
    if (sealed.length === 0) {
      throw new AgeError('truncated', 'The file is cut short: it ends right after its header, and the encrypted content is missing.', {
        offset,
      });
    }
    const plaintext = open(key, sealed, chunkNonce(counter, true));
    if (plaintext === null) {
      // A full chunk that authenticates as a middle one means the file was cut at a chunk boundary.
      const middle = sealed.length === SEALED_CHUNK_BYTES ? open(key, sealed, chunkNonce(counter, false)) : null;
      if (middle !== null) {
        yield middle;
        throw new AgeError('truncated', `The file is cut short at byte ${offset + SEALED_CHUNK_BYTES}: its final part is missing.`, {
          offset: offset + SEALED_CHUNK_BYTES,
        });
      }
      throw damaged(offset, `the final encrypted block (${counter + 1}) does not authenticate: it was altered or the file was cut short`);
    }
    if (plaintext.length === 0 && counter > 0) throw damaged(offset, 'the final encrypted block is empty, which the format forbids');
    yield plaintext;
    return;
  }
}
