// Identities and recipients as strings, whichever of age's two key types they are: classic X25519
// (age1…, AGE-SECRET-KEY-1…, what age-keygen 1.1 makes) or post-quantum hybrid (age1pq1…,
// AGE-SECRET-KEY-PQ-1…, age 1.3 and later).
import { phrase } from '../../../../shared/phrase.ts';
import { bech32Decode, bech32Encode } from './bech32.ts';
import { X25519_KEY_BYTES } from './curve25519.ts';
import { AgeError } from './errors.ts';
import type { Stanza } from './header.ts';
import {
  HYBRID_IDENTITY_HRP,
  HYBRID_RECIPIENT_BYTES,
  HYBRID_RECIPIENT_HRP,
  HYBRID_SEED_BYTES,
  generateHybrid,
  hybridIdentity,
  hybridRecipient,
  unwrapHybrid,
  wrapHybrid,
} from './hybrid.ts';
import { X25519_IDENTITY_HRP, X25519_RECIPIENT_HRP, generateX25519, unwrapX25519, wrapX25519, x25519Identity } from './x25519.ts';
import type { X25519Identity } from './x25519.ts';
import type { HybridIdentity } from './hybrid.ts';

export type KeyKind = 'x25519' | 'mlkem768x25519';
export type Identity = Readonly<{ kind: 'x25519'; key: X25519Identity } | { kind: 'mlkem768x25519'; key: HybridIdentity }>;
export type Recipient = Readonly<{ kind: KeyKind; wrap: (fileKey: Uint8Array) => Stanza }>;

export function parseIdentity(text: string): Identity {
  const decoded = bech32Decode(text.trim());
  if (decoded?.hrp === X25519_IDENTITY_HRP && decoded.data.length === X25519_KEY_BYTES) {
    return { kind: 'x25519', key: x25519Identity(decoded.data) };
  }
  if (decoded?.hrp === HYBRID_IDENTITY_HRP && decoded.data.length === HYBRID_SEED_BYTES) {
    return { kind: 'mlkem768x25519', key: hybridIdentity(decoded.data) };
  }
  throw new AgeError('invalid-key', phrase('bundle.age.badSecretKey'));
}

export function parseRecipient(text: string): Recipient {
  const decoded = bech32Decode(text.trim());
  if (decoded?.hrp === X25519_RECIPIENT_HRP && decoded.data.length === X25519_KEY_BYTES) {
    const key = decoded.data;
    return { kind: 'x25519', wrap: (fileKey) => wrapX25519(fileKey, key) };
  }
  if (decoded?.hrp === HYBRID_RECIPIENT_HRP && decoded.data.length === HYBRID_RECIPIENT_BYTES) {
    const key = hybridRecipient(decoded.data);
    return { kind: 'mlkem768x25519', wrap: (fileKey) => wrapHybrid(fileKey, key) };
  }
  throw new AgeError('invalid-key', phrase('bundle.age.badRecipient', { text: text.slice(0, 24) }));
}

/** The file key if the stanza was made for this identity, null if not; throws if it is malformed. */
export function unwrapWith(identity: Identity, stanza: Stanza): Buffer | null {
  return identity.kind === 'x25519' ? unwrapX25519(stanza, identity.key) : unwrapHybrid(stanza, identity.key);
}

/** A fresh key pair: the identity (keep secret) and the recipient (give out). X25519 by default. */
export function generateIdentity(kind: KeyKind = 'x25519'): { identity: string; recipient: string } {
  return kind === 'x25519' ? generateX25519() : generateHybrid();
}

export function identityToRecipient(identity: string): string {
  const parsed = parseIdentity(identity);
  return parsed.kind === 'x25519'
    ? bech32Encode(X25519_RECIPIENT_HRP, parsed.key.publicKey)
    : bech32Encode(HYBRID_RECIPIENT_HRP, parsed.key.recipient);
}
