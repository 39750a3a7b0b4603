// X25519 recipients (age1...) and identities (AGE-SECRET-KEY-1...), per the age spec: an
// ephemeral key pair per file and recipient, the shared secret through HKDF-SHA-256 (salted with
// both public keys), and the file key sealed with ChaCha20-Poly1305 under a zero nonce (each wrap
// key is used once).
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { phrase } from '../../../../shared/phrase.ts';
import { decodeBase64Exact, encodeBase64 } from './base64.ts';
import { bech32Encode } from './bech32.ts';
import { X25519_KEY_BYTES, rawPrivateKey, rawPublicKey, x25519, x25519PrivateKey, x25519PublicKey } from './curve25519.ts';
import { headerDamaged } from './errors.ts';
import type { Stanza } from './header.ts';
import { FILE_KEY_BYTES, TAG_BYTES, hkdfSha256, open, seal } from './primitives.ts';

export const X25519_STANZA = 'X25519';
export const X25519_RECIPIENT_HRP = 'age';
export const X25519_IDENTITY_HRP = 'age-secret-key-';
const LABEL = 'age-encryption.org/v1/X25519';

export type X25519Identity = Readonly<{ privateKey: KeyObject; publicKey: Buffer }>;

export function x25519Identity(secret: Uint8Array): X25519Identity {
  const privateKey = x25519PrivateKey(secret);
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

export function encodeX25519Recipient(publicKey: Uint8Array): string {
  return bech32Encode(X25519_RECIPIENT_HRP, publicKey);
}

/** A fresh key pair, as age-keygen makes: the identity (keep secret) and the recipient (give out). */
export function generateX25519(): { identity: string; recipient: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    identity: bech32Encode(X25519_IDENTITY_HRP, rawPrivateKey(privateKey)).toUpperCase(),
    recipient: encodeX25519Recipient(rawPublicKey(publicKey)),
  };
}

function wrapKey(sharedSecret: Buffer, share: Uint8Array, recipient: Uint8Array): Buffer {
  return hkdfSha256(sharedSecret, Buffer.concat([share, recipient]), LABEL);
}

export function wrapX25519(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  const secret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519PublicKey(recipient) });
  return { type: X25519_STANZA, args: [encodeBase64(share)], body: seal(wrapKey(secret, share, recipient), fileKey) };
}

/** The file key if this stanza was made for this identity, null if not; throws if the stanza is malformed. */
export function unwrapX25519(stanza: Stanza, identity: X25519Identity): Buffer | null {
  if (stanza.type !== X25519_STANZA) return null;
  const [shareText, ...extra] = stanza.args;
  const share = shareText === undefined || extra.length > 0 ? null : decodeBase64Exact(shareText, X25519_KEY_BYTES);
  if (share === null) throw headerDamaged(phrase('bundle.age.header.x25519Share'));
  // Checked before decrypting, as the spec requires, against partitioning-oracle attacks.
  if (stanza.body.length !== FILE_KEY_BYTES + TAG_BYTES) throw headerDamaged(phrase('bundle.age.header.x25519Body'));
  return open(wrapKey(x25519(identity.privateKey, share), share, identity.publicKey), stanza.body);
}
