// The media handler on real files: Range answers byte for byte, and nothing archived can render as
// active content.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MediaFile } from '../../electron/engineHost.ts';
import { MEDIA_CSP, contentDisposition, createMediaHandler, parseRange, safeType } from '../../electron/media.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const dir = tmpDir('sijil-media-');
const TEN = Buffer.from('0123456789');
const BIG = crypto.randomBytes(3 * 1024 * 1024 + 17);
const files: Record<string, MediaFile> = {
  'aaaa/1': { path: writeFile(dir, 'ten.bin', TEN), mime: 'video/mp4', size: 10, name: 'clip.mp4' },
  'aaaa/2': { path: writeFile(dir, 'empty.bin', new Uint8Array(0)), mime: 'audio/ogg', size: 0, name: 'silence.ogg' },
  'aaaa/3': { path: writeFile(dir, 'big.bin', BIG), mime: 'video/webm; codecs="vp9"', size: BIG.length, name: 'long.webm' },
  'bbbb/1': {
    path: writeFile(dir, 'drawing.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    mime: 'image/svg+xml',
    size: 71,
    name: 'drawing.svg',
  },
  'bbbb/2': { path: writeFile(dir, 'page.html', '<script>alert(1)</script>'), mime: 'text/html; charset=utf-8', size: 25, name: 'page.html' },
  'bbbb/3': { path: writeFile(dir, 'note.txt', 'شاهد'), mime: 'text/plain; charset=utf-8', size: 8, name: 'شهادة "1".txt' },
  'bbbb/4': { path: path.join(dir, 'gone.bin'), mime: 'image/png', size: 5, name: 'gone.png' },
};

const asked: string[] = [];
const handler = createMediaHandler(
  async (itemId, fileId) => {
    asked.push(`${itemId}/${fileId}`);
    return files[`${itemId}/${fileId}`] ?? null;
  },
  { prefix: '/media/' },
);

async function fetchMedia(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await handler(new Request(`http://127.0.0.1:9/media/${url}`, { method, headers }));
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

describe('Range on a 10-byte file', () => {
  it.each([
    ['bytes=0-0', 'bytes 0-0/10', '0'],
    ['bytes=9-9', 'bytes 9-9/10', '9'],
    ['bytes=0-9', 'bytes 0-9/10', '0123456789'],
    ['bytes=2-5', 'bytes 2-5/10', '2345'],
    ['bytes=5-', 'bytes 5-9/10', '56789'],
    ['bytes=-3', 'bytes 7-9/10', '789'],
    ['bytes=-10', 'bytes 0-9/10', '0123456789'],
    ['bytes=-20', 'bytes 0-9/10', '0123456789'],
    ['bytes=8-100', 'bytes 8-9/10', '89'],
    ['bytes=0-99999999999999999999', 'bytes 0-9/10', '0123456789'],
    ['bytes = 3 - 4', 'bytes 3-4/10', '34'],
    ['BYTES=1-1', 'bytes 1-1/10', '1'],
    ['bytes=4-4,', 'bytes 4-4/10', '4'],
  ])('%s → 206 %s', async (range, contentRange, body) => {
    const r = await fetchMedia('aaaa/1', { Range: range });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(contentRange);
    expect(r.headers.get('content-length')).toBe(String(body.length));
    expect(r.body.toString()).toBe(body);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
  });

  it.each(['bytes=10-', 'bytes=10-20', 'bytes=-0', 'bytes=5-3', 'bytes=abc', 'bytes=', 'bytes=1-2-3', 'bytes 0-1', 'bytes=-', 'bytes=0x1-2', 'bytes=1.5-2'])(
    '%s → 416 with bytes */10',
    async (range) => {
      const r = await fetchMedia('aaaa/1', { Range: range });
      expect(r.status).toBe(416);
      expect(r.headers.get('content-range')).toBe('bytes */10');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it.each([
    ['several ranges', 'bytes=0-1,4-5'],
    ['another unit', 'items=0-1'],
  ])('%s → 200 with the whole file', async (_what, range) => {
    const r = await fetchMedia('aaaa/1', { Range: range });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-range')).toBeNull();
    expect(r.headers.get('content-length')).toBe('10');
    expect(r.body.toString()).toBe('0123456789');
  });

  it('without Range → 200, the whole file, Accept-Ranges', async () => {
    const r = await fetchMedia('aaaa/1');
    expect(r.status).toBe(200);
    expect(r.body.equals(TEN)).toBe(true);
    expect(r.headers.get('content-length')).toBe('10');
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-type')).toBe('video/mp4');
    expect(r.headers.get('content-disposition')).toBe(`inline; filename="clip.mp4"; filename*=UTF-8''clip.mp4`);
  });

  it('If-Range (a version we cannot compare) → the whole file', async () => {
    const r = await fetchMedia('aaaa/1', { Range: 'bytes=2-3', 'If-Range': '"abc"' });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('0123456789');
  });

  it('HEAD answers the same headers with no body', async () => {
    const whole = await fetchMedia('aaaa/1', {}, 'HEAD');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('10');
    expect(whole.body.length).toBe(0);
    const part = await fetchMedia('aaaa/1', { Range: 'bytes=-4' }, 'HEAD');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 6-9/10');
    expect(part.headers.get('content-length')).toBe('4');
    expect(part.body.length).toBe(0);
  });
});

describe('edge files', () => {
  it('an empty file: 200 with length 0, and every range is unsatisfiable', async () => {
    const whole = await fetchMedia('aaaa/2');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('0');
    expect(whole.body.length).toBe(0);
    for (const range of ['bytes=0-0', 'bytes=0-', 'bytes=-1']) {
      const r = await fetchMedia('aaaa/2', { Range: range });
      expect(r.status, range).toBe(416);
      expect(r.headers.get('content-range')).toBe('bytes */0');
    }
  });

  it('a file larger than one read streams exact slices', async () => {
    const size = BIG.length;
    const whole = await fetchMedia('aaaa/3');
    expect(whole.body.equals(BIG)).toBe(true);
    for (const [start, end] of [
      [0, 262_143],
      [262_143, 262_144],
      [1_000_000, 2_500_000],
      [size - 1, size - 1],
    ] as const) {
      const r = await fetchMedia('aaaa/3', { Range: `bytes=${start}-${end}` });
      expect(r.status).toBe(206);
      expect(r.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(r.body.equals(BIG.subarray(start, end + 1))).toBe(true);
    }
    const tail = await fetchMedia('aaaa/3', { Range: 'bytes=-1000' });
    expect(tail.body.equals(BIG.subarray(size - 1000))).toBe(true);
    // The codecs parameter is dropped; the type itself is safe.
    expect(tail.headers.get('content-type')).toBe('video/webm');
  });
});

describe('nothing renders as active content', () => {
  it.each(['aaaa/1', 'bbbb/1', 'bbbb/2', 'bbbb/3', 'nope/1', 'aaaa/999', 'x'])('%s carries the protective headers', async (url) => {
    const r = await fetchMedia(url);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBe(MEDIA_CSP);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox$/);
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('an SVG goes out as bytes to download', async () => {
    const r = await fetchMedia('bbbb/1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="drawing.svg"/);
  });

  it('HTML goes out as bytes to download', async () => {
    const r = await fetchMedia('bbbb/2');
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('plain text keeps its charset; a name with quotes and Arabic is encoded, not injected', async () => {
    const r = await fetchMedia('bbbb/3');
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const disposition = r.headers.get('content-disposition') ?? '';
    expect(disposition).toBe(`inline; filename="_____ _1_.txt"; filename*=UTF-8''${encodeURIComponent('شهادة "1".txt')}`);
    expect(r.body.toString()).toBe('شاهد');
  });

  it.each([
    ['video/mp4', 'video/mp4', true],
    ['AUDIO/MPEG', 'audio/mpeg', true],
    ['image/png', 'image/png', true],
    ['image/jpeg', 'image/jpeg', true],
    ['image/webp', 'image/webp', true],
    ['image/gif', 'image/gif', true],
    ['application/pdf', 'application/pdf', true],
    ['text/plain', 'text/plain', true],
    ['text/plain; charset="ISO-8859-1"', 'text/plain; charset=iso-8859-1', true],
    ['image/svg+xml', 'application/octet-stream', false],
    ['text/html', 'application/octet-stream', false],
    ['application/xhtml+xml', 'application/octet-stream', false],
    ['text/xml', 'application/octet-stream', false],
    ['application/javascript', 'application/octet-stream', false],
    ['image/bmp', 'application/octet-stream', false],
    ['application/octet-stream', 'application/octet-stream', false],
    ['video/mp4\r\nX-Evil: 1', 'application/octet-stream', false],
    ['', 'application/octet-stream', false],
  ])('type %j → %s', (mime, type, inline) => {
    expect(safeType(mime)).toEqual({ type, inline });
  });

  it('a header-breaking name cannot escape Content-Disposition', () => {
    const value = contentDisposition('a"\r\nSet-Cookie: x=1;.txt', false);
    expect(value).not.toMatch(/[\r\n]/);
    expect(new Headers({ 'Content-Disposition': value }).get('content-disposition')).toBe(value);
  });
});

describe('addresses', () => {
  it('an unknown item or file number is 404; so is a record whose blob is missing', async () => {
    expect((await fetchMedia('cccc/1')).status).toBe(404);
    expect((await fetchMedia('aaaa/999')).status).toBe(404);
    expect((await fetchMedia('bbbb/4')).status).toBe(404);
  });

  it.each(['x', 'aaaa', 'aaaa/1/2', 'aaaa/0', 'aaaa/-1', 'aaaa/1.0', 'aaaa/abc', '..%2F..%2Fetc/1', '%2e%2e/1', 'aa%00aa/1', 'aa%zz/1', 'a%2Fb/1', '/aaaa/1'])(
    '%s is a bad address (400) and never reaches the archive',
    async (url) => {
      asked.length = 0;
      const r = await fetchMedia(url);
      expect(r.status).toBe(400);
      expect(asked).toEqual([]);
    },
  );

  it('ids are matched in lower case, as item ids are written', async () => {
    expect((await fetchMedia('AAAA/1')).status).toBe(200);
  });

  it('only GET and HEAD', async () => {
    const r = await handler(new Request('http://127.0.0.1:9/media/aaaa/1', { method: 'POST', body: 'x' }));
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a handler without a prefix serves sijil-media://file/<id>/<n> (the desktop door)', async () => {
    const desktop = createMediaHandler(async (itemId, fileId) => files[`${itemId}/${fileId}`] ?? null);
    const r = await desktop(new Request('sijil-media://file/aaaa/1', { headers: { Range: 'bytes=1-2' } }));
    expect(r.status).toBe(206);
    expect(Buffer.from(await r.arrayBuffer()).toString()).toBe('12');
  });
});

describe('parseRange', () => {
  it.each([
    [null, 10, { kind: 'whole' }],
    ['', 10, { kind: 'whole' }],
    ['bytes=0-0', 1, { kind: 'range', start: 0, end: 0 }],
    ['bytes=0-', 1, { kind: 'range', start: 0, end: 0 }],
    ['bytes=1-', 1, { kind: 'unsatisfiable' }],
    ['bytes=-1', 1, { kind: 'range', start: 0, end: 0 }],
    ['bytes=-5', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-0, 2-3', 10, { kind: 'whole' }],
    ['bytes=0-0, x', 10, { kind: 'unsatisfiable' }],
    ['bytes', 10, { kind: 'unsatisfiable' }],
  ] as const)('%j of %d bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('open files', () => {
  const openFiles = () => fs.readdirSync('/proc/self/fd').length;
  async function settled(baseline: number): Promise<number> {
    // Closing a stream finishes a few event-loop turns after its last read.
    for (let i = 0; i < 200 && openFiles() > baseline; i++) await new Promise((r) => setImmediate(r));
    return openFiles();
  }

  it.skipIf(!fs.existsSync('/proc/self/fd'))('answers without a body, and bodies read or dropped, close their file', async () => {
    await fetchMedia('aaaa/1');
    const baseline = openFiles();
    for (let i = 0; i < 100; i++) {
      await fetchMedia('aaaa/1', {}, 'HEAD');
      await fetchMedia('aaaa/1', { Range: 'bytes=50-' });
      await fetchMedia('aaaa/2');
      await fetchMedia('aaaa/1', { Range: 'bytes=1-3' });
      const dropped = await handler(new Request('http://127.0.0.1:9/media/aaaa/3', { headers: { Range: 'bytes=0-' } }));
      await dropped.body?.cancel();
    }
    expect(await settled(baseline)).toBeLessThanOrEqual(baseline + 2);
  });
});
