// Turns what the age and BagIt layers throw into the ArchiveErrors every door shows: one sentence a
// person can act on ("the passphrase is wrong", "the bundle is damaged at byte 10485760"), with a
// code the UI picks its wording from. The sentences are phrases (`bundle.…`), holding the age or
// bag layer's own phrase where they quote it.
import { ArchiveError, CodedError, saidOf } from '../../../shared/errors.ts';
import { phrase, type Phrase, type PhraseKey, type PhraseValue } from '../../../shared/phrase.ts';
import { AgeError } from './age/index.ts';
import { BagError } from './bagErrors.ts';

type What = 'export' | 'import' | 'inspection';

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What the age layer says to whoever holds "this file", said of "this bundle" instead. */
const AS_BUNDLE: Partial<Record<PhraseKey, Phrase>> = {
  'bundle.age.needsPassphrase': phrase('bundle.needsPassphrase'),
  'bundle.age.needsKey': phrase('bundle.needsKey'),
  'bundle.age.noMatchingKey': phrase('bundle.noMatchingKey'),
};

/**
 * The age error's own sentence, following "The bundle is damaged at byte N: …", which already says
 * where (in other digits): the payload's "The file is damaged at byte N: …" without its offset.
 */
function damageDetail(error: AgeError): PhraseValue {
  if (error.phrase === undefined) return error.message.replace(/ at byte \d+/, '');
  const what = error.phrase.key === 'bundle.age.payloadDamaged' ? error.phrase.values?.what : undefined;
  return what === undefined ? error.phrase : phrase('bundle.fileDamaged', { what });
}

function ageToArchive(error: AgeError, file: string): ArchiveError {
  const offset = error.offset;
  switch (error.code) {
    case 'not-an-age-file':
      return new ArchiveError('not-a-bundle', phrase('bundle.notAgeFile', { file }), { cause: error });
    case 'wrong-passphrase':
      return new ArchiveError('wrong-passphrase', phrase('bundle.wrongPassphrase'), { cause: error });
    case 'no-matching-identity': {
      const bundle = error.phrase === undefined ? undefined : AS_BUNDLE[error.phrase.key];
      return new ArchiveError('no-matching-key', bundle ?? error.message.replace(/file/g, 'bundle'), { cause: error });
    }
    case 'truncated':
      return new ArchiveError('bundle-damaged', offset !== undefined ? phrase('bundle.incompleteAt', { offset }) : phrase('bundle.incomplete'), { cause: error });
    case 'header-damaged':
    case 'payload-damaged':
    case 'armor-damaged': {
      const detail = damageDetail(error);
      return new ArchiveError('bundle-damaged', offset !== undefined ? phrase('bundle.damagedAt', { offset, detail }) : phrase('bundle.damaged', { detail }), { cause: error });
    }
    case 'unsupported':
      return new ArchiveError('unsupported-file', saidOf(error), { cause: error });
    case 'invalid-key':
      return new ArchiveError('invalid-argument', saidOf(error), { cause: error });
  }
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

function bagToArchive(error: BagError): ArchiveError {
  switch (error.code) {
    case 'insufficient-space':
      return new ArchiveError('disk-full', saidOf(error), { cause: error });
    case 'io-error':
      return new ArchiveError('file-unreadable', saidOf(error), { cause: error });
    case 'not-a-bag':
      return new ArchiveError('not-a-bundle', phrase('bundle.notABundle', { reason: saidOf(error) }), { cause: error });
    default:
      // A bag phrase is written to follow this one (bagErrors.ts); a bare English message is made to.
      return new ArchiveError('bundle-damaged', phrase('bundle.untrusted', { reason: error.phrase ?? lowerFirst(error.message) }), { cause: error });
  }
}


/** The ArchiveError for anything thrown while reading or writing a bundle. */
export function bundleError(error: unknown, file: string, signal?: AbortSignal, what: What = 'import'): ArchiveError {
  if (signal?.aborted) return new ArchiveError('cancelled', phrase(`bundle.cancelled.${what}`));
  const age = findCause(error, AgeError);
  if (age) return ageToArchive(age, file);
  if (error instanceof ArchiveError) return error;
  const bag = findCause(error, BagError);
  if (bag) return bagToArchive(bag);
  const errno = findCause(error, Error) as NodeJS.ErrnoException | undefined;
  switch (errno?.code) {
    case 'ENOENT':
      return new ArchiveError('file-unreadable', phrase('bundle.missing', { file }), { cause: error });
    case 'EISDIR':
      return new ArchiveError('file-unreadable', phrase('bundle.isFolder', { file }), { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new ArchiveError('file-unreadable', phrase(what === 'export' ? 'bundle.cannotWrite' : 'bundle.cannotRead', { file }), { cause: error });
    case 'ENOSPC':
      return new ArchiveError('disk-full', phrase(`bundle.diskFull.${what}`), { cause: error });
    case 'ABORT_ERR':
      return new ArchiveError('cancelled', phrase(`bundle.cancelled.${what}`));
  }
  // The age layer's own failures (its encryption thread stopping) are phrases; anything else is said as it came.
  return new ArchiveError('internal', phrase(`bundle.failed.${what}`, { reason: saidOf(findCause(error, CodedError) ?? error) }), { cause: error });
}
