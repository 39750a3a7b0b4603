// Builds the Node side into dist/electron: the desktop app's main process (main.js, ESM), the
// archive engine's worker thread (engineWorker.js, ESM), the preload (preload.cjs: a sandboxed
// preload cannot load ES modules or any file but itself, so it is one CommonJS file whose only
// import is 'electron'), and browser mode's command (serve.js, what `npm run serve` runs). The
// renderer is built by vite.config.ts into dist/renderer.
//
//   node electron/build.ts            both parts (what `npm run build` runs)
//   node electron/build.ts --node     only dist/electron
//
// Packages are not bundled: electron-builder ships the production dependencies in node_modules
// beside dist/, and better-sqlite3's native binary must stay a file anyway. Except zod: its 95
// modules, loaded one by one by both the main thread and the engine's, took ~90 ms of each at every
// launch; bundled they are one chunk (electron-builder.yml leaves node_modules/zod out of the app).
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, 'dist', 'electron');
/** Packages bundled into dist/electron rather than loaded from node_modules (see above). */
export const BUNDLED_PACKAGES: readonly string[] = ['zod'];

function externals(): (string | RegExp)[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const deps = Object.keys(pkg.dependencies ?? {})
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .map((name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/|$)`));
  return ['electron', /^electron\//, /^node:/, ...builtinModules, ...deps];
}

/**
 * Modules find files beside them with `new URL('../../resources/sample/', import.meta.url)`.
 * Bundled, import.meta.url is the output file in dist/electron, so each such literal is rewritten
 * to reach the same file from there (in a packaged app the same layout sits inside app.asar).
 */
export function rebaseImportMetaUrls(code: string, moduleFile: string, outDir: string): string {
  return code.replace(/new URL\((['"])(\.{1,2}\/[^'"]*)\1,\s*import\.meta\.url\)/g, (_match, quote: string, rel: string) => {
    const target = path.resolve(path.dirname(moduleFile), rel);
    let rebased = path.relative(outDir, target).split(path.sep).join('/');
    if (!rebased.startsWith('.')) rebased = `./${rebased}`;
    if (rel.endsWith('/') && !rebased.endsWith('/')) rebased += '/';
    return `new URL(${quote}${rebased}${quote}, import.meta.url)`;
  });
}

function rebasePlugin(outDir: string) {
  return {
    name: 'sijil-rebase-import-meta-url',
    transform(code: string, id: string) {
      if (!id.startsWith(root) || id.includes('node_modules') || !/\.tsx?$/.test(id) || !code.includes('import.meta.url')) return null;
      return { code: rebaseImportMetaUrls(code, id, outDir), map: null };
    },
  };
}

function nodeConfig(options: { outDir: string; entries: Record<string, string>; format: 'es' | 'cjs'; fileName: string; emptyOutDir: boolean }): InlineConfig {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [rebasePlugin(options.outDir)],
    build: {
      ssr: true,
      outDir: options.outDir,
      emptyOutDir: options.emptyOutDir,
      target: 'node22',
      minify: false,
      sourcemap: true,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: options.entries,
        external: externals(),
        // Chunks sit beside the entries, so import.meta.url means the same folder in every file.
        output: { format: options.format, entryFileNames: options.fileName, chunkFileNames: 'chunk-[name]-[hash].js' },
      },
    },
    ssr: { target: 'node', noExternal: [...BUNDLED_PACKAGES] },
  };
}

/** Builds main, worker and preload into `outDir` (it must sit inside the repository, so packages resolve). */
export async function buildNode(outDir: string = OUT_DIR): Promise<void> {
  await build(
    nodeConfig({
      outDir,
      entries: {
        main: path.join(root, 'electron/main.ts'),
        engineWorker: path.join(root, 'electron/engineWorker.ts'),
        serve: path.join(root, 'electron/serve.ts'),
      },
      format: 'es',
      fileName: '[name].js',
      emptyOutDir: true,
    }),
  );
  await build(nodeConfig({ outDir, entries: { preload: path.join(root, 'electron/preload.ts') }, format: 'cjs', fileName: '[name].cjs', emptyOutDir: false }));
}

export async function buildRenderer(): Promise<void> {
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Vite keeps a NODE_ENV it finds: one left set in a shell must not ship React's development build.
  process.env.NODE_ENV = 'production';
  const nodeOnly = process.argv.includes('--node');
  const started = Date.now();
  if (!nodeOnly) await buildRenderer();
  await buildNode();
  process.stdout.write(`Built ${nodeOnly ? 'dist/electron' : 'dist/renderer and dist/electron'} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
