// The bag writer's output must open with stock tools (GNU tar, sha256sum), keep Arabic names
// intact, stay deterministic, and read back through readBag unchanged.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBagError } from '../../electron/archive/bundle/bagErrors.ts';
import { readBag } from '../../electron/archive/bundle/bagReader.ts';
import { createBagWriter, createNameDeduper, safeBagName } from '../../electron/archive/bundle/bagWriter.ts';

const MTIME = new Date('2026-03-04T05:06:07Z');
const BIG = 20 * 1024 * 1024;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sijil-bag-writer-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** 20 MiB in uneven chunks, so entry boundaries never line up with chunk boundaries. */
function bigSource(hash: ReturnType<typeof createHash>): Readable {
  return Readable.from(
    (function* () {
      let left = BIG;
      while (left > 0) {
        const chunk = randomBytes(Math.min(left, 65_521));
        hash.update(chunk);
        left -= chunk.byteLength;
        yield chunk;
      }
    })(),
  );
}

describe('safeBagName', () => {
  it('keeps Arabic and replaces what file systems refuse', () => {
    expect(safeBagName('شهادة الشاهد الأول.txt')).toBe('شهادة الشاهد الأول.txt');
    expect(safeBagName('Q&A: what? <draft> "v2" | a*b\\c/d.txt')).toBe('Q&A： what？ ＜draft＞ ＂v2＂ ｜ a＊b＼c／d.txt');
    expect(safeBagName('100%.doc')).toBe('100％.doc');
    expect(safeBagName('a\u0000b\nc\u007f.txt')).toBe('abc.txt');
    expect(safeBagName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeBagName('نص\u200Cمع ZWNJ')).toBe('نص\u200Cمع ZWNJ');
    expect(safeBagName('e\u0301.txt')).toBe('\u00e9.txt');
  });

  it('avoids Windows device names, trailing dots and spaces, and empty names', () => {
    expect(safeBagName('CON')).toBe('_CON');
    expect(safeBagName('con.txt')).toBe('_con.txt');
    expect(safeBagName('LPT9.tar.gz')).toBe('_LPT9.tar.gz');
    expect(safeBagName('COM¹.log')).toBe('_COM¹.log');
    expect(safeBagName('CONSOLE.txt')).toBe('CONSOLE.txt');
    expect(safeBagName('notes. . ')).toBe('notes');
    expect(safeBagName('..')).toBe('_');
    expect(safeBagName('')).toBe('_');
    expect(safeBagName('\u202E')).toBe('_');
  });

  it('limits names to 255 bytes, keeping the extension and whole letters', () => {
    const long = `${'تقريرٌ '.repeat(60)}.pdf`;
    const safe = safeBagName(long);
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(255);
    expect(Buffer.byteLength(safe.normalize('NFD'))).toBeLessThanOrEqual(255);
    expect(safe.endsWith('.pdf')).toBe(true);
    expect(safe.startsWith('تقريرٌ تقريرٌ')).toBe(true);
    expect(safe).not.toMatch(/[\uD800-\uDFFF]$/);
    // Never cut between a letter and its diacritic: the kept stem is a prefix of the original whose
    // next character is not a combining mark left behind.
    const stem = safe.slice(0, -4);
    expect(long.startsWith(stem)).toBe(true);
    expect(long.charAt(stem.length)).not.toMatch(/\p{M}/u);
    const emoji = safeBagName(`${'📷'.repeat(100)}.jpg`);
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(255);
    expect(emoji).toBe(`${'📷'.repeat(62)}.jpg`);
  });

  it('dedupes within a folder, case-insensitively', () => {
    const dedupe = createNameDeduper();
    expect(dedupe('Photo.jpg')).toBe('Photo.jpg');
    expect(dedupe('photo.jpg')).toBe('photo (2).jpg');
    expect(dedupe('PHOTO.JPG')).toBe('PHOTO (3).JPG');
    expect(dedupe('صورة')).toBe('صورة');
    expect(dedupe('صورة')).toBe('صورة (2)');
    const long = safeBagName(`${'ب'.repeat(200)}.txt`);
    expect(dedupe(long)).toBe(long);
    const second = dedupe(long);
    expect(second.endsWith(' (2).txt')).toBe(true);
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(255);
  });
});

