// The query parser (shared/query.ts) explains what it dropped both in English sentences (for the
// CLI) and as codes with their parts (SearchResult.warningCodes); the search screen shows them in
// the reader's language. warningKeyOf turns a code into its translation key (`warning.<code>`); a
// unit test produces every warning the parser can give, so a code without a translation is noticed.
import { QUERY_WARNING_CODES, type QueryWarning } from '../../shared/query.ts';

export interface WarningKey {
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The translation key (under `warning.`) and parts of a warning given as a code. */
export function warningKeyOf(w: QueryWarning): WarningKey {
  return { key: `warning.${w.code}`, params: w.params };
}

export const WARNING_KEYS = QUERY_WARNING_CODES.map((code) => `warning.${code}`);
