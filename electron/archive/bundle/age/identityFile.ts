// Identity files as age-keygen writes them:
//   # created: 2024-05-01T12:00:00Z
//   # public key: age1...
//   AGE-SECRET-KEY-1...
// One identity per line; blank lines and lines starting with # are ignored.
import { phrase } from '../../../../shared/phrase.ts';
import { AgeError } from './errors.ts';
import { parseIdentity } from './keys.ts';

/** The identities in an identity file, each checked; throws naming the first bad line. */
export function parseIdentityFile(text: string): string[] {
  const identities: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      parseIdentity(line);
    } catch (error) {
      // A valid key this runtime cannot use (post-quantum without ML-KEM) is not a bad line.
      if (error instanceof AgeError && error.code === 'unsupported') throw error;
      throw new AgeError('invalid-key', phrase('bundle.age.identityLine', { line: String(index + 1) }));
    }
    identities.push(line);
  }
  if (identities.length === 0) throw new AgeError('invalid-key', phrase('bundle.age.identityEmpty'));
  return identities;
}
