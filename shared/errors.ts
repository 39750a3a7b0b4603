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

export function toErrorValue(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof ArchiveError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside Sijil: ${message}` };
}
