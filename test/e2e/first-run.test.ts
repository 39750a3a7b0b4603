// First run in a real browser: an empty archive explains itself and offers the demo archive;
// opening it fills the library, and an item opens from there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

describe.skipIf(!chromiumAvailable())('first run with the demo archive', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('explains Sijil on an empty archive and loads the demo archive', async () => {
    const { page } = s;
    await poll(() => page.getByRole('heading', { name: 'Welcome to Sijil' }).isVisible()).toBe(true);
    await s.shot('first-run-en');
    await page.getByRole('button', { name: 'Open the demo archive' }).click();
    const list = page.getByRole('listbox', { name: 'Library' });
    await list.waitFor();
    await poll(() => list.getByRole('option').count()).toBeGreaterThanOrEqual(5);
    await poll(() => page.getByText('5 items').isVisible()).toBe(true);
    await s.shot('library-en');
  });

  it('opens an item from the library', async () => {
    const { page } = s;
    const row = page.getByRole('option', { name: /Video appeal by the mother/ });
    await row.dblclick();
    await page.waitForURL(/#\/item\//);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Video appeal by the mother');
    await poll(() => page.getByRole('region', { name: 'Transcript' }).isVisible()).toBe(true);
    await poll(() => page.getByRole('region', { name: 'Translation' }).isVisible()).toBe(true);
    await s.shot('testimony-en');
  });

  it('opens the quick switcher with Ctrl+K from anywhere', async () => {
    const { page } = s;
    await page.keyboard.press('Control+k');
    const dialog = page.getByTestId('quick-switcher');
    await dialog.waitFor();
    await page.getByTestId('quick-input').fill('sajjad');
    await poll(() => dialog.getByTestId('quick-option').count()).toBeGreaterThan(0);
    await s.shot('quick-switcher-en');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
  });

  it('opens the import dialog with the files dropped anywhere on the window', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    // A real drop's DataTransfer, carrying a file, dispatched on the library list itself.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Notes from the vigil on 12 July.'], 'vigil-notes.txt', { type: 'text/plain' }));
      const target = document.querySelector('[role="listbox"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await poll(() => dialog.getByTestId('import-file-list').textContent()).toContain('vigil-notes.txt');
    await s.shot('import-drop-en');
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('shows settings and search, in light and dark', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await poll(() => page.getByText('Location').isVisible()).toBe(true);
    await s.shot('settings-en');
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe('rgb(247, 247, 245)');
    await s.shot('settings-dark-en');
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    await s.shot('library-dark-en');
    await page.getByRole('link', { name: 'Settings' }).click();
    // "As the system" is the system's choice made concrete, and it follows the system's changes.
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('radio', { name: 'As the system' }).check();
    expect(await theme()).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg);
    await page.emulateMedia({ colorScheme: 'light' });
    await poll(theme).toBe('light');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(247, 247, 245)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await poll(theme).toBe('dark');
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await theme()).toBe('light');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('link', { name: 'Search' }).click();
    const input = page.locator('input[type="search"]').first();
    await input.waitFor();
    await input.fill('kadhimi');
    await page.waitForTimeout(1000);
    await s.shot('search-en');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
