// The post-quantum hybrid recipient type of age 1.3 (age1pq1..., AGE-SECRET-KEY-PQ-1...): the file
// key sealed with HPKE base mode over the MLKEM768-X25519 KEM (X-Wing), so that recording a file
// today and breaking X25519 with a future quantum computer is not enough to open it.
//
// The KEM: a 32-byte seed expands with SHAKE256 into an ML-KEM-768 seed (64 bytes) and an X25519
// key (32 bytes); the ciphertext is ML-KEM's (1088 bytes) then an X25519 share (32 bytes); the
// shared secret is SHA3-256(ML-KEM secret || X25519 secret || share || X25519 public || label).
// ML-KEM is node:crypto's (OpenSSL 3.5); runtimes without it report 'unsupported'.
import { createHash, createPrivateKey, createPublicKey, decapsulate, encapsulate, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { phrase } from '../../../../shared/phrase.ts';
import { decodeBase64Exact, encodeBase64 } from './base64.ts';
import { bech32Encode } from './bech32.ts';
import { X25519_KEY_BYTES, rawPublicKey, x25519, x25519PrivateKey } from './curve25519.ts';
import { AgeError, headerDamaged } from './errors.ts';
import type { Stanza } from './header.ts';
import { openBase, sealBase, suite } from './hpke.ts';
import { FILE_KEY_BYTES, TAG_BYTES } from './primitives.ts';

export const HYBRID_STANZA = 'mlkem768x25519';
export const HYBRID_RECIPIENT_HRP = 'age1pq';
export const HYBRID_IDENTITY_HRP = 'age-secret-key-pq-';
export const HYBRID_SEED_BYTES = 32;
const INFO = 'age-encryption.org/mlkem768x25519';
const SUITE = suite(0x647a);
const LABEL = Buffer.from('\\.//^\\', 'latin1');
const MLKEM_CIPHERTEXT_BYTES = 1088;
const MLKEM_PUBLIC_BYTES = 1184;
export const HYBRID_RECIPIENT_BYTES = MLKEM_PUBLIC_BYTES + X25519_KEY_BYTES;
const ENC_BYTES = MLKEM_CIPHERTEXT_BYTES + X25519_KEY_BYTES;

export type HybridIdentity = Readonly<{ mlkem: KeyObject; x25519: KeyObject; x25519Public: Buffer; recipient: Buffer }>;
export type HybridRecipient = Readonly<{ mlkem: KeyObject; x25519Public: Buffer }>;

function unsupported(cause: unknown): AgeError {
  return new AgeError('unsupported', phrase('bundle.age.noMlKem'), { cause });
}

export function hybridIdentity(seed: Uint8Array): HybridIdentity {
  const expanded = createHash('shake256', { outputLength: 96 }).update(seed).digest();
  let mlkem: KeyObject;
  try {
    mlkem = createPrivateKey({ key: expanded.subarray(0, 64), format: 'raw-seed', asymmetricKeyType: 'ml-kem-768' });
  } catch (cause) {
    throw unsupported(cause);
  }
  const x = x25519PrivateKey(expanded.subarray(64));
  const x25519Public = rawPublicKey(createPublicKey(x));
  const mlkemPublic = createPublicKey(mlkem).export({ format: 'raw-public' });
  return { mlkem, x25519: x, x25519Public, recipient: Buffer.concat([mlkemPublic, x25519Public]) };
}

export function hybridRecipient(raw: Uint8Array): HybridRecipient {
  try {
    const mlkem = createPublicKey({ key: Buffer.from(raw.subarray(0, MLKEM_PUBLIC_BYTES)), format: 'raw-public', asymmetricKeyType: 'ml-kem-768' });
    return { mlkem, x25519Public: Buffer.from(raw.subarray(MLKEM_PUBLIC_BYTES)) };
  } catch (cause) {
    throw unsupported(cause);
  }
}

export function generateHybrid(): { identity: string; recipient: string } {
  const seed = randomBytes(HYBRID_SEED_BYTES);
  return {
    identity: bech32Encode(HYBRID_IDENTITY_HRP, seed).toUpperCase(),
    recipient: bech32Encode(HYBRID_RECIPIENT_HRP, hybridIdentity(seed).recipient),
  };
}

function combine(mlkemSecret: Uint8Array, xSecret: Uint8Array, share: Uint8Array, xPublic: Uint8Array): Buffer {
  return createHash('sha3-256').update(mlkemSecret).update(xSecret).update(share).update(xPublic).update(LABEL).digest();
}

export function wrapHybrid(fileKey: Uint8Array, recipient: HybridRecipient): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  const xSecret = x25519(ephemeral.privateKey, recipient.x25519Public);
  const { sharedKey, ciphertext } = encapsulate(recipient.mlkem);
  const secret = combine(sharedKey, xSecret, share, recipient.x25519Public);
  return { type: HYBRID_STANZA, args: [encodeBase64(Buffer.concat([ciphertext, share]))], body: sealBase(SUITE, secret, INFO, fileKey) };
}

/** The file key if this stanza was made for this identity, null if not; throws if the stanza is malformed. */
export function unwrapHybrid(stanza: Stanza, identity: HybridIdentity): Buffer | null {
  if (stanza.type !== HYBRID_STANZA) return null;
  const [encText, ...extra] = stanza.args;
  const enc = encText === undefined || extra.length > 0 ? null : decodeBase64Exact(encText, ENC_BYTES);
  if (enc === null) throw headerDamaged(phrase('bundle.age.header.pqEncapsulation'));
  if (stanza.body.length !== FILE_KEY_BYTES + TAG_BYTES) throw headerDamaged(phrase('bundle.age.header.pqBody'));
  const share = enc.subarray(MLKEM_CIPHERTEXT_BYTES);
  // ML-KEM never fails to decapsulate (a wrong ciphertext gives an unrelated secret), so a stanza
  // for someone else simply fails to open below.
  const mlkemSecret = decapsulate(identity.mlkem, enc.subarray(0, MLKEM_CIPHERTEXT_BYTES));
  const secret = combine(mlkemSecret, x25519(identity.x25519, share), share, identity.x25519Public);
  return openBase(SUITE, secret, INFO, stanza.body);
}
