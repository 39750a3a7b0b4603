// Export while another process writes: the bundle is one snapshot of the archive (its items, their
// fields, archive.json, each item.json and the manifest all from the same moment, no item caught
// half-edited), and the writer keeps committing while the export runs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/archive/bundle/age/index.ts';
import { exportBundle } from '../../electron/archive/bundle/export.ts';
import { importBundle } from '../../electron/archive/bundle/importBundle.ts';
import { readArchiveJson } from '../../electron/archive/bundle/inspect.ts';
import { Archive } from '../../electron/archive/index.ts';
import { checkArchive } from '../stress/check.ts';
import { tmpDir } from '../support/tmp.ts';

const WRITER = fileURLToPath(new URL('../stress/writer.ts', import.meta.url));

interface Step {
  readonly step: number;
  readonly op: 'edit' | 'create';
  readonly id: string;
  readonly at: number;
}

function readLog(file: string): Step[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => JSON.parse(l) as Step);
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('export while another process writes', () => {
  it('the bundle is one consistent snapshot, and the writer is not blocked while it is written', async () => {
    const work = tmpDir('sijil-concurrent-');
    const archiveDir = path.join(work, 'archive');
    const archive = Archive.open(archiveDir);
    const notes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const item = archive.create({ kind: 'note', fields: { title: 'placeholder', body: `note ${i}` } });
      archive.edit(item.id, { title: `note ${item.id} v0`, description: 'v0' });
      notes.push(item.id);
    }
    // Large files make the export long enough for the writer to commit many times meanwhile.
    for (let i = 0; i < 3; i++) {
      const staged = await archive.store.stageBytes(randomBytes(12 << 20));
      archive.create({ kind: 'document', fields: { title: `recording ${i}` }, files: [{ staged, role: 'original', name: `r${i}.bin`, mime: 'application/octet-stream' }] });
    }

    const log = path.join(work, 'writer.log');
    const stop = path.join(work, 'stop');
    const writer = spawn(process.execPath, [WRITER, archiveDir, log, stop], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => writer.on('exit', (code) => resolve(code)));
    await waitFor(() => readLog(log).length >= 5 || writer.exitCode !== null, 'the writer to start');

    const key = generateIdentity();
    const bundle = path.join(work, 'snapshot.sijil');
    const started = Date.now();
    const result = await exportBundle(archive, {
      selection: {},
      to: bundle,
      encryption: { options: { recipients: [key.recipient] }, record: { method: 'recipients', recipients: [key.recipient] } },
    });
    const finished = Date.now();
    // A few more steps after the export, so the writer is seen alive at the end too.
    const countAtEnd = readLog(log).length;
    await waitFor(() => readLog(log).length >= countAtEnd + 3 || writer.exitCode !== null, 'the writer to go on');
    fs.writeFileSync(stop, '');
    expect(await exited, stderr).toBe(0);
    archive.close();

    const steps = readLog(log);
    // Not blocked: the writer committed while the export was being written, not only before and after.
    const during = steps.filter((s) => s.at > started && s.at < finished);
    expect(during.length, `export took ${finished - started} ms; ${steps.length} writer steps in all`).toBeGreaterThan(0);

    // The bundle is whole and agrees with itself: importing verifies every checksum, the manifest,
    // and that archive.json and each item.json describe the same items with the same files.
    const copy = Archive.open(path.join(work, 'copy'));
    try {
      await importBundle(copy, bundle, { identities: [key.identity] });
      const json = await readArchiveJson(bundle, { identities: [key.identity] });
      expect(json.items.length).toBe(result.items);

      // Which step the snapshot was taken after: the latest step the bundle shows.
      const version = (text: string | null | undefined): number => Number(/v(\d+)$/.exec(text ?? '')?.[1] ?? -1);
      const inBundle = new Map(json.items.map((i) => [i.id, i]));
      const shown = copy.list({ limit: 10_000 });
      const k = Math.max(0, ...shown.map((i) => version(i.title)));
      const upTo = steps.filter((s) => s.step <= k);
      expect(steps.some((s) => s.step === k) || k === 0).toBe(true);

      // Exactly the items that existed after step k: the 23 made first and every note created by then.
      const created = upTo.filter((s) => s.op === 'create').map((s) => s.id);
      expect(new Set(inBundle.keys())).toEqual(new Set([...notes, ...created, ...shown.filter((i) => i.kind === 'document').map((i) => i.id)]));
      expect(shown.length).toBe(23 + created.length);

      for (const id of notes) {
        const item = copy.get(id);
        const lastEdit = upTo.filter((s) => s.op === 'edit' && s.id === id).at(-1)?.step ?? 0;
        // Title and description were edited in one transaction: both from the same step, the one
        // the snapshot must show.
        expect(version(item.title), `title of ${id}`).toBe(lastEdit);
        expect(version(item.description), `description of ${id}`).toBe(lastEdit);
        // Its custody in archive.json is from the same moment: one edit event per edit up to step k
        // (plus the one that set v0).
        const edits = (json.custody[id] ?? []).filter((e) => e.action === 'edit').length;
        expect(edits, `edit events of ${id}`).toBe(1 + upTo.filter((s) => s.op === 'edit' && s.id === id).length);
      }
    } finally {
      copy.close();
    }
    // And the archive the writer and the export shared checks clean.
    expect(checkArchive(archiveDir).violations).toEqual([]);
  });
});
