// The blob store's copy path: a file is read ahead, hashed and written in chunks, its fsync may
// run in the background, and a batch of small copies is made durable by the placement's syncfs.
// Whatever the timing, what is hashed must be exactly what is stored.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../shared/errors.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { checkArchive } from '../stress/check.ts';
import { tmpArchive, tmpDir, writeFile } from '../support/tmp.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const KIB = 1024;

describe('staging a file (BlobStore.stageFile)', () => {
  // Around the copy's 512 KiB chunk and its ring of six: short, exact, one past, more than the ring holds.
  const sizes = [1, 512 * KIB - 1, 512 * KIB, 512 * KIB + 1, 6 * 512 * KIB, 7 * 512 * KIB + 12_345, 5 * 1024 * KIB + 7];

  it.each(sizes)('copies and hashes %i bytes exactly, synced at once or in the background', async (size) => {
    const archive = tmpArchive();
    const content = randomBytes(size);
    const source = writeFile(tmpDir(), 'recording.bin', content);
    const progress: number[] = [];
    const now = await archive.store.stageFile(source, { onProgress: (b) => progress.push(b) });
    const later = await archive.store.stageFile(source, { sync: false });
    await archive.store.syncAll([later]);
    for (const staged of [now, later]) {
      expect(staged.size).toBe(size);
      expect(staged.sha256).toBe(sha256(content));
      expect(fs.readFileSync(staged.tmpPath).equals(content)).toBe(true);
    }
    expect(progress.at(-1)).toBe(size);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stages an empty file as empty', async () => {
    const archive = tmpArchive();
    const staged = await archive.store.stageFile(writeFile(tmpDir(), 'empty.bin', new Uint8Array(0)));
    expect(staged).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
  });

  it('stores exactly what it hashed when the file grows while it is read', async () => {
    const archive = tmpArchive();
    const first = randomBytes(3 * 512 * KIB + 100);
    const more = randomBytes(2 * 512 * KIB + 3);
    const source = writeFile(tmpDir(), 'growing.bin', first);
    let grown = false;
    const staged = await archive.store.stageFile(source, {
      onProgress: () => {
        if (grown) return;
        grown = true;
        fs.appendFileSync(source, more);
      },
    });
    const stored = fs.readFileSync(staged.tmpPath);
    expect(staged.sha256).toBe(sha256(stored));
    expect(staged.size).toBe(stored.length);
    // How much of the append was seen depends on timing (a read racing a write on Linux can see part
    // of it, to a page); what was stored is all of the first bytes and a prefix of the file now.
    expect(stored.length).toBeGreaterThanOrEqual(first.length);
    expect(stored.length).toBeLessThanOrEqual(first.length + more.length);
    expect(stored.equals(fs.readFileSync(source).subarray(0, stored.length))).toBe(true);
  });

  it('stops on cancel and leaves no partial copy', async () => {
    const archive = tmpArchive();
    const source = writeFile(tmpDir(), 'long.bin', randomBytes(8 * 512 * KIB));
    const controller = new AbortController();
    const staging = archive.store.stageFile(source, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(staging).rejects.toSatisfy((err) => err instanceof ArchiveError && err.code === 'cancelled');
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
  });

  it('says which file is missing', async () => {
    const archive = tmpArchive();
    const missing = path.join(tmpDir(), 'gone.mp4');
    await expect(archive.store.stageFile(missing)).rejects.toThrow(`${missing} does not exist.`);
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
  });
});

describe('importing large and many small files together', () => {
  it('keeps every byte, places every blob and leaves nothing in tmp/', async () => {
    const archive = tmpArchive();
    const dir = tmpDir();
    const files = new Map<string, Buffer>();
    // Two files past the whole-read size (copied in chunks, fsynced in the background) and enough
    // small ones for their durability to be left to the placement's syncfs.
    for (const [name, size] of [
      ['a-long.mp4', 5 * 1024 * KIB + 1],
      ['b-long.mkv', 4 * 1024 * KIB + 333],
    ] as const) {
      // An MP4/Matroska head is not needed: --kind video keeps any content.
      files.set(name, randomBytes(size));
    }
    for (let i = 0; i < 12; i++) files.set(`note-${i}.bin`, randomBytes(3000 + i));
    for (const [name, bytes] of files) writeFile(dir, name, bytes);
    // The same content again under another name: a duplicate, whichever batch it lands in.
    writeFile(dir, 'z-again.mp4', files.get('a-long.mp4') as Buffer);

    const summary = await importPaths(archive, [dir], { kind: 'video' });
    expect(summary).toMatchObject({ imported: files.size, duplicates: 1, skipped: 0 });
    for (const [, bytes] of files) {
      const blob = archive.blobPath(sha256(bytes));
      expect(fs.readFileSync(blob).equals(bytes)).toBe(true);
    }
    const again = summary.outcomes.find((o) => o.path.endsWith('z-again.mp4'));
    expect(again?.reason).toMatch(/^already in the archive as /);
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    archive.close();
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });
});

describe('a batch of small copies left to the placement to make durable', () => {
  it('is placed whole on commit, and is the caller’s again after a failed write', async () => {
    const archive = tmpArchive();
    const contents = Array.from({ length: 10 }, (_, i) => randomBytes(1000 + i));
    const staged = await Promise.all(contents.map((c) => archive.store.stageBytes(c, { sync: false })));
    await archive.store.syncAll(staged);
    expect(() =>
      archive.write(
        () => null,
        staged,
        (_result, blob) => {
          if (blob === staged[7]) throw new Error('failed while placing');
          return true;
        },
      ),
    ).toThrow('failed while placing');
    for (const blob of staged) expect(fs.existsSync(blob.tmpPath)).toBe(true);
    await archive.store.syncAll(staged);
    archive.createMany(
      staged.map((blob, i) => ({ kind: 'document' as const, fields: { title: `piece ${i}` }, files: [{ staged: blob, role: 'original' as const, name: `${i}.bin`, mime: 'application/octet-stream' }] })),
    );
    contents.forEach((c) => expect(fs.readFileSync(archive.blobPath(sha256(c))).equals(c)).toBe(true));
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
    archive.close();
    expect(checkArchive(archive.dir).violations).toEqual([]);
  });
});
