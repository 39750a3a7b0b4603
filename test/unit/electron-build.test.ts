// The desktop build (electron/build.ts): the sandboxed preload is one CommonJS file that loads only
// 'electron', the main process imports only Electron, Node and declared packages, and the bundled
// engine worker really runs: EngineHost starts it in plain Node and a contract call is answered.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNode, rebaseImportMetaUrls } from '../../electron/build.ts';
import { EngineHost } from '../../electron/engineHost.ts';
import { tmpDir } from '../support/tmp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the repository so the bundle's bare imports (better-sqlite3, zod) resolve from node_modules.
const out = path.join(root, 'dist', `.build-test-${process.pid}`, 'electron');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function importsOf(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:^|\n)\s*import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g)) found.add(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  for (const m of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  return [...found];
}

beforeAll(async () => {
  await buildNode(out);
});

afterAll(() => {
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

describe('the built desktop app', () => {
  it('makes main, the engine worker and the CommonJS preload', () => {
    for (const file of ['main.js', 'engineWorker.js', 'preload.cjs']) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
  });

  it('bundles the preload alone, with electron as its only import', () => {
    const code = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    expect(importsOf(code)).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("sijil"');
  });

  it('leaves only Electron, Node built-ins, declared packages and its own files to load at run time', () => {
    const allowed = (spec: string) =>
      spec === 'electron' ||
      spec.startsWith('node:') ||
      (/^\.\/[^/]+\.js$/.test(spec) && fs.existsSync(path.join(out, spec))) ||
      Object.keys(pkg.dependencies).some((dep) => spec === dep || spec.startsWith(`${dep}/`));
    for (const file of fs.readdirSync(out).filter((f) => f.endsWith('.js'))) {
      const imports = importsOf(fs.readFileSync(path.join(out, file), 'utf8'));
      expect(imports.filter((s) => !allowed(s)), file).toEqual([]);
    }
    // Everything the main process loads, following its own files.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      for (const spec of importsOf(fs.readFileSync(path.join(out, file), 'utf8'))) {
        if (loaded.has(spec)) continue;
        loaded.add(spec);
        if (spec.startsWith('./')) visit(spec.slice(2));
      }
    };
    visit('main.js');
    expect(loaded).toContain('electron');
    // The engine stays in its worker: SQLite never loads on the main process's event loop.
    expect(loaded).not.toContain('better-sqlite3');
    expect(loaded).not.toContain('./engineWorker.js');
  });

  it('runs the bundled engine worker', async () => {
    const archiveDir = path.join(tmpDir('build-'), 'archive');
    const host = await EngineHost.start(archiveDir, { workerUrl: new URL(`file://${path.join(out, 'engineWorker.js')}`), log: () => undefined });
    try {
      expect(await host.invoke('archive.info', {})).toMatchObject({ dir: archiveDir, items: 0 });
      const note = (await host.invoke('items.addNote', { title: 'Built', body: 'from the bundle' })) as { id: string };
      expect(await host.invoke('items.get', { id: note.id })).toMatchObject({ id: note.id, title: 'Built' });
    } finally {
      await host.close();
    }
  });
});

describe('files found beside a module', () => {
  it('are reached from the output folder once bundled', () => {
    const code = "const a = new URL('../../resources/sample/', import.meta.url); const b = new URL(\"../../../package.json\", import.meta.url);";
    const rebased = rebaseImportMetaUrls(code, path.join(root, 'electron/archive/sample.ts'), path.join(root, 'dist/electron'));
    expect(rebased).toContain("new URL('../../resources/sample/', import.meta.url)");
    const rebased2 = rebaseImportMetaUrls(code, path.join(root, 'electron/archive/bundle/export.ts'), path.join(root, 'dist/electron'));
    expect(rebased2).toContain('new URL("../../package.json", import.meta.url)');
    expect(rebaseImportMetaUrls("new URL(name, import.meta.url)", '/x/y.ts', '/out')).toBe('new URL(name, import.meta.url)');
  });
});
