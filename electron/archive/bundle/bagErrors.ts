// One error type for everything wrong with a bag or the tar around it. The code is for programs
// (the import UI picks its wording from it, tests assert on it); the message is one sentence for a
// person, naming the entry at fault, because "the bundle is damaged" alone gives nobody anything
// to act on. The sentence is a phrase (shared/phrases/bundle.ts, `bundle.bag.…`), so that it can be
// said in Arabic too.

import { CodedError } from '../../../shared/errors.ts';
import type { Phrase } from '../../../shared/phrase.ts';
import { catalogues } from '../../../shared/phrases/index.ts';

export type BagErrorCode =
  /** A path climbs out of the bag with a `..` segment. */
  | 'path-traversal'
  /** A path is absolute (leading `/`) or carries a drive letter (`C:`). */
  | 'absolute-path'
  /** A path has a backslash, NUL, an empty or `.` segment, or is otherwise not a plain relative path. */
  | 'invalid-path'
  /** A symbolic link entry. */
  | 'symlink'
  /** A hard link entry. */
  | 'hardlink'
  /** A device, FIFO or other special file entry. */
  | 'special-file'
  /** A tar entry type this reader does not know (sparse files, volume labels, ...). */
  | 'unsupported-entry'
  /** Two entries that are, or would become on a case- or normalisation-insensitive disk, one path. */
  | 'duplicate-path'
  /** An entry outside `data/` that is not one of the bag's known tag files. */
  | 'outside-data'
  /** More entries than the reader accepts. */
  | 'too-many-entries'
  /** The declared sizes add up to more than the caller's byte limit. */
  | 'too-large'
  /** The declared sizes add up to more than the free space where the bag is staged. */
  | 'insufficient-space'
  /** The tar stream ends early. */
  | 'truncated'
  /** A tar header is corrupt (bad checksum, impossible size). */
  | 'damaged-tar'
  /** No bagit.txt: this is not a BagIt bag. */
  | 'not-a-bag'
  /** bagit.txt declares a BagIt version other than 1.x. */
  | 'unsupported-version'
  /** A tag file (bagit.txt, bag-info.txt, a manifest) is malformed or missing. */
  | 'bad-tag-file'
  /** A file listed in the payload manifest is not in the bag. */
  | 'missing-file'
  /** A payload file is not listed in the payload manifest. */
  | 'extra-file'
  /** A payload file's SHA-256 differs from the manifest's. */
  | 'checksum-mismatch'
  /** A tag file's SHA-256 differs from the tag manifest's, or a tag file is not covered by it. */
  | 'tag-checksum-mismatch'
  /** bag-info.txt's Payload-Oxum is missing or does not match the payload. */
  | 'oxum-mismatch'
  /** The caller asked the writer for something a bag cannot hold (a bad name, a size that lies). */
  | 'invalid-input'
  /** Reading the input or writing the staging area failed (disk error, permissions). */
  | 'io-error';

export class BagError extends CodedError<BagErrorCode> {
  /** The tar entry or bag path at fault, when there is one. */
  readonly entry: string | undefined;

  /**
   * A phrase whose English starts with a small letter ("the entry … is a symbolic link") is written
   * to follow "The bundle cannot be trusted: " (bundleErrors.ts), where a person reads it; on its
   * own, as this error's message, it is a sentence and starts with a capital. A phrase starting with
   * a value (a file name: "bag-info.txt has …") or a capital is left as it is.
   */
  constructor(code: BagErrorCode, message: string | Phrase, options: { entry?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.entry = options.entry;
    if (typeof message !== 'string' && startsSmall(catalogues.en[message.key])) this.message = this.message.charAt(0).toUpperCase() + this.message.slice(1);
  }
}

function startsSmall(entry: (typeof catalogues.en)[string] | undefined): boolean {
  const text = entry === undefined ? '' : typeof entry === 'string' ? entry : entry.other;
  return /^[a-z]/.test(text);
}

export function isBagError(error: unknown, code?: BagErrorCode): error is BagError {
  return error instanceof BagError && (code === undefined || error.code === code);
}
