// What the Search screen says while an answer is on its way, in a real browser. The page's clock
// is Playwright's (time moves only when the test moves it) and the search calls can be held back
// on their way to the server, so "after 250 ms" and "once typing has paused" are exact here, on any
// machine, with no timing in the assertions.
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { demoArchive, importMany } from './archives.ts';
import { chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';

const SEARCH_CALL = '**/api/search.query';

/** Holds every search call until `release` is called; `held` counts the calls waiting. */
async function holdSearches(page: Page): Promise<{ held: () => number; release: () => Promise<void> }> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sent: Promise<void>[] = [];
  const handler = (route: Route) => {
    const done = gate.then(() => route.continue());
    sent.push(done);
    return done;
  };
  await page.route(SEARCH_CALL, handler);
  let released: Promise<void> | null = null;
  const release = () =>
    (released ??= (async () => {
      open();
      // Unrouted only once each held call has gone on: unrouting first would answer them itself.
      await Promise.all(sent);
      await page.unroute(SEARCH_CALL, handler);
    })());
  // A test that fails while holding must not leave the next one without answers.
  onTestFinished(release);
  return { held: () => sent.length, release };
}

describe.skipIf(!chromiumAvailable())('the search status while answers are on their way', () => {
  let s: Session;
  beforeAll(async () => {
    const archiveDir = demoArchive();
    importMany(archiveDir, 'zebrafinch', 45);
    s = await openSession({ archiveDir });
    const now = Date.now();
    await s.page.clock.install({ time: now });
    await s.page.reload();
    await s.page.evaluate(() => (window.location.hash = '#/search'));
    // Time still runs while the screen loads (React shows a lazily loaded screen on a timer), and
    // from here on stands still unless a test moves it.
    await s.page.getByRole('combobox', { name: 'Search the archive' }).waitFor();
    await s.page.clock.pauseAt((await s.page.evaluate(() => Date.now())) + 1000);
  });
  afterAll(async () => {
    await s?.close();
  });

  const resultsFor = (page: Page) => page.locator('[data-results-for]').getAttribute('data-results-for');

  it('says "Searching…" and dims the results only once an answer has taken 250 ms', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('zebrafinch');
    await poll(() => resultsFor(page)).toBe('zebrafinch');
    const searching = page.locator('.search-status').getByText('Searching…');
    const body = page.locator('.search-body');
    const hold = await holdSearches(page);
    await input.fill('zebrafinch ledger');
    await poll(hold.held).toBe(1);
    // Not yet: a quick answer must not flash it.
    await page.clock.runFor(200);
    expect(await searching.count()).toBe(0);
    expect(await body.getAttribute('class')).not.toContain('is-stale');
    await page.clock.runFor(100);
    await poll(() => searching.count()).toBe(1);
    await poll(() => body.getAttribute('class')).toContain('is-stale');
    // The results to the text before stay on screen, dimmed, until the new answer comes.
    expect(await page.getByRole('option').count()).toBe(20);
    await hold.release();
    await poll(() => resultsFor(page)).toBe('zebrafinch ledger');
    await poll(() => searching.count()).toBe(0);
    expect(await body.getAttribute('class')).not.toContain('is-stale');
    await poll(() => page.getByTestId('search-total').textContent()).toBe('Matching items: 45');
  });

  it('does not say "no results" for the text before while the answer to the new text is on its way', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    const noResults = page.getByText('Nothing in the archive matches this search.');
    await input.fill('zzzz');
    await poll(() => resultsFor(page)).toBe('zzzz');
    await poll(() => noResults.isVisible()).toBe(true);
    const hold = await holdSearches(page);
    await input.fill('zebrafinch');
    await poll(hold.held).toBe(1);
    // The empty answer to "zzzz" is still the one on screen; it says nothing about "zebrafinch".
    expect(await resultsFor(page)).toBe('zzzz');
    expect(await noResults.count()).toBe(0);
    await hold.release();
    await poll(() => resultsFor(page)).toBe('zebrafinch');
    await poll(() => page.getByRole('option').count()).toBe(20);
    expect(await noResults.count()).toBe(0);
    // And an empty answer to the text in the box still says so.
    await input.fill('zzzz');
    await poll(() => noResults.isVisible()).toBe(true);
  });

  it('announces the total once, when typing pauses with its answer on screen, not every total on the way', async () => {
    const { page } = s;
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('');
    await poll(() => page.locator('[data-results-for]').count()).toBe(0);
    await page.clock.runFor(1000);
    // Every change of text in any live region of the screen, as a screen reader would hear it.
    await page.evaluate(() => {
      const w = window as unknown as { heard: string[] };
      w.heard = [];
      const regions = document.querySelectorAll('.search-screen :is([aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log])');
      for (const region of Array.from(regions)) {
        new MutationObserver(() => w.heard.push(region.textContent ?? '')).observe(region, { childList: true, subtree: true, characterData: true });
      }
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard.filter((text) => text !== ''));
    // Each keystroke's own answer reaches the screen, with less than the pause between keystrokes.
    const typed = 'zebrafinch';
    for (let i = 1; i <= typed.length; i++) {
      await input.press(typed[i - 1]!);
      await poll(() => resultsFor(page)).toBe(typed.slice(0, i));
      await page.clock.runFor(150);
    }
    await poll(() => page.getByTestId('search-total').textContent()).toBe('Matching items: 45');
    expect(await heard()).toEqual([]);
    await page.clock.runFor(500);
    await poll(heard).toEqual(['Matching items: 45']);

    // A second burst ending on the same total is announced again: it answers another search.
    for (const key of [' ', 'l', 'e', 'd', 'g', 'e', 'r']) {
      const before = await input.inputValue();
      await input.press(key === ' ' ? 'Space' : key);
      await poll(() => resultsFor(page)).toBe(before + key);
      await page.clock.runFor(150);
    }
    expect(await heard()).toEqual(['Matching items: 45']);
    await page.clock.runFor(500);
    await poll(heard).toEqual(['Matching items: 45', 'Matching items: 45']);
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
