// Errors that cross every door (desktop, browser, CLI) as { code, message }: a message a person can
// act on, never a stack trace.
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
  constructor(code: C, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
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

export const BUSY_MESSAGE = 'The archive is busy: another program (Sijil or its command line) has been writing to it for a while. Try again once it has finished.';

/**
 * A lock wait that ran out, as every door says it (toErrorValue here, the engine's toWireError);
 * undefined for any other error. Subtle: wherever it happens, the person is told to wait, not
 * that Sijil is broken.
 */
export function busyErrorValue(err: unknown): { code: 'busy'; message: string } | undefined {
  return isBusy(err) ? { code: 'busy', message: BUSY_MESSAGE } : undefined;
}

export function toErrorValue(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof ArchiveError) return { code: err.code, message: err.message };
  const busy = busyErrorValue(err);
  if (busy) return busy;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside Sijil: ${message}` };
}
