// The PDF viewer's text layer, in Chromium over browser mode: a PDF's words lie over the drawn page
// as transparent text, at the glyphs' places, so a person can select and copy them and the
// browser's Find finds them (on both pages, in English and in the right-to-left Arabic interface).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/ingest/make.ts';
import { tmpDir } from '../support/tmp.ts';
import { emptyArchive, switchLanguage } from './archives.ts';
import { ROOT } from './support/paths.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

const FIRST = 'Witness list for the Nasiriyah hearing';
const SECOND = 'Statement recorded at Habboubi Square';

describe.skipIf(!chromiumAvailable())('the PDF viewer', () => {
  let s: Session;

  beforeAll(async () => {
    const archiveDir = emptyArchive();
    const folder = tmpDir('e2e-pdf-');
    const file = path.join(folder, 'hearing-notes.pdf');
    fs.writeFileSync(file, makePdf({ pages: [[FIRST, 'Second line of the first page'], [SECOND]], info: { Title: 'Hearing notes' } }));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'electron', 'cli.ts'), '--archive', archiveDir, 'import', file], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const id = /imported\s+(\w+)/.exec(run.stdout)?.[1];
    expect(id, run.stdout).toBeDefined();
    s = await openSession({ archiveDir });
    await s.page.getByRole('listbox', { name: 'Library' }).waitFor();
    // Opening an item from the library is item.test.ts's business; here the viewer is.
    await s.page.evaluate((item) => (window.location.hash = `#/item/${item}`), id!);
    await s.page.getByRole('heading', { level: 1, name: 'Hearing notes' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lays the page’s text over the canvas, where the glyphs are', async () => {
    const { page } = s;
    const layers = page.getByTestId('pdf-text-layer');
    await poll(() => layers.first().textContent()).toContain(FIRST);
    // The layer covers the page, and the words sit near the top left, where the PDF draws them
    // (72 pt in, 72 pt down on a 612 × 792 pt page).
    const geometry = await page.evaluate((first) => {
      const layer = document.querySelector('[data-testid="pdf-text-layer"]')!;
      const canvas = layer.parentElement!.querySelector('canvas')!;
      const span = [...layer.querySelectorAll('span')].find((e) => e.textContent === first)!;
      const l = layer.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      const w = span.getBoundingClientRect();
      return {
        layer: [l.width, l.height],
        canvas: [c.width, c.height],
        left: (w.left - c.left) / c.width,
        top: (w.top - c.top) / c.height,
        width: w.width / c.width,
        color: getComputedStyle(span).color,
      };
    }, FIRST);
    expect(Math.abs(geometry.layer[0]! - geometry.canvas[0]!)).toBeLessThan(2);
    expect(Math.abs(geometry.layer[1]! - geometry.canvas[1]!)).toBeLessThan(2);
    expect(geometry.left).toBeGreaterThan(0.09);
    expect(geometry.left).toBeLessThan(0.14);
    expect(geometry.top).toBeGreaterThan(0.06);
    expect(geometry.top).toBeLessThan(0.11);
    // Helvetica 12 pt: the line is about a third of the page wide, not collapsed or spread out.
    expect(geometry.width).toBeGreaterThan(0.25);
    expect(geometry.width).toBeLessThan(0.5);
    expect(geometry.color).toBe('rgba(0, 0, 0, 0)');
    await s.shot('pdf-text-layer-en');
  });

  it('lets the text be selected with the mouse and found with the browser’s Find', async () => {
    const { page } = s;
    const span = page.getByTestId('pdf-text-layer').first().getByText(FIRST, { exact: true });
    // A double click on the first word selects that word.
    const box = (await span.boundingBox())!;
    await span.dblclick({ position: { x: 12, y: box.height / 2 } });
    expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toBe('Witness');
    // Drag across the whole line (from nothing selected: dragging a selection would move it).
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()?.toString())).toContain('list for the Nasiriyah');
    await s.shot('pdf-text-selected-en');
    // Chromium's window.find is its find-in-page: it finds the second page's words too.
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    await page.getByTestId('pdf-text-layer').nth(1).scrollIntoViewIfNeeded();
    await poll(() => page.getByTestId('pdf-text-layer').nth(1).textContent()).toContain(SECOND);
    const found = await page.evaluate((needle) => (window as unknown as { find(s: string): boolean }).find(needle), 'Habboubi Square');
    expect(found).toBe(true);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe('Habboubi Square');
  });

  it('keeps the page left to right under the Arabic interface', async () => {
    const { page } = s;
    const hash = await page.evaluate(() => window.location.hash);
    await switchLanguage(page, 'ar', hash);
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const layer = page.getByTestId('pdf-text-layer').first();
    await poll(() => layer.textContent()).toContain(FIRST);
    const left = await page.evaluate((first) => {
      const l = document.querySelector('[data-testid="pdf-text-layer"]')!;
      const span = [...l.querySelectorAll('span')].find((e) => e.textContent === first)!;
      return (span.getBoundingClientRect().left - l.getBoundingClientRect().left) / l.getBoundingClientRect().width;
    }, FIRST);
    expect(left).toBeGreaterThan(0.09);
    expect(left).toBeLessThan(0.14);
    await s.shot('pdf-text-layer-ar');
    await switchLanguage(page, 'en', hash);
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
