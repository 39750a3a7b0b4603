// Issue 5's flows through the real desktop app (Playwright's _electron), where an Electron binary
// exists; browser mode runs the same flows everywhere (first-run, import, search, item, arabic and
// bundle tests), and this file repeats them in the desktop window: the demo archive at first run,
// importing chosen files (and a drop of a file with no path on disk, refused by name), search and
// open a hit, play the video and seek it through the sijil-app:// media handler, edit details,
// Arabic right to left, and a bundle exported from one app and imported into a second one with its
// own archive. Where no binary exists, it skips with one line, as electron.test.ts does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectron } from '../../electron/start.ts';
import { tmpDir } from '../support/tmp.ts';
import { switchLanguage } from './archives.ts';
import { poll } from './support/browser.ts';
import { dropFiles } from './support/drop.ts';
import { mediaDuration, playAndSeek } from './support/media.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const electron = findElectron();
const reason = electron.exists ? `the desktop app's flows (${electron.path})` : "the desktop app's flows: skipped, no Electron binary here; browser mode runs the same flows";
if (!electron.exists) process.stdout.write(`${reason}\n`);

const PASSPHRASE = 'cedar lantern harbour nine';
const SHOTS = path.join(root, 'test-output', 'screenshots');

interface Desktop {
  readonly app: ElectronApplication;
  readonly page: Page;
  readonly archiveDir: string;
}

/** Launches the built app on its own archive folder and settings folder, and waits for its window. */
async function launchDesktop(base: string): Promise<Desktop> {
  const archiveDir = path.join(base, 'archive');
  const env = { ...process.env, SIJIL_USER_DATA: path.join(base, 'userData') } as Record<string, string>;
  delete env.ELECTRON_RUN_AS_NODE;
  const app = await _electron.launch({ executablePath: electron.path, args: [path.join(root, 'dist', 'electron', 'main.js'), '--archive', archiveDir], env, cwd: root });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, archiveDir };
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `electron-${name}.png`) });
}

describe.skipIf(!electron.exists)(reason, () => {
  let researcher: Desktop;
  let archivist: Desktop | undefined;
  const bundle = path.join(tmpDir('electron-bundle-'), 'from-the-desktop.sijil');

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [path.join(root, 'electron', 'build.ts')], { cwd: root, stdio: 'inherit' });
    expect(built.status).toBe(0);
    researcher = await launchDesktop(tmpDir('electron-flows-'));
  });
  afterAll(async () => {
    await researcher?.app.close();
    await archivist?.app.close();
  });

  it('offers the demo archive at first run and opens it', async () => {
    const { page } = researcher;
    await page.getByRole('heading', { name: 'Welcome to Sijil' }).waitFor();
    await page.getByRole('button', { name: 'Open the demo archive' }).click();
    const list = page.getByRole('listbox', { name: 'Library' });
    await poll(() => list.getByRole('option').count()).toBe(5);
    await shot(page, 'library-en');
  });

  it('imports chosen files from disk, and refuses a dropped file that is not on disk, by name', async () => {
    const { page } = researcher;
    const folder = tmpDir('electron-import-');
    const note = path.join(folder, 'witness-sedge.txt');
    fs.writeFileSync(note, 'Witness statement taken in Nasiriyah. The word sedge marks it for this test.\n');
    await page.getByRole('button', { name: 'Import files…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import files' });
    await dialog.getByTestId('import-file-input').setInputFiles(note);
    await dialog.getByRole('button', { name: 'Import (1)' }).click();
    await poll(() => dialog.getByTestId('import-count-imported').textContent()).toBe('Imported: 1');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await poll(() => page.getByRole('listbox', { name: 'Library' }).getByRole('option').count()).toBe(6);

    // A File made in the page stands for one dragged from a web browser: it has no path on disk.
    await dropFiles(page, [{ name: 'photo-from-a-website.txt', type: 'text/plain', content: 'not on disk' }]);
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Import (1)' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('was dragged from another program');
    expect(await dialog.getByRole('alert').textContent()).toContain('photo-from-a-website.txt');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await poll(() => page.getByRole('listbox', { name: 'Library' }).getByRole('option').count()).toBe(6);
  });

  it('searches, opens a hit, plays the video and seeks into it', async () => {
    const { page } = researcher;
    await page.evaluate(() => (window.location.hash = '#/search'));
    const input = page.getByRole('combobox', { name: 'Search the archive' });
    await input.fill('ام ساجد kind:testimony');
    const hits = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await poll(() => hits.count()).toBe(1);
    expect(await hits.first().textContent()).toContain('Video appeal by the mother');
    await shot(page, 'search-en');
    await input.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Video appeal by the mother/ }).waitFor();
    const video = page.locator('video[data-testid="media-player"]');
    expect(await mediaDuration(video)).toBeGreaterThan(10);
    // Seeking far into the file needs the media handler's Range answers.
    await playAndSeek(video, 9.5);
    await shot(page, 'testimony-en');
  });

  it('edits details, and they survive a reload', async () => {
    const { page } = researcher;
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Place').fill('Habboubi Square, Nasiriyah');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await poll(() => page.getByText('Habboubi Square, Nasiriyah').first().isVisible()).toBe(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Video appeal by the mother/ }).waitFor();
    await poll(() => page.getByText('Habboubi Square, Nasiriyah').first().isVisible()).toBe(true);
  });

  it('switches to Arabic: the window turns right to left', async () => {
    const { page } = researcher;
    await switchLanguage(page, 'ar', '#/library');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const sidebar = (await page.getByRole('navigation').first().boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    expect(sidebar.x).toBeGreaterThan(main.x);
    await page.getByRole('listbox', { name: 'المكتبة' }).getByRole('option').first().waitFor();
    await shot(page, 'library-ar');
    await switchLanguage(page, 'en', '#/library');
  });

  it('exports a bundle, and a second app with its own archive imports it', async () => {
    const { page } = researcher;
    await page.locator('main').getByRole('button', { name: 'Export…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Export a bundle' });
    await poll(() => dialog.getByTestId('export-method-passphrase').isChecked()).toBe(true);
    await dialog.getByTestId('export-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('export-passphrase-again').fill(PASSPHRASE);
    await dialog.getByTestId('export-to').fill(bundle);
    await dialog.getByTestId('export-start').click();
    await poll(() => dialog.getByTestId('export-done').isVisible()).toBe(true);
    expect(fs.readFileSync(bundle).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    archivist = await launchDesktop(tmpDir('electron-archivist-'));
    const other = archivist.page;
    await other.getByRole('heading', { name: 'Welcome to Sijil' }).waitFor();
    await other.getByRole('button', { name: 'Open a bundle…' }).click();
    const open = other.getByRole('dialog', { name: 'Import a bundle' });
    await open.getByTestId('bundle-file-input').setInputFiles(bundle);
    await open.getByTestId('bundle-secret').fill(PASSPHRASE);
    await open.getByTestId('bundle-inspect').click();
    await poll(() => open.getByTestId('bundle-summary').isVisible()).toBe(true);
    await open.getByTestId('bundle-import').click();
    await poll(() => open.getByTestId('bundle-result').isVisible()).toBe(true);
    // Redacted by default: the protected field note stays behind.
    expect(await open.getByTestId('bundle-added').textContent()).toBe('Added: 5');
    await shot(other, 'bundle-imported-en');
  });
});
