// A player on the page driven as a person does: wait for its length, play it (muted: no sound card
// in a test), seek, and see it go on playing from there. Seeking far into a file needs the door's
// Range answers.
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import { poll } from './browser.ts';

/** The media's duration in seconds, once its metadata has loaded. */
export function mediaDuration(player: Locator): Promise<number> {
  return player.evaluate(async (m: HTMLMediaElement) => {
    if (m.readyState < 1) await new Promise((r) => m.addEventListener('loadedmetadata', r, { once: true }));
    return m.duration;
  });
}

/** Plays, seeks to `to` seconds, checks it lands there and plays on, then pauses. */
export async function playAndSeek(player: Locator, to: number): Promise<void> {
  const duration = await mediaDuration(player);
  expect(duration).toBeGreaterThan(to);
  const landed = await player.evaluate(async (m: HTMLMediaElement, at: number) => {
    m.muted = true;
    await m.play();
    const seeked = new Promise((r) => m.addEventListener('seeked', r, { once: true }));
    m.currentTime = at;
    await seeked;
    return m.currentTime;
  }, to);
  expect(landed).toBeGreaterThanOrEqual(to - 0.5);
  expect(landed).toBeLessThan(duration);
  await poll(() => player.evaluate((m: HTMLMediaElement) => m.currentTime)).toBeGreaterThan(to + 0.1);
  await player.evaluate((m: HTMLMediaElement) => m.pause());
}
