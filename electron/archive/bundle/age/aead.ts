// ChaCha20-Poly1305, the one cipher age uses everywhere: payload chunks, key wrapping, HPKE.
// node:crypto's is native (OpenSSL) and ten to fifteen times faster than JavaScript, so it is used
// wherever it exists. Electron links BoringSSL instead, whose createCipheriv has no
// chacha20-poly1305; there the audited pure-JS @noble/ciphers stands in behind the same two
// functions, so bundles open and export in the desktop app too, more slowly. Measured in CPU time
// on the 2-core test machine (Node 24, 2026-11): native, 30 µs per 64 KiB chunk (about 2 GB/s);
// noble, 130–170 MB/s for the cipher alone and 70–125 MB/s end to end through AgeFileWriter,
// about 100 MB/s decrypting, all on the one thread.
//
// SIJIL_AEAD=native|noble|auto (or useAead) forces a choice: the tests run every age vector through
// both, and a user can rule out one implementation if it is ever found at fault.
import { createCipheriv, createDecipheriv, createSecretKey, getCiphers } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { phrase } from '../../../../shared/phrase.ts';
import { AgeError } from './errors.ts';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const CIPHER = 'chacha20-poly1305';

export type AeadName = 'native' | 'noble';
/** A key prepared once by importKey() for many sealInto/openInto calls. */
export type AeadKey = Uint8Array | KeyObject;
export type AeadPreference = AeadName | 'auto';

export interface Aead {
  readonly name: AeadName;
  /** sealInto() a new buffer: the ciphertext with the 16-byte tag appended. */
  seal(key: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array): Buffer;
  /** openInto() a new buffer: the plaintext, or null when the tag does not verify (or the input is shorter than a tag). */
  open(key: Uint8Array, sealed: Uint8Array, nonce: Uint8Array): Buffer | null;
  /**
   * The key in the form this implementation uses fastest, for a stream of chunks under one key
   * (node:crypto: a KeyObject, which spares each createCipheriv importing the raw key bytes:
   * measured, 31 against 41 µs of CPU time per 64 KiB chunk, about a quarter of the cost;
   * 6 against 18 µs for a 16-byte key wrap).
   */
  importKey(key: Uint8Array): AeadKey;
  /** Writes the ciphertext and then the tag into `out` at `offset` (plaintext.length + TAG_BYTES bytes). */
  sealInto(key: AeadKey, plaintext: Uint8Array, nonce: Uint8Array, out: Uint8Array, offset: number): void;
  /**
   * Writes the plaintext of `sealed` (ciphertext, then tag) into `out` at `offset`; false when the
   * tag does not verify or `sealed` is shorter than a tag. Only an authenticated plaintext is ever
   * written there.
   */
  openInto(key: AeadKey, sealed: Uint8Array, nonce: Uint8Array, out: Uint8Array, offset: number): boolean;
}

/** What each implementation provides; seal() and open() are these into a fresh buffer (withBuffers). */
type AeadCore = Pick<Aead, 'name' | 'importKey' | 'sealInto' | 'openInto'>;

function withBuffers(core: AeadCore): Aead {
  return {
    ...core,
    seal(key, plaintext, nonce) {
      const out = Buffer.allocUnsafe(plaintext.length + TAG_BYTES);
      core.sealInto(key, plaintext, nonce, out, 0);
      return out;
    },
    open(key, sealed, nonce) {
      if (sealed.length < TAG_BYTES) return null;
      // openInto writes only an authenticated plaintext: on failure these bytes are never seen.
      const out = Buffer.allocUnsafe(sealed.length - TAG_BYTES);
      return core.openInto(key, sealed, nonce, out, 0) ? out : null;
    },
  };
}

const nativeAead = withBuffers({
  name: 'native',
  importKey(key) {
    return createSecretKey(key);
  },
  sealInto(key, plaintext, nonce, out, offset) {
    const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
    const body = cipher.update(plaintext);
    cipher.final();
    out.set(body, offset);
    out.set(cipher.getAuthTag(), offset + body.length);
  },
  openInto(key, sealed, nonce, out, offset) {
    if (sealed.length < TAG_BYTES) return false;
    const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      return false;
    }
    out.set(body, offset);
    return true;
  },
});

function checkSizes(key: Uint8Array, nonce: Uint8Array): void {
  // Checked here so that the catch in openInto() below can only ever be a failed tag, never a bug.
  if (key.length !== KEY_BYTES || nonce.length !== NONCE_BYTES) {
    throw new RangeError(`ChaCha20-Poly1305 takes a ${KEY_BYTES}-byte key and a ${NONCE_BYTES}-byte nonce`);
  }
}

const nobleAead = withBuffers({
  name: 'noble',
  importKey(key) {
    return Uint8Array.from(key);
  },
  sealInto(key, plaintext, nonce, out, offset) {
    checkSizes(key as Uint8Array, nonce);
    out.set(chacha20poly1305(key as Uint8Array, nonce).encrypt(plaintext), offset);
  },
  openInto(key, sealed, nonce, out, offset) {
    checkSizes(key as Uint8Array, nonce);
    if (sealed.length < TAG_BYTES) return false;
    let body: Uint8Array;
    try {
      body = chacha20poly1305(key as Uint8Array, nonce).decrypt(sealed);
    } catch {
      return false;
    }
    out.set(body, offset);
    return true;
  },
});

/** Whether this runtime's node:crypto has the native cipher (Node with OpenSSL: yes; Electron: no). */
export function hasNativeAead(ciphers: readonly string[] = getCiphers()): boolean {
  return ciphers.includes(CIPHER);
}

/** Which implementation a preference (SIJIL_AEAD's value) selects, given the runtime's cipher list. */
export function chooseAead(preference: string | undefined, ciphers: readonly string[] = getCiphers()): Aead {
  const wanted = preference === undefined || preference === '' ? 'auto' : preference;
  switch (wanted) {
    case 'auto':
      return hasNativeAead(ciphers) ? nativeAead : nobleAead;
    case 'noble':
      return nobleAead;
    case 'native':
      if (!hasNativeAead(ciphers)) {
        throw new AgeError('unsupported', phrase('bundle.age.noNativeAead'));
      }
      return nativeAead;
    default:
      throw new AgeError('unsupported', phrase('bundle.age.badAeadChoice', { given: wanted.slice(0, 20) }));
  }
}

let current: Aead | undefined;

/** The implementation in use, chosen on first use from SIJIL_AEAD (default auto). */
export function currentAead(): Aead {
  current ??= chooseAead(process.env.SIJIL_AEAD);
  return current;
}

/** Picks the implementation for this process from now on, whatever SIJIL_AEAD says; returns its name. */
export function useAead(preference: AeadPreference): AeadName {
  current = chooseAead(preference);
  return current.name;
}
