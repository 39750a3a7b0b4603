// `npm start`: finds the Electron binary, builds the app, and launches it. Plain Node, and it never
// loads the electron package's index.js: that file downloads the binary as a side effect of being
// required, which fails (slowly) on a machine without internet.
//
//   node electron/start.ts [--no-build] [--no-download] [ARGS FOR THE APP, e.g. --archive DIR]
//
// Where the binary is missing and a download is allowed (not CI, ELECTRON_SKIP_BINARY_DOWNLOAD not
// set, no --no-download), it is fetched once with the electron package's own installer, exactly
// as `npx install-electron` would. If that fails, one sentence says so and how to use browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MISSING_MESSAGE =
  'The Electron binary is not installed (it is downloaded from the internet, which this machine could not reach), so run `npm run serve` to use Sijil in your web browser instead.';

export interface ElectronBinary {
  /** Where the binary is or would be. */
  readonly path: string;
  readonly exists: boolean;
  /** ELECTRON_OVERRIDE_DIST_PATH, the installed node_modules/electron/dist, or nothing installed yet. */
  readonly source: 'override' | 'installed' | 'missing';
}

/** The executable's path inside an Electron dist folder, as the electron package names it. */
export function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** The folder of the electron npm package, found through its package.json (which runs nothing). */
export function electronPackageDir(fromDir: string = root): string | null {
  try {
    return path.dirname(createRequire(path.join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Where the Electron binary is, by the same rules as the electron package's index.js (override
 * folder first, then dist/ named by path.txt), without running that file.
 */
export function findElectron(options: { env?: NodeJS.ProcessEnv; packageDir?: string | null; platform?: NodeJS.Platform } = {}): ElectronBinary {
  const env = options.env ?? process.env;
  const packageDir = options.packageDir === undefined ? electronPackageDir() : options.packageDir;
  let named: string | null = null;
  if (packageDir) {
    try {
      named = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || null;
    } catch {
      named = null;
    }
  }
  const executable = named ?? platformExecutable(options.platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable);
    return { path: file, exists: isFile(file), source: 'override' };
  }
  if (packageDir && named) {
    const file = path.join(packageDir, 'dist', named);
    if (isFile(file)) return { path: file, exists: true, source: 'installed' };
    return { path: file, exists: false, source: 'missing' };
  }
  return { path: packageDir ? path.join(packageDir, 'dist', executable) : executable, exists: false, source: 'missing' };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Whether `npm start` may try to fetch a missing binary: never in CI or when told not to. */
export function mayDownload(env: NodeJS.ProcessEnv, argv: readonly string[]): boolean {
  if (argv.includes('--no-download')) return false;
  if (truthy(env.CI) || truthy(env.ELECTRON_SKIP_BINARY_DOWNLOAD)) return false;
  // A dist folder the user chose is theirs to fill; nothing is downloaded into it.
  return !env.ELECTRON_OVERRIDE_DIST_PATH;
}

/** Runs the electron package's installer (the download `npx install-electron` does). */
function download(packageDir: string): boolean {
  process.stdout.write('Fetching the Electron binary (once; about 100 MB)...\n');
  const result = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], {
    cwd: packageDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 15 * 60_000,
    encoding: 'utf8',
  });
  return result.status === 0;
}

const OWN_FLAGS = new Set(['--no-build', '--no-download']);

/** The launcher's own flags, and the rest for the app (`npm start -- --archive DIR`). */
export function splitArgs(argv: readonly string[]): { own: string[]; app: string[] } {
  const own = argv.filter((a) => OWN_FLAGS.has(a));
  const app = argv.filter((a) => !OWN_FLAGS.has(a) && a !== '--');
  return { own, app };
}

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  options: { appMain?: string } = {},
): Promise<number> {
  const { own, app } = splitArgs(argv);
  let binary = findElectron({ env });
  if (!binary.exists && mayDownload(env, own)) {
    const packageDir = electronPackageDir();
    if (packageDir && download(packageDir)) binary = findElectron({ env });
  }
  if (!binary.exists) {
    process.stderr.write(`${MISSING_MESSAGE}\n`);
    return 1;
  }

  if (!own.includes('--no-build')) {
    const built = spawnSync(process.execPath, [path.join(root, 'electron', 'build.ts')], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) return built.status ?? 1;
  }
  const main = options.appMain ?? path.join(root, 'dist', 'electron', 'main.js');
  if (!isFile(main)) {
    process.stderr.write('The app is not built (dist/electron/main.js is missing): run `npm run build`.\n');
    return 1;
  }
  if (process.platform === 'linux' && process.getuid?.() === 0 && !app.includes('--no-sandbox')) {
    process.stderr.write('Note: Chromium refuses to run as root with its sandbox on; start Sijil as a normal user.\n');
  }

  // ELECTRON_RUN_AS_NODE would make the binary a plain Node and never open the app.
  const childEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.path, [main, ...app], { cwd: root, stdio: 'inherit', env: childEnv });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise<number>((resolve) => {
    child.on('error', (err) => {
      process.stderr.write(`Electron could not be started: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
