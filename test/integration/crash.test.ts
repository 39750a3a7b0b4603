// kill -9 an importing process at many points, then reopen: the archive must be consistent, with
// no row pointing at a missing blob, no unreferenced blob, and no temp leftovers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '../../electron/archive/faults.ts';
import { Archive } from '../../electron/archive/index.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));

function runImport(archiveDir: string, src: string, env: Record<string, string>, killAfterMs?: number): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--archive', archiveDir, 'import', src], {
      // Small batches, so a run commits several times and a crash can fall between commits.
      env: { ...process.env, SIJIL_IMPORT_BATCH: '5', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== null && code !== 0 && code !== 3) reject(new Error(`import failed (${code}): ${stderr}`));
      else resolve({ code, signal });
    });
  });
}

function makeSource(): { dir: string; count: number } {
  const dir = tmpDir('sijil-crash-src-');
  let count = 0;
  for (let i = 0; i < 30; i++) {
    writeFile(dir, `notes/note-${i}.txt`, `Field note ${i}: ${randomBytes(24).toString('hex')}\n`);
    count++;
  }
  for (let i = 0; i < 6; i++) {
    // Larger files widen the window in which the copy is under way.
    const lines = Array.from({ length: 40_000 }, (_, j) => `line ${j} of report ${i} ${randomBytes(8).toString('hex')}`).join('\n');
    writeFile(dir, `reports/report-${i}.txt`, lines);
    count++;
  }
  return { dir, count };
}

/** Everything the crash tests demand of an archive after a crash and a reopen. */
function assertConsistent(archiveDir: string): number {
  const archive = Archive.open(archiveDir);
  try {
    const report = archive.check();
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true, integrity: 'ok', searchIndex: 'ok', missingBlobs: [], custodyChain: null });
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    const known = new Set(archive.db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[]);
    const onDisk = [...archive.store.listBlobs()];
    expect(onDisk.filter((sha) => !known.has(sha))).toEqual([]);
    expect(onDisk.length).toBe(known.size);
    // Every item holds a complete file set: an item never exists without its original.
    const orphans = archive.db.prepare("SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.role = 'original')").pluck().get();
    expect(orphans).toBe(0);
    return archive.count().items;
  } finally {
    archive.close();
  }
}

describe('two writers at once', () => {
  it('two processes importing into one archive both finish, and the archive holds all of it once', async () => {
    const archiveDir = path.join(tmpDir(), 'archive');
    Archive.open(archiveDir).close();
    const a = makeSource();
    const b = makeSource();
    // The same file in both sources: whichever commits second must see it as a duplicate.
    writeFile(a.dir, 'shared.txt', 'The same statement, collected twice.\n');
    writeFile(b.dir, 'shared.txt', 'The same statement, collected twice.\n');
    const [ra, rb] = await Promise.all([runImport(archiveDir, a.dir, {}), runImport(archiveDir, b.dir, {})]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(assertConsistent(archiveDir)).toBe(a.count + b.count + 1);
  });
});

describe('crash safety', () => {
  it('survives kill -9 at every step of committing a blob and at random moments', async () => {
    const { dir: src, count } = makeSource();
    const archiveDir = path.join(tmpDir(), 'archive');
    Archive.open(archiveDir).close();
    let crashes = 0;

    for (const point of CRASH_POINTS) {
      for (const nth of [1, 4]) {
        const result = await runImport(archiveDir, src, { SIJIL_TEST_CRASH_AT: `${point}:${nth}` });
        if (result.signal === 'SIGKILL') crashes++;
        assertConsistent(archiveDir);
      }
    }
    for (const delay of [30, 120, 250, 400, 600, 800, 1100, 1500]) {
      const result = await runImport(archiveDir, src, {}, delay);
      if (result.signal === 'SIGKILL') crashes++;
      assertConsistent(archiveDir);
    }
    // Crash points are hit on every run, so each of those ten runs died where it was told to.
    expect(crashes).toBeGreaterThanOrEqual(CRASH_POINTS.length * 2);

    // Finishing the import afterwards brings in exactly what was missing, once.
    const final = await runImport(archiveDir, src, {});
    expect(final.code).toBe(0);
    expect(assertConsistent(archiveDir)).toBe(count);
  });
});
