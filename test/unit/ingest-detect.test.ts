import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECT_HEAD_BYTES, detectBuffer, detectFile } from '../../electron/archive/ingest/detect.ts';
import { FIXTURES, encodeLegacy, makeMedia, makePdf, utf16 } from '../fixtures/ingest/make.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

let dir: string;
let media: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sijil-detect-'));
  media = makeMedia(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('detectFile: media made by ffmpeg', () => {
  it.each([
    ['mp4', 'video', 'video/mp4', 'video'],
    ['webm', 'video', 'video/webm', 'video'],
    ['mp3', 'audio', 'audio/mpeg', 'audio'],
    ['wav', 'audio', 'audio/wav', 'audio'],
    ['ogg', 'audio', 'audio/ogg', 'audio'],
    ['m4a', 'audio', 'audio/x-m4a', 'audio'],
    ['png', 'image', 'image/png', 'image'],
    ['jpg', 'image', 'image/jpeg', 'image'],
  ])('%s is %s (%s)', async (key, format, mime, kind) => {
    expect(await detectFile(media[key]!)).toEqual({ format, mime, kind });
  });

  it('believes the content, not the extension', async () => {
    const pngAsMp4 = join(dir, 'holiday.mp4');
    copyFileSync(media.png!, pngAsMp4);
    expect(await detectFile(pngAsMp4)).toMatchObject({ format: 'image', mime: 'image/png', kind: 'image' });

    const mp4AsTxt = join(dir, 'notes.txt');
    copyFileSync(media.mp4!, mp4AsTxt);
    expect(await detectFile(mp4AsTxt)).toMatchObject({ format: 'video', kind: 'video' });

    const htmlAsTxt = write('page.txt', readFileSync(join(FIXTURES, 'news-en.html')));
    expect(await detectFile(htmlAsTxt)).toEqual({ format: 'html', mime: 'text/html', kind: 'article' });

    const pdfAsJpg = write('scan.jpg', makePdf({ pages: [['Hello']] }));
    expect(await detectFile(pdfAsJpg)).toEqual({ format: 'pdf', mime: 'application/pdf', kind: 'document' });
  });
});

describe('detectFile: documents and edge cases', () => {
  it('an empty file is unknown and not imported', async () => {
    expect(await detectFile(write('empty.html', ''))).toEqual({
      format: 'unknown',
      mime: 'application/octet-stream',
      kind: null,
    });
  });

  it('finds a PDF header after bytes a mail gateway prepended', async () => {
    const pdf = makePdf({ pages: [['Prefixed']] });
    const bytes = new Uint8Array([...utf8('garbage line\r\n'), ...pdf]);
    expect((await detectFile(write('prefixed.bin', bytes))).format).toBe('pdf');
  });

  it('random bytes are unknown', async () => {
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    expect(await detectFile(write('noise.txt', bytes))).toMatchObject({ format: 'unknown', kind: null });
  });

  it('reads a large yt-dlp sidecar whole when its head is only the formats list', async () => {
    const formats = Array.from({ length: 800 }, (_, i) => ({
      format_id: String(i),
      url: `https://rr1.example.test/videoplayback?itag=${i}&${'x'.repeat(200)}`,
      http_headers: { 'User-Agent': 'Mozilla/5.0' },
    }));
    // Keys in yt-dlp's order, but with the title late so the prefix rule cannot decide.
    const info = { id: 'a1b2c3d4e5f', formats, title: 'Appeal', webpage_url: 'https://www.youtube.com/watch?v=a1b2c3d4e5f', extractor: 'youtube' };
    const text = JSON.stringify(info);
    expect(text.length).toBeGreaterThan(DETECT_HEAD_BYTES * 2);
    expect(await detectFile(write('Appeal [a1b2c3d4e5f].info.json', text))).toEqual({
      format: 'ytdlp-info',
      mime: 'application/json',
      kind: null,
    });
    // The same head alone (no "title" right after "id") is just JSON text.
    expect((await detectBuffer(utf8(text).subarray(0, DETECT_HEAD_BYTES))).format).toBe('text');
  });
});

describe('detectBuffer: HTML', () => {
  it.each([
    ['doctype', '<!DOCTYPE html><html><head><title>x</title></head><body>x</body></html>'],
    ['lower-case tags after whitespace', '\n\n   <html lang="ar"><body><p>نص</p></body></html>'],
    ['saved-from comment first', '<!-- saved from url=(0022)https://example.org/ -->\r\n<html><body>x</body></html>'],
    ['XML declaration and XHTML doctype', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"></html>'],
    ['head without html', '<head><meta charset="utf-8"><title>t</title></head><body>b</body>'],
    ['a fragment of common tags', '<div class="story"><p>Only a fragment of a page.</p></div>'],
    ['a table from a mail client', '<table><tr><td>cell</td></tr></table>'],
  ])('%s', async (_, html) => {
    expect(await detectBuffer(utf8(html))).toEqual({ format: 'html', mime: 'text/html', kind: 'article' });
  });

  it('UTF-16 with a byte-order mark, either endianness', async () => {
    const page = '\ufeff  <!doctype html><html lang="ar"><body><p>مرحبا</p></body></html>';
    expect((await detectBuffer(utf16(page, 'le'))).format).toBe('html');
    expect((await detectBuffer(utf16(page, 'be'))).format).toBe('html');
  });

  it('windows-1256 Arabic, which is not UTF-8', async () => {
    const bytes = encodeLegacy('<html><head><meta charset="windows-1256"></head><body><p>خبر عاجل من الناصرية</p></body></html>', 'windows-1256');
    expect(new TextDecoder('utf-8', { fatal: false }).decode(bytes)).toContain('\ufffd');
    expect((await detectBuffer(bytes)).format).toBe('html');
  });

  it('a README that opens with an HTML block is still Markdown', async () => {
    const readme = '<p align="center"><img src="logo.png"></p>\n\n# Project\n\nSee [the docs](https://example.org/docs).\n';
    expect((await detectBuffer(utf8(readme), 'README.md')).format).toBe('markdown');
    expect((await detectBuffer(utf8(readme), 'README.txt')).format).toBe('markdown');
  });

  it('text that mentions tags is not HTML', async () => {
    expect((await detectBuffer(utf8('Remember to check the <div> in the template.\n'))).format).toBe('text');
  });
});

describe('detectBuffer: yt-dlp sidecars, Markdown and text', () => {
  const info = {
    id: 'dQw4w9WgXcQ',
    title: 'Mother appeals for her son',
    formats: [{ format_id: '18' }],
    webpage_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    extractor: 'youtube',
    extractor_key: 'Youtube',
  };

  it('a complete .info.json is a sidecar, not an item', async () => {
    expect(await detectBuffer(utf8(JSON.stringify(info)), 'x.json')).toEqual({
      format: 'ytdlp-info',
      mime: 'application/json',
      kind: null,
    });
  });

  it('the truncated head of a big .info.json is recognised by yt-dlp key order', async () => {
    const head = utf8(JSON.stringify(info).slice(0, 90));
    expect(() => JSON.parse(new TextDecoder().decode(head))).toThrow();
    expect((await detectBuffer(head)).format).toBe('ytdlp-info');
  });

  it('other JSON is plain text', async () => {
    expect((await detectBuffer(utf8('{"id": "42", "name": "not a video"}'))).format).toBe('text');
  });

  it('Markdown by content, whatever the name', async () => {
    const md = '# Field notes\n\n## Tuesday\n\n- met the family\n- **two** witnesses\n';
    expect(await detectBuffer(utf8(md), 'notes.txt')).toEqual({ format: 'markdown', mime: 'text/markdown', kind: 'note' });
    expect((await detectBuffer(utf8(md))).format).toBe('markdown');
  });

  it('the extension breaks a tie between text and Markdown, for UTF-8 only', async () => {
    const plain = 'Met the family at noon.\nThey had heard nothing since Friday.\n';
    expect((await detectBuffer(utf8(plain), 'notes.md')).format).toBe('markdown');
    expect((await detectBuffer(utf8(plain), 'notes.txt')).format).toBe('text');
    expect((await detectBuffer(utf8(plain))).format).toBe('text');
    expect((await detectBuffer(utf16(`\ufeff${plain}`, 'le'), 'notes.md')).format).toBe('text');
  });

  it('plain Arabic text is a note', async () => {
    expect(await detectBuffer(utf8('قابلنا العائلة ظهر اليوم.\nلم يسمعوا شيئاً منذ الجمعة.\n'), 'ملاحظات.txt')).toEqual({
      format: 'text',
      mime: 'text/plain',
      kind: 'note',
    });
  });

  it('a note starting with "BM" is not a bitmap', async () => {
    expect((await detectBuffer(utf8('BMW cars were seen outside the station at night.\n'))).format).toBe('text');
  });

  it('text with NULs or a legacy encoding is not text', async () => {
    expect((await detectBuffer(utf8('abc\u0000def'))).format).toBe('unknown');
    // Plain (non-HTML) windows-1256 text cannot be told from binary without guessing.
    expect((await detectBuffer(encodeLegacy('ملاحظات الزيارة', 'windows-1256'))).format).toBe('unknown');
  });

  it('a head cut inside a multi-byte character is still UTF-8 text', async () => {
    const bytes = utf8('ملاحظات');
    expect((await detectBuffer(bytes.subarray(0, bytes.length - 1))).format).toBe('text');
  });

  it('an empty buffer is unknown', async () => {
    expect((await detectBuffer(new Uint8Array(0))).kind).toBeNull();
  });
});
