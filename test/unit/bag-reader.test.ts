// readBag against hostile and broken tars, built entry by entry with tar-stream's packer so each
// test states exactly what an attacker (or a broken copy) would put in front of the importer.
// Every refusal must carry its own code, and leave the staging folder empty.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BagError } from '../../electron/archive/bundle/bagErrors.ts';
import type { BagErrorCode } from '../../electron/archive/bundle/bagErrors.ts';
import { readBag } from '../../electron/archive/bundle/bagReader.ts';
import type { ReadBagLimits } from '../../electron/archive/bundle/bagReader.ts';

type Entry = { header: Partial<Header> & { name: string }; body?: Buffer };
type PayloadFile = { path: string; body: Buffer };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sijil-bag-reader-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function packTar(entries: Entry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of tar) chunks.push(chunk as Buffer);
  })();
  for (const { header, body } of entries) {
    const isFile = header.type === undefined || header.type === 'file';
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (isFile) tar.entry({ mtime: new Date(0), ...header }, body ?? Buffer.alloc(0), done);
      else tar.entry({ mtime: new Date(0), ...header }, done);
    });
  }
  tar.finalize();
  await collected;
  return Buffer.concat(chunks);
}

type BagOptions = {
  before?: Entry[];
  after?: Entry[];
  manifestFiles?: PayloadFile[];
  oxum?: string;
  bagit?: string;
  bagInfoAfterTagManifest?: string;
  omit?: string[];
};

const FILES: PayloadFile[] = [
  { path: 'data/archive.json', body: Buffer.from('{"items":["a"]}') },
  { path: 'data/items/a/item.json', body: Buffer.from('{"id":"a"}') },
  { path: 'data/items/a/شهادة.txt', body: Buffer.from('نص الشهادة') },
];

/** A bag as tar entries, correct unless an option says how to break it. */
function bagEntries(files: PayloadFile[], options: BagOptions = {}): Entry[] {
  const listed = options.manifestFiles ?? files;
  const octets = listed.reduce((sum, f) => sum + f.body.byteLength, 0);
  const bagit = options.bagit ?? 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
  const bagInfo = `Source-Organization: test\nPayload-Oxum: ${options.oxum ?? `${octets}.${listed.length}`}\n`;
  const manifest = listed.map((f) => `${sha(f.body)}  ${f.path}\n`).join('');
  const tags: [string, string][] = [
    ['bagit.txt', bagit],
    ['bag-info.txt', bagInfo],
    ['manifest-sha256.txt', manifest],
  ];
  const tagManifest = tags.map(([name, text]) => `${sha(text)}  ${name}\n`).join('');
  tags.push(['tagmanifest-sha256.txt', tagManifest]);
  if (options.bagInfoAfterTagManifest !== undefined) tags[1] = ['bag-info.txt', options.bagInfoAfterTagManifest];
  const omit = new Set(options.omit ?? []);
  return [
    ...(options.before ?? []),
    { header: { name: 'data/', type: 'directory' } },
    ...files.map((f) => ({ header: { name: f.path }, body: f.body })),
    ...(options.after ?? []),
    ...tags.filter(([name]) => !omit.has(name)).map(([name, text]) => ({ header: { name }, body: Buffer.from(text) })),
  ];
}

async function stagingDir(): Promise<string> {
  return mkdtemp(join(root, 'stage-'));
}

