// The Node build (electron/build.ts): the sandboxed preload is one CommonJS file that loads only
// 'electron', the main process imports only Electron, Node and declared packages, the bundled
// engine worker really runs (EngineHost starts it in plain Node and a contract call is answered),
// and so does browser mode's command from the build.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PACKAGES, buildNode, rebaseImportMetaUrls } from '../../electron/build.ts';
import { DEFERRED_LOADED, EngineHost } from '../../electron/engineHost.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

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
    for (const file of ['main.js', 'engineWorker.js', 'preload.cjs', 'serve.js']) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
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
      Object.keys(pkg.dependencies).some((dep) => !BUNDLED_PACKAGES.includes(dep) && (spec === dep || spec.startsWith(`${dep}/`)));
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

/** Every specifier `file` loads before it runs: its static imports, and theirs among the build's own files. */
function staticGraph(file: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (name: string) => {
    const code = fs.readFileSync(path.join(out, name), 'utf8');
    const statics = [...code.matchAll(/(?:^|\n)\s*import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g)].map((m) => m[1]!);
    for (const spec of statics) {
      if (loaded.has(spec)) continue;
      loaded.add(spec);
      if (spec.startsWith('./')) visit(spec.slice(2));
    }
  };
  visit(file);
  return loaded;
}

describe('what a launch loads', () => {
  it('the engine worker leaves importing, bundles and keys for their first call', () => {
    const loaded = [...staticGraph('engineWorker.js')];
    expect(loaded).toContain('better-sqlite3');
    // File type detection, tar and the age code are what those calls bring.
    for (const pkgName of ['file-type', 'tar-stream', '@noble/ciphers']) expect(loaded.filter((s) => s === pkgName || s.startsWith(`${pkgName}/`)), pkgName).toEqual([]);
  });

  it('loads that code soon after opening, so a build replaced under a running engine still imports', async () => {
    // A copy of the build, whose lazily loaded chunks are deleted once the engine says it has loaded them.
    const copy = path.join(path.dirname(out), 'replaced');
    fs.cpSync(out, copy, { recursive: true });
    const archiveDir = path.join(tmpDir('build-deferred-'), 'archive');
    // The worker logs once it has tried to load that code: loaded, or a warning of what failed.
    let tried!: () => void;
    const deferredTried = new Promise<void>((resolve) => (tried = resolve));
    const logged: string[] = [];
    const log = (level: string, message: string) => {
      logged.push(`${level}: ${message}`);
      tried();
    };
    const host = await EngineHost.start(archiveDir, { workerUrl: new URL(`file://${path.join(copy, 'engineWorker.js')}`), log });
    try {
      // Without any call: the worker loads it by itself, a few seconds after opening.
      await deferredTried;
      expect(logged).toEqual([`info: ${DEFERRED_LOADED}`]);
      for (const file of fs.readdirSync(copy)) if (file.startsWith('chunk-')) fs.rmSync(path.join(copy, file));
      const note = writeFile(tmpDir('build-deferred-src-'), 'note.txt', 'imported after the build was replaced');
      expect(await host.invoke('import.paths', { paths: [note] })).toMatchObject({ imported: 1 });
      expect(await host.invoke('keys.status', {})).toEqual({ recipient: null });
    } finally {
      await host.close();
    }
  });

  it('browser mode starts from the build and prints its address', async () => {
    const archiveDir = path.join(tmpDir('build-serve-'), 'archive');
    const rendererDir = tmpDir('build-renderer-');
    writeFile(rendererDir, 'index.html', '<!doctype html><title>Sijil</title>');
    const child = spawn(process.execPath, [path.join(out, 'serve.js'), '--archive', archiveDir, '--port', '0'], {
      env: { ...process.env, SIJIL_RENDERER_DIR: rendererDir, SIJIL_COMPILE_CACHE: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      void exited.then(() => resolve(stdout));
    });
    const m = /^Sijil is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(line);
    expect(m, stderr).not.toBeNull();
    const status = await new Promise<number>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: Number(m![1]), path: `/?token=${m![2]}`, agent: false }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    expect(status).toBe(303);
    // The engine it started opened the archive there.
    expect(fs.existsSync(path.join(archiveDir, 'sijil.db'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
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
