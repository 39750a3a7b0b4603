// Images and audio in a real browser, made with ffmpeg and imported with the real CLI: the image
// viewer fits, zooms by button and key, shows 100% and pans by dragging; the audio player plays
// and seeks through Range requests. Also the image viewer in Arabic.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../support/tmp.ts';
import { emptyArchive, openFromLibrary, sijil, switchLanguage } from './archives.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';
import { mediaDuration, playAndSeek } from './support/media.ts';

const WIDTH = 1600;
const HEIGHT = 1200;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

describe.skipIf(!chromiumAvailable())('images and audio', () => {
  let s: Session;
  beforeAll(async () => {
    const folder = tmpDir('e2e-media-');
    ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}`, '-frames:v', '1', path.join(folder, 'checkpoint-photo.png')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', path.join(folder, 'witness-call.wav')]);
    const archiveDir = emptyArchive();
    sijil(['--archive', archiveDir, 'import', folder]);
    s = await openSession({ archiveDir });
    await s.page.getByRole('listbox', { name: 'Library' }).getByRole('option').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('fits an image to the view, zooms by button and key, shows it at 100% and pans it by dragging', async () => {
    const { page } = s;
    await openFromLibrary(page, /checkpoint/);
    const frame = page.getByLabel('Image; use + and − to zoom, 0 to fit');
    const image = frame.locator('img');
    await poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(WIDTH);
    const level = page.locator('.zoom-level');
    const percent = async () => Number((await level.textContent())?.replace(/[^\d]/g, ''));
    const width = () => image.evaluate((img) => Math.round(img.getBoundingClientRect().width));
    // Fitted: smaller than the picture, and all of it inside the frame.
    await poll(percent).toBeGreaterThan(0);
    const fitted = await percent();
    expect(fitted).toBeLessThan(100);
    const box = (await frame.boundingBox())!;
    expect(await width()).toBeLessThanOrEqual(Math.ceil(box.width));
    await s.shot('image-fit-en');

    await page.getByRole('button', { name: 'Zoom in' }).click();
    await poll(percent).toBeGreaterThan(fitted);
    // The image is drawn at the zoom shown.
    expect(Math.abs((await width()) - (WIDTH * (await percent())) / 100)).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await poll(percent).toBeLessThanOrEqual(fitted);

    await page.getByRole('button', { name: '100%' }).click();
    await poll(width).toBe(WIDTH);
    expect(await page.getByRole('button', { name: '100%' }).getAttribute('aria-pressed')).toBe('true');
    await s.shot('image-actual-en');
    // Dragging moves a zoomed image under the pointer.
    const start = await frame.evaluate((el) => el.scrollLeft);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await poll(() => frame.evaluate((el) => el.scrollLeft)).toBe(start + 200);

    await frame.focus();
    await page.keyboard.press('+');
    await poll(width).toBe(WIDTH * 1.5);
    await page.keyboard.press('0');
    await poll(percent).toBe(fitted);
    expect(await page.getByRole('button', { name: 'Fit' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('plays audio and seeks into it through Range requests', async () => {
    const { page } = s;
    await openFromLibrary(page, /witness/);
    const audio = page.getByLabel(/^Audio: witness-call\.wav$/);
    await audio.waitFor();
    await s.shot('audio-en');
    expect(await mediaDuration(audio)).toBeCloseTo(4, 0);
    await playAndSeek(audio, 2.5);
    const media = s.responses.filter((r) => new URL(r.url()).pathname.startsWith('/media/') && r.request().headers()['range'] !== undefined);
    expect(media.some((r) => r.status() === 206 && /^bytes \d+-\d+\/\d+$/.test(r.headers()['content-range'] ?? ''))).toBe(true);
  });

  it('shows the image viewer in Arabic, its tools mirrored', async () => {
    const { page } = s;
    await openFromLibrary(page, /checkpoint/);
    const hash = new URL(page.url()).hash;
    await switchLanguage(page, 'ar', hash);
    const zoomIn = page.getByRole('button', { name: 'تكبير' });
    const zoomOut = page.getByRole('button', { name: 'تصغير' });
    await zoomIn.waitFor();
    // Right to left, the first tool (zoom out) is on the right.
    expect((await zoomOut.boundingBox())!.x).toBeGreaterThan((await zoomIn.boundingBox())!.x);
    // The zoom level and the 100% button are written alike, with the digits Intl gives Arabic here.
    const hundred = await page.evaluate(() => new Intl.NumberFormat('ar', { style: 'percent' }).format(1));
    expect(await page.getByRole('button', { name: hundred, exact: true }).count()).toBe(1);
    const script = (text: string) => (/[٠-٩]/.test(text) ? 'arab' : /[0-9]/.test(text) ? 'latn' : 'none');
    await poll(async () => script((await page.locator('.zoom-level').textContent()) ?? '')).toBe(script(hundred));
    await s.shot('image-ar');
    await switchLanguage(page, 'en', hash);
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
