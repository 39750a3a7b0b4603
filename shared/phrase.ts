// What the engine says to a person (an error, a skipped file's reason), kept as a key and its
// values rather than a finished English sentence: the command line and the logs read it in English,
// the interface says it in the language it is set to. The sentences themselves, in both languages,
// are in shared/phrases/.
import { formatPhrase, type SayOptions } from './phraseFormat.ts';
import { catalogues, type EnglishCatalogue, type PhraseLanguage } from './phrases/index.ts';

export { isPhrase, type SayOptions } from './phraseFormat.ts';

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

/** What phrase() takes after the key: nothing, or a value for each of the key's holes. */
export type PhraseArgs<K extends PhraseKey> = [EntryHoles<EnglishCatalogue[K]>] extends [never] ? [] : [ValuesOf<K>];

/** A phrase from its key and a value for each of its {{holes}} (the compiler checks both). */
export function phrase<K extends PhraseKey>(key: K, ...values: PhraseArgs<K>): Phrase {
  return values.length === 0 ? { key } : { key, values: values[0] as Readonly<Record<string, PhraseValue>> };
}

/** The phrase as a sentence in `lang` (English where a translation is missing, the key itself for a key this build does not know). */
export function say(p: Phrase, lang: PhraseLanguage = 'en', options: SayOptions = {}): string {
  return formatPhrase(p, lang, catalogues, options);
}

/** Whether `value` is a key of the catalogue (a schema's rule() message is one). */
export function isPhraseKey(value: string): value is PhraseKey {
  return Object.hasOwn(catalogues.en, value);
}