async function expectRefused(tar: Buffer | Readable, code: BagErrorCode, limits?: ReadBagLimits): Promise<BagError> {
  const dir = await stagingDir();
  const input = Buffer.isBuffer(tar) ? Readable.from([tar]) : tar;
  const error = await readBag(input, dir, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(BagError);
  expect((error as BagError).code, (error as BagError).message).toBe(code);
  expect((error as BagError).message).toMatch(/^\S.*\.$/);
  expect(await readdir(dir)).toEqual([]);
  return error as BagError;
}

describe('readBag', () => {
  it('reads a well-formed bag', async () => {
    const dir = await stagingDir();
    const bag = await readBag(Readable.from([await packTar(bagEntries(FILES))]), dir);
    expect(bag.bagInfo).toEqual({ 'Source-Organization': ['test'], 'Payload-Oxum': [`${FILES.reduce((s, f) => s + f.body.byteLength, 0)}.3`] });
    expect(bag.files.map((f) => [f.bagPath, f.sha256, f.size])).toEqual(FILES.map((f) => [f.path.slice(5), sha(f.body), f.body.byteLength]));
  });

  const hostile: [string, Entry, BagErrorCode, string][] = [
    ['a ../ path', { header: { name: '../x' }, body: Buffer.from('x') }, 'path-traversal', '../x'],
    ['a .. inside data', { header: { name: 'data/../../x' }, body: Buffer.from('x') }, 'path-traversal', 'data/../../x'],
    ['an absolute path', { header: { name: '/etc/x' }, body: Buffer.from('x') }, 'absolute-path', '/etc/x'],
    ['a drive path', { header: { name: 'C:\\x' }, body: Buffer.from('x') }, 'absolute-path', 'C:\\x'],
    ['a backslash', { header: { name: 'data\\x' }, body: Buffer.from('x') }, 'invalid-path', 'data\\x'],
    ['a NUL hidden in a PAX path', { header: { name: 'data/ab', pax: { path: 'data/a\u0000b' } }, body: Buffer.from('x') }, 'invalid-path', 'data/a\u0000b'],
    ['a symlink', { header: { name: 'data/link', type: 'symlink', linkname: '/etc/passwd' } }, 'symlink', 'data/link'],
    ['a hardlink', { header: { name: 'data/hard', type: 'link', linkname: 'data/archive.json' } }, 'hardlink', 'data/hard'],
    ['a character device', { header: { name: 'data/tty', type: 'character-device', devmajor: 5, devminor: 0 } }, 'special-file', 'data/tty'],
    ['a block device', { header: { name: 'data/sda', type: 'block-device', devmajor: 8, devminor: 0 } }, 'special-file', 'data/sda'],
    ['a fifo', { header: { name: 'data/pipe', type: 'fifo' } }, 'special-file', 'data/pipe'],
    ['a file outside data/', { header: { name: 'evil.sh' }, body: Buffer.from('x') }, 'outside-data', 'evil.sh'],
    ['a fetch.txt', { header: { name: 'fetch.txt' }, body: Buffer.from('http://x 1 data/y\n') }, 'outside-data', 'fetch.txt'],
    ['a folder outside data/', { header: { name: 'bin/', type: 'directory' } }, 'outside-data', 'bin/'],
  ];
  for (const [what, entry, code, name] of hostile) {
    it(`refuses ${what} (${code})`, async () => {
      const error = await expectRefused(await packTar(bagEntries(FILES, { before: [entry] })), code);
      expect(error.entry).toBe(name);
      expect(error.message).toContain(name);
    });
  }

  it('refuses duplicate paths, including case and normalisation twins', async () => {
    const dup = (a: string, b: string) => bagEntries(FILES, { after: [{ header: { name: a }, body: Buffer.from('1') }, { header: { name: b }, body: Buffer.from('2') }] });
    await expectRefused(await packTar(dup('data/x', 'data/x')), 'duplicate-path');
    await expectRefused(await packTar(dup('data/a', 'data/A')), 'duplicate-path');
    await expectRefused(await packTar(dup('data/\u00e9', 'data/e\u0301')), 'duplicate-path');
    await expectRefused(await packTar(dup('data/note.', 'data/note')), 'duplicate-path');
    await expectRefused(await packTar(dup('data/d', 'data/d/inside')), 'duplicate-path');
    await expectRefused(await packTar(bagEntries(FILES, { before: [{ header: { name: 'bagit.txt' }, body: Buffer.from('BagIt-Version: 1.0\n') }] })), 'duplicate-path');
  });

  it('refuses a payload file missing from the manifest, and a manifest entry missing from the bag', async () => {
    const extra: PayloadFile = { path: 'data/items/a/extra.bin', body: Buffer.from('extra') };
    const e1 = await expectRefused(await packTar(bagEntries([...FILES, extra], { manifestFiles: FILES, oxum: '999.4' })), 'extra-file');
    expect(e1.entry).toBe('data/items/a/extra.bin');
    const e2 = await expectRefused(await packTar(bagEntries(FILES.slice(1), { manifestFiles: FILES })), 'missing-file');
    expect(e2.entry).toBe('data/archive.json');
  });

  it('refuses a file that fails its checksum', async () => {
    const [first, ...rest] = FILES;
    if (!first) throw new Error('no files');
    const altered = { ...first, body: Buffer.from('{"items":["b"]}') };
    const e = await expectRefused(await packTar(bagEntries([altered, ...rest], { manifestFiles: FILES })), 'checksum-mismatch');
    expect(e.entry).toBe('data/archive.json');
  });

  it('refuses a Payload-Oxum that lies, even with a consistent tag manifest', async () => {
    await expectRefused(await packTar(bagEntries(FILES, { oxum: '12.3' })), 'oxum-mismatch');
    await expectRefused(await packTar(bagEntries(FILES, { oxum: '43.4' })), 'oxum-mismatch');
    await expectRefused(await packTar(bagEntries(FILES, { oxum: 'lots' })), 'oxum-mismatch');
  });

  it('refuses tag files that were altered or are missing', async () => {
    await expectRefused(await packTar(bagEntries(FILES, { bagInfoAfterTagManifest: 'Source-Organization: someone else\nPayload-Oxum: 43.3\n' })), 'tag-checksum-mismatch');
    await expectRefused(await packTar(bagEntries(FILES, { omit: ['bagit.txt'] })), 'not-a-bag');
    await expectRefused(await packTar(bagEntries(FILES, { omit: ['manifest-sha256.txt'] })), 'missing-file');
    await expectRefused(await packTar(bagEntries(FILES, { omit: ['tagmanifest-sha256.txt'] })), 'bad-tag-file');
    await expectRefused(await packTar(bagEntries(FILES, { bagit: 'BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n' })), 'unsupported-version');
  });

  it('refuses truncation at any offset', async () => {
    const tar = await packTar(bagEntries(FILES));
    const offsets = [0, 1, 100, 511, 512, 513, 1024, 1536, 2000, Math.floor(tar.length / 2), tar.length - 2048, tar.length - 1536, tar.length - 1024, tar.length - 512, tar.length - 1];
    for (const offset of offsets) await expectRefused(tar.subarray(0, offset), 'truncated');
    // Every 512-byte boundary, the places a stream can be cut without breaking a header.
    for (let offset = 512; offset < tar.length; offset += 512) {
      const dir = await stagingDir();
      const error = await readBag(Readable.from([tar.subarray(0, offset)]), dir).then(() => null, (e: unknown) => e);
      expect(error, `cut at ${offset}`).toBeInstanceOf(BagError);
      expect(['truncated', 'damaged-tar']).toContain((error as BagError).code);
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('refuses a corrupt header', async () => {
    const tar = Buffer.from(await packTar(bagEntries(FILES)));
    tar[600] = (tar[600] ?? 0) ^ 0x40; // inside the second entry's header
    await expectRefused(tar, 'damaged-tar');
  });

  it('refuses declared sizes beyond the byte limit or the free space, before writing them', async () => {
    const big: PayloadFile = { path: 'data/big.bin', body: Buffer.alloc(2 * 1024 * 1024) };
    const tar = await packTar(bagEntries([...FILES, big]));
    await expectRefused(tar, 'too-large', { maxBytes: 1024 * 1024 });
    await expectRefused(tar, 'insufficient-space', { freeBytes: 1024 * 1024 });
  });

  it('refuses a declared size larger than the real free disk, reading only the header', async () => {
    // A header claiming 1 PiB, followed by nothing: the reader must refuse on the header alone
    // (statfs), not try to write or wait for the data.
    const tar = pack();
    const chunks: Buffer[] = [];
    tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    tar.on('error', () => undefined); // destroyed below, on purpose
    tar.entry({ name: 'data/', type: 'directory', mtime: new Date(0) });
    const sink = tar.entry({ name: 'data/huge.bin', size: 2 ** 50, mtime: new Date(0) });
    sink.on('error', () => undefined); // destroyed below, on purpose
    sink.write(Buffer.alloc(512));
    await new Promise((resolve) => setTimeout(resolve, 20));
    tar.destroy(new Error('done'));
    let pulled = 0;
    const input = new Readable({
      read() {
        // Never ends: if the reader waited for the declared data it would hang.
        if (pulled < chunks.length) this.push(chunks[pulled++]);
      },
    });
    await expectRefused(input, 'insufficient-space');
  });

  it('stops early on more entries than allowed', async () => {
    const files = Array.from({ length: 20 }, (_, i) => ({ path: `data/f${i}`, body: Buffer.from('x') }));
    const error = await expectRefused(await packTar(bagEntries(files)), 'too-many-entries', { maxEntries: 10 });
    // data/ is the first entry, so the eleventh is data/f9.
    expect(error.entry).toBe('data/f9');
  });

  it('refuses a 1,000,000-entry bomb as soon as it passes the limit, with memory bounded by the limit', async () => {
    // A limit below the default keeps the test short; the default (DEFAULT_MAX_ENTRIES) is what the
    // hostile-bundle suite meets with a bomb of its own.
    const LIMIT = 200_000;
    const TOTAL = 1_000_000;
    const tar = pack();
    let made = 0;
    const feed = (async () => {
      await new Promise<void>((resolve) => tar.entry({ name: 'data/', type: 'directory', mtime: new Date(0) }, () => resolve()));
      const one = Buffer.from('x');
      for (; made < TOTAL; made++) {
        // Each entry resolves only once the packer has handed it on: the bomb is made as it is read.
        await new Promise<void>((resolve, reject) =>
          // The entry errors when the reader gives up and the packer is destroyed: expected here.
          tar.entry({ name: `data/${made}`, mtime: new Date(0) }, one, (err) => (err ? reject(err) : resolve())).on('error', () => undefined),
        );
      }
      tar.finalize();
    })().catch(() => undefined);
    const started = Date.now();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    try {
      const error = await expectRefused(Readable.from(tar), 'too-many-entries', { maxEntries: LIMIT });
      expect(error.entry).toBe(`data/${LIMIT - 1}`);
    } finally {
      clearInterval(sampler);
      tar.destroy(new Error('stop'));
      await feed;
    }
    expect(made).toBeLessThan(TOTAL / 2);
    console.log(`bomb refused after ${made.toLocaleString('en')} entries made, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Bounded by maxEntries (a small record per entry), not by the bomb: ~110 MB of live heap at
    // 200,000 entries, the rest garbage not yet collected.
    expect(rssPeak - rssBefore).toBeLessThan(600 * 1024 * 1024);
  }, 120_000);
});
