// What the engine says to a person (an error, a skipped file's reason), kept as a key and its
// values rather than a finished English sentence: the command line and the logs read it in English,
// the interface says it in the language it is set to. The sentences themselves, in both languages,
// are in shared/phrases/.
import { catalogues, type EnglishCatalogue, type PhraseLanguage } from './phrases/index.ts';
import type { PluralEntry } from './phrases/types.ts';

export type { PhraseLanguage } from './phrases/index.ts';
export type PhraseKey = keyof EnglishCatalogue & string;

/** A value put into a phrase: text (a file name, a path), a number (formatted per language) or another phrase. */
export type PhraseValue = string | number | Phrase;

export interface Phrase {
  readonly key: PhraseKey;
  readonly values?: Readonly<Record<string, PhraseValue>>;
}

// The {{names}} a sentence leaves open; a sentence with plural forms also needs `count`, which picks the form.
type Holes<S> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | Holes<Rest> : never;
type EntryHoles<E> = E extends string ? Holes<E> : Holes<E[keyof E]> | 'count';
type ValuesOf<K extends PhraseKey> = { readonly [N in EntryHoles<EnglishCatalogue[K]>]: N extends 'count' ? number : PhraseValue };

/** A phrase from its key and a value for each of its {{holes}} (the compiler checks both). */
export function phrase<K extends PhraseKey>(key: K, ...values: [EntryHoles<EnglishCatalogue[K]>] extends [never] ? [] : [ValuesOf<K>]): Phrase {
  return values.length === 0 ? { key } : { key, values: values[0] as Readonly<Record<string, PhraseValue>> };
}

export interface SayOptions {
  /**
   * Wrap each text value in a first-strong isolate (U+2068 … U+2069), so that a Latin path in an
   * Arabic sentence, or an Arabic name in an English one, keeps its own order and leaves the
   * sentence's alone. For screens; a terminal may show the marks, so the command line goes without.
   */
  readonly isolate?: boolean;
}

/** The phrase as a sentence in `lang` (English where a translation is missing, the key itself for a key this build does not know). */
export function say(p: Phrase, lang: PhraseLanguage = 'en', options: SayOptions = {}): string {
  const entry = catalogues[lang][p.key] ?? catalogues.en[p.key];
  if (entry === undefined) return p.key;
  const values = p.values ?? {};
  const template = typeof entry === 'string' ? entry : pluralForm(entry, lang, values.count);
  return template.replace(/\{\{(\w+)\}\}/g, (hole, name: string) => {
    const value = values[name];
    if (value === undefined) return hole;
    if (typeof value === 'number') return numberFormat(lang).format(value);
    const text = typeof value === 'string' ? value : say(value, lang, options);
    return options.isolate && typeof value === 'string' ? `\u2068${text}\u2069` : text;
  });
}

/** Whether `value` is a key of the catalogue (a schema's rule() message is one). */
export function isPhraseKey(value: string): value is PhraseKey {
  return Object.hasOwn(catalogues.en, value);
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
