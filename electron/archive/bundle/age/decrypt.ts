// Decryption: read the header, find the file key with the passphrase or one of the identities,
// check the header MAC, then release the payload chunk by chunk as each authenticates.
import { Duplex } from 'node:stream';
import { dearmor, looksArmored } from './armor.ts';
import { ByteReader } from './byteReader.ts';
import type { ByteSource } from './byteReader.ts';
import { AgeError, headerDamaged } from './errors.ts';
import { macKey, readHeader } from './header.ts';
import type { Stanza } from './header.ts';
import { equalBytes, hmacSha256 } from './primitives.ts';
import { assertAgeRuntime } from './runtime.ts';
import { MAX_WORK_FACTOR, SCRYPT_STANZA, checkWorkFactor, unwrapScrypt } from './scrypt.ts';
import { PAYLOAD_NONCE_BYTES, openPayload, payloadKey } from './stream.ts';
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
    throw new AgeError('invalid-key', 'A passphrase or at least one identity is needed to decrypt.');
  }
  return { passphrase: options.passphrase, identities, maxWorkFactor, armor: options.armor ?? 'auto' };
}

async function unwrapFileKey(stanzas: readonly Stanza[], options: Prepared): Promise<Buffer> {
  const scrypt = stanzas.find((stanza) => stanza.type === SCRYPT_STANZA);
  if (scrypt !== undefined) {
    // People assume a file their passphrase opens was made by someone who knows it; with other
    // stanzas beside it, a holder of another recipient key could have made it instead.
    if (stanzas.length !== 1) throw headerDamaged('a passphrase-protected file must have no other recipient');
    if (options.passphrase === undefined) {
      throw new AgeError('no-matching-identity', 'This file is protected by a passphrase, not a key: enter the passphrase to open it.');
    }
    const fileKey = await unwrapScrypt(scrypt, options.passphrase, options.maxWorkFactor);
    if (fileKey === null) throw new AgeError('wrong-passphrase', 'The passphrase is wrong: it does not open this file.');
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
    options.identities.length === 0
      ? 'This file was encrypted to specific keys, not a passphrase: it needs one of those secret keys to open.'
      : 'None of the given secret keys can open this file: it was encrypted to other recipients.',
  );
}

async function* decryptPrepared(source: ByteSource, options: Prepared): AsyncGenerator<Buffer> {
  let reader = new ByteReader(source);
  if (options.armor === true || (options.armor === 'auto' && (await looksArmored(reader)))) {
    reader = new ByteReader(dearmor(reader, options.armor === 'auto'));
  }
  const header = await readHeader(reader);
  const fileKey = await unwrapFileKey(header.stanzas, options);
  if (!equalBytes(hmacSha256(macKey(fileKey), header.macInput), header.mac)) {
    throw headerDamaged('its authentication code (MAC) does not match, so it was altered or corrupted');
  }
  const nonce = await reader.read(PAYLOAD_NONCE_BYTES);
  if (nonce.length < PAYLOAD_NONCE_BYTES) {
    throw new AgeError('truncated', `The file is cut short at byte ${header.length + nonce.length}, right after its header.`, {
      offset: header.length + nonce.length,
    });
  }
  yield* openPayload(reader, payloadKey(fileKey, nonce), header.length + PAYLOAD_NONCE_BYTES);
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
