// What this runtime's crypto library offers. Node links OpenSSL, which has everything age needs;
// Electron links BoringSSL, whose node:crypto has (as far as its public issues say) no
// ChaCha20-Poly1305 cipher and no ML-KEM keys. Checking up front turns a cryptic "Unknown cipher"
// halfway through a stream into one clear error before anything is written.
import { generateKeyPairSync, getCiphers, getHashes } from 'node:crypto';
import { AgeError } from './errors.ts';

export type AgeRuntimeSupport = Readonly<{
  /** Everything classic age needs: ChaCha20-Poly1305 (plus X25519, HKDF, scrypt, always present). */
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
    cached = {
      age: getCiphers().includes('chacha20-poly1305'),
      postQuantum: mlkem && hashes.includes('sha3-256') && hashes.includes('shake256'),
    };
  }
  return cached;
}

export function assertAgeRuntime(): void {
  if (!ageRuntimeSupport().age) {
    throw new AgeError(
      'unsupported',
      'This runtime’s crypto library has no ChaCha20-Poly1305, which age encryption needs (Electron’s BoringSSL lacks it); run bundle encryption in a Node process.',
    );
  }
}
