// Builds the renderer once before the end-to-end files run: they drive the real bundle, served by
// the real browser-mode server, exactly as `npm run serve` would.
import fs from 'node:fs';
import path from 'node:path';
import { buildRenderer } from '../../support/renderer.ts';
import { ROOT } from './paths.ts';

export default function setup(): void {
  if (process.env.SIJIL_E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) return;
  buildRenderer();
}
