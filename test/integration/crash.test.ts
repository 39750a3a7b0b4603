// kill -9 an importing process at many points, then reopen: the archive must be consistent, with
// no row pointing at a missing blob, no unreferenced blob, and no temp leftovers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/archive/bundle/age/index.ts';
import { readArchiveJson } from '../../electron/archive/bundle/inspect.ts';
import { CRASH_POINTS, EXPORT_CRASH_POINTS } from '../../electron/archive/faults.ts';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { checkArchive } from '../stress/check.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
const STRESS_CHILD = fileURLToPath(new URL('../stress/child.ts', import.meta.url));

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

function makeSource(notes = 30): { dir: string; count: number } {
  const dir = tmpDir('sijil-crash-src-');
  let count = 0;
  for (let i = 0; i < notes; i++) {
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
  // Long on a loaded machine: two CLI processes import ~4 MB each.
  it('two processes importing into one archive both finish, and the archive holds all of it once', { timeout: 600_000 }, async () => {
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

describe('a writer that holds the archive longer than SQLite waits', () => {
  it('makes an import wait and finish, not skip its files as "database is locked"', { timeout: 300_000 }, async () => {
    const archiveDir = path.join(tmpDir(), 'archive');
    Archive.open(archiveDir).close();
    const src = tmpDir('sijil-busy-src-');
    for (let i = 0; i < 6; i++) writeFile(src, `note-${i}.txt`, `Field note ${i}: ${randomBytes(24).toString('hex')}\n`);
    // Another process holds the write lock for 40 s: longer than the 10 s busy timeout, and than one
    // more wait of it after the archive opens.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const db = new Database(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 40000);`,
        path.join(archiveDir, 'sijil.db'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
    });
    const result = await runImport(archiveDir, src, {});
    expect(result.code).toBe(0);
    expect(assertConsistent(archiveDir)).toBe(6);
  });
});

describe('crash safety', () => {
  it('survives kill -9 at every step of committing a blob and at random moments', { timeout: 900_000 }, async () => {
    // Each run told to die at a point's 4th pass commits up to 4 batches of 5 before it does, and the
    // runs go on from what the last one left: 100 notes leave batches for every point, however the
    // files fall into batches (a batch also closes after 2 s).
    const { dir: src, count } = makeSource(100);
    const archiveDir = path.join(tmpDir(), 'archive');
    Archive.open(archiveDir).close();
    let crashes = 0;

    for (const point of CRASH_POINTS) {
      for (const nth of [1, 4]) {
        const result = await runImport(archiveDir, src, { SIJIL_TEST_CRASH_AT: `${point}:${nth}` });
        // Each run dies where it was told to: none finishes before reaching its point.
        expect(result.signal, `${point}:${nth}`).toBe('SIGKILL');
        assertConsistent(archiveDir);
      }
    }
    for (const delay of [30, 120, 250, 400, 600, 800, 1100, 1500]) {
      const result = await runImport(archiveDir, src, {}, delay);
      if (result.signal === 'SIGKILL') crashes++;
      assertConsistent(archiveDir);
    }
    // Some of the timed kills land before the import ends.
    expect(crashes).toBeGreaterThan(0);

    // Finishing the import afterwards brings in exactly what was missing, once.
    const final = await runImport(archiveDir, src, {});
    expect(final.code).toBe(0);
    expect(assertConsistent(archiveDir)).toBe(count);
  });
});

describe('an export killed at each step after its file is written', () => {
  it('leaves, once the archive is opened again, either no file or a whole bundle its custody log records', { timeout: 600_000 }, async () => {
    const archiveDir = path.join(tmpDir(), 'archive');
    const archive = Archive.open(archiveDir);
    const src = tmpDir('sijil-crash-src-');
    for (let i = 0; i < 10; i++) writeFile(src, `note-${i}.txt`, `Field note ${i}: ${randomBytes(24).toString('hex')}\n`);
    writeFile(src, 'recording.bin', randomBytes(3 << 20));
    await importPaths(archive, [src], { kind: 'document' });
    archive.close();
    const key = generateIdentity();
    for (const point of EXPORT_CRASH_POINTS) {
      const out = tmpDir('sijil-crash-out-');
      const target = path.join(out, 'bundle.sijil');
      const signal = await new Promise<string | null>((resolve, reject) => {
        const child = spawn(process.execPath, [STRESS_CHILD, 'export', archiveDir, target], {
          env: { ...process.env, SIJIL_TEST_CRASH_AT: point, SIJIL_STRESS_RECIPIENT: key.recipient },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('exit', (_code, sig) => resolve(sig));
      });
      expect(signal, point).toBe('SIGKILL');
      // The killed export left its partial file or an unrecorded bundle; opening the archive settles it.
      expect(fs.readdirSync(out).length, point).toBe(1);
      const { violations, state } = checkArchive(archiveDir);
      expect(violations, point).toEqual([]);
      if (point === 'export-recorded') {
        expect(fs.readdirSync(out), point).toEqual(['bundle.sijil']);
        const json = await readArchiveJson(target, { identities: [key.identity] });
        expect(state?.exports.get(json.bundleId)?.size, point).toBe(json.items.length);
      } else {
        expect(fs.readdirSync(out), point).toEqual([]);
      }
    }
  });
});

describe('a write that fails', () => {
  it('gives every staged blob back to the caller, also one whose content the store already holds', async () => {
    const archive = Archive.open(path.join(tmpDir(), 'archive'));
    try {
      const bytes = randomBytes(2048);
      const first = await archive.store.stageBytes(bytes);
      archive.create({ kind: 'document', fields: { title: 'first copy' }, files: [{ staged: first, role: 'original', name: 'a.bin', mime: 'application/octet-stream' }] });
      // The same content again, in a write that fails after placing it (here: while placing the next).
      const again = await archive.store.stageBytes(bytes);
      const other = await archive.store.stageBytes(randomBytes(2048));
      expect(() =>
        archive.write(
          () => null,
          [again, other],
          (_result, blob) => {
            if (blob === other) throw new Error('failed while placing');
            return true;
          },
        ),
      ).toThrow('failed while placing');
      // Both still the caller's: they can be synced and written again (the importer retries item by item).
      expect(fs.existsSync(again.tmpPath)).toBe(true);
      expect(fs.existsSync(other.tmpPath)).toBe(true);
      await archive.store.syncAll([again, other]);
      const attach = { staged: again, role: 'attachment' as const, name: 'copy.bin', mime: 'application/octet-stream' };
      archive.createMany([{ kind: 'document', fields: { title: 'second' }, files: [{ staged: other, role: 'original', name: 'b.bin', mime: 'application/octet-stream' }, attach] }]);
      // Once committed, the redundant copy is gone and tmp/ is empty.
      expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    } finally {
      archive.close();
    }
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });
});
