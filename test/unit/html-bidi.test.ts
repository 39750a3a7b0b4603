// Bidi controls in a saved page's reading copy (shared/bidi.ts containBidi, applied by the reading
// sanitiser on import and again in the reader): no override is left to reverse letters, nothing a
// page opens stays open past its own text, and Arabic's marks stay where they are.
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { extractHtml, resanitizeHtml } from '../../electron/archive/ingest/html.ts';
import { containBidi } from '../../shared/bidi.ts';

const checker = new JSDOM('', { virtualConsole: new VirtualConsole() });
afterAll(() => checker.window.close());
const body = (html: string) => {
  const doc = checker.window.document.implementation.createHTMLDocument('');
  doc.body.innerHTML = html;
  return doc.body;
};
const page = (inner: string) =>
  new TextEncoder().encode(`<!doctype html><html lang="en"><head><title>Checkpoint statement</title></head><body><article><h1>Checkpoint statement</h1>${inner}</article></body></html>`);
const LONG = 'The statement was read out at the checkpoint by an officer who did not give his name to the families waiting.';

describe('containBidi', () => {
  it.each([
    ['evil\u202Efdp.exe', 'evil\u202Bfdp.exe\u202C'],
    ['\u202Dabc\u202C def', '\u202Aabc\u202C def'],
    ['open \u202B embedding', 'open \u202B embedding\u202C'],
    ['open \u2067 isolate \u202A inside', 'open \u2067 isolate \u202A inside\u202C\u2069'],
    ['\u2068a\u202Bb\u2069c', '\u2068a\u202Bb\u2069c'],
    ['stray \u202C and \u2069 closers', 'stray  and  closers'],
    ['\u2066x\u202Cy\u2069', '\u2066xy\u2069'],
    ['no controls, RLM\u200F LRM\u200E ALM\u061C', 'no controls, RLM\u200F LRM\u200E ALM\u061C'],
  ])('%j → %j', (text, contained) => {
    expect(containBidi(text)).toBe(contained);
    expect(containBidi(contained)).toBe(contained);
  });
});

describe('extractHtml: bidi controls in the reading copy', () => {
  const result = extractHtml(
    page(
      `<p>${LONG}</p>` +
        '<p>The order came as invoice\u202Efdp.exe, he said, and <b>\u202Bhis unit</b> would not comment.</p>' +
        '<p>Case numbers <bdo dir="rtl">2025-0117 to 2025-0127</bdo> and \u2067an isolate left open.</p>' +
        '<p>After it, <a href="https://example.org/x">a link \u202Dreversed\u202C</a> stray \u202C\u2069 closers.</p>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="scan\u202Egnp.exe" title="t\u2066x">' +
        `<p lang="ar" dir="rtl">قال المحامي إن الجلسة في ١٢/٣\u200F، بحسب تقرير HRW\u200E (٢٠٢٥)\u200F.</p>` +
        `<p>${LONG}</p>`,
    ),
  );

  it('turns overrides, as characters or as <bdo>, into the embedding of the same direction', () => {
    expect(result.html).not.toMatch(/[\u202D\u202E]|<bdo/);
    expect(result.body).not.toMatch(/[\u202D\u202E]/);
    // Each text node is closed where it ends: the override's embedding before <b>, <b>'s own inside it.
    expect(result.body).toContain('invoice\u202Bfdp.exe, he said, and \u202C\u202Bhis unit\u202C would not comment.');
    expect(result.html).toContain('<span dir="rtl">2025-0117 to 2025-0127</span>');
  });

  it('closes every control inside the text it opened in, attributes included', () => {
    const root = body(result.html!);
    const walker = root.ownerDocument.createTreeWalker(root, 4);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = (node as Text).data;
      expect(containBidi(text), JSON.stringify(text)).toBe(text);
    }
    const img = root.querySelector('img')!;
    expect(img.alt).toBe('scan\u202Bgnp.exe\u202C');
    expect(img.title).toBe('t\u2066x\u2069');
    expect(root.textContent).toContain('stray  closers');
  });

  it('keeps the marks of Arabic text', () => {
    const arabic = 'قال المحامي إن الجلسة في ١٢/٣\u200F، بحسب تقرير HRW\u200E (٢٠٢٥)\u200F.';
    expect(result.body).toContain(arabic);
    expect(body(result.html!).querySelector('p[lang="ar"]')?.textContent).toBe(arabic);
  });

  it('contains a title the page gives with an override', () => {
    const titled = extractHtml(
      new TextEncoder().encode(`<html><head><title>Report \u202Efdp.exe</title></head><body><article><p>${LONG}</p><p>${LONG}</p></article></body></html>`),
    );
    expect(titled.title).toBe('Report \u202Bfdp.exe\u202C');
  });

  it('makes a reading copy from elsewhere (a bundle, an older archive) safe the same way, and leaves ours as they are', () => {
    const foreign = resanitizeHtml('<p>invoice\u202Efdp.exe and <bdo dir="rtl">abc</bdo> \u2067open</p>');
    expect(foreign).toBe('<p>invoice\u202Bfdp.exe and \u202C<span dir="rtl">abc</span> \u2067open\u2069</p>');
    expect(resanitizeHtml(foreign!)).toBe(foreign);
    const ours = result.html!.replace(/^<article[^>]*>|<\/article>$/g, '');
    expect(resanitizeHtml(ours)).toBe(ours);
  });
});
