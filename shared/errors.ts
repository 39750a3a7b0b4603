// Errors that cross every door (desktop, browser, CLI) as { code, message, phrase? }: a message a
// person can act on, never a stack trace; the phrase lets the interface say it in its language.
import { phrase, say, type Phrase } from './phrase.ts';

export const ERROR_CODES = [
  'not-found',
  'invalid-argument',
  'archive-unreadable',
  'archive-too-new',
  'file-unreadable',
  'unsupported-file',
  'ambiguous-id',
  'in-trash',
  'conflict',
  'cancelled',
  'disk-full',
  // Another program (the app beside the command line, a second import) held the archive's write
  // lock past every wait: nothing is wrong with the archive, and trying again later works.
  'busy',
  // Keys (helper K): the archive already has its own key; a passphrase does not open a key or file.
  'key-exists',
  'wrong-passphrase',
  // Bundles (helper A): not a .sijil file; none of the given keys opens it; damaged or altered in transit.
  'not-a-bundle',
  'no-matching-key',
  'bundle-damaged',
  // Doors (helper B): the archive engine's worker stopped (crashed or closed) before answering.
  'engine-stopped',
  // Desktop door (helper C): a call from a frame that is not the app's own page is refused.
  'forbidden',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a code for programs and a message for people: the shape every layer's errors share. */
export class CodedError<C extends string> extends Error {
  readonly code: C;
  /** The message as a phrase, for the interface to say in its own language; `message` is its English. */
  readonly phrase: Phrase | undefined;
  constructor(code: C, message: string | Phrase, options: { cause?: unknown } = {}) {
    super(typeof message === 'string' ? message : say(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.phrase = typeof message === 'string' ? undefined : message;
  }
}

/** What an error says, to put in another phrase: its phrase where it has one, else its message (a library's, a system's). */
export function saidOf(err: unknown): Phrase | string {
  if (err instanceof CodedError && err.phrase !== undefined) return err.phrase;
  return err instanceof Error ? err.message : String(err);
}

/** An error as it crosses a door: its code, its English message, and the phrase when it has one. */
export interface ErrorValue<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly phrase?: Phrase;
}

export class ArchiveError extends CodedError<ErrorCode> {}

/** SQLite's "another connection holds the lock", as better-sqlite3 reports it (SQLite's code on the error). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED');
}

/**
 * The disk filled: as the OS says it (ENOSPC), as SQLite says it (SQLITE_FULL), or as the engine
 * already said it to a person ('disk-full').
 */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'disk-full';
}

/**
 * A lock wait that ran out, as every door says it (toErrorValue here, the engine's toWireError);
 * undefined for any other error. Subtle: wherever it happens, the person is told to wait, not
 * that Sijil is broken.
 */
export function busyErrorValue(err: unknown): ErrorValue<'busy'> | undefined {
  return isBusy(err) ? errorValue('busy', phrase('errors.busy')) : undefined;
}

/** The value for a code and a phrase: its English as the message. */
export function errorValue<C extends string>(code: C, said: Phrase): ErrorValue<C> {
  return { code, message: say(said), phrase: said };
}

/** A coded error as a value; the phrase only when it has one (a value compared field by field stays the same). */
export function codedErrorValue<C extends string>(err: CodedError<C>): ErrorValue<C> {
  return err.phrase === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, phrase: err.phrase };
}

export function toErrorValue(err: unknown): ErrorValue<ErrorCode> {
  if (err instanceof ArchiveError) return codedErrorValue(err);
  const busy = busyErrorValue(err);
  if (busy) return busy;
  return errorValue('internal', phrase('errors.internalWithDetail', { detail: err instanceof Error ? err.message : String(err) }));
}
