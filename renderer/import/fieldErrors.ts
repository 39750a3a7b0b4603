// The engine names the argument a validation error is about (the phrase validation.field: "eventDate:
// a date must look like 2019, …"; "transcripts.0.path: …"): that puts the message next to the field
// it concerns, in the interface's language.
import type { Phrase } from '../../shared/phrase.ts';
import { errorMessage, sayHere } from '../errors.ts';

export interface EngineFieldError {
  /** The top-level argument, or null when the message names none. */
  readonly field: string | null;
  readonly message: string;
}

export function engineFieldError(err: unknown, fields: readonly string[]): EngineFieldError {
  const { code, phrase: said } = (err ?? {}) as { code?: unknown; phrase?: Phrase };
  if (code === 'invalid-argument' && said?.key === 'validation.field') {
    const field = String(said.values?.field ?? '').split('.')[0] as string;
    const rule = said.values?.rule;
    const sentence: Phrase | undefined = rule === undefined ? undefined : { key: 'validation.sentence', values: { rule } };
    const message = sayHere(sentence);
    if (fields.includes(field) && message) return { field, message: message.charAt(0).toUpperCase() + message.slice(1) };
  }
  return { field: null, message: errorMessage(err) };
}
