// The renderer's build. Everything it needs is bundled from npm into dist/renderer: fonts, the
// PDF.js worker, every script as a file (no inline script), so the strict CSP `script-src 'self'`
// holds and nothing is ever fetched from the network.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
const pdfjsDir = fileURLToPath(new URL('./node_modules/pdfjs-dist', import.meta.url));

/** PDF.js loads character maps, standard fonts, ICC profiles and wasm decoders by URL when a
 *  PDF needs them: ship them beside the app (<outDir>/pdfjs/) so they come from 'self'. */
function pdfjsAssets(): Plugin {
  return {
    name: 'sijil-pdfjs-assets',
    apply: 'build',
    // Where this build really wrote (`vite build --outDir` included), not where builds usually go.
    writeBundle(output) {
      const target = output.dir ?? (output.file ? path.dirname(output.file) : outDir);
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        const from = path.join(pdfjsDir, dir);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(target, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

/**
 * The entry (main.tsx) is small and loads the app (boot.tsx) with import(), so that the launch's
 * calls go out before the app's code runs. Without a hint the browser would only ask for that
 * code once the entry has run: this lists it (and the chunks it imports) as modulepreload links in
 * index.html, and its styles as stylesheets, so they are fetched beside the entry instead of one
 * round trip after it (and the import() finds them there and does not wait for them again).
 */
function preloadApp(entry: string): Plugin {
  return {
    name: 'sijil-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle || !ctx.chunk) return [];
        const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId === entry);
        if (!app || app.type !== 'chunk') throw new Error(`${entry} is not a chunk of this build: the entry must import() it`);
        // The entry's own imports are preloaded by Vite already.
        const have = new Set([ctx.chunk.fileName, ...ctx.chunk.imports]);
        const scripts: string[] = [];
        const styles = new Set<string>();
        const visit = (file: string) => {
          if (have.has(file)) return;
          have.add(file);
          scripts.push(file);
          const chunk = bundle[file];
          if (chunk?.type !== 'chunk') return;
          chunk.viteMetadata?.importedCss.forEach((css) => styles.add(css));
          chunk.imports.forEach(visit);
        };
        visit(app.fileName);
        return [
          ...[...styles].map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
          ...scripts.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root,
  // Relative asset URLs: the same build is served from sijil-app://app/ and from http://127.0.0.1.
  base: './',
  plugins: [react(), pdfjsAssets(), preloadApp(path.join(root, 'boot.tsx'))],
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    // Never inline assets as data: URLs: fonts and images stay files the CSP allows as 'self'.
    assetsInlineLimit: 0,
    // The polyfill would be injected as an inline script in index.html, which the CSP forbids.
    modulePreload: { polyfill: false },
    target: 'es2023',
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: { host: '127.0.0.1' },
});
