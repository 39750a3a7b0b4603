// verify.json in the archive folder: the verification schedule, and the last event the previous
// verification saw (so a log rewritten since then is caught). Kept beside the database, so it moves
// with the archive; written to a temporary name, fsynced and renamed, so a crash leaves the old file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { VERIFY_EVERY, type VerifyEvery } from '../../shared/api.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';

export const VERIFY_FILE = 'verify.json';

const Settings = z.object({
  version: z.literal(1),
  every: z.enum(VERIFY_EVERY),
  head: z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
});
export type VerifySettings = z.infer<typeof Settings>;

const DEFAULTS: VerifySettings = { version: 1, every: 'off', head: null };

export const PERIOD_MS: Record<Exclude<VerifyEvery, 'off'>, number> = {
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
  monthly: 30 * 24 * 3600_000,
};

export function readVerifySettings(archiveDir: string): VerifySettings {
  const file = path.join(archiveDir, VERIFY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULTS;
    throw new ArchiveError('archive-unreadable', phrase('archive.verify.settingsUnreadable', { file, reason: (err as Error).message }));
  }
  try {
    return Settings.parse(JSON.parse(text));
  } catch {
    throw new ArchiveError('archive-unreadable', phrase('archive.verify.settingsDamaged', { file }));
  }
}

export function writeVerifySettings(archiveDir: string, settings: VerifySettings): void {
  const file = path.join(archiveDir, VERIFY_FILE);
  const tmp = path.join(archiveDir, `.${VERIFY_FILE}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, `${JSON.stringify(Settings.parse(settings), null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    removeStaleTemps(archiveDir);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArchiveError(code === 'ENOSPC' ? 'disk-full' : 'archive-unreadable', phrase('archive.verify.settingsUnwritable', { file, reason: (err as Error).message }));
  }
  try {
    const dir = fs.openSync(archiveDir, 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename is still atomic there.
  }
}

/** What a writer killed between the write and the rename left: harmless, but not to pile up. */
function removeStaleTemps(archiveDir: string): void {
  const hourAgo = Date.now() - 3600_000;
  for (const name of fs.readdirSync(archiveDir)) {
    if (!name.startsWith(`.${VERIFY_FILE}.`) || !name.endsWith('.tmp')) continue;
    const full = path.join(archiveDir, name);
    if ((fs.statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < hourAgo) fs.rmSync(full, { force: true });
  }
}

/** Whether a verification is due: a schedule is set, and none ran within its period. */
export function isDue(every: VerifyEvery, lastAt: string | null, now: Date): boolean {
  if (every === 'off') return false;
  if (lastAt === null) return true;
  return now.getTime() - Date.parse(lastAt) >= PERIOD_MS[every];
}
