// A full disk, for real: small tmpfs mounts (we run as root here and in CI). Importing until the
// archive's disk fills must fail with a sentence a person can act on, roll the batch back, keep
// what was there, leave no temp files, and leave an archive that opens and checks clean. A bundle
// exported onto a full disk leaves no partial file; a bundle imported onto one changes nothing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/archive/bundle/age/index.ts';
import { exportBundle } from '../../electron/archive/bundle/export.ts';
import { importBundle } from '../../electron/archive/bundle/importBundle.ts';
import { Archive } from '../../electron/archive/index.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { snapshotArchive } from '../support/archiveSnapshot.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';
import { checkArchive } from '../stress/check.ts';

// Small batches (read when the importer loads), so some commit before the disk fills and must stay.
process.env.SIJIL_IMPORT_BATCH = '4';
const { importPaths } = await import('../../electron/archive/ingest/importer.ts');

const mounts: string[] = [];
const open: Archive[] = [];

/** A fresh tmpfs of `mb` MiB, or the reason it cannot be had here. */
function mountTmpfs(mb: number): string | { reason: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}M,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { reason: `cannot mount a small tmpfs to fill (${stderr || (error as Error).message}); run as root, as CI does` };
  }
  mounts.push(dir);
  return dir;
}

// Probed once at load, so the tests can be skipped (with the reason) rather than fail.
const probe = mountTmpfs(1);
const cannotMount = typeof probe === 'string' ? null : probe.reason;

