// `npm start` (electron/start.ts): where the Electron binary is missing it says so in one sentence
// and points to browser mode, without ever downloading; where a binary is there it is launched with
// the built main and the app's arguments. No test here can trigger the download: every run sets
// CI and an override folder, either of which rules it out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MISSING_MESSAGE, findElectron, main, mayDownload, platformExecutable, splitArgs } from '../../electron/start.ts';
import { tmpDir } from '../support/tmp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('finding the Electron binary without loading the electron package', () => {
  it('reports nothing installed when the package has no path.txt', () => {
    const pkg = tmpDir('electron-pkg-');
    expect(findElectron({ env: {}, packageDir: pkg, platform: 'linux' })).toEqual({ path: path.join(pkg, 'dist', 'electron'), exists: false, source: 'missing' });
  });

  it('reports missing when path.txt names a binary that is not there', () => {
    const pkg = tmpDir('electron-pkg-');
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectron({ env: {}, packageDir: pkg }).exists).toBe(false);
  });

  it('finds an installed dist by path.txt', () => {
    const pkg = tmpDir('electron-pkg-');
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'Electron.app/Contents/MacOS/Electron');
    fs.mkdirSync(path.join(pkg, 'dist', 'Electron.app', 'Contents', 'MacOS'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'dist', 'Electron.app', 'Contents', 'MacOS', 'Electron'), '');
    expect(findElectron({ env: {}, packageDir: pkg })).toEqual({
      path: path.join(pkg, 'dist', 'Electron.app', 'Contents', 'MacOS', 'Electron'),
      exists: true,
      source: 'installed',
    });
  });

  it('prefers ELECTRON_OVERRIDE_DIST_PATH, as the electron package does', () => {
    const dist = tmpDir('electron-dist-');
    const pkg = tmpDir('electron-pkg-');
    expect(findElectron({ env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, packageDir: pkg, platform: 'linux' })).toEqual({
      path: path.join(dist, 'electron'),
      exists: false,
      source: 'override',
    });
    fs.writeFileSync(path.join(dist, 'electron'), '');
    expect(findElectron({ env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, packageDir: pkg, platform: 'linux' }).exists).toBe(true);
  });

  it('names the executable per platform', () => {
    expect(platformExecutable('linux')).toBe('electron');
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });
});

describe('when a missing binary may be downloaded', () => {
  it.each([
    [{}, [], true],
    [{ CI: 'true' }, [], false],
    [{ CI: '1' }, [], false],
    [{ CI: 'false' }, [], true],
    [{ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, [], false],
    [{ ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, [], false],
    [{}, ['--no-download'], false],
  ] as const)('env %o, flags %o → %s', (env, flags, expected) => {
    expect(mayDownload({ ...env }, flags)).toBe(expected);
  });

  it('keeps its own flags and passes the rest to the app', () => {
    expect(splitArgs(['--no-build', '--', '--archive', '/a'])).toEqual({ own: ['--no-build'], app: ['--archive', '/a'] });
    expect(splitArgs(['--archive=/a', '--no-download'])).toEqual({ own: ['--no-download'], app: ['--archive=/a'] });
  });
});

describe('npm start', () => {
  it('says in one sentence that Electron is missing and how to use browser mode, and fails', () => {
    const empty = tmpDir('electron-dist-');
    const run = spawnSync(process.execPath, [path.join(root, 'electron', 'start.ts'), '--no-build'], {
      cwd: root,
      env: { ...process.env, CI: 'true', ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${MISSING_MESSAGE}\n`);
    // One sentence: one full stop, at the end, and it names browser mode's command.
    expect(MISSING_MESSAGE.match(/\.(\s|$)/g)).toHaveLength(1);
    expect(MISSING_MESSAGE).toContain('npm run serve');
    expect(MISSING_MESSAGE).toMatch(/Electron binary is not installed/);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it('launches a binary that is there with the built main and the app’s arguments', async () => {
    const dist = tmpDir('electron-dist-');
    const record = path.join(dist, 'record.json');
    // A stand-in executable that records how it was started.
    fs.writeFileSync(
      path.join(dist, 'electron'),
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\nprocess.exit(7);\n`,
      { mode: 0o755 },
    );
    const appMain = path.join(dist, 'main.js');
    fs.writeFileSync(appMain, '');
    const code = await main(['--no-build', '--', '--archive', '/data/archive'], { ...process.env, CI: 'true', ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' }, { appMain });
    expect(code).toBe(7);
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toEqual({ argv: [appMain, '--archive', '/data/archive'], runAsNode: null });
  });
});
