// The engine names the argument a validation error is about ("eventDate: a date must look like
// 2019, …"; "transcripts.0.path: …"): that prefix puts the message next to the field it concerns.
export interface EngineFieldError {
  /** The top-level argument, or null when the message names none. */
  readonly field: string | null;
  readonly message: string;
}

export function engineFieldError(code: string, message: string, fields: readonly string[]): EngineFieldError {
  if (code !== 'invalid-argument') return { field: null, message };
  const m = /^([A-Za-z][\w]*)(?:\.[\w.]+)?: (.+)$/s.exec(message);
  if (!m || !fields.includes(m[1] as string)) return { field: null, message };
  const text = (m[2] as string).trim();
  return { field: m[1] as string, message: text.charAt(0).toUpperCase() + text.slice(1) };
}