afterAll(() => {
  for (const a of open) {
    try {
      if (a.db.open) a.close();
    } catch {
      // A failed test may leave an archive that cannot close cleanly: the unmount below must still run.
    }
  }
  for (const dir of mounts) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      // Something still holds a file there: detach it, it goes once released.
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function openArchive(dir: string): Archive {
  const archive = Archive.open(dir);
  open.push(archive);
  return archive;
}

function tmpfsOrSkip(mb: number, skip: (note: string) => void): string {
  if (cannotMount) skip(cannotMount);
  const dir = mountTmpfs(mb);
  if (typeof dir !== 'string') throw new Error(dir.reason);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<ArchiveError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the operation should have failed').toBeInstanceOf(ArchiveError);
  return error as ArchiveError;
}

/** Random (incompressible) files, so their size is what they take on disk. */
function randomFolder(count: number, bytes: number, prefix: string, binary = false): string {
  const dir = tmpDir('sijil-full-src-');
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(3, '0')}`;
    if (binary) writeFile(dir, `${name}.bin`, randomBytes(bytes));
    else writeFile(dir, `${name}.txt`, `${prefix} ${i}\n${randomBytes(bytes / 2).toString('hex')}\n`);
  }
  return dir;
}

const recipientKey = generateIdentity();
const encryption = { options: { recipients: [recipientKey.recipient] }, record: { method: 'recipients' as const, recipients: [recipientKey.recipient] } };

describe('a full disk', () => {
  // Media fill the disk with their copies in the store; text fills it with what SQLite writes
  // (the text, its search index, the WAL): the disk runs out in a different place each time.
  it.for([
    { what: 'media files', files: () => randomFolder(40, 600_000, 'bulk', true) },
    { what: 'text files', files: () => randomFolder(40, 120_000, 'bulk') },
  ])('importing $what until the archive disk fills: a clear error, the batch rolled back, earlier data intact', async ({ files }, { skip }) => {
    const mount = tmpfsOrSkip(12, skip);
    const archiveDir = path.join(mount, 'archive');
    const archive = openArchive(archiveDir);
    const earlier = await importPaths(archive, [randomFolder(5, 20_000, 'earlier')]);
    expect(earlier.imported).toBe(5);
    const before = archive.list({ limit: 1000 }).map((i) => i.id).sort();

    const error = await failure(importPaths(archive, [files()], { kind: 'document' }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(/disk is full/i);
    expect(error.message).toMatch(/free (up )?(some )?space/i);
    expect(error.message).toContain(archiveDir);
    const kept = Number(/the ([\d,]+) files? imported before (?:are|is) kept/.exec(error.message)?.[1]?.replaceAll(',', '') ?? 0);
    expect(kept, error.message).toBeGreaterThan(0);

    // Still open, in the same process: nothing half-written, nothing left in tmp/.
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    expect(archive.check().ok).toBe(true);
    const after = archive.list({ limit: 1000 }).map((i) => i.id);
    for (const id of before) expect(after).toContain(id);
    // Whole batches only: exactly the files the message says were imported are in.
    expect(after.length).toBe(before.length + kept);
    archive.close();

    // Reopened: it opens and every check passes (blobs hash right, no orphan, no leftover).
    expect(checkArchive(archiveDir).violations).toEqual([]);
  });

  it('with no byte left: adding a file or editing an item fails cleanly and leaves nothing behind', async ({ skip }) => {
    const mount = tmpfsOrSkip(4, skip);
    const archive = openArchive(path.join(mount, 'archive'));
    const note = archive.create({ kind: 'note', fields: { title: 'Before the disk filled', body: 'kept' } });
    const staged = await archive.store.stageBytes(randomBytes(4096));
    // Every block taken: the next write anywhere on this disk fails with ENOSPC.
    const filler = path.join(mount, 'filler');
    const fd = fs.openSync(filler, 'w');
    const block = Buffer.alloc(64 << 10);
    try {
      for (;;) fs.writeSync(fd, block);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    try {
      for (;;) fs.writeSync(fd, block, 0, 512);
    } catch {
      // The last partial block is taken too.
    }
    fs.closeSync(fd);
    // tmp/ holds the staged copy now; the comparisons below are of everything else.
    const withoutTmp = () => ({ ...snapshotArchive(archive), tmp: [] });
    const before = withoutTmp();

    const adding = (() => {
      try {
        archive.create({ kind: 'document', fields: { title: 'Too late' }, files: [{ staged, role: 'original', name: 'late.bin', mime: 'application/octet-stream' }] });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(adding).toBeInstanceOf(ArchiveError);
    expect((adding as ArchiveError).code).toBe('disk-full');
    expect((adding as ArchiveError).message).toMatch(/disk .*is full.*Free some space/);
    // The staged copy is still the caller's, and nothing else is in tmp/ (no journal left behind).
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([path.basename(staged.tmpPath)]);
    archive.store.discard(staged);
    expect(withoutTmp()).toEqual(before);

    const body = 'a longer text than the disk can take '.repeat(20_000);
    const editing = (() => {
      try {
        archive.edit(note.id, { body });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(editing).toBeInstanceOf(ArchiveError);
    expect((editing as ArchiveError).code).toBe('disk-full');
    expect(archive.get(note.id).body).toBe('kept');
    expect(snapshotArchive(archive)).toEqual(before);
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    archive.close();
    fs.rmSync(filler);
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });

  it('a bundle exported onto a full disk leaves no partial file and no export in the custody log', async ({ skip }) => {
    const mount = tmpfsOrSkip(2, skip);
    const archive = openArchive(path.join(tmpDir(), 'archive'));
    await importPaths(archive, [randomFolder(8, 600_000, 'evidence')]);
    const events = archive.db.prepare('SELECT count(*) FROM custody_events').pluck().get();

    const target = path.join(mount, 'out.sijil');
    const error = await failure(exportBundle(archive, { selection: {}, to: target, encryption }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(/disk is full/i);
    expect(error.message).toMatch(/free (up )?(some )?space|another disk/i);
    expect(fs.readdirSync(mount)).toEqual([]);
    expect(archive.db.prepare('SELECT count(*) FROM custody_events').pluck().get()).toBe(events);
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    archive.close();
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });

  it('a bundle imported onto a full disk leaves the archive unchanged', async ({ skip }) => {
    const source = openArchive(path.join(tmpDir(), 'source'));
    await importPaths(source, [randomFolder(8, 600_000, 'bundled')]);
    const bundle = path.join(tmpDir(), 'b.sijil');
    await exportBundle(source, { selection: {}, to: bundle, encryption });
    source.close();

    const mount = tmpfsOrSkip(6, skip);
    const archive = openArchive(path.join(mount, 'archive'));
    await importPaths(archive, [randomFolder(3, 20_000, 'own')]);
    // Fill the disk to leave about 1 MB: the database's next pages and staging will not fit the bundle's ~5 MB.
    const filler = path.join(mount, 'filler');
    const free = () => {
      const s = fs.statfsSync(mount);
      return s.bavail * s.bsize;
    };
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - (1 << 20))));
    const before = snapshotArchive(archive);

    const error = await failure(importBundle(archive, bundle, { identities: [recipientKey.identity] }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(/disk|space/i);
    expect(snapshotArchive(archive)).toEqual(before);
    archive.close();
    fs.rmSync(filler);
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });
});
