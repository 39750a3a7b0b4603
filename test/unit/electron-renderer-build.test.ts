// The renderer's build (vite.config.ts) puts everything the app loads where it was asked to build:
// with --outDir, PDF.js's character maps, fonts, ICC profiles and wasm decoders land beside that
// build, not in dist/renderer (which another build may be serving or emptying at the same time).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRenderer } from '../support/renderer.ts';
import { tmpDir } from '../support/tmp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('vite build --outDir', () => {
  it('writes the PDF.js assets into that folder', () => {
    const out = path.join(tmpDir('sijil-renderer-build-'), 'renderer');
    buildRenderer(out);
    expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
    for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
      const from = path.join(root, 'node_modules', 'pdfjs-dist', dir);
      expect(fs.readdirSync(path.join(out, 'pdfjs', dir)).sort(), dir).toEqual(fs.readdirSync(from).sort());
    }
  });
});
