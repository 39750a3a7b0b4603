// The archive's own age key and its address book, kept in the archive folder:
//   keys/identity.age       the secret key, as `age-keygen | age -p` makes it: an age file protected
//                           by a passphrase (scrypt) whose plaintext is an identity file. Stock age
//                           opens it (`age -d keys/identity.age`) and even uses it as it is:
//                           `age -d -i keys/identity.age bundle.sijil` asks for the passphrase.
//   keys/identity.pub       its recipient (age1…) in plain text, so sending a bundle to the
//                           archive's own key needs no passphrase.
//   keys/address-book.json  named recipients: the people bundles are sent to.
// Every file is written to a temporary name, fsynced and renamed, so a crash leaves the old file
// or the new one, never half of either; the secret key is never replaced once made.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MIN_KEY_PASSPHRASE_CHARS, type AddressBookEntry } from '../../shared/api.ts';
import { ArchiveError, saidOf } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { AgeError, decrypt, encrypt, generateIdentity, identityToRecipient, parseIdentityFile, parseRecipient } from './bundle/age/index.ts';

export type { AddressBookEntry };

const KEYS_DIR = 'keys';
const IDENTITY_FILE = 'identity.age';
const RECIPIENT_FILE = 'identity.pub';
const ADDRESS_BOOK_FILE = 'address-book.json';
const MAX_NAME_CHARS = 100;

function keyPath(archiveDir: string, file: string): string {
  return path.join(archiveDir, KEYS_DIR, file);
}

/** Where the archive's key lives, relative to the archive folder (for messages). */
const SHOWN = { identity: `${KEYS_DIR}/${IDENTITY_FILE}`, recipient: `${KEYS_DIR}/${RECIPIENT_FILE}`, book: `${KEYS_DIR}/${ADDRESS_BOOK_FILE}` };

// ---------------------------------------------------------------------------------------------
// The archive's key

/**
 * Refuses a passphrase too weak to protect the key. The key file may be copied along with the
 * archive, and then only scrypt (about a second per guess on a laptop) stands between a thief and
 * every bundle sent to this archive, so length matters more than anything.
 */
export function checkKeyPassphrase(passphrase: string): void {
  const chars = [...passphrase];
  if (chars.length < MIN_KEY_PASSPHRASE_CHARS) {
    throw new ArchiveError(
      'invalid-argument',
      phrase('keys.passphraseTooShort', { needed: phrase('keys.characters', { count: MIN_KEY_PASSPHRASE_CHARS }), count: chars.length }),
    );
  }
  if (passphrase.trim() === '' || new Set(chars).size < 4) {
    throw new ArchiveError('invalid-argument', phrase('keys.passphraseTooSimple'));
  }
}

/**
 * Makes the archive's key: a fresh X25519 identity, encrypted under the passphrase exactly as
 * `age -p` would. Refuses if the archive already has one (a new key would make every bundle sent
 * to the old one unreadable). `workFactor` (log2 of scrypt's N, default 18 as age) is for tests.
 */
export async function createArchiveKey(archiveDir: string, passphrase: string, options: { workFactor?: number } = {}): Promise<{ recipient: string }> {
  checkKeyPassphrase(passphrase);
  await refuseIfKeyExists(archiveDir);
  const dir = path.join(archiveDir, KEYS_DIR);
  await writing(dir, () => fsp.mkdir(dir, { recursive: true, mode: 0o700 }));

  const { identity, recipient } = generateIdentity('x25519');
  // The layout age-keygen writes, so the decrypted file is an ordinary identity file.
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const plaintext = Buffer.from(`# created: ${created}\n# public key: ${recipient}\n${identity}\n`, 'utf8');
  const file = await encrypt(plaintext, { passphrase, workFactor: options.workFactor });
  plaintext.fill(0);

  // The recipient is staged first and the key placed without clobbering, so a racing second
  // create fails and a crash in between leaves at worst a key whose .pub a check restores.
  const pubTmp = await writeTemp(keyPath(archiveDir, RECIPIENT_FILE), `${recipient}\n`, 0o644);
  try {
    const keyTmp = await writeTemp(keyPath(archiveDir, IDENTITY_FILE), file, 0o600);
    await placeWithoutReplacing(keyTmp, keyPath(archiveDir, IDENTITY_FILE), () => keyExists(archiveDir));
    await writing(dir, () => fsp.rename(pubTmp, keyPath(archiveDir, RECIPIENT_FILE)));
  } finally {
    await fsp.rm(pubTmp, { force: true });
  }
  await syncDir(dir);
  return { recipient };
}

