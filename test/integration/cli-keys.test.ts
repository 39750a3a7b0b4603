// `sijil key …` as people use it: passphrases from --passphrase-file or typed at a real
// (pseudo-)terminal that must not echo them, never from the command line; the address book.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateIdentity, identityToRecipient } from '../../electron/archive/bundle/age/index.ts';
import { unlockArchiveIdentity } from '../../electron/archive/keys.ts';
import { main } from '../../electron/cli.ts';
import { runInPty } from '../support/pty.ts';
import { tmpArchiveDir, tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
const PASSPHRASE = 'correct horse battery staple';

async function sijil(archive: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--archive', archive, ...args], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTTY: false });
  return { code, out, err };
}

/** The CLI as its own process with no terminal: stdin is an empty pipe. */
function sijilProcess(archive: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, [CLI, '--archive', archive, ...args], { input: '', encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('sijil key with --passphrase-file', () => {
  it('new makes the key and prints its recipient; show, check and a second new behave', async () => {
    const archive = tmpArchiveDir();
    // The first line only, its CRLF removed: what an editor on Windows saves.
    const file = writeFile(tmpDir(), 'pass.txt', `${PASSPHRASE}\r\nthis second line is not part of it\n`);

    const made = await sijil(archive, 'key', 'new', '--passphrase-file', file);
    expect(made.code, made.err).toBe(0);
    const recipient = made.out.trim();
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(made.err).toMatch(/Made the archive's key/);
    expect(identityToRecipient(await unlockArchiveIdentity(archive, PASSPHRASE))).toBe(recipient);

    expect(await sijil(archive, 'key', 'show')).toEqual({ code: 0, out: `${recipient}\n`, err: '' });
    expect(JSON.parse((await sijil(archive, 'key', 'show', '--json')).out)).toEqual({ recipient });

    const checked = await sijil(archive, 'key', 'check', '--passphrase-file', writeFile(tmpDir(), 'p', `${PASSPHRASE}\n`), '--json');
    expect(JSON.parse(checked.out)).toEqual({ recipient });
    const wrong = await sijil(archive, 'key', 'check', '--passphrase-file', writeFile(tmpDir(), 'p', 'correct horse battery stable\n'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/passphrase is wrong/);

    const again = await sijil(archive, 'key', 'new', '--passphrase-file', file);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`already has its key (${recipient})`);
    expect(identityToRecipient(await unlockArchiveIdentity(archive, PASSPHRASE))).toBe(recipient);
  });

  it('show says when there is no key: a message and exit 1, or null with --json', async () => {
    const archive = tmpArchiveDir();
    const shown = await sijil(archive, 'key', 'show');
    expect(shown.code).toBe(1);
    expect(shown.out).toBe('');
    expect(shown.err).toMatch(/no key yet; "sijil key new" makes one/);
    expect(JSON.parse((await sijil(archive, 'key', 'show', '--json')).out)).toEqual({ recipient: null });
  });

  it('refuses a weak, empty or unreadable passphrase file, and makes no key', async () => {
    const archive = tmpArchiveDir();
    // A passphrase refused is the command typed wrong (2); a file that cannot be read, a failure (1).
    const cases: [string, RegExp, number][] = [
      [writeFile(tmpDir(), 'short', 'hunter2\n'), /at least 12 characters/, 2],
      [writeFile(tmpDir(), 'empty', '\nthe passphrase belongs on the first line\n'), /is empty: put the passphrase on its first line/, 2],
      [path.join(tmpDir(), 'missing.txt'), /missing\.txt cannot be read: it does not exist\./, 1],
    ];
    for (const [file, message, code] of cases) {
      const result = await sijil(archive, 'key', 'new', '--passphrase-file', file);
      expect(result.code, file).toBe(code);
      expect(result.err, file).toMatch(message);
    }
    expect(fs.existsSync(path.join(archive, 'keys', 'identity.age'))).toBe(false);
  });

  it('never takes a passphrase from the command line, and says so', async () => {
    const archive = tmpArchiveDir();
    for (const args of [['--passphrase', PASSPHRASE], [`--passphrase=${PASSPHRASE}`]]) {
      const result = await sijil(archive, 'key', 'new', ...args);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/never taken on the command line.*--passphrase-file FILE/);
    }
    expect(fs.existsSync(path.join(archive, 'keys'))).toBe(false);
  });

  it('without a terminal or a file, fails with a clear error instead of waiting', () => {
    const archive = tmpArchiveDir();
    const result = sijilProcess(archive, 'key', 'new');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no terminal to type it at: give --passphrase-file FILE/);
    expect(fs.existsSync(path.join(archive, 'keys', 'identity.age'))).toBe(false);
  });
});

describe('sijil key at a terminal', () => {
  it('new asks twice without echoing, retries a mismatch, and the typed passphrase opens the key', async () => {
    const archive = tmpArchiveDir();
    const typed = 'شهادة من الميدان ٢٠٢٤';
    const result = runInPty(
      [process.execPath, CLI, '--archive', archive, 'key', 'new'],
      [
        { expect: "New passphrase for this archive's key: ", send: 'hunter2xyz' },
        { expect: 'Try again.', send: '', enter: false },
        { expect: "New passphrase for this archive's key: ", send: typed },
        { expect: '(again, to confirm): ', send: `${typed} typo` },
        { expect: 'The two passphrases differ. Try again.', send: '', enter: false },
        // Backspace and an arrow key are editing, not part of the passphrase.
        { expect: "New passphrase for this archive's key: ", send: `${typed}x\u007f\u001b[D` },
        { expect: '(again, to confirm): ', send: typed },
      ],
    );
    expect(result.status, result.transcript).toBe(0);
    expect(result.answered).toBe(7);
    expect(result.transcript).toMatch(/at least 12 characters/);
    // Echo is off: nothing typed shows on the terminal.
    expect(result.transcript).not.toContain('hunter2');
    expect(result.transcript).not.toContain(typed);
    const recipient = result.transcript.match(/age1[0-9a-z]{58}/)?.[0];
    expect(recipient).toBeDefined();
    expect(identityToRecipient(await unlockArchiveIdentity(archive, typed))).toBe(recipient);

    const checked = runInPty([process.execPath, CLI, '--archive', archive, 'key', 'check'], [{ expect: "Passphrase for this archive's key: ", send: typed }]);
    expect(checked.status, checked.transcript).toBe(0);
    expect(checked.transcript).toContain(`opens this archive's key (${recipient})`);
  });

  it('Ctrl-C at the prompt cancels (exit 130) and makes nothing', () => {
    const archive = tmpArchiveDir();
    const result = runInPty([process.execPath, CLI, '--archive', archive, 'key', 'new'], [{ expect: "New passphrase for this archive's key: ", send: 'half typed\u0003', enter: false }]);
    expect(result.status).toBe(130);
    expect(result.transcript).toMatch(/Cancelled/);
    expect(fs.existsSync(path.join(archive, 'keys', 'identity.age'))).toBe(false);
  });
});

describe('sijil key: the address book', () => {
  it('add-recipient, list (human and --json), remove-recipient, with clear refusals', async () => {
    const archive = tmpArchiveDir();
    const lawyer = generateIdentity().recipient;
    const archivist = generateIdentity().recipient;

    expect((await sijil(archive, 'key', 'list')).out).toMatch(/address book is empty/);
    expect(JSON.parse((await sijil(archive, 'key', 'list', '--json')).out)).toEqual([]);

    const added = await sijil(archive, 'key', 'add-recipient', 'Legal team', lawyer);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`Added "Legal team" (${lawyer})`);
    expect(JSON.parse((await sijil(archive, 'key', 'add-recipient', 'أرشيف البصرة', archivist, '--json')).out)).toEqual({ name: 'أرشيف البصرة', recipient: archivist });

    const listed = await sijil(archive, 'key', 'list');
    expect(listed.out).toMatch(new RegExp(`^Legal team\\s+${lawyer}\\nأرشيف البصرة\\s+${archivist}\\n$`));
    expect(JSON.parse((await sijil(archive, 'key', 'list', '--json')).out)).toEqual([
      { name: 'Legal team', recipient: lawyer },
      { name: 'أرشيف البصرة', recipient: archivist },
    ]);

    const duplicate = await sijil(archive, 'key', 'add-recipient', 'LEGAL TEAM', generateIdentity().recipient);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toMatch(/already has "Legal team"/);
    const invalid = await sijil(archive, 'key', 'add-recipient', 'Someone', 'age1notakey');
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/not a valid age recipient/);
    expect((await sijil(archive, 'key', 'add-recipient', 'Only a name')).code).toBe(2);

    const removed = await sijil(archive, 'key', 'remove-recipient', 'legal team');
    expect(removed.out).toContain(`Removed "Legal team" (${lawyer})`);
    expect((await sijil(archive, 'key', 'remove-recipient', 'legal team')).err).toMatch(/no "legal team" in the address book/);
    expect(JSON.parse((await sijil(archive, 'key', 'list', '--json')).out)).toEqual([{ name: 'أرشيف البصرة', recipient: archivist }]);
    expect((await sijil(archive, 'key', 'rotate')).code).toBe(2);
  });
});
