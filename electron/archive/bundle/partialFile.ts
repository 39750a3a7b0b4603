// The hidden file an export writes beside its destination until the bundle is whole. Cancel and
// errors remove it; a crash (kill -9, power cut) cannot, so its name says whose it is (host and
// process id) and the next export into the same folder removes those whose writer is gone.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOST = os.hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 40) || 'host';
const PARTIAL = /^\..*\.([A-Za-z0-9_]+)-(\d+)-[0-9a-f]{12}\.partial$/;
/** Another machine's partial file (a shared folder) is left alone this long: its writer may still run. */
const FOREIGN_GRACE_MS = 24 * 3600_000;
/** Code points of the destination's name kept in the partial file's name, so it stays under 255 bytes. */
const NAME_KEEP = 100;

/** The partial file for `destination`: hidden, beside it, named after it and after this process. */
export function partialPathFor(destination: string): string {
  const name = Array.from(path.basename(destination)).slice(0, NAME_KEEP).join('');
  return path.join(path.dirname(destination), `.${name}.${HOST}-${process.pid}-${randomBytes(6).toString('hex')}.partial`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes partial files in `folder` left by exports that died: this host's whose process is gone,
 * and other hosts' older than a day. Best effort: a folder that cannot be listed is left as it is.
 * Resolves to the names removed.
 */
export function removeStalePartials(folder: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = PARTIAL.exec(name);
    if (!owner) continue;
    const full = path.join(folder, name);
    try {
      if (owner[1] === HOST ? isAlive(Number(owner[2])) : Date.now() - fs.statSync(full).mtimeMs < FOREIGN_GRACE_MS) continue;
      fs.rmSync(full, { force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}
