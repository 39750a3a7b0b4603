// Where an archive lives when nobody says: the per-OS folder for application data.
import os from 'node:os';
import path from 'node:path';

export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SIJIL_ARCHIVE) return path.resolve(env.SIJIL_ARCHIVE);
  const home = os.homedir();
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Sijil', 'archive');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Sijil', 'archive');
    default:
      return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'sijil', 'archive');
  }
}
