// How a phrase (shared/phrase.ts) becomes a sentence, given the catalogues: apart from them, so that
// the interface can say phrases without loading every sentence at launch (renderer/errors.ts loads
// the catalogues after the first screen); the engine uses shared/phrase.ts, which has them.
import type { Entry, PluralEntry } from './phrases/types.ts';
import type { Phrase, PhraseLanguage, PhraseValue } from './phrase.ts';

export type Catalogues = Readonly<Record<PhraseLanguage, Readonly<Record<string, Entry>>>>;

export interface SayOptions {
  /**
   * Wrap each text value in a first-strong isolate (U+2068 … U+2069), so that a Latin path in an
   * Arabic sentence, or an Arabic name in an English one, keeps its own order and leaves the
   * sentence's alone. For screens; a terminal may show the marks, so the command line goes without.
   */
  readonly isolate?: boolean;
  /** Said as a clause after a file's name ("report.pdf: it is empty"), so without a final stop. */
  readonly clause?: boolean;
}

/** The phrase as a sentence in `lang` (English where a translation is missing, the key itself for a key these catalogues do not know). */
export function formatPhrase(p: Phrase, lang: PhraseLanguage, catalogues: Catalogues, options: SayOptions = {}): string {
  // Own keys only: a key from elsewhere ("constructor") is not a sentence.
  const entry = Object.hasOwn(catalogues[lang], p.key) ? catalogues[lang][p.key] : Object.hasOwn(catalogues.en, p.key) ? catalogues.en[p.key] : undefined;
  if (entry === undefined) return p.key;
  const values = p.values ?? {};
  const template = typeof entry === 'string' ? entry : pluralForm(entry, lang, values.count);
  const inner = { isolate: options.isolate };
  const text = template.replace(/\{\{(\w+)\}\}/g, (hole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return hole;
    if (typeof value === 'number') return numberFormat(lang).format(value);
    const said = typeof value === 'string' ? value : formatPhrase(value, lang, catalogues, inner);
    return options.isolate && typeof value === 'string' ? `\u2068${said}\u2069` : said;
  });
  return options.clause ? text.replace(/\.$/, '') : text;
}

/** Whether `value` has the shape of a phrase (as it arrives from another process, untyped). */
export function isPhrase(value: unknown): value is Phrase {
  if (value === null || typeof value !== 'object') return false;
  const { key, values } = value as { key?: unknown; values?: unknown };
  return typeof key === 'string' && (values === undefined || (values !== null && typeof values === 'object'));
}

function pluralForm(entry: PluralEntry, lang: PhraseLanguage, count: PhraseValue | undefined): string {
  if (typeof count !== 'number') return entry.other;
  // Subtle: Arabic has a form for exactly 0 ("zero"), which Intl names only for ar; English's 0 is "other".
  const rule = pluralRules(lang).select(count) as keyof PluralEntry;
  return entry[rule] ?? entry.other;
}

// Building an Intl object costs far more than using one.
const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRuleSets = new Map<string, Intl.PluralRules>();

function numberFormat(lang: string): Intl.NumberFormat {
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(lang)));
  return f;
}

function pluralRules(lang: string): Intl.PluralRules {
  let r = pluralRuleSets.get(lang);
  if (!r) pluralRuleSets.set(lang, (r = new Intl.PluralRules(lang)));
  return r;
}
