// Path rules shared by the bag writer and reader, so that nothing the writer accepts is refused on
// import, and the reader refuses everything that could land outside the staging area or collide
// with another file on someone's disk.
import { phrase } from '../../../shared/phrase.ts';
import { BagError } from './bagErrors.ts';

// Drive-relative or absolute Windows paths (`C:x`, `C:\x`): harmless on Linux, an escape on Windows.
const DRIVE = /^[A-Za-z]:/;

/**
 * Throws a BagError unless `path` is a plain relative path: `/`-separated, no empty, `.` or `..`
 * segment, no backslash (a separator on Windows), no NUL (truncates the name in C APIs).
 */
/** Longer or deeper than any real file system stores; checked first, so later work stays bounded. */
export const MAX_PATH_BYTES = 4096;
export const MAX_PATH_DEPTH = 64;

/** A path cut to a readable length for a message (a hostile name can be megabytes long). */
export function shortPath(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 120)}…${path.slice(-60)}`;
}

/**
 * A tar entry's path as the bag names it: `tar cf - .` in a bag's folder, the natural way to put
 * one back together by hand, writes every path after a leading ./ (and the folder itself as ./).
 */
export function bagEntryPath(raw: string): string {
  return raw.startsWith('./') ? raw.slice(2) : raw;
}

export function checkRelativePath(path: string, shownAs: string = path): void {
  if (Buffer.byteLength(path) > MAX_PATH_BYTES || path.split('/').length > MAX_PATH_DEPTH) {
    throw new BagError('invalid-path', phrase('bundle.bag.pathTooLong', { entry: shortPath(shownAs), bytes: String(MAX_PATH_BYTES), depth: String(MAX_PATH_DEPTH) }), {
      entry: shortPath(shownAs),
    });
  }
  if (path.startsWith('/') || DRIVE.test(path)) {
    throw new BagError('absolute-path', phrase('bundle.bag.absolutePath', { entry: shownAs }), { entry: shownAs });
  }
  const segments = path.split(/[/\\]/);
  if (segments.includes('..')) {
    throw new BagError('path-traversal', phrase('bundle.bag.traversal', { entry: shownAs }), { entry: shownAs });
  }
  if (path.includes('\\')) {
    throw new BagError('invalid-path', phrase('bundle.bag.backslash', { entry: shownAs }), { entry: shownAs });
  }
  if (path.includes('\0')) {
    throw new BagError('invalid-path', phrase('bundle.bag.nul', { entry: shownAs }), { entry: shownAs });
  }
  if (path === '' || segments.some((s) => s === '' || s === '.')) {
    throw new BagError('invalid-path', phrase('bundle.bag.emptySegment', { entry: shownAs }), { entry: shownAs });
  }
}

/**
 * The key two paths share if some common disk would store them as one file: macOS and Windows fold
 * case, macOS folds Unicode normalisation, Windows drops trailing dots and spaces from each segment.
 * Upper- then lower-casing also folds pairs like "ß"/"SS" that a single toLowerCase misses.
 */
export function foldPath(path: string): string {
  return path
    .normalize('NFC')
    .split('/')
    .map((s) => s.replace(/[. ]+$/, ''))
    .join('/')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFC');
}

/** RFC 8493 §2.1.3: in manifests, CR, LF and % (and only those) are percent-encoded. */
export function encodeManifestPath(path: string): string {
  return path.replace(/[%\r\n]/g, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'));
}

export function decodeManifestPath(path: string): string {
  return path.replace(/%(25|0[dDaA])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
