// The slice of HPKE (RFC 9180) that age's hybrid recipient uses: base mode, single-shot, with
// HKDF-SHA-256 and ChaCha20-Poly1305. Only the key schedule lives here; the KEM is the caller's.
import { createHmac } from 'node:crypto';
import { open, seal } from './primitives.ts';

const VERSION = Buffer.from('HPKE-v1');
const KDF_HKDF_SHA256 = 0x0001;
const AEAD_CHACHA20POLY1305 = 0x0003;

function u16(n: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(n);
  return out;
}

export type Suite = Readonly<{ id: Buffer }>;

export function suite(kemId: number): Suite {
  return { id: Buffer.concat([Buffer.from('HPKE'), u16(kemId), u16(KDF_HKDF_SHA256), u16(AEAD_CHACHA20POLY1305)]) };
}

function labeledExtract(s: Suite, salt: Uint8Array, label: string, ikm: Uint8Array): Buffer {
  // HKDF-Extract is HMAC keyed with the salt; an empty salt is the same as HashLen zero bytes.
  return createHmac('sha256', salt).update(Buffer.concat([VERSION, s.id, Buffer.from(label), ikm])).digest();
}

function labeledExpand(s: Suite, prk: Uint8Array, label: string, info: Uint8Array, length: number): Buffer {
  // One HKDF-Expand block is enough: every output here is at most 32 bytes.
  const labeledInfo = Buffer.concat([u16(length), VERSION, s.id, Buffer.from(label), info]);
  return createHmac('sha256', prk).update(labeledInfo).update(Buffer.from([1])).digest().subarray(0, length);
}

function keySchedule(s: Suite, sharedSecret: Uint8Array, info: Uint8Array): { key: Buffer; nonce: Buffer } {
  const empty = new Uint8Array(0);
  const context = Buffer.concat([
    Buffer.from([0x00]), // mode_base
    labeledExtract(s, empty, 'psk_id_hash', empty),
    labeledExtract(s, empty, 'info_hash', info),
  ]);
  const secret = labeledExtract(s, sharedSecret, 'secret', empty);
  return { key: labeledExpand(s, secret, 'key', context, 32), nonce: labeledExpand(s, secret, 'base_nonce', context, 12) };
}

/** SealBase's AEAD step for the first (only) message, given the KEM's shared secret. */
export function sealBase(s: Suite, sharedSecret: Uint8Array, info: string, plaintext: Uint8Array): Buffer {
  const { key, nonce } = keySchedule(s, sharedSecret, Buffer.from(info));
  return seal(key, plaintext, nonce);
}

/** OpenBase's AEAD step; null when the ciphertext does not authenticate. */
export function openBase(s: Suite, sharedSecret: Uint8Array, info: string, ciphertext: Uint8Array): Buffer | null {
  const { key, nonce } = keySchedule(s, sharedSecret, Buffer.from(info));
  return open(key, ciphertext, nonce);
}
