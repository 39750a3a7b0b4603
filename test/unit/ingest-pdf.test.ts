import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { extractPdf } from '../../electron/archive/ingest/pdf.ts';
import { makePdf, requireTool } from '../fixtures/ingest/make.ts';

const REPORT = makePdf({
  pages: [
    ['Detentions in the river town', 'The court heard the testimony of two witnesses on Tuesday.'],
    ['Annex: list of names (withheld).'],
  ],
  info: { Title: 'Report on detentions', Author: 'Field Team', CreationDate: "D:20240312101500+03'00'" },
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sijil-pdf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What poppler's pdftotext reads from the same bytes: proof the fixture is a real PDF. */
function pdftotext(bytes: Uint8Array, password?: string): { status: number | null; text: string } {
  requireTool('/usr/bin/pdftotext', 'apt-get install -y poppler-utils');
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  const args = [...(password ? ['-upw', password] : []), file, '-'];
  const run = spawnSync('/usr/bin/pdftotext', args, { encoding: 'utf8' });
  return { status: run.status, text: run.stdout };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('extractPdf', () => {
  // pdf.js must neither reach the network (fonts, CMaps, wasm) nor print anything.
  let fetchSpy: ReturnType<typeof vi.fn>;
  const consoleSpies: ReturnType<typeof vi.spyOn>[] = [];
  beforeEach(() => {
    fetchSpy = vi.fn(() => Promise.reject(new Error('network access in a test')));
    vi.stubGlobal('fetch', fetchSpy);
    for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
      consoleSpies.push(vi.spyOn(console, method).mockImplementation(() => undefined));
    }
  });
  afterEach(() => {
    expect(fetchSpy).not.toHaveBeenCalled();
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
    consoleSpies.length = 0;
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('reads the text of every page, joined by a blank line, and the Info metadata', async () => {
    const doc = await extractPdf(REPORT);
    expect(doc).toEqual({
      kind: 'document',
      title: 'Report on detentions',
      body: 'Detentions in the river town\nThe court heard the testimony of two witnesses on Tuesday.\n\nAnnex: list of names (withheld).',
      language: 'en',
      sourceAuthor: 'Field Team',
      publishedAt: '2024-03-12T10:15:00+03:00',
      extra: { pages: 2 },
    });
    // Same words as poppler reads.
    expect(words(doc.body!)).toEqual(words(pdftotext(REPORT).text));
  });

  it('leaves the caller’s bytes untouched', async () => {
    const bytes = REPORT.slice();
    await extractPdf(bytes);
    expect(bytes.byteLength).toBe(REPORT.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(REPORT))).toBe(true);
  });

  it('a PDF without text (a scan) is still a document', async () => {
    const doc = await extractPdf(makePdf({ pages: [[], []] }));
    expect(doc).toMatchObject({ kind: 'document', title: null, body: null, language: null, extra: { pages: 2 } });
  });

  it('drops the "Microsoft Word - " prefix Word puts in titles', async () => {
    const doc = await extractPdf(makePdf({ pages: [['x']], info: { Title: 'Microsoft Word - Witness list.docx' } }));
    expect(doc.title).toBe('Witness list');
  });

  it('a password-protected PDF yields an item without text instead of failing', async () => {
    const locked = makePdf({ pages: [['Secret witness statement.']], info: { Title: 'Locked' }, encrypt: { user: 'userpw', owner: 'ownerpw' } });
    // The fixture is really encrypted: poppler needs the password.
    expect(pdftotext(locked).status).not.toBe(0);
    expect(pdftotext(locked, 'userpw').text).toContain('Secret witness statement.');
    expect(await extractPdf(locked)).toEqual({ kind: 'document', title: null, body: null, extra: { passwordProtected: true } });
  });

  it('a PDF encrypted with only an owner password opens and is read', async () => {
    const ownerOnly = makePdf({ pages: [['Printing is restricted, reading is not.']], encrypt: { user: '', owner: 'ownerpw' } });
    expect((await extractPdf(ownerOnly)).body).toBe('Printing is restricted, reading is not.');
  });

  it('a PDF with a wrong cross-reference table is repaired, not rejected', async () => {
    const text = Buffer.from(REPORT).toString('latin1').replace(/\d{10} 00000 n/g, '0000000001 00000 n');
    const broken = new Uint8Array(Buffer.from(text, 'latin1'));
    expect((await extractPdf(broken)).body).toContain('The court heard the testimony');
  });

  it.each([
    ['a PDF header followed by garbage', new TextEncoder().encode('%PDF-1.4\nthis is not a pdf at all\n')],
    ['a few bytes', new Uint8Array([1, 2, 3])],
    ['an empty file', new Uint8Array(0)],
  ])('%s throws a clear error', async (_, bytes) => {
    await expect(extractPdf(bytes)).rejects.toThrow(/^This PDF file is damaged or not a PDF and cannot be read \(.+\)\.$/);
  });
});
