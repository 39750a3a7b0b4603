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
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ArchiveError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ArchiveError';
    this.code = code;
  }
}

export function toErrorValue(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof ArchiveError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside Sijil: ${message}` };
}
