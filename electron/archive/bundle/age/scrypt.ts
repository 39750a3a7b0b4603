// Passphrase recipients: the file key sealed under scrypt(passphrase). scrypt runs on libuv's
// thread pool through the asynchronous crypto.scrypt, so the 256 MiB, ~1 s derivation at the
// default work factor never stalls the event loop (the main process keeps drawing the UI).
import { randomBytes, scrypt } from 'node:crypto';
import { phrase } from '../../../../shared/phrase.ts';
import { decodeBase64Exact, encodeBase64 } from './base64.ts';
import { AgeError, headerDamaged } from './errors.ts';
import type { Stanza } from './header.ts';
import { FILE_KEY_BYTES, TAG_BYTES, open, seal } from './primitives.ts';

export const SCRYPT_STANZA = 'scrypt';
/** log2(N), as age uses by default: about a second and 256 MiB on a laptop. */
export const DEFAULT_WORK_FACTOR = 18;
/**
 * The largest work factor accepted when decrypting, as age's own default. Each step doubles time
 * and memory (22 is 4 GiB): a file claiming more would make opening it a denial of service.
 */
export const MAX_WORK_FACTOR = 22;
const LABEL = 'age-encryption.org/v1/scrypt';
const SALT_BYTES = 16;
const BLOCK_SIZE = 8;
const CANONICAL_DECIMAL = /^[1-9][0-9]*$/;

function deriveKey(passphrase: string, salt: Uint8Array, workFactor: number): Promise<Buffer> {
  const N = 2 ** workFactor;
  // Node refuses scrypt above 32 MiB unless told otherwise; scrypt needs 128 * N * r bytes.
  const maxmem = 128 * N * BLOCK_SIZE + 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase, 'utf8'), Buffer.concat([Buffer.from(LABEL), salt]), 32, { N, r: BLOCK_SIZE, p: 1, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function checkWorkFactor(workFactor: number, max: number): void {
  if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > max) {
    throw new AgeError('invalid-key', phrase('bundle.age.workFactorRange', { max: String(max), given: String(workFactor) }));
  }
}

export async function wrapScrypt(fileKey: Uint8Array, passphrase: string, workFactor: number): Promise<Stanza> {
  if (passphrase.length === 0) throw new AgeError('invalid-key', phrase('bundle.age.emptyPassphrase'));
  checkWorkFactor(workFactor, MAX_WORK_FACTOR);
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(passphrase, salt, workFactor);
  return { type: SCRYPT_STANZA, args: [encodeBase64(salt), String(workFactor)], body: seal(key, fileKey) };
}

/** The file key if the passphrase opens this stanza, null if it does not; throws if the stanza is malformed. */
export async function unwrapScrypt(stanza: Stanza, passphrase: string, maxWorkFactor: number): Promise<Buffer | null> {
  const [saltText, factorText, ...extra] = stanza.args;
  const salt = saltText === undefined ? null : decodeBase64Exact(saltText, SALT_BYTES);
  if (salt === null || extra.length > 0) throw headerDamaged(phrase('bundle.age.header.scryptStanza'));
  if (factorText === undefined || !CANONICAL_DECIMAL.test(factorText)) throw headerDamaged(phrase('bundle.age.header.scryptWorkFactor'));
  if (stanza.body.length !== FILE_KEY_BYTES + TAG_BYTES) throw headerDamaged(phrase('bundle.age.header.scryptBody'));
  // Compare digits first: a long enough number would not survive conversion to a double.
  const workFactor = factorText.length > 2 ? Infinity : Number(factorText);
  if (workFactor > maxWorkFactor) {
    throw new AgeError('unsupported', phrase('bundle.age.workFactorTooHigh', { factor: factorText.slice(0, 12), max: String(maxWorkFactor) }));
  }
  return open(await deriveKey(passphrase, salt, workFactor), stanza.body);
}
