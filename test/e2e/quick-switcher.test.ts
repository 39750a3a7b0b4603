// Ctrl+K in a real browser over the demo archive: a modal dialog with a combobox over a listbox,
// fuzzy matches highlighted, arrows and Enter to choose an item or a tag, Escape to close with
// focus given back, and Tab kept inside the dialog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoSession, switchLanguage } from './archives.ts';
import { chromiumAvailable, poll, type Session } from './support/browser.ts';

describe.skipIf(!chromiumAvailable())('the Ctrl+K quick switcher', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openDemoSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens on Ctrl+K as an accessible dialog and finds items by a misspelt word', async () => {
    const { page } = s;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Go to' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const input = dialog.getByRole('combobox', { name: 'Find an item, tag or collection' });
    await poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill('sajad');
    const options = dialog.getByRole('option');
    await poll(() => options.count()).toBeGreaterThanOrEqual(2);
    // The first option is active, and the combobox says so.
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    // Matched letters are highlighted in the titles.
    const marks = await dialog.locator('mark').allTextContents();
    expect(marks.some((m) => /sajjad/i.test(m))).toBe(true);
    await s.shot('quick-switcher-en');
  });

  it('keeps Tab inside the dialog', async () => {
    const { page } = s;
    const dialog = page.getByRole('dialog', { name: 'Go to' });
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('dialog[open], [role=dialog]') !== null)).toBe(true);
    }
    await dialog.getByRole('combobox').focus();
  });

  it('chooses a collection with the arrows and Enter: the library shows only it', async () => {
    const { page } = s;
    const dialog = page.getByRole('dialog', { name: 'Go to' });
    const input = dialog.getByRole('combobox');
    await input.fill('dhi qar');
    const options = dialog.getByRole('option');
    const isCollection = (text: string) => text.startsWith('Collection') && text.includes('Dhi Qar protests');
    await poll(async () => (await options.allTextContents()).some(isCollection)).toBe(true);
    const index = (await options.allTextContents()).findIndex(isCollection);
    expect(index).toBeGreaterThan(0); // the tag Dhi Qar, an exact match, comes first
    for (let i = 0; i < index; i++) await input.press('ArrowDown');
    await poll(() => options.nth(index).getAttribute('aria-selected')).toBe('true');
    await input.press('Enter');
    await poll(() => dialog.count()).toBe(0);
    // Three of the five demo items are in that collection.
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dhi Qar protests 2019–2020');
    await poll(() => page.getByRole('listbox', { name: 'Dhi Qar protests 2019–2020' }).getByRole('option').count()).toBe(3);
  });

  it('opens the first item with Enter, even when pressed before the results show', async () => {
    const { page } = s;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Go to' });
    // Enter straight after typing, before the answer is in: the answer's first hit opens.
    await dialog.getByRole('combobox').fill('nasiriyah abducted');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Protest activist abducted outside his family home');
  });

  it('closes on Escape and gives focus back', async () => {
    const { page } = s;
    const back = page.getByRole('heading', { level: 1 });
    await back.evaluate((el) => {
      el.setAttribute('tabindex', '-1');
      (el as HTMLElement).focus();
    });
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Go to' });
    await poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await back.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('works in Arabic', async () => {
    const { page } = s;
    await switchLanguage(page, 'ar', '#/library');
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'انتقال سريع' });
    await dialog.getByRole('combobox', { name: 'ابحث عن عنصر أو وسم أو مجموعة' }).fill('سجاد');
    await poll(() => dialog.getByRole('option').count()).toBeGreaterThanOrEqual(1);
    await s.shot('quick-switcher-ar');
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'en', '#/library');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
