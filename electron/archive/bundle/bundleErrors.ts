// Turns what the age and BagIt layers throw into the ArchiveErrors every door shows: one sentence a
// person can act on ("the passphrase is wrong", "the bundle is damaged at byte 10485760"), with a
// code the UI picks its wording from.
import { ArchiveError } from '../../../shared/errors.ts';
import { AgeError } from './age/index.ts';
import { BagError } from './bagErrors.ts';

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function ageToArchive(error: AgeError, file: string): ArchiveError {
  const at = error.offset !== undefined ? ` at byte ${error.offset.toLocaleString('en')}` : '';
  switch (error.code) {
    case 'not-an-age-file':
      return new ArchiveError('not-a-bundle', `${file} is not a Sijil bundle: it is not an age-encrypted file.`, { cause: error });
    case 'wrong-passphrase':
      return new ArchiveError('wrong-passphrase', 'The passphrase is wrong: it does not open this bundle.', { cause: error });
    case 'no-matching-identity':
      return new ArchiveError('no-matching-key', `${error.message.replace(/file/g, 'bundle')}`, { cause: error });
    case 'truncated':
      return new ArchiveError('bundle-damaged', `The bundle is incomplete${at}: the file was cut short (copy it again).`, { cause: error });
    case 'header-damaged':
    case 'payload-damaged':
    case 'armor-damaged':
      // The age message names the offset too (in other digits): say it once.
      return new ArchiveError('bundle-damaged', `The bundle is damaged${at}: it was altered or corrupted in transit. ${error.message.replace(/ at byte \d+/, '')}`, { cause: error });
    case 'unsupported':
      return new ArchiveError('unsupported-file', error.message, { cause: error });
    case 'invalid-key':
      return new ArchiveError('invalid-argument', error.message, { cause: error });
  }
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

function bagToArchive(error: BagError): ArchiveError {
  switch (error.code) {
    case 'insufficient-space':
      return new ArchiveError('disk-full', error.message, { cause: error });
    case 'io-error':
      return new ArchiveError('file-unreadable', error.message, { cause: error });
    case 'not-a-bag':
      return new ArchiveError('not-a-bundle', `This is not a Sijil bundle: ${error.message}`, { cause: error });
    default:
      return new ArchiveError('bundle-damaged', `The bundle cannot be trusted: ${lowerFirst(error.message)}`, { cause: error });
  }
}

/** The ArchiveError for anything thrown while reading or writing a bundle. */
export function bundleError(error: unknown, file: string, signal?: AbortSignal, what: 'export' | 'import' | 'inspection' = 'import'): ArchiveError {
  if (signal?.aborted) return new ArchiveError('cancelled', `The ${what} was cancelled.`);
  const age = findCause(error, AgeError);
  if (age) return ageToArchive(age, file);
  if (error instanceof ArchiveError) return error;
  const bag = findCause(error, BagError);
  if (bag) return bagToArchive(bag);
  const errno = findCause(error, Error) as NodeJS.ErrnoException | undefined;
  switch (errno?.code) {
    case 'ENOENT':
      return new ArchiveError('file-unreadable', `${file} does not exist.`, { cause: error });
    case 'EISDIR':
      return new ArchiveError('file-unreadable', `${file} is a folder, not a bundle.`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new ArchiveError('file-unreadable', `${file} cannot be ${what === 'export' ? 'written' : 'read'}: permission denied.`, { cause: error });
    case 'ENOSPC':
      return new ArchiveError(
        'disk-full',
        `The disk is full: the ${what} could not finish${what === 'export' ? ', and no bundle was written' : ', and the archive is unchanged'}. Free some space on the disk (or choose another one) and try again.`,
        { cause: error },
      );
    case 'ABORT_ERR':
      return new ArchiveError('cancelled', `The ${what} was cancelled.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveError('internal', `The ${what} failed: ${message}`, { cause: error });
}
