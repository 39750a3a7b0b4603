// The shape of a catalogue of phrases (shared/phrase.ts): English sets the keys and the {{holes}};
// each translation has every key, with the plural forms its own language needs.

/** The forms Intl.PluralRules can choose; `other` is always there. English uses one and other, Arabic all six. */
export interface PluralEntry {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type Entry = string | PluralEntry;

/** A translation of the English catalogue E: the same keys; a sentence with plural forms keeps them. */
export type Translation<E> = { readonly [K in keyof E]: E[K] extends string ? string : PluralEntry };
