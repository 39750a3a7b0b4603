// What the desktop app is told at launch: which archive to open (`--archive DIR`, else
// $SIJIL_ARCHIVE, else the folder last chosen in Settings, else the per-OS data folder) and, for
// tests and portable setups, where to keep its own settings ($SIJIL_USER_DATA). Plain Node, so it
// is tested without Electron.
import path from 'node:path';
import { defaultArchiveDir, holdsArchive } from './archive/location.ts';

export interface DesktopOptions {
  readonly archiveDir: string;
  /** Where archiveDir came from: the launch named it (flag, environment), or nobody did (default). */
  readonly archiveFrom: 'flag' | 'env' | 'default';
  /** Overrides Electron's userData folder; also separates the single-instance lock. */
  readonly userDataDir: string | null;
}

/** The value of `--name VALUE` or `--name=VALUE`, the last one winning as in most tools. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}` && i + 1 < argv.length) value = argv[++i];
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
  }
  return value === '' ? undefined : value;
}

export function desktopOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  cwd: string = process.cwd(),
): DesktopOptions {
  const archive = flagValue(argv, 'archive');
  const userData = env.SIJIL_USER_DATA;
  return {
    archiveDir: archive ? path.resolve(cwd, archive) : defaultArchiveDir(env, platform),
    archiveFrom: archive ? 'flag' : env.SIJIL_ARCHIVE ? 'env' : 'default',
    userDataDir: userData ? path.resolve(cwd, userData) : null,
  };
}

/**
 * The archive to open: the one the launch named, else the one chosen in Settings (`remembered`),
 * else the default. A remembered folder that holds no archive now (its drive not connected) is
 * `away` and not opened: opening it would make a new, empty archive on whatever disk is there.
 */
export function archiveToOpen(
  options: DesktopOptions,
  remembered: string | null,
  isArchive: (dir: string) => boolean = holdsArchive,
): { dir: string; away: string | null } {
  if (options.archiveFrom !== 'default' || remembered === null) return { dir: options.archiveDir, away: null };
  return isArchive(remembered) ? { dir: remembered, away: null } : { dir: options.archiveDir, away: remembered };
}
