// Turns the paths a person gave (files and folders) into the list of files to import, following
// folders recursively. Symlinks are followed once: a loop is reported, not walked forever. A Sijil
// archive's folder is never walked (the one being imported into, inside the Documents folder a
// researcher imports, or another): its blobs would come in as nameless items without their records.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportOutcome } from '../../../shared/domain.ts';
import { phrase, say, type Phrase } from '../../../shared/phrase.ts';
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
/** A file left out, and why: in English for the command line, as a phrase for the interface. */
export function skipped(file: string, said: Phrase): ImportOutcome {
  return { path: file, status: 'skipped', reason: say(said, 'en', { clause: true }), said };
}

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

/** A name met inside a folder that is not imported, nor mentioned: system litter and hidden files. */
function passedOver(name: string): boolean {
  return JUNK.test(name) || name.startsWith('.');
}

export function walk(inputs: readonly string[], target?: WalkTarget): WalkResult {
  // Real paths as the operating system spells them (.native: on Windows in the disk's own letter
  // case), so that the archive's folder is recognised under a name typed in another case.
  const own = target === undefined ? null : { dir: safeRealpath(target.archiveDir), staging: safeRealpath(target.stagingDir) };
  const files: string[] = [];
  const left: ImportOutcome[] = [];
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
            ? phrase('import.skip.brokenLink')
            : phrase('import.skip.missing')
          : code === 'ELOOP'
            ? phrase('import.skip.linkLoop')
            : code === 'EACCES' || code === 'EPERM'
              ? phrase('import.skip.permissionDenied')
              : phrase('import.skip.unreadable', { error: code ?? (err as Error).message });
      left.push(skipped(p, reason));
      return;
    }
    if (!explicit && passedOver(path.basename(p))) return;
    const real = safeRealpath(p);
    if (own !== null && isInside(own.dir, real) && !isInside(own.staging, real)) {
      left.push(skipped(p, real === own.dir ? phrase('import.skip.thisArchive') : phrase('import.skip.insideArchive')));
      return;
    }
    if (stat.isDirectory()) {
      if (seenDirs.has(real)) {
        left.push(skipped(p, phrase('import.skip.folderWalked')));
        return;
      }
      seenDirs.add(real);
      if (isArchiveFolder(p)) {
        left.push(skipped(p, phrase('import.skip.otherArchive')));
        return;
      }
      let entries: Buffer[];
      try {
        entries = fs.readdirSync(p, { encoding: 'buffer' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        left.push(skipped(p, code === 'EACCES' || code === 'EPERM' ? phrase('import.skip.folderPermissionDenied') : phrase('import.skip.folderUnreadable', { code: code ?? 'error' })));
        return;
      }
      const names: string[] = [];
      for (const raw of entries) {
        const name = raw.toString('utf8');
        // A name that is not UTF-8 (written on another system) cannot be opened by the text path
        // it decodes to: said so, rather than reported missing.
        if (Buffer.from(name, 'utf8').equals(raw)) names.push(name);
        else if (!passedOver(name)) left.push(skipped(path.join(p, name), phrase('import.skip.nameNotUnicode')));
      }
      for (const entry of names.sort()) visit(path.join(p, entry), false);
      return;
    }
    if (!stat.isFile()) {
      left.push(skipped(p, phrase('import.skip.notRegular')));
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
      left.push(skipped(sidecar, phrase('import.skip.lonelySidecar')));
  }
  return { files: candidates, skipped: left };
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
