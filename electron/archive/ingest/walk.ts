// Turns the paths a person gave (files and folders) into the list of files to import, following
// folders recursively. Symlinks are followed once: a loop is reported, not walked forever. A Sijil
// archive's folder is never walked (the one being imported into, inside the Documents folder a
// researcher imports, or another): its blobs would come in as nameless items without their records.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportOutcome } from '../../../shared/domain.ts';
import { DB_FILE } from '../index.ts';
import { isInside } from '../location.ts';
import { sidecarFor } from './ytdlp.ts';

export interface Candidate {
  readonly path: string;
  /** A yt-dlp .info.json found beside a video, by yt-dlp's naming. */
  readonly sidecar: string | null;
}

export interface WalkResult {
  readonly files: Candidate[];
  readonly skipped: ImportOutcome[];
}

// Files operating systems and tools leave in folders: never evidence.
const JUNK = /^(\.DS_Store|Thumbs\.db|desktop\.ini|\._.*|~\$.*|\.~lock\..*)$/i;
const INFO_JSON = /\.info\.json$/i;
/** Whether `dir` holds an archive's database; a folder that cannot be looked into does not. */
function isArchiveFolder(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, DB_FILE), { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** Where the files go: the archive's folder, and the one place inside it files are imported from. */
export interface WalkTarget {
  readonly archiveDir: string;
  /** Browser mode stages uploads here before importing them (electron/uploads.ts). */
  readonly stagingDir: string;
}

export function walk(inputs: readonly string[], target?: WalkTarget): WalkResult {
  // Real paths as the operating system spells them (.native: on Windows in the disk's own letter
  // case), so that the archive's folder is recognised under a name typed in another case.
  const own = target === undefined ? null : { dir: safeRealpath(target.archiveDir), staging: safeRealpath(target.stagingDir) };
  const files: string[] = [];
  const skipped: ImportOutcome[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const visit = (p: string, explicit: boolean): void => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? fs.lstatSync(p, { throwIfNoEntry: false })
            ? 'it is a link to something that does not exist'
            : 'it does not exist'
          : code === 'ELOOP'
            ? 'it is a link that points back to itself'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : `it cannot be read (${code ?? (err as Error).message})`;
      skipped.push({ path: p, status: 'skipped', reason });
      return;
    }
    const base = path.basename(p);
    if (!explicit && (JUNK.test(base) || base.startsWith('.'))) return;
    const real = safeRealpath(p);
    if (own !== null && isInside(own.dir, real) && !isInside(own.staging, real)) {
      skipped.push({
        path: p,
        status: 'skipped',
        reason:
          real === own.dir
            ? 'it is the folder of this archive itself: its files are already in it'
            : 'it is inside this archive\u2019s own folder (its database or its store), which holds no files to import',
      });
      return;
    }
    if (stat.isDirectory()) {
      if (seenDirs.has(real)) {
        skipped.push({ path: p, status: 'skipped', reason: 'this folder was already walked (a link loops back to it)' });
        return;
      }
      seenDirs.add(real);
      if (isArchiveFolder(p)) {
        skipped.push({
          path: p,
          status: 'skipped',
          reason: 'it is the folder of another Sijil archive: export a bundle from that archive and import the bundle, so its items come with their records and custody',
        });
        return;
      }
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (err) {
        skipped.push({ path: p, status: 'skipped', reason: `the folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
        return;
      }
      for (const entry of entries) visit(path.join(p, entry), false);
      return;
    }
    if (!stat.isFile()) {
      skipped.push({ path: p, status: 'skipped', reason: 'it is not a regular file (a device, socket or pipe)' });
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(p);
  };

  for (const input of inputs) visit(path.resolve(input), true);

  // Pair yt-dlp sidecars with their videos; a sidecar is metadata, not an item of its own. A video
  // named alone still finds the sidecar beside it on disk.
  const sidecars = new Set(files.filter((f) => INFO_JSON.test(f)));
  const candidates: Candidate[] = [];
  const used = new Set<string>();
  const listings = new Map<string, string[]>();
  const siblingsOf = (file: string): string[] => {
    const dir = path.dirname(file);
    let listing = listings.get(dir);
    if (!listing) {
      listing = safeReaddir(dir).filter((n) => INFO_JSON.test(n)).map((n) => path.join(dir, n));
      listings.set(dir, listing);
    }
    return listing;
  };
  for (const file of files) {
    if (sidecars.has(file)) continue;
    const sidecar = sidecarFor(file, siblingsOf(file));
    if (sidecar) used.add(sidecar);
    candidates.push({ path: file, sidecar });
  }
  for (const sidecar of sidecars) {
    if (!used.has(sidecar))
      skipped.push({ path: sidecar, status: 'skipped', reason: 'it is a yt-dlp .info.json with no video beside it; import it together with its video' });
  }
  return { files: candidates, skipped };
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
