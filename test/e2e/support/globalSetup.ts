// Builds the renderer once before the end-to-end files run: they drive the real bundle, served by
// the real browser-mode server, exactly as `npm run serve` would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.ts';

export default function setup(): void {
  if (process.env.SIJIL_E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) return;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`The renderer did not build (vite exited with ${String(result.status ?? result.signal)}).`);
}
