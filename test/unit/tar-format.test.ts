// The tar blocks the bag writer encodes by hand: names that fit ustar (split at a slash when
// long), names that need a pax header (non-ASCII, too long), and sizes past ustar's 8 GiB, read
// back by GNU tar and by tar-stream (the bag reader's parser).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { END_OF_ARCHIVE, padding, tarHeader } from '../../electron/archive/bundle/tarFormat.ts';

const dir = mkdtempSync(join(tmpdir(), 'sijil-tar-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MTIME = new Date('2026-03-04T05:06:07Z');

function tarOf(entries: { name: string; body: Buffer }[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const { name, body } of entries) parts.push(tarHeader({ name, type: 'file', size: body.length, mode: 0o644, mtime: MTIME }), body, padding(body.length));
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

/** The headers tar-stream reads from `bytes` (data after a header may be missing). */
async function headersOf(bytes: Buffer): Promise<{ name: string; size: number }[]> {
  const parser = extract();
  const seen: { name: string; size: number }[] = [];
  parser.on('entry', (header, stream, next) => {
    seen.push({ name: header.name, size: header.size ?? -1 });
    stream.on('end', next);
    // A header without its data (the 8 GiB case) ends the stream with an error: expected here.
    stream.on('error', () => undefined);
    stream.resume();
  });
  const done = new Promise<void>((resolve) => {
    parser.on('finish', resolve);
    parser.on('error', () => resolve());
  });
  parser.end(bytes);
  await done;
  return seen;
}

describe('tarHeader', () => {
  const names = [
    'data/short.txt',
    `data/${'a'.repeat(90)}/${'b'.repeat(90)}.bin`, // 187 bytes: split into prefix and name
    `data/${'c'.repeat(200)}.bin`, // no slash to split it at: pax
    'data/items/شهادة الشاهد الأول.txt', // not ASCII: pax
    `data/${'د'.repeat(120)}/${'x'.repeat(120)}.txt`,
  ];

  it('writes names GNU tar and tar-stream both read back exactly', async () => {
    const entries = names.map((name, i) => ({ name, body: Buffer.from(`body ${i}\n`) }));
    const file = join(dir, 'names.tar');
    writeFileSync(file, tarOf(entries));
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(names);
    const out = join(dir, 'out');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    expect(execFileSync('cat', [join(out, names[3] as string)], { encoding: 'utf8' })).toBe('body 3\n');
    expect((await headersOf(tarOf(entries))).map((h) => h.name)).toEqual(names);
  });

  it('keeps a size past 8 GiB (base-256 in the header, and in pax)', async () => {
    const size = 9_000_000_123;
    const header = tarHeader({ name: 'data/huge.mov', type: 'file', size, mode: 0o644, mtime: MTIME });
    expect(await headersOf(header)).toEqual([{ name: 'data/huge.mov', size }]);
    const file = join(dir, 'huge.tar');
    writeFileSync(file, header);
    // GNU tar lists the entry before complaining that its data is missing.
    const listing = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' }).stdout;
    expect(listing).toMatch(/ 9000000123 .*data\/huge\.mov/);
  });

  it('marks folders and pads to whole blocks', () => {
    const folder = tarHeader({ name: 'data/items', type: 'directory', size: 0, mode: 0o755, mtime: MTIME });
    expect(folder.length).toBe(512);
    expect(folder.subarray(0, 11).toString()).toBe('data/items/');
    expect(String.fromCharCode(folder[156] as number)).toBe('5');
    expect(padding(0).length).toBe(0);
    expect(padding(1).length).toBe(511);
    expect(padding(512).length).toBe(0);
  });
});
