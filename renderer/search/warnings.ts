// The query parser (shared/query.ts) explains what it dropped in English sentences; the search
// screen shows them in the reader's language. Each known sentence maps to a translation key and
// its parts; a sentence this table does not know is shown as the engine wrote it (a unit test
// produces every warning the parser can give, so a new one is noticed).
export interface WarningKey {
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;
}

const PATTERNS: readonly [RegExp, string, readonly string[]][] = [
  [/^The query was cut to its first ([\d,]+) characters\.$/, 'cut', ['max']],
  [/^A closing quote was missing; the phrase runs to the end of the query\.$/, 'quoteMissing', []],
  [/^Empty quotes were ignored\.$/, 'emptyQuotes', []],
  [/^"(.*)" has nothing searchable in it and was ignored\.$/s, 'nothingSearchable', ['text']],
  [/^A prefix search needs at least (\d+) letters: "(.*)\*" searches for "(.*)"\.$/s, 'shortPrefix', ['min', 'text', 'word']],
  [/^"([a-z]+):" needs a value, such as (.*); it was ignored\.$/s, 'needsValue', ['field', 'example']],
  [/^"kind:(.*)" was ignored: a kind is one of (.*)\.$/s, 'badKind', ['value', 'list']],
  [/^"has:(.*)" was ignored: has: takes (.*)\.$/s, 'badHas', ['value', 'list']],
  [/^"lang:(.*)" was ignored: a language is a code such as ar or en\.$/s, 'badLang', ['value']],
  [/^"(from|to):(.*)" was ignored: a date looks like 2019, 2019-10 or 2019-10-25\.$/s, 'badDate', ['field', 'value']],
  [/^"(tag|collection):(.*)" was ignored: it has no letters or digits\.$/s, 'noLetters', ['field', 'value']],
  [/^A closing parenthesis without an opening one was ignored\.$/, 'strayClose', []],
  [/^OR needs something on both sides; it was ignored\.$/, 'loneOr', []],
  [/^Parentheses nested deeper than (\d+) were ignored\.$/, 'tooDeep', ['max']],
  [/^A minus or NOT with nothing after it was ignored\.$/, 'loneNot', []],
  [/^A closing parenthesis was missing; it was added at the end\.$/, 'closeMissing', []],
  [/^Only the first (\d+) words, phrases and filters are used\.$/, 'tooMany', ['max']],
];

/** The translation key (under `warning.`) and parts of a parser warning, or null if unknown. */
export function warningKey(message: string): WarningKey | null {
  for (const [pattern, key, names] of PATTERNS) {
    const m = pattern.exec(message);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
    return { key: `warning.${key}`, params };
  }
  return null;
}

export const WARNING_KEYS = PATTERNS.map(([, key]) => `warning.${key}`);
