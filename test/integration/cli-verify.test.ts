// `sijil verify` and `sijil custody` on a real archive: the text report by item, --json, exit
// codes (0 intact, 4 a problem, 2 usage, 1 failure), progress on a terminal only.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli.ts';
import { DB_FILE } from '../../electron/archive/index.ts';
import type { VerifyReport } from '../../shared/api.ts';
import { tmpArchiveDir, tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function sijil(archive: string, args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--archive', archive, ...args], { out: (t) => (out += `${t}\n`), err: (t) => (err += t.startsWith('\r') ? t : `${t}\n`), isTTY });
  return { code, out, err };
}

async function archiveWithFiles(): Promise<{ archive: string; ids: string[]; shas: string[] }> {
  const archive = tmpArchiveDir();
  const src = tmpDir();
  const bodies = ['A statement from Nasiriyah.\n', 'شهادة من البصرة.\n'];
  const files = [writeFile(src, 'nasiriyah.txt', bodies[0]!), writeFile(src, 'basra.txt', bodies[1]!)];
  const imported = await sijil(archive, ['import', ...files, '--json']);
  expect(imported.code).toBe(0);
  const ids = (JSON.parse(imported.out) as { outcomes: { itemId: string }[] }).outcomes.map((o) => o.itemId);
  return { archive, ids, shas: bodies.map(sha) };
}

const blob = (archive: string, sha256: string): string => path.join(archive, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);

describe('sijil verify', () => {
  it('says an intact archive is intact and exits 0; --json gives the report; nothing on stderr off a terminal', async () => {
    const { archive } = await archiveWithFiles();
    const text = await sijil(archive, ['verify']);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out).toContain('Files: 2 files (2 distinct');
    expect(text.out).toContain('Every file matches its recorded SHA-256.');
    expect(text.out).toContain('Custody chain: 2 events, intact.');
    expect(text.out).toContain('The archive is intact.');
    const json = await sijil(archive, ['verify', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out) as VerifyReport).toMatchObject({ ok: true, files: 2, custody: { events: 3, problems: [] } });
  });

  it('reports changed, missing and untracked files by item and exits 4; --item narrows the files', async () => {
    const { archive, ids, shas } = await archiveWithFiles();
    const changed = blob(archive, shas[0]!);
    fs.chmodSync(changed, 0o644);
    fs.writeFileSync(changed, 'A statement from Basra.\n');
    fs.rmSync(blob(archive, shas[1]!));
    fs.writeFileSync(path.join(archive, 'blobs', 'stray.bin'), 'xyz');
    const r = await sijil(archive, ['verify']);
    expect(r.code).toBe(4);
    expect(r.out).toContain(`  ${ids[0]}  A statement from Nasiriyah.\n    changed: nasiriyah.txt (original): recorded sha256 ${shas[0]}, now ${sha('A statement from Basra.\n')}`);
    expect(r.out).toContain(`    missing: basra.txt (original): sha256 ${shas[1]}`);
    expect(r.out).toContain('    untracked: blobs/stray.bin (3 B)');
    expect(r.out).toContain('The archive is NOT intact: 1 changed, 1 missing, 1 untracked.');
    const json = await sijil(archive, ['verify', '--json', '--item', ids[1]!]);
    expect(json.code).toBe(4);
    const report = JSON.parse(json.out) as VerifyReport;
    expect(report).toMatchObject({ ok: false, files: 1, changed: [], missing: [{ itemId: ids[1], fileName: 'basra.txt' }] });
    // The store is checked whole whatever the items.
    expect(report.untracked).toEqual([{ path: 'blobs/stray.bin', bytes: 3 }]);
  });

  it('reports a custody event deleted with sqlite3 by its position, and exits 4 from the real process', async () => {
    const { archive } = await archiveWithFiles();
    execFileSync('sqlite3', [path.join(archive, DB_FILE), 'DELETE FROM custody_events WHERE seq = 1;']);
    const run = spawnSync(process.execPath, [CLI, '--archive', archive, 'verify'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Custody chain: 1 events, 1 problem:\n    position 1 (event 1) removed: Event 1 was removed from the log');
    expect(run.status).toBe(4);
    const intact = spawnSync(process.execPath, [CLI, '--archive', (await archiveWithFiles()).archive, 'verify', '--json'], { encoding: 'utf8' });
    expect(intact.status).toBe(0);
    expect((JSON.parse(intact.stdout) as VerifyReport).ok).toBe(true);
  });

  it('shows progress on stderr on a terminal', async () => {
    const { archive } = await archiveWithFiles();
    const r = await sijil(archive, ['verify'], true);
    expect(r.code).toBe(0);
    expect(r.err).toContain('\r\x1b[2Kverifying files');
    expect(r.out).toContain('The archive is intact.');
  });

  it('refuses wrong usage with exit code 2', async () => {
    const { archive } = await archiveWithFiles();
    const extra = await sijil(archive, ['verify', 'everything']);
    expect(extra.code).toBe(2);
    expect(extra.err).toContain('name items with --item ID');
    expect((await sijil(archive, ['verify', '--itme', 'x'])).code).toBe(2);
    expect((await sijil(archive, ['custody'])).code).toBe(2);
  });
});

describe('sijil custody', () => {
  it('prints the custody report, writes it with --out without replacing a file unless --force', async () => {
    const { archive, ids, shas } = await archiveWithFiles();
    const shown = await sijil(archive, ['custody', ids[0]!.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('CUSTODY REPORT');
    expect(shown.out).toContain(`Identifier:  ${ids[0]}`);
    expect(shown.out).toContain(`SHA-256: ${shas[0]}`);
    expect(shown.out).toContain('The item was imported into this archive from a file.');
    expect(shown.out).toContain("Yes. All 2 events of the archive's custody chain");

    const file = path.join(tmpDir(), 'custody.txt');
    const written = await sijil(archive, ['custody', ids[0]!, '--out', file]);
    expect(written).toMatchObject({ code: 0, out: `Wrote the custody report to ${file}.\n` });
    expect(fs.readFileSync(file, 'utf8')).toContain(`SHA-256: ${shas[0]}`);
    const again = await sijil(archive, ['custody', ids[1]!, '--out', file]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists; choose another name or add --force');
    expect(fs.readFileSync(file, 'utf8')).toContain(shas[0]);
    expect((await sijil(archive, ['custody', ids[1]!, '--out', file, '--force'])).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain(shas[1]);
    // A folder is said to be one at once, not "add --force" and then, with it, "it is a folder".
    const folder = tmpDir();
    expect(await sijil(archive, ['custody', ids[1]!, '--out', folder])).toMatchObject({ code: 2, err: expect.stringContaining(`${folder} is a folder; give the report a file name`) });
    const nowhere = path.join(tmpDir(), 'no-such-folder', 'custody.txt');
    expect(await sijil(archive, ['custody', ids[1]!, '--out', nowhere])).toMatchObject({ code: 1, err: `sijil: ${nowhere} cannot be written: its folder does not exist.\n` });

    const json = await sijil(archive, ['custody', ids[1]!, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ fileName: `custody-${ids[1]}.txt`, text: expect.stringContaining(shas[1]!) });
    const unknown = await sijil(archive, ['custody', 'zzzzzzzz']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No item has the id zzzzzzzz');
  });

  it('says the chain is broken in the report when it is', async () => {
    const { archive, ids } = await archiveWithFiles();
    execFileSync('sqlite3', [path.join(archive, DB_FILE), "UPDATE custody_events SET at = '2001-01-01T00:00:00.000Z' WHERE seq = 2;"]);
    const shown = await sijil(archive, ['custody', ids[1]!]);
    expect(shown.out).toContain('Content matches its hash: NO');
    expect(shown.out).toContain("NO. The archive's custody chain (2 events) is broken:\n- at position 2 (event 2), edited:");
  });
});
