// Archives for the end-to-end tests, made with the real CLI as a person would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { tmpDir } from '../support/tmp.ts';
import { openSession, type Session } from './support/browser.ts';
import { ROOT } from './support/paths.ts';

/** Runs the real CLI (as a person would) and returns what it printed; throws if it failed. */
export function sijil(args: string[]): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'electron', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sijil ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}

/** A new archive holding the demo items. */
export function demoArchive(): string {
  const dir = path.join(tmpDir('e2e-demo-'), 'archive');
  sijil(['--archive', dir, 'init', '--sample']);
  return dir;
}

/** A browser session on an archive, once its library is on screen. */
export async function openLibrary(archiveDir: string): Promise<Session> {
  const session = await openSession({ archiveDir });
  await session.page.getByRole('listbox', { name: 'Library' }).waitFor();
  return session;
}

/** A browser session on a new demo archive, once its library is on screen. */
export function openDemoSession(): Promise<Session> {
  return openLibrary(demoArchive());
}

/** A new, empty archive. */
export function emptyArchive(): string {
  const dir = path.join(tmpDir('e2e-empty-'), 'archive');
  sijil(['--archive', dir, 'init']);
  return dir;
}

/** Imports `count` small text files that all mention `word`, so one search has several pages. */
export function importMany(archiveDir: string, word: string, count: number): void {
  const folder = tmpDir('e2e-many-');
  for (let i = 1; i <= count; i++) fs.writeFileSync(path.join(folder, `field-log-${i}.txt`), `Field log ${i}\n\nEntry ${i}: the ${word} ledger was checked on day ${i}.\n`);
  sijil(['--archive', archiveDir, 'import', folder]);
}

/** Chooses the interface language in Settings, as a person would, then goes to `hash`. */
export async function switchLanguage(page: Page, lang: 'en' | 'ar', hash: string): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.locator(`input[name=language][value=${lang}]`).check();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await page.evaluate((h) => (window.location.hash = h), hash);
}

/**
 * Opens the item whose row matches `title` from the library, as a person does (a double click).
 * `library` is the sidebar link's name in the interface's language.
 */
export async function openFromLibrary(page: Page, title: RegExp, library = 'Library'): Promise<void> {
  await page.getByRole('link', { name: library }).click();
  const row = page.getByRole('option', { name: title });
  await row.waitFor();
  await row.dblclick();
  await page.waitForURL(/#\/item\//);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}
