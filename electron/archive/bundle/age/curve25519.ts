// Raw 32-byte X25519 keys in and out of node:crypto KeyObjects. The raw-key import formats are
// recent (Node 24.x) and absent from some embedders, so keys go through DER, whose fixed RFC 8410
// prefixes every OpenSSL or BoringSSL build reads.
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { phrase } from '../../../../shared/phrase.ts';
import { headerDamaged } from './errors.ts';

export const X25519_KEY_BYTES = 32;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

export function rawPrivateKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
}

/**
 * X25519(private, share). A low-order share gives an all-zero secret, which the spec says must
 * abort: OpenSSL refuses it itself (it throws), and the explicit check covers any build that does not.
 */
export function x25519(privateKey: KeyObject, share: Uint8Array): Buffer {
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey, publicKey: x25519PublicKey(share) });
  } catch {
    throw headerDamaged(phrase('bundle.age.header.lowOrder'));
  }
  if (secret.every((b) => b === 0)) throw headerDamaged(phrase('bundle.age.header.lowOrder'));
  return secret;
}
