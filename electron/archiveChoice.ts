// The archive folder the desktop app opens when its launch does not name one (no --archive, no
// $SIJIL_ARCHIVE): the one last chosen in Settings, kept in the app's own settings folder, never
// inside an archive. Plain Node, so it is tested without Electron.
import fs from 'node:fs';
import path from 'node:path';

export const CHOICE_FILE = 'archive-location.json';

/** The folder last chosen, or null: none chosen, or a file that is unreadable or not one we wrote. */
export function rememberedArchive(userDataDir: string): string | null {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(userDataDir, CHOICE_FILE), 'utf8')) as unknown;
    const dir = typeof value === 'object' && value !== null ? (value as { dir?: unknown }).dir : undefined;
    // Only an absolute path: a relative one would depend on where the app happened to be started.
    return typeof dir === 'string' && path.isAbsolute(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** Remembers `dir` for the next launches; written whole or not at all (a new file renamed over the old). */
export function rememberArchive(userDataDir: string, dir: string): void {
  fs.mkdirSync(userDataDir, { recursive: true });
  const file = path.join(userDataDir, CHOICE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ dir: path.resolve(dir) })}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** The arguments to relaunch with so the new process opens `dir`: the old ones without their --archive, then --archive dir. */
export function relaunchArgs(argv: readonly string[], dir: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--archive') i++;
    else if (!arg.startsWith('--archive=')) out.push(arg);
  }
  return [...out, '--archive', path.resolve(dir)];
}
