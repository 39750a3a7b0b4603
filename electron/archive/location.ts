// Where Sijil keeps things on this computer when nobody says: the per-OS folders for application
// data (the archive) and for caches (what can be rebuilt, such as compiled code); and whether a
// path lies inside a folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { phrase, type Phrase } from '../../shared/phrase.ts';

/** The archive's database, in its folder: what makes a folder an archive. */
export const DB_FILE = 'sijil.db';

/**
 * An XDG base folder, which the XDG spec says must be absolute and relative values ignored: one
 * relative to wherever Sijil was started could put the compile cache (code it runs) in a shared
 * folder.
 */
function xdg(value: string | undefined): string | undefined {
  return value && path.isAbsolute(value) ? value : undefined;
}

/** Sijil's own folder of this kind for this user: data roams on Windows, caches stay local. */
export function userFolder(kind: 'data' | 'cache', env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  switch (platform) {
    case 'win32':
      return kind === 'data'
        ? path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Sijil')
        : path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Sijil');
    case 'darwin':
      return path.join(home, 'Library', kind === 'data' ? 'Application Support' : 'Caches', 'Sijil');
    default:
      return kind === 'data'
        ? path.join(xdg(env.XDG_DATA_HOME) ?? path.join(home, '.local', 'share'), 'sijil')
        : path.join(xdg(env.XDG_CACHE_HOME) ?? path.join(home, '.cache'), 'sijil');
  }
}

export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SIJIL_ARCHIVE) return path.resolve(env.SIJIL_ARCHIVE);
  return path.join(userFolder('data', env, platform), 'archive');
}

/** `target` is `dir` or inside it (both resolved, and real paths where links matter). */
export function isInside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Why `dir` cannot be opened as an archive, or null: it is one already, or a folder that is new or
 * empty (an archive is made there). A file, or a folder holding other things, is refused: Sijil
 * never mixes its files into a folder of someone else's.
 */
export function archiveFolderProblem(dir: string): Phrase | null {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) return null;
  if (!fs.statSync(root).isDirectory()) return phrase('archive.open.isFile', { path: root });
  if (!holdsArchive(root) && fs.readdirSync(root).length > 0) return phrase('archive.open.notAnArchive', { path: root, file: DB_FILE });
  return null;
}

/** Whether `dir` holds an archive already (its database is there). */
export function holdsArchive(dir: string): boolean {
  return fs.existsSync(path.join(dir, DB_FILE));
}