describe('createBagWriter', () => {
  it('writes a bag GNU tar extracts and sha256sum verifies, with Arabic names and a 20 MiB file', async () => {
    const item = '0b5f4c3e-8a61-4f7e-9d1c-2f7a9e6b1c00';
    const dedupe = createNameDeduper();
    const names = [
      'شهادة الشاهد الأول.txt',
      `${'تقرير عن الاحتجاز '.repeat(20)}.pdf`,
      'Q&A: what? <draft> "v2" | a*b\\c/d.txt',
      'CON.txt',
      'trailing dots... ',
      "it's #1 (final) 100%.doc",
      '📷 صورة من الموقع.jpg',
      'Photo.jpg',
      'photo.jpg',
      'invoice\u202Efdp.exe',
    ].map((n) => dedupe(safeBagName(n)));
    const bodies = names.map((n, i) => Buffer.from(`file ${i}: ${n}\n`));
    const bigHash = createHash('sha256');

    const writer = createBagWriter({
      bagInfo: { 'Source-Organization': 'مركز التوثيق', 'Bag-Software-Agent': 'Sijil 0.1.0', 'External-Identifier': 'bundle-1', 'Internal-Sender-Description': ['one', 'two'] },
      mtime: MTIME,
    });
    const file = join(root, 'bag.tar');
    const written = pipeline(writer.stream, createWriteStream(file));
    await writer.addFile('archive.json', Buffer.from('{"items":[]}'), 12);
    await writer.addFile(`items/${item}/item.json`, Buffer.from('{}'), 2);
    for (const [i, name] of names.entries()) {
      const body = bodies[i] ?? Buffer.alloc(0);
      await writer.addFile(`items/${item}/files/${name}`, i % 2 ? Readable.from([body]) : body, body.byteLength);
    }
    await writer.addFile(`items/${item}/files/empty.bin`, Buffer.alloc(0), 0);
    await writer.addFile(`items/${item}/files/big.bin`, bigSource(bigHash), BIG);
    await writer.finish();
    await written;

    const out = join(root, 'extracted');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    // Both manifests verify with the stock tool, run inside the bag as the README tells people to.
    execFileSync('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: out });
    execFileSync('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], { cwd: out });

    for (const [i, name] of names.entries()) {
      expect(await readFile(join(out, 'data/items', item, 'files', name))).toEqual(bodies[i]);
    }
    expect((await stat(join(out, 'data/items', item, 'files/big.bin'))).size).toBe(BIG);
    expect((await readdir(join(out, 'data/items', item, 'files'))).sort()).toEqual([...names, 'empty.bin', 'big.bin'].sort());
    expect(await readFile(join(out, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const octets = 12 + 2 + bodies.reduce((s, b) => s + b.byteLength, 0) + BIG;
    const count = 2 + names.length + 2;
    expect(await readFile(join(out, 'bag-info.txt'), 'utf8')).toBe(
      'Source-Organization: مركز التوثيق\nBag-Software-Agent: Sijil 0.1.0\nExternal-Identifier: bundle-1\n' +
        'Internal-Sender-Description: one\nInternal-Sender-Description: two\n' +
        `Bagging-Date: 2026-03-04\nPayload-Oxum: ${octets}.${count}\n`,
    );

    // Deterministic metadata: owner 0/0, fixed mode and mtime on every entry.
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], { encoding: 'utf8' }).trim().split('\n');
    for (const line of listing) {
      expect(line).toMatch(/^(-rw-r--r--|drwxr-xr-x) 0\/0 +\d+ 2026-03-04 05:06:07 /);
    }

    const staging = await mkdtemp(join(root, 'stage-'));
    const bag = await readBag(createReadStream(file), staging);
    expect(bag.files).toHaveLength(count);
    expect(bag.bagInfo['Payload-Oxum']).toEqual([`${octets}.${count}`]);
    expect(bag.bagInfo['Internal-Sender-Description']).toEqual(['one', 'two']);
    const big = bag.files.find((f) => f.bagPath === `items/${item}/files/big.bin`);
    expect(big?.sha256).toBe(bigHash.digest('hex'));
    expect(bag.files.map((f) => f.bagPath)).toContain(`items/${item}/files/${names[0]}`);
    for (const f of bag.files) expect(sha256(await readFile(f.stagedPath))).toBe(f.sha256);
  });

  it('is deterministic: the same input makes the same bytes', async () => {
    const make = async () => {
      const writer = createBagWriter({ bagInfo: { 'Bag-Software-Agent': 'Sijil' }, mtime: MTIME });
      const bytes = collect(writer.stream);
      await writer.addFile('items/١/ملف.txt', Buffer.from('نص'), Buffer.byteLength('نص'));
      await writer.addFile('archive.json', Readable.from([Buffer.from('{}')]), 2);
      await writer.finish();
      return bytes;
    };
    const [a, b] = [await make(), await make()];
    expect(a.equals(b)).toBe(true);
  });

  it('percent-encodes CR, LF and % in the manifest and reads such names back', async () => {
    const writer = createBagWriter({ bagInfo: {}, mtime: MTIME });
    const bytes = collect(writer.stream);
    const path = 'items/x/100%\nline\rtwo.txt';
    await writer.addFile(path, Buffer.from('x'), 1);
    await writer.finish();
    const tar = await bytes;
    expect(tar.includes(Buffer.from('  data/items/x/100%25%0Aline%0Dtwo.txt\n'))).toBe(true);
    const bag = await readBag(Readable.from([tar]), await mkdtemp(join(root, 'stage-')));
    expect(bag.files.map((f) => f.bagPath)).toEqual([path]);
  });

  it('applies backpressure: an unread stream stops pulling from the source', async () => {
    const writer = createBagWriter({ bagInfo: {}, mtime: MTIME });
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 320; i++) {
          pulled += 65_536;
          yield Buffer.alloc(65_536);
        }
      })(),
    );
    let done = false;
    const adding = writer.addFile('big.bin', source, 320 * 65_536).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toBe(false);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    const bytes = collect(writer.stream);
    await adding;
    await writer.finish();
    expect((await bytes).byteLength).toBeGreaterThan(320 * 65_536);
  });

  it('refuses bad paths, duplicates, sizes that lie, and a given Payload-Oxum', async () => {
    expect(() => createBagWriter({ bagInfo: { 'Payload-Oxum': '1.1' } })).toThrow(/computed/);
    expect(() => createBagWriter({ bagInfo: { 'Bad:Label': 'x' } })).toThrow(/label/);
    expect(() => createBagWriter({ bagInfo: { Note: 'two\nlines' } })).toThrow(/line break/);

    const tryAdd = async (setup: (w: ReturnType<typeof createBagWriter>) => Promise<void>, code: string) => {
      const writer = createBagWriter({ bagInfo: {}, mtime: MTIME });
      const drained = collect(writer.stream).catch((error: unknown) => error);
      const error = await setup(writer).then(() => null, (e: unknown) => e);
      expect(isBagError(error, code as never), String(error)).toBe(true);
      // The tar stream fails too, so a partial bag can never pass for a whole one.
      expect(await drained).toBeInstanceOf(Error);
    };
    await tryAdd((w) => w.addFile('../x', Buffer.from('x'), 1), 'path-traversal');
    await tryAdd((w) => w.addFile('/etc/x', Buffer.from('x'), 1), 'absolute-path');
    await tryAdd((w) => w.addFile('a\\b', Buffer.from('x'), 1), 'invalid-path');
    await tryAdd(async (w) => {
      await w.addFile('items/a/Photo.jpg', Buffer.from('x'), 1);
      await w.addFile('items/A/photo.jpg', Buffer.from('y'), 1);
    }, 'duplicate-path');
    await tryAdd(async (w) => {
      await w.addFile('items/a', Buffer.from('x'), 1);
      await w.addFile('items/a/b', Buffer.from('y'), 1);
    }, 'duplicate-path');
    await tryAdd((w) => w.addFile('short.bin', Readable.from([Buffer.from('abc')]), 4), 'invalid-input');
    await tryAdd((w) => w.addFile('long.bin', Readable.from([Buffer.from('abcde')]), 4), 'invalid-input');
    await tryAdd((w) => w.addFile('buf.bin', Buffer.from('abc'), 4), 'invalid-input');
  });
});
