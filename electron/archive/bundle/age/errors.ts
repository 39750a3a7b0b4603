// One error type for everything that can go wrong opening or making an age file. The code is for
// programs (the UI picks its wording and remedy from it); the message is for people, and says what
// happened in terms a person holding the file can act on, as a phrase (shared/phrases/bundle.ts,
// `bundle.age.…`) so that it can be said in Arabic too; `message` is its English.

import { CodedError } from '../../../../shared/errors.ts';
import { phrase, type Phrase } from '../../../../shared/phrase.ts';

export type AgeErrorCode =
  /** The input is not an age file at all (wrong format, empty, another program's file). */
  | 'not-an-age-file'
  /** The file is passphrase-protected and the passphrase does not open it. */
  | 'wrong-passphrase'
  /** None of the given keys (or the passphrase) is one the file was encrypted to. */
  | 'no-matching-identity'
  /** The header (who may open the file) is malformed or was altered. */
  | 'header-damaged'
  /** The encrypted content failed authentication; `offset` says where. */
  | 'payload-damaged'
  /** The file ends early: part of it is missing. */
  | 'truncated'
  /** A valid file using something this implementation refuses (another version, too costly a work factor). */
  | 'unsupported'
  /** The ASCII armor around the file (-----BEGIN AGE ENCRYPTED FILE-----) is malformed. */
  | 'armor-damaged'
  /** A key, recipient or option given by the caller is invalid (not a problem with the file). */
  | 'invalid-key';

export class AgeError extends CodedError<AgeErrorCode> {
  /** Byte offset in the (de-armored) age file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: AgeErrorCode, message: string | Phrase, options: { offset?: number; cause?: unknown } = {}) {
    super(code, message, options);
    this.offset = options.offset;
  }
}

export function isAgeError(error: unknown, code?: AgeErrorCode): error is AgeError {
  return error instanceof AgeError && (code === undefined || error.code === code);
}

/** `detail` is a `bundle.age.header.…` phrase: what in the header is wrong. */
export function headerDamaged(detail: Phrase): AgeError {
  return new AgeError('header-damaged', phrase('bundle.age.headerDamaged', { detail }));
}
