// The bundle commands of the CLI: export to recipients, a passphrase or the archive's own key;
// inspect and import-bundle with an age-keygen identity file, a passphrase file or the archive's
// key; conflicts; secrets never on the command line; Ctrl+C (the signal main() is given) cancels.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { main } from '../../electron/cli.ts';
import { ageKeygen, fillSourceArchive } from '../support/bundles.ts';
import { tmpArchiveDir, tmpDir } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));

async function sijil(archive: string, args: string[], signal?: AbortSignal, onErr?: (line: string) => void): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    ['--archive', archive, ...args],
    {
      out: (t) => (out += `${t}\n`),
      err: (t) => {
        err += `${t}\n`;
        onErr?.(t);
      },
      isTTY: false,
    },
    signal,
  );
  return { code, out, err };
}

let dir: string;
let source: string;
let key: ReturnType<typeof ageKeygen>;
let passphraseFile: string;

beforeAll(async () => {
  dir = tmpDir('sijil-bundle-cli-');
  source = path.join(dir, 'source');
  const archive = Archive.open(source);
  await fillSourceArchive(archive);
  archive.close();
  key = ageKeygen(dir);
  passphraseFile = path.join(dir, 'passphrase.txt');
  fs.writeFileSync(passphraseFile, 'a long bundle passphrase\n');
});

