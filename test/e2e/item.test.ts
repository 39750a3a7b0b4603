// One item at a time in a real browser: the testimony's video plays and seeks (the server answers
// Range requests with 206), details are edited with the field's error shown and then saved,
// graphic material stays blurred until clicked, identifying details stay hidden until revealed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

async function openFromLibrary(page: Page, title: RegExp): Promise<void> {
  await page.getByRole('link', { name: 'Library' }).click();
  const row = page.getByRole('option', { name: title });
  await row.waitFor();
  await row.dblclick();
  await page.waitForURL(/#\/item\//);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe.skipIf(!chromiumAvailable())('the item view', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession();
    await s.page.getByRole('button', { name: 'Open the demo archive' }).click();
    await s.page.getByRole('listbox', { name: 'Library' }).getByRole('option').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('plays the testimony video and seeks into it through Range requests', async () => {
    const { page } = s;
    await openFromLibrary(page, /Video appeal by the mother/);
    const video = page.locator('video[data-testid="media-player"]');
    await video.waitFor();
    await s.shot('testimony-en');
    const duration = await video.evaluate(async (v: HTMLVideoElement) => {
      if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
      return v.duration;
    });
    expect(duration).toBeGreaterThan(10);
    const after = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      const seeked = new Promise((r) => v.addEventListener('seeked', r, { once: true }));
      v.currentTime = 9.5;
      await seeked;
      return v.currentTime;
    });
    expect(after).toBeGreaterThanOrEqual(9);
    expect(after).toBeLessThan(duration);
    // It keeps playing from there.
    await poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(9.6);
    await video.evaluate((v: HTMLVideoElement) => v.pause());
    const media = s.responses.filter((r) => new URL(r.url()).pathname.startsWith('/media/'));
    expect(media.some((r) => r.status() === 206 && /^bytes \d+-\d+\/\d+$/.test(r.headers()['content-range'] ?? ''))).toBe(true);
  });

  it('keeps identifying details hidden until Reveal is clicked', async () => {
    const { page } = s;
    const protectedBox = page.getByTestId('protected-fields');
    await protectedBox.waitFor();
    const speakerName = page.getByText('Speaker\'s real name');
    expect(await speakerName.count()).toBe(0);
    await protectedBox.getByRole('button', { name: 'Reveal' }).click();
    await poll(() => protectedBox.getByText('Speaker\'s real name').isVisible()).toBe(true);
    await protectedBox.getByRole('button', { name: 'Hide' }).click();
    await poll(() => protectedBox.getByText('Speaker\'s real name').count()).toBe(0);
  });

  it('edits details: a bad date is refused at the field, a good one is saved and survives a reload', async () => {
    const { page } = s;
    await openFromLibrary(page, /Protest activist abducted/);
    await page.getByRole('button', { name: 'Edit' }).click();
    const place = page.getByLabel('Place');
    const eventDate = page.getByLabel('Date of the event');
    await eventDate.fill('3rd of July');
    await poll(() => page.getByRole('alert').filter({ hasText: 'Write a date like 2019' }).isVisible()).toBe(true);
    expect(await eventDate.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save' }).first().isDisabled()).toBe(true);
    await s.shot('item-edit-error-en');
    await eventDate.fill('2020-07-02');
    await place.fill('Habboubi Square, Nasiriyah');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await poll(() => page.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    await page.reload();
    await poll(() => page.getByText('Habboubi Square, Nasiriyah').first().isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'History' }).click();
    await poll(() => page.getByText('place').first().isVisible()).toBe(true);
    await s.shot('item-history-en');
  });

  it('shows an article in a sandboxed, script-less frame', async () => {
    const { page } = s;
    const frame = page.locator('iframe.article-frame');
    await page.getByRole('tab', { name: 'Details' }).click();
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain("default-src 'none'");
    await poll(() => page.frameLocator('iframe.article-frame').locator('body').textContent()).toContain('Nasiriyah');
    await s.shot('article-en');
  });

  it('blurs graphic material until it is clicked', async () => {
    const { page } = s;
    await openFromLibrary(page, /Video appeal by the mother/);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Sensitivity').selectOption('graphic');
    await page.getByRole('button', { name: 'Save' }).first().click();
    const guard = page.getByTestId('graphic-guard');
    await guard.waitFor();
    const filter = await guard.locator('.graphic-blur').evaluate((el) => getComputedStyle(el).filter);
    expect(filter).toContain('blur');
    // The hidden player cannot be reached: it is inert.
    expect(await guard.locator('.graphic-blur').evaluate((el) => (el as HTMLElement).inert)).toBe(true);
    await s.shot('graphic-hidden-en');
    await guard.getByRole('button', { name: 'Show it' }).click();
    await poll(() => page.getByTestId('graphic-guard').count()).toBe(0);
    expect(await page.locator('video[data-testid="media-player"]').isVisible()).toBe(true);
    // In the library its thumbnail is veiled too.
    await page.getByRole('link', { name: 'Library' }).click();
    const row = page.getByRole('option', { name: /Video appeal by the mother/ });
    await row.waitFor();
    expect(await row.locator('.thumb-graphic').count()).toBe(1);
    await s.shot('library-graphic-en');
  });

  it('keeps thumbnails in memory only, and removes the store in the browser profile earlier versions kept', async () => {
    const { page } = s;
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    // A frame kept on disk by an earlier version, as it kept them.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('sijil-thumbnails', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('thumbs');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('thumbs', 'readwrite');
            tx.objectStore('thumbs').put(new Blob(['a frame of evidence']), 'item/1');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        }),
    );
    expect(await databases()).toContain('sijil-thumbnails');
    await page.reload();
    await page.evaluate(() => (window.location.hash = '#/library'));
    // Thumbnails are drawn (the demo's video and photos), and nothing is stored for them.
    await poll(() => page.locator('.thumb img').count()).toBeGreaterThan(0);
    await poll(databases).toEqual([]);
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