async function refuseIfKeyExists(archiveDir: string): Promise<void> {
  if (await exists(keyPath(archiveDir, IDENTITY_FILE))) throw await keyExists(archiveDir);
}

async function keyExists(archiveDir: string): Promise<ArchiveError> {
  let recipient: string | null = null;
  try {
    recipient = await archiveRecipient(archiveDir);
  } catch {
    recipient = null;
  }
  return keyExistsError(recipient);
}

/** The refusal to make a second key, naming the one there is. */
export function keyExistsError(recipient: string | null): ArchiveError {
  return new ArchiveError(
    'key-exists',
    recipient ? phrase('keys.exists', { recipient, folder: KEYS_DIR }) : phrase('keys.existsUnknown', { folder: KEYS_DIR }),
  );
}

/**
 * The archive's public recipient (age1…), or null if it has no key. Needs no passphrase. Throws
 * if the key exists but its recipient file is missing or damaged: `checkArchiveKey` restores it.
 */
export async function archiveRecipient(archiveDir: string): Promise<string | null> {
  if (!(await exists(keyPath(archiveDir, IDENTITY_FILE)))) return null;
  let text: string | null = null;
  try {
    text = await fsp.readFile(keyPath(archiveDir, RECIPIENT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(SHOWN.recipient, err);
  }
  const recipient = text?.trim() ?? '';
  if (recipient !== '' && isRecipient(recipient)) return recipient;
  throw new ArchiveError('archive-unreadable', phrase(text === null ? 'keys.publicPartMissing' : 'keys.publicPartDamaged', { file: SHOWN.recipient }));
}

function isRecipient(text: string): boolean {
  try {
    parseRecipient(text);
    return text === text.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The archive's secret key (AGE-SECRET-KEY-1…), opened with its passphrase. A wrong passphrase is
 * ArchiveError 'wrong-passphrase'. Restores keys/identity.pub when it is missing or does not match.
 */
export async function unlockArchiveIdentity(archiveDir: string, passphrase: string): Promise<string> {
  let file: Buffer;
  try {
    file = await fsp.readFile(keyPath(archiveDir, IDENTITY_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ArchiveError('not-found', phrase('keys.none'));
    }
    throw unreadable(SHOWN.identity, err);
  }
  let plaintext: Buffer;
  try {
    plaintext = await decrypt(file, { passphrase });
  } catch (err) {
    if (err instanceof AgeError && err.code === 'wrong-passphrase') {
      throw new ArchiveError('wrong-passphrase', phrase('keys.wrongPassphrase'));
    }
    if (err instanceof AgeError && err.code === 'no-matching-identity') {
      throw new ArchiveError('archive-unreadable', phrase('keys.notPassphraseProtected', { file: SHOWN.identity }));
    }
    throw new ArchiveError('archive-unreadable', phrase('keys.keyFileDamaged', { file: SHOWN.identity, error: saidOf(err) }), { cause: err });
  }
  let identity: string | undefined;
  try {
    identity = parseIdentityFile(plaintext.toString('utf8'))[0];
  } catch (err) {
    throw new ArchiveError('archive-unreadable', phrase('keys.noUsableKey', { file: SHOWN.identity, error: saidOf(err) }), { cause: err });
  } finally {
    plaintext.fill(0);
  }
  if (identity === undefined) throw new ArchiveError('archive-unreadable', phrase('keys.noSecretKey', { file: SHOWN.identity }));
  await restoreRecipientFile(archiveDir, identityToRecipient(identity));
  return identity;
}

/** Opens the key (proving the passphrase) and returns its recipient; restores keys/identity.pub. */
export async function checkArchiveKey(archiveDir: string, passphrase: string): Promise<{ recipient: string }> {
  return { recipient: identityToRecipient(await unlockArchiveIdentity(archiveDir, passphrase)) };
}

async function restoreRecipientFile(archiveDir: string, recipient: string): Promise<void> {
  const file = keyPath(archiveDir, RECIPIENT_FILE);
  const current = await fsp.readFile(file, 'utf8').catch(() => null);
  // The secret key is the truth: a recipient file that disagrees (lost, or swapped so exports go
  // to someone else) is put right the moment the key is opened.
  if (current?.trim() === recipient) return;
  try {
    await writeAtomic(file, `${recipient}\n`, 0o644);
  } catch {
    // A read-only copy of the archive still opens its key; the next unlock on a writable one repairs.
  }
}

// ---------------------------------------------------------------------------------------------
// The address book

const BookFile = z.object({
  format: z.literal('sijil-address-book'),
  version: z.literal(1),
  recipients: z.array(z.object({ name: z.string(), recipient: z.string() })),
});

/** Bidirectional embeddings, overrides and isolates: they make a name display as something else. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const CONTROLS = /[\p{Cc}\u2028\u2029]/u;
const RECIPIENT_SHAPE = /^age1[0-9a-z]{20,}$/;

/** The name as stored (trimmed, NFC), after checking it is one a person can read and tell apart. */
export function normalizeRecipientName(name: string): string {
  const normalized = name.normalize('NFC').trim();
  if (normalized === '') throw new ArchiveError('invalid-argument', phrase('keys.recipientNameEmpty'));
  if ([...normalized].length > MAX_NAME_CHARS) throw new ArchiveError('invalid-argument', phrase('keys.recipientNameTooLong', { count: MAX_NAME_CHARS }));
  if (CONTROLS.test(normalized) || BIDI_CONTROLS.test(normalized)) {
    throw new ArchiveError('invalid-argument', phrase('keys.recipientNameControls'));
  }
  return normalized;
}

/** Names that differ only in case (or in Unicode form) are the same name. */
function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** The recipient as stored (lower case, no spaces), after checking it is a valid age recipient. */
export function normalizeRecipientKey(recipient: string): string {
  const text = recipient.trim();
  if (/^AGE-SECRET-KEY-/i.test(text)) {
    throw new ArchiveError('invalid-argument', phrase('keys.secretNotRecipient'));
  }
  try {
    parseRecipient(text);
  } catch (err) {
    const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
    // An age recipient of a kind this build cannot use says so; any other failure is just "not one".
    throw new ArchiveError(
      'invalid-argument',
      err instanceof AgeError && err.code === 'unsupported'
        ? phrase('keys.notRecipientBecause', { text: shown, detail: saidOf(err) })
        : phrase('keys.notRecipient', { text: shown }),
    );
  }
  return text.toLowerCase();
}

/** The address book, sorted by name. */
export async function listRecipients(archiveDir: string): Promise<AddressBookEntry[]> {
  return sortEntries(await readBook(archiveDir));
}

/** Adds a named recipient; names are unique ignoring case, and each key is listed once. */
export async function addRecipient(archiveDir: string, name: string, recipient: string): Promise<AddressBookEntry> {
  const entry = { name: normalizeRecipientName(name), recipient: normalizeRecipientKey(recipient) };
  return serialized(archiveDir, async () => {
    const book = await readBook(archiveDir);
    const sameName = book.find((e) => nameKey(e.name) === nameKey(entry.name));
    if (sameName) {
      throw new ArchiveError('conflict', phrase(sameName.recipient === entry.recipient ? 'keys.nameTakenSameKey' : 'keys.nameTaken', { name: sameName.name }));
    }
    const sameKey = book.find((e) => e.recipient === entry.recipient);
    if (sameKey) throw new ArchiveError('conflict', phrase('keys.keyListed', { name: sameKey.name }));
    await writeBook(archiveDir, [...book, entry]);
    return entry;
  });
}

/** Removes a recipient by name (ignoring case); returns what was removed. */
export async function removeRecipient(archiveDir: string, name: string): Promise<AddressBookEntry> {
  const key = nameKey(name.normalize('NFC').trim());
  return serialized(archiveDir, async () => {
    const book = await readBook(archiveDir);
    const found = book.find((e) => nameKey(e.name) === key);
    if (!found) throw new ArchiveError('not-found', phrase('keys.noSuchRecipient', { name: name.trim() }));
    await writeBook(
      archiveDir,
      book.filter((e) => e !== found),
    );
    return found;
  });
}

async function readBook(archiveDir: string): Promise<AddressBookEntry[]> {
  let text: string;
  try {
    text = await fsp.readFile(keyPath(archiveDir, ADDRESS_BOOK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw unreadable(SHOWN.book, err);
  }
  let entries: AddressBookEntry[];
  try {
    // Recipients were checked when added; here only their shape, so a post-quantum key still lists
    // in a runtime that cannot use it.
    entries = BookFile.parse(JSON.parse(text)).recipients.map((e) => {
      if (!RECIPIENT_SHAPE.test(e.recipient)) throw new ArchiveError('invalid-argument', phrase('keys.bookNotRecipient', { text: e.recipient.slice(0, 24) }));
      return { name: normalizeRecipientName(e.name), recipient: e.recipient };
    });
  } catch (err) {
    const detail = err instanceof ArchiveError ? saidOf(err) : phrase('keys.bookNotSijil');
    throw new ArchiveError('archive-unreadable', phrase('keys.bookDamaged', { file: SHOWN.book, detail }), { cause: err });
  }
  return entries;
}

async function writeBook(archiveDir: string, entries: readonly AddressBookEntry[]): Promise<void> {
  const dir = path.join(archiveDir, KEYS_DIR);
  await writing(dir, () => fsp.mkdir(dir, { recursive: true, mode: 0o700 }));
  const body = { format: 'sijil-address-book', version: 1, recipients: sortEntries(entries) } satisfies z.input<typeof BookFile>;
  await writeAtomic(keyPath(archiveDir, ADDRESS_BOOK_FILE), `${JSON.stringify(body, null, 2)}\n`, 0o644);
}

const collator = new Intl.Collator('und', { sensitivity: 'base', numeric: true });

function sortEntries(entries: readonly AddressBookEntry[]): AddressBookEntry[] {
  return [...entries].sort((a, b) => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One read-modify-write of an archive's address book at a time within this process. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(archiveDir: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(archiveDir);
  const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
  queues.set(key, next);
  void next.finally(() => {
    if (queues.get(key) === next) queues.delete(key);
  }).catch(() => undefined);
  return next;
}

// ---------------------------------------------------------------------------------------------
// Files

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw unreadable(path.basename(file), err);
  }
}

/** Writes a new file beside `target` under a random name, fsynced, with `mode`; returns its path. */
async function writeTemp(target: string, data: string | Uint8Array, mode: number): Promise<string> {
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  await writing(path.dirname(target), async () => {
    const handle = await fsp.open(tmp, 'wx', mode);
    try {
      // The umask may have narrowed the mode; a secret key file must be exactly owner-only.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } catch (err) {
      await handle.close();
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
  });
  return tmp;
}

async function writeAtomic(target: string, data: string | Uint8Array, mode: number): Promise<void> {
  const tmp = await writeTemp(target, data, mode);
  try {
    await writing(path.dirname(target), () => fsp.rename(tmp, target));
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  await syncDir(path.dirname(target));
}

/**
 * Moves `tmp` to `target` only if nothing is there: a hard link fails atomically when the target
 * exists, which a check-then-rename cannot promise. Filesystems without hard links (FAT) get the
 * check-then-rename.
 */
async function placeWithoutReplacing(tmp: string, target: string, exists: () => Promise<Error>): Promise<void> {
  try {
    await fsp.link(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await fsp.rm(tmp, { force: true });
      throw await exists();
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') {
      await fsp.rm(tmp, { force: true });
      throw writeFailed(path.dirname(target), err);
    }
    if (await fileExists(target)) {
      await fsp.rm(tmp, { force: true });
      throw await exists();
    }
    await writing(path.dirname(target), () => fsp.rename(tmp, target));
    return;
  }
  await fsp.rm(tmp, { force: true });
}

async function fileExists(file: string): Promise<boolean> {
  return fsp.lstat(file).then(
    () => true,
    () => false,
  );
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems (Windows, FAT) cannot fsync a folder; the rename is atomic there all the same.
  }
}

/** Runs a write in `dir`, turning the filesystem's refusals into errors a person can act on. */
async function writing<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw writeFailed(dir, err);
  }
}

function writeFailed(dir: string, err: unknown): unknown {
  if (err instanceof ArchiveError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new ArchiveError('disk-full', phrase('keys.diskFull', { dir }), { cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ArchiveError('archive-unreadable', phrase('keys.mayNotWrite', { dir, code }), { cause: err });
  }
  return err;
}

function unreadable(what: string, err: unknown): ArchiveError {
  return new ArchiveError('archive-unreadable', phrase('keys.unreadable', { file: what, code: (err as NodeJS.ErrnoException).code ?? 'error' }), { cause: err });
}

/** What an error says, to go inside another sentence: its phrase when it has one, else its message as it is. */