describe('sijil export / inspect / import-bundle', () => {
  it('exports to an age-keygen recipient; inspect and import-bundle open it with the identity file; a second import adds nothing', async () => {
    const file = path.join(dir, 'case.sijil');
    const exported = await sijil(source, ['export', '--collection', 'Case: Sajjad', '--to', file, '--recipient', key.recipient, '--organization', 'DQDN']);
    expect(exported.err).toMatch(/^writing 100%$/m);
    expect(exported.out).toMatch(/^Wrote .*case\.sijil \(.*\): 4 items, \d+ files\.$/m);
    expect(exported.code).toBe(0);
    const before = fs.readFileSync(file);
    const over = await sijil(source, ['export', '--collection', 'Case: Sajjad', '--to', file, '--recipient', key.recipient]);
    expect(over).toMatchObject({ code: 2, err: expect.stringContaining(`sijil: ${file} already exists; choose another name or add --force to replace it.\n`) });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // Stock age opens it.
    expect(execFileSync('/bin/sh', ['-c', '/usr/bin/age -d -i "$1" "$2" | /usr/bin/tar t', 'sh', key.file, file]).toString()).toMatch(/^data\/archive\.json$/m);

    const inspected = await sijil(source, ['inspect', file, '--identity', key.file]);
    expect(inspected.code).toBe(0);
    expect(inspected.out).toMatch(/^Made: .* by DQDN with Sijil /m);
    expect(inspected.out).toMatch(/^Items: 4 \(/m);
    expect(inspected.out).toMatch(/^Redacted: no$/m);
    expect(inspected.out).toContain('4 items are already in this archive.');

    const target = tmpArchiveDir();
    const imported = await sijil(target, ['import-bundle', file, '--identity', key.file, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ added: 4, conflicts: 0 });
    const again = await sijil(target, ['import-bundle', file, '--identity', key.file]);
    expect(again.out).toMatch(/^0 added, 4 already here, 0 duplicates, 0 conflicts\.$/m);
    expect(again.out).toMatch(/first imported on/);
    expect((await sijil(target, ['conflicts'])).out.trim()).toBe('No conflicts.');
    expect((await sijil(target, ['check'])).code).toBe(0);
  });

  it('passphrase bundles take the passphrase from --passphrase-file, never from the command line', async () => {
    const file = path.join(dir, 'note.sijil');
    const note = (await sijil(source, ['list', '--kind', 'note', '--json'])).out;
    const id = (JSON.parse(note) as { id: string; title: string }[]).find((n) => n.title === 'Follow-up calls')?.id as string;
    const exported = await sijil(source, ['export', '--ids', id, '--to', file, '--passphrase-file', passphraseFile, '--redact', '--no-media']);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/redacted/);
    const inspected = await sijil(source, ['inspect', file, '--passphrase-file', passphraseFile, '--json']);
    expect(JSON.parse(inspected.out)).toMatchObject({ redacted: true, media: false, counts: { items: 1 } });

    const wrong = path.join(dir, 'wrong.txt');
    fs.writeFileSync(wrong, 'not the passphrase\n');
    const refused = await sijil(source, ['inspect', file, '--passphrase-file', wrong]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^sijil: The passphrase is wrong/m);

    // An --ids left empty (a script's unset variable) is a mistake, never the whole archive.
    for (const empty of ['', ',', ' ']) {
      const none = await sijil(source, ['export', '--ids', empty, '--to', path.join(dir, 'all.sijil'), '--passphrase-file', passphraseFile]);
      expect(none).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: --ids names no item/) });
    }
    expect(fs.existsSync(path.join(dir, 'all.sijil'))).toBe(false);
    // A query that finds nothing was typed right: the export failed (1), it was not mistyped (2).
    const nothing = await sijil(source, ['export', '--query', 'zzqqxx', '--to', path.join(dir, 'none.sijil'), '--passphrase-file', passphraseFile]);
    expect(nothing).toMatchObject({ code: 1, err: expect.stringMatching(/^sijil: Nothing to export/) });
    expect(fs.existsSync(path.join(dir, 'none.sijil'))).toBe(false);

    const onArgv = await sijil(source, ['export', '--to', path.join(dir, 'x.sijil'), '--passphrase=hunter2hunter2']);
    expect(onArgv.code).toBe(2);
    expect(onArgv.err).toMatch(/never taken on the command line/);
    // Without a terminal and without a file, it says how to give one.
    const noTerminal = spawnSync(process.execPath, [CLI, '--archive', source, 'export', '--to', path.join(dir, 'y.sijil'), '--passphrase'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(noTerminal.status).toBe(2);
    expect(noTerminal.stderr).toMatch(/--passphrase-file FILE/);
    expect(fs.existsSync(path.join(dir, 'y.sijil'))).toBe(false);
    expect((await sijil(source, ['export', '--to', path.join(dir, 'z.sijil')])).code).toBe(2);
  });

  it("--to-self encrypts to the archive's own key, which inspect and import-bundle use by default", async () => {
    const own = path.join(dir, 'own');
    const archive = Archive.open(own);
    archive.create({ kind: 'note', fields: { title: 'Mine', body: 'kept safe' } });
    archive.close();
    const keyPassphrase = path.join(dir, 'key-passphrase.txt');
    fs.writeFileSync(keyPassphrase, 'seven unrelated words make a key\n');
    expect((await sijil(own, ['inspect', path.join(dir, 'case.sijil')])).err).toMatch(/no key of its own: give --identity KEYFILE or --passphrase/);
    expect((await sijil(own, ['key', 'new', '--passphrase-file', keyPassphrase])).code).toBe(0);
    const file = path.join(dir, 'self.sijil');
    expect((await sijil(own, ['export', '--to', file, '--to-self'])).code).toBe(0);
    const inspected = await sijil(own, ['inspect', file, '--key-passphrase-file', keyPassphrase, '--json']);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.out)).toMatchObject({ counts: { items: 1 }, alreadyHere: 1 });
    const imported = await sijil(own, ['import-bundle', file, '--key-passphrase-file', keyPassphrase, '--json']);
    expect(JSON.parse(imported.out)).toMatchObject({ added: 0, unchanged: 1 });
  });

  it('Ctrl+C during an export stops it with exit 130 and leaves no file', async () => {
    const file = path.join(dir, 'interrupted.sijil');
    const controller = new AbortController();
    const result = await sijil(source, ['export', '--to', file, '--recipient', key.recipient], controller.signal, (line) => {
      if (line.startsWith('writing')) controller.abort();
    });
    expect(result.code).toBe(130);
    expect(result.err).toMatch(/^sijil: The export was cancelled\.$/m);
    expect(fs.readdirSync(dir).filter((n) => n.includes('interrupted'))).toEqual([]);
  });

  it('lists and resolves conflicts', async () => {
    const a = path.join(dir, 'a');
    const b = tmpArchiveDir();
    const made = Archive.open(a);
    const id = made.create({ kind: 'note', fields: { title: 'Shared note', body: 'v1' } }).id;
    made.close();
    const first = path.join(dir, 'v1.sijil');
    await sijil(a, ['export', '--to', first, '--recipient', key.recipient]);
    await sijil(b, ['import-bundle', first, '--identity', key.file]);
    await sijil(a, ['edit', id, '--set', 'body=v2 from A']);
    await sijil(b, ['edit', id, '--set', 'body=v2 from B']);
    const second = path.join(dir, 'v2.sijil');
    await sijil(a, ['export', '--to', second, '--recipient', key.recipient]);
    const merged = await sijil(b, ['import-bundle', second, '--identity', key.file]);
    expect(merged.out).toMatch(/^CONFLICT /m);
    expect(merged.out).toMatch(/sijil conflicts resolve N --keep local\|incoming\|both" settles conflict #N/);
    const listed = await sijil(b, ['conflicts']);
    expect(listed.out).toMatch(/^#1 {2}changed on both sides/m);
    expect((await sijil(b, ['conflicts', 'resolve', '1', '--keep', 'sideways'])).code).toBe(2);
    expect(await sijil(b, ['conflicts', 'resolve', id, '--keep', 'local'])).toMatchObject({ code: 2, err: expect.stringMatching(/a conflict is a number, as "sijil conflicts" lists them/) });
    // As the list writes it (quoted, or the shell takes # for a comment).
    const resolved = await sijil(b, ['conflicts', 'resolve', '#1', '--keep', 'local']);
    expect(resolved.code).toBe(0);
    expect(resolved.out).toMatch(/^Conflict #1 resolved: kept the local version\. \w+ is in the trash/);
    expect((await sijil(b, ['conflicts'])).out.trim()).toBe('No conflicts.');
    expect((await sijil(b, ['conflicts', '--all'])).out).toMatch(/resolved: kept local/);
  });
});
