// Builds the renderer as it ships, for the tests and benchmarks that load it. NODE_ENV is set to
// production: under vitest it is "test", and Vite, which keeps a NODE_ENV it finds, would then bundle
// React's development build (its jsx-dev-runtime, checks and double effects), which is not what
// people run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `vite build` into `outDir` (dist/renderer when absent); throws with Vite's output if it fails. */
export function buildRenderer(outDir?: string): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--logLevel', 'warn', ...(outDir === undefined ? [] : ['--outDir', outDir, '--emptyOutDir'])];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`The renderer did not build (vite exited with ${String(result.status ?? result.signal)}):\n${result.stdout}${result.stderr}`);
}
