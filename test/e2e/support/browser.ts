// Debian's Chromium driven by playwright-core, with a fresh profile for every session and every
// request watched: the app must never reach anything but its own 127.0.0.1 server.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';
import { tmpDir } from '../../support/tmp.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumProfile } from './chromium.ts';
import { SCREENSHOTS } from './paths.ts';
import { startServer, type RunningServer } from './server.ts';

export { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from './chromium.ts';

export interface Session {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly server: RunningServer;
  readonly archiveDir: string;
  /** Every request that went anywhere but the app's own server. Must stay empty. */
  readonly external: string[];
  /** Uncaught errors in the page. */
  readonly pageErrors: string[];
  /** Responses seen, for checks such as "the video was answered with 206". */
  readonly responses: Response[];
  /** Saves test-output/screenshots/<name>.png and returns its path. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

function isOwn(url: string, origin: string): boolean {
  if (/^(data|blob|about|chrome-error):/i.test(url)) return true;
  try {
    const u = new URL(url);
    return u.origin === origin || (u.hostname === '127.0.0.1' && u.port === new URL(origin).port);
  } catch {
    return false;
  }
}

export async function openSession(options: { archiveDir?: string; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Session> {
  const archiveDir = options.archiveDir ?? path.join(tmpDir('e2e-archive-'), 'archive');
  const server = await startServer(archiveDir);
  const profile = chromiumProfile(tmpDir('e2e-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: options.viewport ?? { width: 1360, height: 860 },
      locale: options.locale ?? 'en-GB',
      acceptDownloads: false,
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const external: string[] = [];
  const pageErrors: string[] = [];
  const responses: Response[] = [];
  context.on('request', (request) => {
    if (!isOwn(request.url(), server.origin)) external.push(request.url());
  });
  context.on('response', (response) => responses.push(response));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server.url);
  await page.waitForURL(`${server.origin}/**`);
  return {
    page,
    context,
    server,
    archiveDir,
    external,
    pageErrors,
    responses,
    async shot(name: string) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.stop();
    },
  };
}

/** Waits for the page to reach a state (the UI answers asynchronously); fails only if it never does. */
export function poll<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 20_000, interval: 100 });
}

/**
 * Keeps what a dialog shows the moment `selector` first appears in it, before a later render can
 * change it: start this before the click that opens the dialog, then await what it returns. A
 * dialog that first shows what it held when it last closed fails here, where a read made after the
 * click would race the render that corrects it.
 */
export async function firstSight(page: Page, selector: string): Promise<() => Promise<string | null>> {
  type Seen = { firstSight?: { value: string | null } };
  await page.evaluate((selector) => {
    const w = window as unknown as Seen;
    delete w.firstSight;
    const observer = new MutationObserver(() => {
      const el = document.querySelector(`dialog[open] ${selector}`);
      if (!el) return;
      observer.disconnect();
      w.firstSight = { value: el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : el.textContent };
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }, selector);
  return async () => {
    await poll(() => page.evaluate(() => (window as unknown as Seen).firstSight !== undefined)).toBe(true);
    return page.evaluate(() => (window as unknown as Seen).firstSight!.value);
  };
}

/** A contract call from the page, as the app itself makes it: for setting up and checking state. */
export async function callApi<T>(page: Page, channel: string, args: unknown): Promise<T> {
  return page.evaluate(
    async ({ channel, args }) => {
      const response = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' },
        body: JSON.stringify({ args }),
      });
      const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!body.ok) throw new Error(body.error?.message);
      return body.value;
    },
    { channel, args },
  ) as Promise<T>;
}
