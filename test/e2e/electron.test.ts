// The real desktop app driven through Playwright's _electron, where an Electron binary exists
// (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist after a download). Where it does not,
// this file skips with one line: it never triggers the download (the binary is found by
// electron/start.ts's findElectron, which does not load the electron package, and its path is
// handed to Playwright as executablePath, so Playwright does not load it either).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectron } from '../../electron/start.ts';
import { tmpDir } from '../support/tmp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const electron = findElectron();
const reason = electron.exists
  ? `Electron app (${electron.path})`
  : 'Electron app: skipped, no Electron binary here (set ELECTRON_OVERRIDE_DIST_PATH or run `npx install-electron` on a machine with internet); browser mode covers the UI';
if (!electron.exists) process.stdout.write(`${reason}\n`);

interface Envelope {
  ok: boolean;
  value?: Record<string, unknown>;
  error?: { code: string; message: string };
}

describe.skipIf(!electron.exists)(reason, () => {
  let app: ElectronApplication;
  let page: Page;
  let archiveDir: string;
  let userData: string;
  const main = path.join(root, 'dist', 'electron', 'main.js');

  async function launch(): Promise<ElectronApplication> {
    const env = { ...process.env, SIJIL_USER_DATA: userData } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    return _electron.launch({ executablePath: electron.path, args: [main, '--archive', archiveDir], env, cwd: root });
  }

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [path.join(root, 'electron', 'build.ts')], { cwd: root, stdio: 'inherit' });
    expect(built.status).toBe(0);
    const base = tmpDir('electron-e2e-');
    archiveDir = path.join(base, 'archive');
    userData = path.join(base, 'userData');
    app = await launch();
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens one window on the app’s own page', async () => {
    expect(page.url()).toBe('sijil-app://app/');
    expect(app.windows()).toHaveLength(1);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('runs the window sandboxed, isolated and without Node', async () => {
    // No Node in the page (and window.sijil, tested below, exists only because contextBridge, which
    // refuses to work without context isolation, put it there).
    expect(await page.evaluate('typeof require + " " + typeof process + " " + typeof module + " " + typeof Buffer')).toBe('undefined undefined undefined undefined');
    // Electron has no public getter for a window's preferences; where the internal one exists, check them too.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> };
      return contents.getLastWebPreferences?.() ?? null;
    });
    if (prefs) expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('puts exactly invoke, on and pathForFile on window.sijil', async () => {
    expect(await page.evaluate('Object.keys(window.sijil).sort()')).toEqual(['invoke', 'on', 'pathForFile']);
    expect(await page.evaluate('typeof window.ipcRenderer + " " + typeof window.electron')).toBe('undefined undefined');
  });

  it('answers a contract call, and refuses a channel the contract does not have', async () => {
    const info = (await page.evaluate("window.sijil.invoke('archive.info', {})")) as Envelope;
    expect(info.ok).toBe(true);
    expect(info.value?.dir).toBe(archiveDir);
    const bad = (await page.evaluate("window.sijil.invoke('items.drop', {})")) as Envelope;
    expect(bad).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'There is no operation called items.drop.' } });
    const invalid = (await page.evaluate("window.sijil.invoke('items.get', { id: 5 })")) as Envelope;
    expect(invalid.error?.code).toBe('invalid-argument');
  });

  it('sends the strict CSP with the page', async () => {
    const csp = (await page.evaluate("fetch('sijil-app://app/').then((r) => r.headers.get('content-security-policy'))")) as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(await page.evaluate("(() => { try { return eval('1 + 1'); } catch { return 'blocked'; } })()")).toBe('blocked');
  });

  it('blocks navigation out of the app', async () => {
    for (const target of ['https://example.org/', 'file:///etc/passwd', 'javascript:void(document.title = "hijacked")']) {
      await page.evaluate(`location.href = ${JSON.stringify(target)}`);
      // A round trip through the main process: by then any navigation would have started.
      await page.evaluate("window.sijil.invoke('archive.info', {})");
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL())).toBe('sijil-app://app/');
    }
    expect(await page.title()).not.toBe('hijacked');
  });

  it('denies window.open', async () => {
    expect(await page.evaluate("window.open('sijil-app://app/') === null")).toBe(true);
    expect(await page.evaluate("window.open('about:blank') === null")).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('refuses every request that would leave the app', async () => {
    const result = await page.evaluate("fetch('https://example.org/').then(() => 'reached', () => 'refused')");
    expect(result).toBe('refused');
  });

  it('denies permissions', async () => {
    expect(await page.evaluate("navigator.permissions.query({ name: 'geolocation' }).then((s) => s.state)")).toBe('denied');
    expect(await page.evaluate("navigator.mediaDevices.getUserMedia({ audio: true }).then(() => 'granted', () => 'denied')")).toBe('denied');
  });

  it('gives a subframe no bridge', async () => {
    const inFrame = await page.evaluate(`new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.srcdoc = '<p>archived page</p>';
      f.onload = () => { resolve(typeof f.contentWindow.sijil); f.remove(); };
      document.body.appendChild(f);
    })`);
    expect(inFrame).toBe('undefined');
  });

  it('lets a second launch hand over to the running app', async () => {
    const env = { ...process.env, SIJIL_USER_DATA: userData } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    const second = spawnSync(electron.path, [main, '--no-sandbox', '--archive', archiveDir], { env, cwd: root, timeout: 60_000 });
    expect(second.status).toBe(0);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('remembers the window’s size', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setSize(1000, 700));
    await app.close();
    app = await launch();
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    const saved = JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8')) as { width: number; height: number };
    expect(saved).toMatchObject({ width: 1000, height: 700 });
    const [width, height] = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getSize());
    expect([width, height]).toEqual([1000, 700]);
  });
});
