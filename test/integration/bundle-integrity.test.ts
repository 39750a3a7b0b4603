// Export reads each blob from the store and hashes it as it goes into the bundle. A blob damaged on
// disk (same size, different bytes) must stop the export: the bundle's manifest may neither vouch
// for the damaged bytes nor claim the hash the archive recorded for bytes that no longer have it.
// A large export (past the point where sealing moves to worker threads) still opens with stock
// tools and imports.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoke } from '../../electron/archive/handlers.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { ageKeygen } from '../support/bundles.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('bundle export integrity', () => {
  it('refuses a blob whose bytes no longer match its hash, and leaves no file behind', async () => {
    const archive = tmpArchive();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const item = archive.create({
      kind: 'video',
      fields: { title: 'Checkpoint footage' },
      files: [{ staged: await archive.store.stageBytes(bytes), role: 'original', name: 'checkpoint.mp4', mime: 'video/mp4', language: null }],
    });
    const blob = archive.store.pathOf(sha256(bytes));
    fs.chmodSync(blob, 0o644);
    const fd = fs.openSync(blob, 'r+');
    fs.writeSync(fd, Buffer.from([(bytes[2_000_000] as number) ^ 0x40]), 0, 1, 2_000_000);
    fs.closeSync(fd);

    const out = tmpDir('sijil-integrity-');
    const error = await invoke(archive, 'bundle.export', { to: path.join(out, 'x.sijil'), credentials: { passphrase: 'correct horse battery' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).code).toBe('file-unreadable');
    expect((error as ArchiveError).message).toMatch(/checkpoint\.mp4.*damaged.*sijil check/);
    expect(fs.readdirSync(out)).toEqual([]);
    expect(archive.history(item.id).map((e) => e.action)).not.toContain('export');
  });

  it('a 40 MiB export opens with age, tar and sha256sum, and imports with the same bytes', async () => {
    const archive = tmpArchive();
    const files = [randomBytes(24 * 1024 * 1024 + 5), randomBytes(16 * 1024 * 1024 - 3)];
    for (const [i, bytes] of files.entries()) {
      archive.create({
        kind: 'video',
        fields: { title: `Clip ${i}` },
        files: [{ staged: await archive.store.stageBytes(bytes), role: 'original', name: `clip ${i}.mp4`, mime: 'video/mp4', language: null }],
      });
    }
    const out = tmpDir('sijil-integrity-');
    const key = ageKeygen(out);
    const bundle = path.join(out, 'big.sijil');
    await invoke(archive, 'bundle.export', { to: bundle, credentials: { recipients: [key.recipient] } });
    const bag = path.join(out, 'bag');
    fs.mkdirSync(bag);
    execFileSync('/bin/sh', ['-c', '/usr/bin/age -d -i "$1" "$2" | /usr/bin/tar x -C "$3"', 'sh', key.file, bundle, bag]);
    execFileSync('/usr/bin/sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: bag });
    const manifest = fs.readFileSync(path.join(bag, 'manifest-sha256.txt'), 'utf8');
    for (const bytes of files) expect(manifest).toContain(sha256(bytes));

    const target = tmpArchive();
    const result = await invoke(target, 'bundle.import', { path: bundle, credentials: { identity: fs.readFileSync(key.file, 'utf8') } });
    expect(result.added).toBe(2);
    for (const bytes of files) expect(sha256(fs.readFileSync(target.store.pathOf(sha256(bytes))))).toBe(sha256(bytes));
  });
});
