// The interface in Arabic, in a real browser: the document turns right to left (the sidebar moves
// to the right), numbers and dates are Arabic, the choice survives a reload, and each text of a
// testimony reads in its own direction. Screenshots of every main screen in Arabic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFromLibrary } from './archives.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

describe.skipIf(!chromiumAvailable())('Arabic', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  const boxes = async () => {
    const sidebar = await s.page.getByRole('navigation').first().boundingBox();
    const main = await s.page.locator('main').boundingBox();
    return { sidebar: sidebar!, main: main! };
  };

  it('switches to Arabic in Settings: dir="rtl", lang="ar", the sidebar on the right', async () => {
    const { page } = s;
    await page.getByRole('heading', { name: 'Welcome to Sijil' }).waitFor();
    const before = await boxes();
    expect(before.sidebar.x).toBeLessThan(before.main.x);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'العربية' }).check();
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await page.getByRole('heading', { name: 'الإعدادات', level: 1 }).waitFor();
    const after = await boxes();
    expect(after.sidebar.x).toBeGreaterThan(after.main.x);
    expect(after.sidebar.x + after.sidebar.width).toBeCloseTo(page.viewportSize()!.width, 0);
    await s.shot('settings-ar');
  });

  it('keeps Arabic after a reload and shows the first run in Arabic', async () => {
    const { page } = s;
    await page.goto(`${s.server.origin}/#/library`);
    await page.getByRole('heading', { name: 'مرحبًا بك في سِجِل' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await s.shot('first-run-ar');
  });

  it('shows the library with Arabic numbers and dates', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'افتح الأرشيف التجريبي' }).click();
    const list = page.getByRole('listbox', { name: 'المكتبة' });
    await list.getByRole('option').first().waitFor();
    // Five items: the number as Intl writes it in Arabic, and the plural form for 3 to 10.
    const five = await page.evaluate(() => new Intl.NumberFormat('ar').format(5));
    await poll(() => page.locator('.screen-sub').textContent()).toBe(`${five} عناصر`);
    await poll(() => list.locator('.lib-date').first().textContent()).toMatch(/يوليو|تموز/);
    const row = await list.getByRole('option').first().boundingBox();
    const check = await list.getByRole('option').first().locator('.lib-check').boundingBox();
    // The checkbox column leads on the right.
    expect(check!.x).toBeGreaterThan(row!.x + row!.width / 2);
    await s.shot('library-ar');
  });

  it('reads the transcript right to left and the translation left to right', async () => {
    const { page } = s;
    await page.getByRole('option', { name: /Video appeal by the mother/ }).dblclick();
    await page.waitForURL(/#\/item\//);
    const transcript = page.getByRole('region', { name: 'النص المفرَّغ' });
    const translation = page.getByRole('region', { name: 'الترجمة' });
    await transcript.waitFor();
    expect(await transcript.locator('.text-panel-body').getAttribute('dir')).toBe('rtl');
    expect(await translation.locator('.text-panel-body').getAttribute('dir')).toBe('ltr');
    const tBox = await transcript.boundingBox();
    const rBox = await translation.boundingBox();
    // Side by side, the first (the transcript) on the right in an Arabic layout.
    expect(tBox!.x).toBeGreaterThan(rBox!.x);
    await s.shot('testimony-ar');
    await page.getByRole('tab', { name: 'السجل' }).click();
    await page.getByRole('heading', { name: 'سجل الحيازة' }).waitFor();
    await s.shot('custody-ar');
  });

  it('shows search in Arabic', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'البحث' }).click();
    await page.waitForURL(/#\/search/);
    const input = page.getByRole('searchbox').or(page.locator('input[type="search"]')).first();
    await input.waitFor();
    await input.fill('ساجد');
    await page.waitForTimeout(1500);
    await s.shot('search-ar');
    // A warning that opens with the Latin word it quotes still reads right to left.
    await input.fill('ساجد kind:');
    const warning = page.getByTestId('search-warnings').locator('li').first();
    await poll(() => warning.textContent()).toMatch(/^«kind:»/);
    expect(await warning.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });

  it('reads an Arabic article right to left in its frame, and an English one left to right', async () => {
    const { page } = s;
    const frameDir = () => page.frameLocator('iframe.article-frame').locator('html').getAttribute('dir');
    const open = async (title: RegExp) => {
      await openFromLibrary(page, title, 'المكتبة');
      await page.locator('iframe.article-frame').waitFor();
    };
    await open(/عائلة الناشط سجاد نوري/);
    await poll(frameDir).toBe('rtl');
    await poll(() => page.frameLocator('iframe.article-frame').locator('body').textContent()).toContain('سجاد');
    await s.shot('article-ar');
    await open(/Protest activist abducted/);
    await poll(frameDir).toBe('ltr');
    await s.shot('article-en-in-ar');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
