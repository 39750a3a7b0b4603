// Every phrase the engine can say, in English and in Arabic. One file per part of the engine, each
// holding both languages side by side so that a sentence and its translation are read together.
import * as archive from './archive.ts';
import * as bundle from './bundle.ts';
import * as common from './common.ts';
import * as doors from './doors.ts';
import * as importing from './import.ts';
import * as keys from './keys.ts';
import * as schema from './schema.ts';
import type { Entry } from './types.ts';

const en = {
  ...common.en,
  ...schema.en,
  ...doors.en,
  ...archive.en,
  ...importing.en,
  ...bundle.en,
  ...keys.en,
} as const;

export type EnglishCatalogue = typeof en;
export type PhraseLanguage = 'en' | 'ar';

export const catalogues: Readonly<Record<PhraseLanguage, Readonly<Record<string, Entry>>>> = {
  en,
  ar: {
    ...common.ar,
    ...schema.ar,
    ...doors.ar,
    ...archive.ar,
    ...importing.ar,
    ...bundle.ar,
    ...keys.ar,
  },
};
