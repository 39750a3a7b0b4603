// File names that try to disguise themselves, in the real UI and the real CLI. A name saved as
// "statement\u202Efdp.txt" reads "statementtxt.pdf" wherever the override acts: the item view must
// show it in stored order with the control marked, offer it for saving without the control, and
// the CLI must print it the same way; an Arabic name keeps its marks and shows as written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../support/tmp.ts';
import { emptyArchive, sijil } from './archives.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';
import { dropFiles } from './support/drop.ts';

const HOSTILE = 'statement\u202Efdp.txt';
const ARABIC = 'شهادة أم سجّاد\u200F (٢).txt';

describe.skipIf(!chromiumAvailable())('file names with bidi controls', () => {
  let s: Session;
  let archiveDir: string;
  let imported: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    archiveDir = emptyArchive();
    const folder = tmpDir('e2e-names-');
    fs.writeFileSync(path.join(folder, HOSTILE), 'The statement read at the checkpoint.\n');
    fs.writeFileSync(path.join(folder, ARABIC), 'شهادة أم سجاد عن اختطاف ابنها.\n');
    imported = sijil(['--archive', archiveDir, 'import', folder]);
    for (const line of imported.split('\n')) {
      const m = /^imported\s+(\S+)\s.*\((.*)\)$/.exec(line);
      if (m) ids.set(m[2]!.includes('U+202E') ? HOSTILE : ARABIC, m[1]!);
    }
    s = await openSession({ archiveDir });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the CLI prints the override as a marker, and the Arabic name as it is', () => {
    expect(imported).not.toContain('\u202E');
    expect(imported).toContain('statement[U+202E]fdp.txt');
    expect(imported).toContain(ARABIC);
    expect(sijil(['--archive', archiveDir, 'show', ids.get(HOSTILE)!])).toContain('statement[U+202E]fdp.txt');
  });

  it('the item view shows the name in stored order, marks the control, and saves without it', async () => {
    const { page } = s;
    await page.evaluate((id) => (window.location.hash = `#/item/${id}`), ids.get(HOSTILE)!);
    await page.getByRole('tab', { name: 'Files' }).click();
    const link = page.locator('.file-list a.file-name').first();
    await link.waitFor();
    await poll(() => link.textContent()).toBe('statement[U+202E]fdp.txt');
    expect(await link.locator('code.bidi-control').textContent()).toBe('[U+202E]');
    expect(await link.getAttribute('download')).toBe('statementfdp.txt');
    // On screen, "fdp.txt" is to the right of "statement": nothing was reversed.
    const order = await link.evaluate((a) => {
      const range = document.createRange();
      const first = a.querySelector('bdi')!.firstChild!;
      range.selectNodeContents(first);
      const statement = range.getBoundingClientRect().left;
      const last = a.querySelector('bdi')!.lastChild!;
      range.selectNodeContents(last);
      return { statement, rest: range.getBoundingClientRect().left };
    });
    expect(order.rest).toBeGreaterThan(order.statement);
    const href = (await link.getAttribute('href'))!;
    const disposition = await page.evaluate(async (url) => (await fetch(url, { method: 'HEAD' })).headers.get('content-disposition'), href);
    expect(disposition).not.toMatch(/%E2%80%AE/i);
    await s.shot('hostile-file-name');
  });

  it('an Arabic name keeps its mark and shows with no marker', async () => {
    const { page } = s;
    await page.evaluate((id) => (window.location.hash = `#/item/${id}`), ids.get(ARABIC)!);
    await page.getByRole('tab', { name: 'Files' }).click();
    const link = page.locator('.file-list a.file-name').first();
    await link.waitFor();
    await poll(() => link.textContent()).toBe(ARABIC);
    expect(await link.locator('code.bidi-control').count()).toBe(0);
    expect(await link.getAttribute('download')).toBe(ARABIC);
  });

  it('the import dialog shows a dropped name with its control marked, before and after the import', async () => {
    const { page } = s;
    const name = 'raid-\u202E31-30-5202.txt';
    await page.evaluate(() => (window.location.hash = '#/library'));
    await dropFiles(page, [{ name, type: 'text/plain', content: 'Checkpoint raid, as the family told it.\n' }]);
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    const listed = dialog.getByTestId('import-file-list').locator('li').first();
    await poll(() => listed.textContent()).toContain('raid-[U+202E]31-30-5202.txt');
    expect(await listed.locator('code.bidi-control').textContent()).toBe('[U+202E]');
    await dialog.getByRole('button', { name: 'Import (1)' }).click();
    const outcome = dialog.getByTestId('import-outcome-imported');
    await poll(() => outcome.textContent()).toContain('raid-[U+202E]31-30-5202.txt');
    expect(await outcome.textContent()).not.toContain('\u202E');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
