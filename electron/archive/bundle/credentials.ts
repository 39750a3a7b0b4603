// Credentials as the contract carries them, turned into age options: whom a bundle is encrypted to,
// and what may open one. A bundle is either for a passphrase or for keys, never both (age refuses a
// passphrase stanza beside others: anyone holding one of the keys could have made the file).
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import type { Archive } from '../index.ts';
import { archiveRecipient, listRecipients, unlockArchiveIdentity } from '../keys.ts';
import { AgeError, parseIdentityFile, type DecryptOptions, type EncryptOptions } from './age/index.ts';
import { parseRecipient } from './age/keys.ts';

export interface Credentials {
  readonly passphrase?: string;
  readonly recipients?: readonly string[];
  /** AGE-SECRET-KEY-1… text, or an identity file's contents as age-keygen writes it. */
  readonly identity?: string;
  /** Encrypt to (export) or open with (inspect, import) the archive's own key. */
  readonly useArchiveKey?: boolean;
  /** Unlocks the archive's own key when opening a bundle with it. */
  readonly keyPassphrase?: string;
}

/** How an export was protected, as its custody events record it (public keys only). */
export interface EncryptionRecord {
  readonly method: 'passphrase' | 'recipients';
  readonly recipients?: readonly string[];
}

export interface Encryption {
  readonly options: EncryptOptions;
  readonly record: EncryptionRecord;
}

const nameKey = (name: string): string => name.normalize('NFKC').trim().toLowerCase();

/** A recipient as given: an age1… key, or the name of one in the archive's address book. */
async function resolveRecipients(archive: Archive, given: readonly string[]): Promise<string[]> {
  const named = given.filter((r) => !/^age1/i.test(r));
  if (named.length === 0) return [...given];
  const book = new Map((await listRecipients(archive.dir)).map((e) => [nameKey(e.name), e.recipient]));
  return given.map((r) => {
    if (/^age1/i.test(r)) return r;
    const key = book.get(nameKey(r));
    if (key === undefined)
      throw new ArchiveError('invalid-argument', phrase('keys.unknownRecipient', { name: r.slice(0, 40) }));
    return key;
  });
}

export async function encryptionFor(archive: Archive, credentials: Credentials, workFactor?: number): Promise<Encryption> {
  const recipients = await resolveRecipients(archive, [...(credentials.recipients ?? [])].map((r) => r.trim()).filter(Boolean));
  if (credentials.useArchiveKey) {
    const own = await archiveRecipient(archive.dir);
    if (own === null) throw new ArchiveError('invalid-argument', phrase('keys.noOwnKey'));
    recipients.push(own);
  }
  if (credentials.passphrase !== undefined) {
    if (recipients.length > 0)
      throw new ArchiveError('invalid-argument', phrase('keys.passphraseOrKeys'));
    if (credentials.passphrase.length === 0) throw new ArchiveError('invalid-argument', phrase('keys.passphraseEmpty'));
    return { options: { passphrase: credentials.passphrase, ...(workFactor === undefined ? {} : { workFactor }) }, record: { method: 'passphrase' } };
  }
  if (recipients.length === 0)
    throw new ArchiveError('invalid-argument', phrase('keys.chooseProtection'));
  const unique = [...new Set(recipients)];
  for (const r of unique) {
    try {
      parseRecipient(r);
    } catch (error) {
      if (error instanceof AgeError) throw new ArchiveError('invalid-argument', error.phrase ?? error.message, { cause: error });
      throw error;
    }
  }
  return { options: { recipients: unique }, record: { method: 'recipients', recipients: unique } };
}

export async function decryptionFor(archive: Archive, credentials: Credentials): Promise<DecryptOptions> {
  const identities: string[] = [];
  try {
    if (credentials.identity !== undefined) identities.push(...parseIdentityFile(credentials.identity));
  } catch (error) {
    if (error instanceof AgeError) throw new ArchiveError('invalid-argument', error.phrase ?? error.message, { cause: error });
    throw error;
  }
  if (credentials.useArchiveKey) {
    if (credentials.keyPassphrase === undefined)
      throw new ArchiveError('invalid-argument', phrase('keys.keyPassphraseNeeded'));
    identities.push(await unlockArchiveIdentity(archive.dir, credentials.keyPassphrase));
  }
  if (credentials.passphrase === undefined && identities.length === 0)
    throw new ArchiveError('invalid-argument', phrase('keys.chooseOpener'));
  return { ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase }), identities };
}
