// The archive's own key and its address book, on real files, checked against Debian's `age`:
// the key file must be what `age -p` makes, open with `age -d`, and work as `age -d -i` identity.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, generateIdentity, identityToRecipient, parseIdentityFile } from '../../electron/archive/bundle/age/index.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import {
  addRecipient,
  archiveRecipient,
  createArchiveKey,
  listRecipients,
  removeRecipient,
  unlockArchiveIdentity,
} from '../../electron/archive/keys.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { runInPty } from '../support/pty.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const PASSPHRASE = 'شهادة من الميدان، ذي قار ٢٠٢٠';
/** Logic tests use a cheap scrypt; the format and interop tests use age's default, 18. */
const FAST = { workFactor: 10 };

async function rejection(promise: Promise<unknown>): Promise<ArchiveError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    return err as ArchiveError;
  }
  throw new Error('expected the call to fail');
}

function keysDir(archiveDir: string): string {
  return path.join(archiveDir, 'keys');
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) out[name] = fs.readFileSync(path.join(dir, name)).toString('base64');
  return out;
}

describe("the archive's key", () => {
  it('is an age passphrase file (scrypt, work factor 18, one stanza) holding an age-keygen style identity file', async () => {
    const dir = tmpDir();
    const { recipient } = await createArchiveKey(dir, PASSPHRASE);
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(fs.readdirSync(keysDir(dir)).sort()).toEqual(['identity.age', 'identity.pub']);

    const file = fs.readFileSync(path.join(keysDir(dir), 'identity.age'));
    expect(file.toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 18\n[A-Za-z0-9+/]{43}\n--- [A-Za-z0-9+/]{43}\n/);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(keysDir(dir), 'identity.age')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(keysDir(dir)).mode & 0o077).toBe(0);
    }
    expect(fs.readFileSync(path.join(keysDir(dir), 'identity.pub'), 'utf8')).toBe(`${recipient}\n`);
    expect(await archiveRecipient(dir)).toBe(recipient);

    const plaintext = (await decrypt(file, { passphrase: PASSPHRASE })).toString('utf8');
    expect(plaintext).toMatch(/^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/);
    expect(plaintext).toContain(`# public key: ${recipient}\n`);
    const identity = await unlockArchiveIdentity(dir, PASSPHRASE);
    expect(parseIdentityFile(plaintext)).toEqual([identity]);
    expect(identityToRecipient(identity)).toBe(recipient);
  });

  it('opens with stock `age -d`, and works as an identity with `age -d -i keys/identity.age`', async () => {
    const dir = tmpDir();
    const { recipient } = await createArchiveKey(dir, PASSPHRASE);
    const keyFile = path.join(keysDir(dir), 'identity.age');

    const opened = path.join(dir, 'identity.txt');
    const ageD = runInPty([AGE, '-d', '-o', opened, keyFile], [{ expect: 'passphrase', send: PASSPHRASE }]);
    expect(ageD.status, ageD.transcript).toBe(0);
    const text = fs.readFileSync(opened, 'utf8');
    expect(spawnSync(AGE_KEYGEN, ['-y', opened], { encoding: 'utf8' }).stdout.trim()).toBe(recipient);
    expect(text).toContain(`# public key: ${recipient}`);

    // A bundle-sized payload sent to the archive's recipient opens with age, given only the key file.
    const payload = randomBytes(200_000);
    const sealed = path.join(dir, 'payload.age');
    fs.writeFileSync(sealed, await encrypt(payload, { recipients: [recipient] }));
    const out = path.join(dir, 'payload.out');
    const withKey = runInPty([AGE, '-d', '-i', keyFile, '-o', out, sealed], [{ expect: 'passphrase', send: PASSPHRASE }]);
    expect(withKey.status, withKey.transcript).toBe(0);
    expect(fs.readFileSync(out).equals(payload)).toBe(true);

    // And a wrong passphrase does not open it in age either.
    const wrong = runInPty([AGE, '-d', '-o', path.join(dir, 'never.txt'), keyFile], [{ expect: 'passphrase', send: `${PASSPHRASE}!` }]);
    expect(wrong.status).not.toBe(0);
    expect(fs.existsSync(path.join(dir, 'never.txt'))).toBe(false);
  });

  it('can be one made by `age-keygen | age -p`: Sijil unlocks it and restores its recipient file', async () => {
    const dir = tmpDir();
    fs.mkdirSync(keysDir(dir));
    const plain = path.join(dir, 'keygen.txt');
    expect(spawnSync(AGE_KEYGEN, ['-o', plain]).status).toBe(0);
    const theirRecipient = spawnSync(AGE_KEYGEN, ['-y', plain], { encoding: 'utf8' }).stdout.trim();
    const made = runInPty(
      [AGE, '-p', '-o', path.join(keysDir(dir), 'identity.age'), plain],
      [
        { expect: 'passphrase', send: PASSPHRASE },
        { expect: 'Confirm', send: PASSPHRASE },
      ],
    );
    expect(made.status, made.transcript).toBe(0);
    // No identity.pub: the key is there but its public half is not.
    expect((await rejection(archiveRecipient(dir))).message).toMatch(/identity\.pub\) is missing.*sijil key check/);

    const identity = await unlockArchiveIdentity(dir, PASSPHRASE);
    expect(identityToRecipient(identity)).toBe(theirRecipient);
    expect(await archiveRecipient(dir)).toBe(theirRecipient);
  });

  it('refuses a wrong passphrase with wrong-passphrase, and changes nothing', async () => {
    const dir = tmpDir();
    await createArchiveKey(dir, PASSPHRASE, FAST);
    const before = snapshot(keysDir(dir));
    const error = await rejection(unlockArchiveIdentity(dir, 'شهادة من الميدان، ذي قار ٢٠٢١'));
    expect(error.code).toBe('wrong-passphrase');
    expect(error.message).toMatch(/passphrase is wrong/);
    expect(snapshot(keysDir(dir))).toEqual(before);
  });

  it('is never replaced: a second create is refused with key-exists and leaves the files byte-identical', async () => {
    const dir = tmpDir();
    const { recipient } = await createArchiveKey(dir, PASSPHRASE, FAST);
    const before = snapshot(keysDir(dir));
    const error = await rejection(createArchiveKey(dir, 'another long passphrase', FAST));
    expect(error.code).toBe('key-exists');
    expect(error.message).toContain(recipient);
    expect(error.message).toMatch(/never replaces it/);
    expect(snapshot(keysDir(dir))).toEqual(before);
  });

  it('two creates racing: one wins, the other gets key-exists, and the files agree with the winner', async () => {
    const dir = tmpDir();
    const results = await Promise.allSettled([
      createArchiveKey(dir, 'first racer passphrase', FAST),
      createArchiveKey(dir, 'second racer passphrase', FAST),
    ]);
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, recipient: r.value.recipient }] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ArchiveError] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((e) => e.code)).toEqual(['key-exists']);
    const winner = won[0] as { i: number; recipient: string };
    expect(await archiveRecipient(dir)).toBe(winner.recipient);
    const identity = await unlockArchiveIdentity(dir, winner.i === 0 ? 'first racer passphrase' : 'second racer passphrase');
    expect(identityToRecipient(identity)).toBe(winner.recipient);
    expect(fs.readdirSync(keysDir(dir)).sort()).toEqual(['identity.age', 'identity.pub']);
  });

  it('refuses weak passphrases, saying what is needed, and writes nothing', async () => {
    const dir = tmpDir();
    for (const weak of ['short', 'elevenchars', '            ', 'aaaaaaaaaaaaaaaa', 'abababababababab']) {
      const error = await rejection(createArchiveKey(dir, weak, FAST));
      expect(error.code, weak).toBe('invalid-argument');
      expect(error.message, weak).toMatch(/at least 12 characters|too few different characters/);
    }
    // Twelve characters counted as a person sees them: Arabic letters are one each.
    expect((await createArchiveKey(dir, 'سجل شهادة ذي', FAST)).recipient).toMatch(/^age1/);
  });

  it('says when there is none, and restores a lost or swapped recipient file from the secret key', async () => {
    const dir = tmpDir();
    expect(await archiveRecipient(dir)).toBeNull();
    const none = await rejection(unlockArchiveIdentity(dir, PASSPHRASE));
    expect(none.code).toBe('not-found');
    expect(none.message).toMatch(/sijil key new/);

    const { recipient } = await createArchiveKey(dir, PASSPHRASE, FAST);
    const pub = path.join(keysDir(dir), 'identity.pub');
    // Swapped for someone else's recipient, exports would go to them: opening the key puts it right.
    fs.writeFileSync(pub, `${generateIdentity().recipient}\n`);
    await unlockArchiveIdentity(dir, PASSPHRASE);
    expect(fs.readFileSync(pub, 'utf8')).toBe(`${recipient}\n`);

    fs.writeFileSync(pub, 'not a recipient\n');
    expect((await rejection(archiveRecipient(dir))).message).toMatch(/identity\.pub\) is damaged/);
    fs.rmSync(pub);
    expect((await rejection(archiveRecipient(dir))).message).toMatch(/identity\.pub\) is missing/);
    await unlockArchiveIdentity(dir, PASSPHRASE);
    expect(await archiveRecipient(dir)).toBe(recipient);
  });

  it('refuses a key file damaged or not protected by a passphrase, saying which', async () => {
    const dir = tmpDir();
    await createArchiveKey(dir, PASSPHRASE, FAST);
    const keyFile = path.join(keysDir(dir), 'identity.age');
    const good = fs.readFileSync(keyFile);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 1;
    fs.writeFileSync(keyFile, damaged);
    const error = await rejection(unlockArchiveIdentity(dir, PASSPHRASE));
    expect(error.code).toBe('archive-unreadable');
    expect(error.message).toMatch(/identity\.age\) is damaged/);

    fs.writeFileSync(keyFile, await encrypt(Buffer.from(`${generateIdentity().identity}\n`), { recipients: [generateIdentity().recipient] }));
    expect((await rejection(unlockArchiveIdentity(dir, PASSPHRASE))).message).toMatch(/not protected by a passphrase/);

    fs.writeFileSync(keyFile, await encrypt(Buffer.from('# just a note\n'), { passphrase: PASSPHRASE, workFactor: 10 }));
    expect((await rejection(unlockArchiveIdentity(dir, PASSPHRASE))).message).toMatch(/holds no usable secret key/);
  });
});

