// Importing in a real browser: files dropped anywhere on the app (a DataTransfer of files made in
// the page, dragged in and dropped as the browser would), the dialog's tags, upload and import,
// and the summary: imported, already in the archive (with a link to the item that holds the
// content), skipped with the reason. A folder chosen with the folder picker keeps its structure.
// Then a note and a testimony written in the forms, with the engine's refusals shown by the field.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phrase, say } from '../../shared/phrase.ts';
import { tmpDir } from '../support/tmp.ts';
import { openDemoSession, switchLanguage } from './archives.ts';
import { chromiumAvailable, poll, type Session } from './support/browser.ts';
import { dropFiles } from './support/drop.ts';

const NOTE = 'Witness statement recorded in Nasiriyah. The word quillwort marks it for this test.';

describe.skipIf(!chromiumAvailable())('import by drag and drop, by folder, and by the forms', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openDemoSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('imports dropped files and sums up what became of each', async () => {
    const { page } = s;
    await dropFiles(page, [
      { name: 'witness-quillwort.txt', type: 'text/plain', content: NOTE },
      {
        name: 'vigil.html',
        type: 'text/html',
        content:
          '<!doctype html><html lang="en"><head><title>Candlelight vigil in Habboubi Square</title></head><body><article><h1>Candlelight vigil in Habboubi Square</h1><p>Hundreds gathered on Friday evening to demand the release of the abducted activist. Families held photographs and candles while speakers called for an independent investigation into the kidnapping.</p><p>Organisers said the vigil would be repeated every Friday until the activist returns home safely to his family in Nasiriyah.</p></article></body></html>',
      },
      { name: 'empty.txt', type: 'text/plain', content: '' },
    ]);
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    await poll(() => dialog.isVisible()).toBe(true);
    await poll(() => dialog.getByTestId('import-file-list').locator('li').allTextContents()).toEqual([
      expect.stringContaining('witness-quillwort.txt'),
      expect.stringContaining('vigil.html'),
      expect.stringContaining('empty.txt'),
    ]);
    await dialog.getByLabel('Tags').fill('dropped, Dhi Qar');
    await s.shot('import-dialog-en');
    await dialog.getByRole('button', { name: 'Import (3)' }).click();
    const summary = dialog.getByTestId('import-summary');
    await poll(() => summary.isVisible()).toBe(true);
    await poll(() => dialog.getByTestId('import-count-imported').textContent()).toBe('Imported: 2');
    expect(await dialog.getByTestId('import-count-duplicate').textContent()).toBe('Already in the archive: 0');
    expect(await dialog.getByTestId('import-count-skipped').textContent()).toBe('Skipped: 1');
    const skipped = dialog.getByTestId('import-outcome-skipped');
    expect(await skipped.textContent()).toContain('empty.txt');
    expect(await skipped.textContent()).toContain('empty (0 bytes)');
    await s.shot('import-summary-en');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => page.getByRole('listbox', { name: 'Library' }).getByRole('option').count()).toBe(7);
  });

  it('recognises content already in the archive and links to the item that holds it', async () => {
    const { page } = s;
    await dropFiles(page, [{ name: 'copy-of-statement.txt', type: 'text/plain', content: NOTE }]);
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    await dialog.getByRole('button', { name: 'Import (1)' }).click();
    await poll(() => dialog.getByTestId('import-count-duplicate').textContent()).toBe('Already in the archive: 1');
    const duplicate = dialog.getByTestId('import-outcome-duplicate');
    expect(await duplicate.textContent()).toContain('already in the archive as');
    const link = duplicate.getByTestId('item-link');
    const title = (await link.textContent()) ?? '';
    await link.click();
    await page.waitForURL(/#\/item\//);
    await poll(() => dialog.count()).toBe(0);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
  });

  it('imports a chosen folder whole', async () => {
    const { page } = s;
    const folder = path.join(tmpDir('e2e-folder-'), 'Field notes 2020');
    fs.mkdirSync(path.join(folder, 'July'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'July', 'day-1.md'), '# Day one\n\nMet the family near Habboubi Square; hornwort is the marker word.\n');
    fs.writeFileSync(path.join(folder, 'day-2.txt'), 'Day two. The family received no news. Marker: hornwort.\n');
    await page.evaluate(() => (window.location.hash = '#/library'));
    await page.getByRole('button', { name: 'Import files…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    await dialog.getByTestId('import-folder-input').setInputFiles(folder);
    await poll(() => dialog.getByTestId('import-file-list').locator('li').count()).toBe(2);
    expect((await dialog.getByTestId('import-file-list').textContent()) ?? '').toContain('Field notes 2020/July/day-1.md');
    await dialog.getByRole('button', { name: 'Import (2)' }).click();
    await poll(() => dialog.getByTestId('import-count-imported').textContent()).toBe('Imported: 2');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('cancels a long import and keeps what was imported before, whole', async () => {
    const { page } = s;
    const folder = path.join(tmpDir('e2e-long-'), 'Daily logs');
    fs.mkdirSync(folder);
    const count = 500;
    for (let i = 1; i <= count; i++) fs.writeFileSync(path.join(folder, `log-${String(i).padStart(4, '0')}.txt`), `Daily log ${i}. Checked the road to Suq al-Shuyukh; marker ${i * 7919}.\n`);
    const before = (await page.evaluate(async () => {
      const response = await fetch('/api/archive.info', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' }, body: '{"args":{}}' });
      return ((await response.json()) as { value: { items: number } }).value.items;
    })) as number;
    await page.getByRole('button', { name: 'Import files…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    await dialog.getByTestId('import-folder-input').setInputFiles(folder);
    await dialog.getByRole('button', { name: 'Import (500)' }).click();
    // Upload first, then the import proper: cancel once some files are in. The screenshot is taken
    // during the upload: taken between the first files in and the click, it left the import time to
    // finish all 500 before the cancel reached it.
    await poll(() => dialog.getByTestId('import-progress').isVisible()).toBe(true);
    await s.shot('import-progress-en');
    await expect
      .poll(() => dialog.getByTestId('import-progress').textContent(), { timeout: 90_000, interval: 50 })
      .toMatch(/Importing: [1-9]\d* of 500 done/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.getByTestId('import-cancelled').isVisible()).toBe(true);
    expect(await dialog.getByTestId('import-cancelled').textContent()).toMatch(/The import was cancelled/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const after = await page.evaluate(async () => {
      const call = async (channel: string) =>
        ((await (await fetch(`/api/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' }, body: '{"args":{}}' })).json()) as { value: unknown }).value;
      return { info: (await call('archive.info')) as { items: number }, check: (await call('archive.check')) as { ok: boolean } };
    });
    expect(after.info.items).toBeGreaterThan(before);
    expect(after.info.items).toBeLessThan(before + count);
    expect(after.check.ok).toBe(true);
  });

  it('writes a note, refusing an empty title next to the field', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New note…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New note' });
    await dialog.getByRole('button', { name: 'Save the note' }).click();
    const title = dialog.getByLabel('Title');
    await poll(() => title.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('A title is needed.').isVisible()).toBe(true);
    expect(await title.evaluate((el) => el === document.activeElement)).toBe(true);
    await title.fill('Call with the family, 8 July');
    await dialog.getByLabel('Text').fill('They asked that the appeal video not be shared outside the case file.');
    // Escape closes the dialog and keeps the draft: opened again, it holds what was written.
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'New note…' }).click();
    expect(await title.inputValue()).toBe('Call with the family, 8 July');
    expect(await dialog.getByRole('status').filter({ hasText: 'A draft kept from earlier' }).isVisible()).toBe(true);
    expect(await dialog.getByLabel('Text').inputValue()).toBe('They asked that the appeal video not be shared outside the case file.');
    // Cancel has become Discard draft, which empties it (a draft kept here is put back below).
    expect(await dialog.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Discard draft' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'New note…' }).click();
    expect(await title.inputValue()).toBe('');
    expect(await dialog.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    await title.fill('Call with the family, 8 July');
    await dialog.getByLabel('Text').fill('They asked that the appeal video not be shared outside the case file.');
    await dialog.getByLabel('Language').fill('english');
    await dialog.getByRole('button', { name: 'Save the note' }).click();
    await poll(() => dialog.getByLabel('Language').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Language').fill('en');
    // What only the engine refuses (a tag past 200 characters) is shown by the field it names.
    const tags = dialog.getByLabel('Tags');
    await tags.fill('x'.repeat(201));
    await dialog.getByRole('button', { name: 'Save the note' }).click();
    await poll(() => tags.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('At most 200 characters').isVisible()).toBe(true);
    expect(await tags.evaluate((el) => el === document.activeElement)).toBe(true);
    await tags.fill('family');
    await dialog.getByRole('button', { name: 'Save the note' }).click();
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Call with the family, 8 July');
    // Saved, the draft is gone: the next note starts empty.
    await page.getByRole('button', { name: 'New note…' }).click();
    expect(await title.inputValue()).toBe('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('records a testimony with its protected fields marked, its recording and transcript', async () => {
    const { page } = s;
    const dir = tmpDir('e2e-testimony-');
    // A real (tiny) WAV: the engine checks that a recording is audio or video by its content.
    const samples = 8000;
    const wav = Buffer.alloc(44 + samples * 2);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(36 + samples * 2, 4);
    wav.write('WAVEfmt ', 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36);
    wav.writeUInt32LE(samples * 2, 40);
    fs.writeFileSync(path.join(dir, 'recording.wav'), wav);
    fs.writeFileSync(path.join(dir, 'transcript-ar.txt'), 'أنا أمّ سجّاد. ابني خُطِف من أمام بيتنا في الناصرية.\n');
    await page.getByRole('button', { name: 'New testimony…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New testimony' });
    const protectedGroup = dialog.getByRole('group', { name: /Protected: identifies the speaker/ });
    await poll(() => protectedGroup.isVisible()).toBe(true);
    expect(await protectedGroup.getByLabel("Speaker's real name").count()).toBe(1);
    await dialog.getByLabel('Title').fill('Second interview with the mother');
    await dialog.getByLabel('Speaker (alias)').fill('Umm Sajjad');
    await protectedGroup.getByLabel("Speaker's real name").fill('Fictional Name');
    await dialog.getByLabel('Date of the events').fill('July 2020');
    await dialog.getByTestId('testimony-recording-input').setInputFiles(path.join(dir, 'recording.wav'));
    await dialog.getByTestId('testimony-text-input').setInputFiles(path.join(dir, 'transcript-ar.txt'));
    await s.shot('new-testimony-en');
    await dialog.getByRole('button', { name: 'Save the testimony' }).click();
    const date = dialog.getByLabel('Date of the events');
    await poll(() => date.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('Write the date as 2019, 2019-10 or 2019-10-25.').isVisible()).toBe(true);
    await date.fill('2020-06-31');
    await dialog.getByRole('button', { name: 'Save the testimony' }).click();
    await poll(() => dialog.getByText('There is no such date: check the month, the day and the time.').isVisible()).toBe(true);
    await date.fill('2020-07');
    await dialog.getByRole('button', { name: 'Save the testimony' }).click();
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Second interview with the mother');
    // The protected name is hidden on screen until revealed.
    expect(await page.getByText('Fictional Name').count()).toBe(0);
  });

  it('shows the dialogs in Arabic', async () => {
    const { page } = s;
    await switchLanguage(page, 'ar', '#/library');
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await dropFiles(page, [
      { name: 'ملاحظة.txt', type: 'text/plain', content: 'ملاحظة ميدانية عن الوقفة في ساحة الحبوبي.' },
      { name: 'فارغ.txt', type: 'text/plain', content: '' },
    ]);
    const dialog = page.getByRole('dialog', { name: 'استيراد ملفات' });
    await poll(() => dialog.isVisible()).toBe(true);
    await s.shot('import-dialog-ar');
    await dialog.getByRole('button', { name: 'استيراد (2)' }).click();
    await poll(() => dialog.getByTestId('import-count-imported').textContent()).toBe('المستورد: 1');
    // Why a file was skipped comes from the engine, and is said in Arabic too.
    const skipped = (await dialog.getByTestId('import-outcome-skipped').textContent()) ?? '';
    expect(skipped).toContain('فارغ.txt');
    expect(skipped).toContain(say(phrase('import.skip.empty'), 'ar'));
    expect(skipped).not.toMatch(/empty|bytes/);
    await s.shot('import-summary-ar');
    await dialog.getByRole('button', { name: 'تم' }).click();
    await page.getByRole('button', { name: 'شهادة جديدة…' }).click();
    await poll(() => page.getByRole('dialog', { name: 'شهادة جديدة' }).isVisible()).toBe(true);
    await s.shot('new-testimony-ar');
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'en', '#/library');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
