// Encryption: a fresh 16-byte file key, wrapped for each recipient (or under the passphrase), the
// header MAC'd with it, then the payload in STREAM chunks.
import { randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import { phrase } from '../../../../shared/phrase.ts';
import { armor } from './armor.ts';
import { ByteReader } from './byteReader.ts';
import type { ByteSource } from './byteReader.ts';
import { AgeError } from './errors.ts';
import { encodeHeader } from './header.ts';
import type { Stanza } from './header.ts';
import { FILE_KEY_BYTES } from './primitives.ts';
import { assertAgeRuntime } from './runtime.ts';
import { DEFAULT_WORK_FACTOR, MAX_WORK_FACTOR, checkWorkFactor, wrapScrypt } from './scrypt.ts';
import { PAYLOAD_NONCE_BYTES, payloadKey, sealPayload } from './stream.ts';
import { parseRecipient } from './keys.ts';

export type EncryptOptions = Readonly<
  | {
      passphrase: string;
      /** log2 of scrypt's N; default 18 as age. Lower only in tests. */
      workFactor?: number;
      /** Wrap the output in ASCII armor (text that survives e-mail and copy-paste). */
      armor?: boolean;
    }
  | { recipients: readonly string[]; armor?: boolean }
>;

type Wrap = (fileKey: Buffer) => Promise<Stanza[]>;

/** Checks the options up front, so a bad recipient fails the call, not the stream later. */
export function prepareWrap(options: EncryptOptions): Wrap {
  assertAgeRuntime();
  if ('passphrase' in options) {
    const workFactor = options.workFactor ?? DEFAULT_WORK_FACTOR;
    checkWorkFactor(workFactor, MAX_WORK_FACTOR);
    if (options.passphrase.length === 0) throw new AgeError('invalid-key', phrase('bundle.age.emptyPassphrase'));
    // The spec requires a passphrase stanza to be the only one: a passphrase file has no other recipients.
    return async (fileKey) => [await wrapScrypt(fileKey, options.passphrase, workFactor)];
  }
  if (options.recipients.length === 0) throw new AgeError('invalid-key', phrase('bundle.age.noRecipients'));
  const recipients = options.recipients.map(parseRecipient);
  // As age does: a post-quantum file is only as safe as its weakest stanza, so no mixing.
  if (new Set(recipients.map((r) => r.kind)).size > 1) {
    throw new AgeError('invalid-key', phrase('bundle.age.mixedRecipients'));
  }
  return async (fileKey) => recipients.map((recipient) => recipient.wrap(fileKey));
}

/** A fresh file key wrapped by `wrap`: the header and payload nonce to write first, and the payload key. */
export async function startFile(wrap: Wrap): Promise<{ head: Buffer; key: Buffer }> {
  const fileKey = randomBytes(FILE_KEY_BYTES);
  const header = encodeHeader(await wrap(fileKey), fileKey);
  const nonce = randomBytes(PAYLOAD_NONCE_BYTES);
  return { head: Buffer.concat([header, nonce]), key: payloadKey(fileKey, nonce) };
}

async function* encryptPrepared(source: ByteSource, wrap: Wrap): AsyncGenerator<Buffer> {
  const { head, key } = await startFile(wrap);
  yield head;
  yield* sealPayload(new ByteReader(source), key);
}

/** Encrypts a byte stream, yielding the age file (armored if asked) piece by piece. */
export function encryptChunks(source: ByteSource, options: EncryptOptions): AsyncGenerator<Buffer> {
  const binary = encryptPrepared(source, prepareWrap(options));
  return options.armor === true ? armor(binary) : binary;
}

/** A Duplex stream: plaintext in, age file out. Options are checked when it is created. */
export function createEncryptStream(options: EncryptOptions): Duplex {
  const wrap = prepareWrap(options);
  return Duplex.from(async function* (source: ByteSource) {
    const binary = encryptPrepared(source, wrap);
    yield* options.armor === true ? armor(binary) : binary;
  });
}

/** Encrypts bytes held in memory. */
export async function encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of encryptChunks([plaintext], options)) parts.push(part);
  return Buffer.concat(parts);
}