describe('the address book', () => {
  const lawyer = generateIdentity().recipient;
  const archivist = generateIdentity().recipient;

  it('adds, lists sorted by name, persists in keys/address-book.json, and removes ignoring case', async () => {
    const dir = tmpDir();
    expect(await listRecipients(dir)).toEqual([]);
    expect(await addRecipient(dir, '  Legal team  ', lawyer.toUpperCase())).toEqual({ name: 'Legal team', recipient: lawyer });
    await addRecipient(dir, 'أرشيف البصرة', archivist);
    const pq = generateIdentity('mlkem768x25519').recipient;
    await addRecipient(dir, 'archivist (post-quantum)', pq);

    const expected = [
      { name: 'archivist (post-quantum)', recipient: pq },
      { name: 'Legal team', recipient: lawyer },
      { name: 'أرشيف البصرة', recipient: archivist },
    ];
    expect(await listRecipients(dir)).toEqual(expected);
    const file = JSON.parse(fs.readFileSync(path.join(keysDir(dir), 'address-book.json'), 'utf8')) as unknown;
    expect(file).toEqual({ format: 'sijil-address-book', version: 1, recipients: expected });
    // Only the book itself: no temporary files left beside it.
    expect(fs.readdirSync(keysDir(dir))).toEqual(['address-book.json']);

    expect(await removeRecipient(dir, 'LEGAL TEAM')).toEqual({ name: 'Legal team', recipient: lawyer });
    expect((await listRecipients(dir)).map((e) => e.name)).toEqual(['archivist (post-quantum)', 'أرشيف البصرة']);
    const missing = await rejection(removeRecipient(dir, 'Legal team'));
    expect(missing.code).toBe('not-found');
  });

  it('keeps names unique ignoring case and Unicode form, and each key once', async () => {
    const dir = tmpDir();
    await addRecipient(dir, 'Legal Team', lawyer);
    expect((await rejection(addRecipient(dir, 'legal team', archivist))).message).toMatch(/already has "Legal Team"/);
    // أمل typed with a combining hamza (NFD) is the same name as the precomposed أ.
    await addRecipient(dir, '\u0623\u0645\u0644', archivist);
    const nfd = await rejection(addRecipient(dir, '\u0627\u0654\u0645\u0644', generateIdentity().recipient));
    expect(nfd.code).toBe('conflict');
    expect((await listRecipients(dir)).map((e) => e.name)).toContain('\u0623\u0645\u0644');
    const sameKey = await rejection(addRecipient(dir, 'Someone else', lawyer));
    expect(sameKey.code).toBe('conflict');
    expect(sameKey.message).toMatch(/already in the address book as "Legal Team"/);
  });

  it('refuses what is not a recipient, with a message that says what one is', async () => {
    const dir = tmpDir();
    const flipped = `${lawyer.slice(0, -1)}${lawyer.endsWith('q') ? 'p' : 'q'}`;
    for (const bad of ['age1', 'hello', flipped, `${lawyer}x`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl']) {
      const error = await rejection(addRecipient(dir, 'Somebody', bad));
      expect(error.code, bad).toBe('invalid-argument');
      expect(error.message, bad).toMatch(/not a valid age recipient.*starting with age1/);
    }
    const secret = await rejection(addRecipient(dir, 'Somebody', generateIdentity().identity));
    expect(secret.message).toMatch(/secret key.*must never be shared/);
    for (const name of ['', '   ', 'a\nb', 'tab\there', 'evil\u202Eeman', 'x'.repeat(101)]) {
      expect((await rejection(addRecipient(dir, name, lawyer))).code, JSON.stringify(name)).toBe('invalid-argument');
    }
    expect(fs.existsSync(path.join(keysDir(dir), 'address-book.json'))).toBe(false);
  });

  it('refuses to read or overwrite a damaged address book', async () => {
    const dir = tmpDir();
    await addRecipient(dir, 'Legal team', lawyer);
    const file = path.join(keysDir(dir), 'address-book.json');
    for (const damaged of ['{"format":"sijil-address-book","version":1,"recipients":[', '{"format":"other","version":1,"recipients":[]}', '{"format":"sijil-address-book","version":1,"recipients":[{"name":"x","recipient":"nope"}]}']) {
      fs.writeFileSync(file, damaged);
      const error = await rejection(listRecipients(dir));
      expect(error.code).toBe('archive-unreadable');
      expect(error.message).toMatch(/address book \(keys\/address-book\.json\) is damaged.*Fix or remove/);
      await rejection(addRecipient(dir, 'Another', archivist));
      expect(fs.readFileSync(file, 'utf8')).toBe(damaged);
    }
  });

  it('serialises concurrent changes: ten adds at once all land', async () => {
    const dir = tmpDir();
    const people = Array.from({ length: 10 }, (_, i) => ({ name: `Partner ${i}`, recipient: generateIdentity().recipient }));
    await Promise.all(people.map((p) => addRecipient(dir, p.name, p.recipient)));
    expect(await listRecipients(dir)).toEqual(people);
  });
});

describe('keys through the contract', () => {
  it('keys.status, keys.create, keys.check and keys.recipients.* validate and run', async () => {
    const archive = tmpArchive();
    expect(await invoke(archive, 'keys.status', {})).toEqual({ recipient: null });
    const short = await rejection(invoke(archive, 'keys.create', { passphrase: 'too short' }));
    expect(short.code).toBe('invalid-argument');
    expect(short.message).toMatch(/^passphrase: the passphrase needs at least 12 characters/);
    expect(await rejection(invoke(archive, 'keys.create', {}))).toMatchObject({ code: 'invalid-argument' });

    const { recipient } = await invoke(archive, 'keys.create', { passphrase: PASSPHRASE });
    expect(await invoke(archive, 'keys.status', {})).toEqual({ recipient });
    expect(await invoke(archive, 'keys.check', { passphrase: PASSPHRASE })).toEqual({ recipient });
    expect((await rejection(invoke(archive, 'keys.check', { passphrase: 'not the passphrase' }))).code).toBe('wrong-passphrase');
    expect((await rejection(invoke(archive, 'keys.create', { passphrase: PASSPHRASE }))).code).toBe('key-exists');
    expect(fs.existsSync(path.join(archive.dir, 'keys', 'identity.age'))).toBe(true);

    const lawyer = generateIdentity().recipient;
    expect(await invoke(archive, 'keys.recipients.add', { name: 'Lawyer', recipient: lawyer })).toEqual({ name: 'Lawyer', recipient: lawyer });
    expect(await invoke(archive, 'keys.recipients.list', {})).toEqual([{ name: 'Lawyer', recipient: lawyer }]);
    expect((await rejection(invoke(archive, 'keys.recipients.add', { name: '', recipient: lawyer }))).message).toMatch(/^name: a recipient needs a name/);
    expect(await invoke(archive, 'keys.recipients.remove', { name: 'lawyer' })).toEqual({ name: 'Lawyer', recipient: lawyer });
    expect(await invoke(archive, 'keys.recipients.list', {})).toEqual([]);
  });
});
