// Search in a real browser over the demo archive: results as you type with highlighted snippets on
// the original text, "also matched" for a widened word, a facet click that narrows the query, the
// query help, exporting everything a search finds, Enter to open the highlighted hit, the same
// screen in Arabic, and a name found in the other script.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../support/tmp.ts';
import { demoArchive, importMany, switchLanguage } from './archives.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

describe.skipIf(!chromiumAvailable())('search and open a hit', () => {
  let s: Session;
  beforeAll(async () => {
    const archiveDir = demoArchive();
    importMany(archiveDir, 'zebrafinch', 45);
    s = await openSession({ archiveDir });
    await s.page.evaluate(() => (window.location.hash = '#/search'));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('finds a transcript by bare Arabic words and highlights them with their diacritics', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('ام ساجد');
    const results = page.getByRole('listbox', { name: 'Search results' });
    const testimony = results.getByRole('option', { name: /Video appeal by the mother/ });
    await poll(() => testimony.count()).toBe(1);
    // The speaker is أم سجّاد: the marks are on the original text, shadda included. (ساجد is rare,
    // so Sajjad in Latin letters is searched too and the snippet shows where both meet.)
    const marks = await testimony.locator('mark').allTextContents();
    expect(marks).toContain('أم');
    expect(marks).toContain('سجّاد');
    expect(await testimony.locator('.search-snippet-text').getAttribute('dir')).toBe('auto');
    // ساجد is rare; the search widened it to سجاد and says so.
    await poll(() => page.getByTestId('search-also-matched').textContent()).toContain('سجاد');
    await poll(() => page.getByTestId('search-total').textContent()).toMatch(/Matching items: \d/);
    await s.shot('search-en');
  });

  it('narrows by a facet: clicking Testimony adds kind:testimony to the query', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await page.locator('[data-facet=kind]').getByRole('button', { name: /Testimony/ }).click();
    await poll(() => input.inputValue()).toBe('ام ساجد kind:testimony');
    await poll(() => page.getByTestId('search-total').textContent()).toBe('Matching items: 1');
    await poll(() => page.getByRole('option').count()).toBe(1);
  });

  it('quotes a tag with a space when its facet is clicked', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('kidnapping');
    await poll(() => page.locator('[data-facet=tag]').getByRole('button', { name: /Dhi Qar/ }).count()).toBe(1);
    await page.locator('[data-facet=tag]').getByRole('button', { name: /Dhi Qar/ }).click();
    await poll(() => input.inputValue()).toBe('kidnapping tag:"Dhi Qar"');
    await poll(() => page.getByTestId('search-total').textContent()).toMatch(/Matching items: [1-9]/);
  });

  it('shows what the parser left out, gently, and explains the syntax', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('kidnapping kind:movie');
    await poll(() => page.getByTestId('search-warnings').textContent()).toContain('“kind:movie” was left out');
    await page.getByRole('button', { name: 'How to write a search' }).click();
    const help = page.getByRole('dialog', { name: 'Writing a search' });
    await poll(() => help.isVisible()).toBe(true);
    await poll(() => help.getByTestId('query-meaning').textContent()).toContain('items with “kidnapping”');
    await s.shot('search-help-en');
    await help.getByRole('button', { name: '"Dhi Qar"', exact: true }).click();
    await poll(() => input.inputValue()).toBe('"Dhi Qar"');
    await poll(() => help.isVisible()).toBe(false);
  });

  it('keeps the newest answer when typing fast', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('');
    // One keystroke at a time, no pause: every prefix is a query of its own ("n", "na", ... "nasiriyah
    // k"), and many have other answers; the screen must end on the answer to the last one.
    await input.pressSequentially('nasiriyah kidnapping', { delay: 0 });
    await input.press('Backspace');
    const final = 'nasiriyah kidnappin';
    expect(await input.inputValue()).toBe(final);
    const expected = await page.evaluate(async (query) => {
      const response = await fetch('/api/search.query', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' },
        body: JSON.stringify({ args: { query, limit: 20 } }),
      });
      const body = (await response.json()) as { value: { total: number; hits: { title: string }[] } };
      return { total: body.value.total, titles: body.value.hits.map((h) => h.title) };
    }, final);
    await poll(() => page.getByTestId('search-total').textContent()).toBe(`Matching items: ${expected.total}`);
    await poll(() => page.locator('.search-hit-title').allTextContents()).toEqual(expected.titles);
    // The screen says which query its results answer (the ui benchmark waits on it).
    expect(await page.locator('[data-results-for]').getAttribute('data-results-for')).toBe(final);
    // A shorter prefix ("nasiriyah") has another answer: had a stale one stayed, these would differ.
    await input.fill('zzzz');
    await poll(() => page.getByText('Nothing in the archive matches this search.').isVisible()).toBe(true);
    expect(await page.getByRole('option').count()).toBe(0);
  });

  it('pages through many results by cursor', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('zebrafinch');
    await poll(() => page.getByTestId('search-total').textContent()).toBe('Matching items: 45');
    const options = page.getByRole('option');
    await poll(() => options.count()).toBe(20);
    const more = page.getByRole('button', { name: 'Show more results' });
    await more.click();
    await poll(() => options.count()).toBe(40);
    // The arrows reach the end of the list and ask for the next page themselves.
    await input.focus();
    for (let i = 0; i < 39; i++) await input.press('ArrowDown');
    await poll(() => options.nth(39).getAttribute('aria-selected')).toBe('true');
    // The arrows brought the active hit into view.
    const scroller = page.locator('.search-results');
    const inView = () =>
      scroller.evaluate((el) => {
        const hit = el.querySelector('[aria-selected="true"]')!.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return el.scrollTop > 0 && hit.top >= box.top - 1 && hit.bottom <= box.bottom + 1;
      });
    await poll(inView).toBe(true);
    await input.press('ArrowDown');
    await poll(() => options.count()).toBe(45);
    await poll(() => more.count()).toBe(0);
    const titles = await page.locator('.search-hit-title').allTextContents();
    expect(new Set(titles).size).toBe(45);
    // A new answer (as long as the last: the list could stay scrolled) starts at its top, with its
    // first hit active.
    await input.fill('zebrafinch -kidnapping');
    await poll(() => page.locator('[data-results-for]').getAttribute('data-results-for')).toBe('zebrafinch -kidnapping');
    await poll(() => options.count()).toBe(20);
    await poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(0);
    await poll(() => options.nth(0).getAttribute('aria-selected')).toBe('true');
  });

  it('exports every item a search finds, not only the page shown', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('zebrafinch');
    await poll(() => page.getByTestId('search-total').textContent()).toBe('Matching items: 45');
    await page.getByTestId('search-export').click();
    const dialog = page.getByRole('dialog', { name: 'Export a bundle' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('export-what').textContent()).toContain('The items found by: zebrafinch');
    await poll(() => dialog.getByTestId('export-method-passphrase').isChecked()).toBe(true);
    await dialog.getByTestId('export-passphrase').fill('finches sing at dawn over the marsh');
    await dialog.getByTestId('export-passphrase-again').fill('finches sing at dawn over the marsh');
    const to = path.join(tmpDir('e2e-search-export-'), 'zebrafinch.sijil');
    await dialog.getByTestId('export-to').fill(to);
    await dialog.getByTestId('export-start').click();
    await poll(() => dialog.getByTestId('export-done').isVisible()).toBe(true);
    expect(await dialog.getByTestId('export-done').textContent()).toContain('Items: 45');
    expect(fs.readFileSync(to).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await poll(() => dialog.count()).toBe(0);
  });

  it('moves with the arrows and opens the highlighted hit with Enter', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('appeal');
    const options = page.getByRole('option');
    // The answer to 'appeal' itself, not the last test's hits still on screen.
    await poll(() => page.locator('[data-results-for]').getAttribute('data-results-for')).toBe('appeal');
    await poll(() => options.count()).toBeGreaterThanOrEqual(2);
    await poll(() => options.nth(0).getAttribute('aria-selected')).toBe('true');
    await input.press('ArrowDown');
    await poll(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
    const active = await input.getAttribute('aria-activedescendant');
    expect(active).toBe(await options.nth(1).getAttribute('id'));
    const title = (await options.nth(1).locator('.search-hit-title').textContent()) ?? '';
    await input.press('Enter');
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    // Back returns to the same search and its results.
    await page.goBack();
    await page.waitForURL(/#\/search/);
    await poll(() => page.getByRole('combobox', { name: 'Search the archive' }).inputValue()).toBe('appeal');
    await poll(() => page.getByRole('option').count()).toBeGreaterThanOrEqual(2);
  });

  it('opens the top hit when Enter comes straight after typing', async () => {
    const { page } = s;
    await page.evaluate(() => (window.location.hash = '#/search'));
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('habboubi');
    await input.press('Enter');
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Protest activist abducted');
  });

  it('works in Arabic, right to left', async () => {
    const { page } = s;
    await switchLanguage(page, 'ar', '#/search');
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const input = page.getByRole('combobox', { name: 'ابحث في الأرشيف' });
    await input.fill('الناصرية');
    await poll(() => page.getByRole('option').count()).toBeGreaterThanOrEqual(1);
    await poll(() => page.getByTestId('search-total').textContent()).toMatch(/^العناصر المطابقة: /);
    // Dates and language names in Arabic too (the formatters are kept per language).
    await poll(() => page.locator('.search-hit-date').first().textContent()).toMatch(/^[^A-Za-z]+$/);
    await poll(() => page.locator('[data-facet=language]').textContent()).toContain('العربية');
    await s.shot('search-ar');
    await page.getByRole('button', { name: 'كيف تكتب بحثًا' }).click();
    await poll(() => page.getByRole('dialog', { name: 'كتابة البحث' }).isVisible()).toBe(true);
    await s.shot('search-help-ar');
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'en', '#/search');
    await poll(() => page.locator('.search-hit-date').first().textContent()).toMatch(/[A-Za-z]/);
    await poll(() => page.locator('[data-facet=language]').textContent()).toContain('Arabic');
    await switchLanguage(page, 'en', '#/library');
  });

  it('finds a name written in the other script: Kadhimi also finds الكاظمي, after the English hit', async () => {
    const { page } = s;
    await page.evaluate(() => (window.location.hash = '#/search'));
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('Kadhimi');
    await poll(() => page.getByTestId('search-also-matched').textContent()).toContain('الكاظمي');
    // Two English reports name him, the Arabic one after them.
    const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await poll(() => options.count()).toBe(3);
    expect(await options.nth(0).textContent()).toContain('Kadhimi');
    expect(await options.nth(1).textContent()).toContain('Kadhimi');
    expect(await options.nth(2).textContent()).toContain('عائلة الناشط سجاد نوري');
    expect(await options.nth(2).locator('mark').allTextContents()).toContain('الكاظمي');
    await s.shot('search-cross-script-en');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
