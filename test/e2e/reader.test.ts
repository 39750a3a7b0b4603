// The article reader's colours in a real browser: its frame has a document of its own (no script,
// an opaque origin), so it cannot take the app's stylesheet, yet it must follow the app's theme,
// including the system's switching while "As the system" is chosen and the article is open, and
// keep the reader's place when it does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../support/tmp.ts';
import { demoArchive } from './archives.ts';
import { callApi, chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';
import { ROOT } from './support/paths.ts';

const TITLE = 'Night shift at the Nasiriyah teaching hospital';

/** Imports one long article (long enough to scroll in its frame) with the real CLI. */
function importLongArticle(archiveDir: string): void {
  const folder = tmpDir('e2e-reader-');
  const paragraphs = Array.from(
    { length: 40 },
    (_, i) => `<p>Paragraph ${i + 1}. Nurses on the night shift described the wounded arriving after the protest, and the doctors who stayed until morning to treat them.</p>`,
  ).join('');
  const file = path.join(folder, 'night-shift.html');
  fs.writeFileSync(file, `<!doctype html><html lang="en"><head><title>${TITLE}</title></head><body><article><h1>${TITLE}</h1><blockquote>We did not go home.</blockquote>${paragraphs}</article></body></html>`);
  const run = spawnSync(process.execPath, [path.join(ROOT, 'electron', 'cli.ts'), '--archive', archiveDir, 'import', file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`import failed:\n${run.stderr}`);
}

interface Colours {
  readonly background: string;
  readonly color: string;
}

/** The colours the article's document shows. */
function frameColours(frame: Frame): Promise<Colours> {
  return frame.evaluate(() => {
    const style = getComputedStyle(document.body);
    return { background: style.backgroundColor, color: style.color };
  });
}

/** The app's own reading surface and text colour, as the page shows them now. */
function appColours(page: Page): Promise<Colours> {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.cssText = 'background:var(--surface);color:var(--text)';
    document.body.append(probe);
    const style = getComputedStyle(probe);
    const colours = { background: style.backgroundColor, color: style.color };
    probe.remove();
    return colours;
  });
}

describe.skipIf(!chromiumAvailable())('the article reader follows the theme', () => {
  let s: Session;
  let itemHash = '';
  beforeAll(async () => {
    const archiveDir = demoArchive();
    importLongArticle(archiveDir);
    s = await openSession({ archiveDir });
    await s.page.emulateMedia({ colorScheme: 'light' });
    const items = await callApi<{ id: string; title: string }[]>(s.page, 'items.list', { kind: 'article', limit: 50 });
    const item = items.find((i) => i.title === TITLE);
    if (!item) throw new Error(`no article titled ${TITLE}`);
    itemHash = `#/item/${item.id}`;
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Opens the article and returns its frame once the text is in it. */
  async function openArticle(page: Page): Promise<Frame> {
    await page.evaluate((hash) => (window.location.hash = hash), itemHash);
    const element = page.locator('iframe.article-frame');
    await element.waitFor();
    await poll(() => page.frameLocator('iframe.article-frame').locator('body').textContent()).toContain('Paragraph 40');
    const frame = await (await element.elementHandle())!.contentFrame();
    if (!frame) throw new Error('the article frame has no document');
    return frame;
  }

  async function chooseTheme(page: Page, name: 'As the system' | 'Light' | 'Dark'): Promise<void> {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByRole('radio', { name }).check();
  }

  it('follows the system switching to dark and back while the article is open, keeping the place', async () => {
    const { page } = s;
    const frame = await openArticle(page);
    const light = await appColours(page);
    expect(await frameColours(frame)).toEqual(light);
    // The reader has scrolled down the article.
    const place = await frame.evaluate(() => {
      window.scrollTo(0, 600);
      return window.scrollY;
    });
    expect(place).toBeGreaterThan(0);

    await page.emulateMedia({ colorScheme: 'dark' });
    await poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await appColours(page);
    expect(dark.background).not.toBe(light.background);
    await poll(() => frameColours(frame)).toEqual(dark);
    await s.shot('article-dark-en');
    // The same document, not a reloaded one: the reader's place is kept.
    expect(await frame.evaluate(() => window.scrollY)).toBe(place);

    await page.emulateMedia({ colorScheme: 'light' });
    await poll(() => frameColours(frame)).toEqual(light);
    expect(await frame.evaluate(() => window.scrollY)).toBe(place);

    // Still a frame that runs nothing and loads nothing.
    const element = page.locator('iframe.article-frame');
    expect(await element.getAttribute('sandbox')).toBe('');
    expect(await element.getAttribute('srcdoc')).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"`);
    expect(await element.getAttribute('srcdoc')).not.toMatch(/<script/i);
  });

  it('keeps a chosen light or dark whatever the system does', async () => {
    const { page } = s;
    await chooseTheme(page, 'Dark');
    let frame = await openArticle(page);
    const dark = await appColours(page);
    expect(await frameColours(frame)).toEqual(dark);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await frameColours(frame)).toEqual(dark);

    await chooseTheme(page, 'Light');
    await page.emulateMedia({ colorScheme: 'dark' });
    frame = await openArticle(page);
    const light = await appColours(page);
    expect(light.background).not.toBe(dark.background);
    expect(await frameColours(frame)).toEqual(light);

    await chooseTheme(page, 'As the system');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
