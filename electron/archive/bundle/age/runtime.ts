// What this runtime's crypto library offers. Node links OpenSSL, which has everything age needs;
// Electron links BoringSSL, whose node:crypto has no ChaCha20-Poly1305 cipher (aead.ts then uses
// @noble/ciphers, so classic age always works) and no ML-KEM keys (so no post-quantum keys).
// Checking up front turns a cryptic failure halfway through a stream into one clear error before
// anything is written.
import { generateKeyPairSync, getHashes } from 'node:crypto';
import { currentAead } from './aead.ts';

export type AgeRuntimeSupport = Readonly<{
  /** Everything classic age needs: ChaCha20-Poly1305 (native or JS), X25519, HKDF, scrypt. */
  age: boolean;
  /** Post-quantum age1pq keys: ML-KEM-768, SHA3-256 and SHAKE256 besides. */
  postQuantum: boolean;
}>;

let cached: AgeRuntimeSupport | undefined;

export function ageRuntimeSupport(): AgeRuntimeSupport {
  if (cached === undefined) {
    const hashes = getHashes();
    let mlkem = false;
    try {
      generateKeyPairSync('ml-kem-768');
      mlkem = true;
    } catch {
      mlkem = false;
    }
    let age = true;
    try {
      currentAead();
    } catch {
      age = false;
    }
    cached = { age, postQuantum: mlkem && hashes.includes('sha3-256') && hashes.includes('shake256') };
  }
  return cached;
}

/** Throws the AEAD choice's own error (a SIJIL_AEAD this runtime cannot honour) before any byte is written. */
export function assertAgeRuntime(): void {
  currentAead();
}
