// The cryptographic building blocks age needs. Hashing, HKDF and HMAC come from node:crypto
// (native in every runtime); ChaCha20-Poly1305 from aead.ts, native where the runtime has it.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { TAG_BYTES, currentAead } from './aead.ts';

export { TAG_BYTES };
export const FILE_KEY_BYTES = 16;
const ZERO_NONCE = Buffer.alloc(12);

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function seal(key: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array = ZERO_NONCE): Buffer {
  return currentAead().seal(key, plaintext, nonce);
}

/** Authenticated decryption; returns null when the tag does not verify (or the input is too short). */
export function open(key: Uint8Array, sealed: Uint8Array, nonce: Uint8Array = ZERO_NONCE): Buffer | null {
  return currentAead().open(key, sealed, nonce);
}
