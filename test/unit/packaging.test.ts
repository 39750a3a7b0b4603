// electron-builder.yml and its afterPack hook, checked without packaging (which needs the Electron
// binary): the config parses and names the targets and the hook, and the hook flips exactly the
// fuses we mean, shown by running it with real @electron/fuses on a file carrying a fuse wire.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PACKAGES } from '../../electron/build.ts';
import { tmpDir } from '../support/tmp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// js-yaml comes with electron-builder (which reads this very file with it); it has no types here.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  afterPack: string;
  publish: unknown;
  extraMetadata: { main: string };
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

interface HookModule {
  FUSES: Record<string, unknown>;
  default: (context: unknown) => Promise<void>;
}
const hookPath = path.resolve(root, config.afterPack);
const hook = (await import(pathToFileURL(hookPath).href)) as HookModule;

describe('electron-builder.yml', () => {
  it('names the app and the targets for every platform', () => {
    expect(config.productName).toBe('Sijil');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('packs the built app into asar with the SQLite binary unpacked, and never rebuilds it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack.some((p) => p.includes('better-sqlite3') && p.endsWith('.node'))).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**']));
    expect(config.extraMetadata.main).toBe('dist/electron/main.js');
  });

  it('leaves out of the app the packages the build bundles into dist/electron', () => {
    expect(BUNDLED_PACKAGES.length).toBeGreaterThan(0);
    for (const name of BUNDLED_PACKAGES) expect(config.files).toContain(`!node_modules/${name}/**`);
  });

  it('publishes nothing (no update server) and runs the fuse hook', () => {
    expect(config.publish).toBeNull();
    expect(config.afterPack).toBe('./resources/build/afterPack.mjs');
    expect(fs.existsSync(hookPath)).toBe(true);
  });
});

describe('the .deb maintainer', () => {
  it('is package.json’s author, read as electron-builder reads it: a name and an address, not a placeholder', async () => {
    const { readPackageJson } = createRequire(import.meta.url)('app-builder-lib/out/util/packageMetadata.js') as {
      readPackageJson(file: string): Promise<{ author?: { name?: string; email?: string } }>;
    };
    const { author } = await readPackageJson(path.join(root, 'package.json'));
    // As app-builder-lib's FpmTarget picks it: linux.maintainer, else "author <email>".
    const maintainer = (config.linux as { maintainer?: string }).maintainer ?? (author?.email ? `${author.name} <${author.email}>` : undefined);
    expect(maintainer).toBe(`${author?.name} <${author?.email}>`);
    expect(author?.name).toMatch(/^Sijil /);
    expect(author?.email).toMatch(/^[^\s@<>]+@[^\s@<>]+\.[a-z]+$/);
    expect(maintainer).not.toMatch(/\.invalid>$|placeholder/i);
  });
});

describe('the afterPack hook', () => {
  it('asks for exactly these fuses', () => {
    expect(hook.FUSES).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('flips them in a binary through electron-builder’s packager', async () => {
    // A stand-in for the Electron binary: random bytes around the fuse wire Electron 45 ships
    // (sentinel, version 1, nine fuses: RunAsNode, cookies, NODE_OPTIONS, inspect, asar integrity,
    // only-asar, V8 snapshot, file: privileges, WASM trap handlers).
    const shipped = '101100011';
    const binary = path.join(tmpDir('fuses-'), 'sijil');
    fs.writeFileSync(
      binary,
      Buffer.concat([crypto.randomBytes(4096), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, shipped.length]), Buffer.from(shipped), crypto.randomBytes(4096)]),
    );
    const { flipFuses } = await import('@electron/fuses');
    const asked: unknown[] = [];
    // Subtle: only the packager is stood in for; its addElectronFuses finds the binary and calls
    // flipFuses exactly like this (app-builder-lib platformPackager.js).
    const context = {
      electronPlatformName: 'linux',
      arch: 1,
      appOutDir: path.dirname(binary),
      packager: {
        addElectronFuses: async (_ctx: unknown, fuses: Parameters<typeof flipFuses>[1]) => {
          asked.push(fuses);
          return flipFuses(binary, fuses);
        },
      },
    };
    await hook.default(context);
    expect(asked).toEqual([{ ...hook.FUSES, resetAdHocDarwinSignature: false }]);
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    // The two we leave alone keep what Electron shipped.
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
  });

  it('resets the ad-hoc signature only for Apple silicon and universal macOS builds', async () => {
    const asked: { resetAdHocDarwinSignature?: boolean }[] = [];
    const run = (electronPlatformName: string, arch: number) =>
      hook.default({ electronPlatformName, arch, packager: { addElectronFuses: async (_c: unknown, f: { resetAdHocDarwinSignature?: boolean }) => void asked.push(f) } });
    await run('darwin', 3);
    await run('darwin', 4);
    await run('darwin', 1);
    await run('win32', 3);
    expect(asked.map((f) => f.resetAdHocDarwinSignature)).toEqual([true, true, false, false]);
  });
});
