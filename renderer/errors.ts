// Turns anything thrown into the sentence to show, in the interface's language: the engine's
// errors (and api.ts's own) come with a phrase (shared/phrase.ts), said here in that language;
// an error made with a translated message already (t()) is shown as it came.
//
// The sentences (both languages, ~90 kB) are not part of launch: they load once the first screen
// is up (loadPhrases). An error said before they arrive is said in the English it came with.
import i18next from 'i18next';
import { formatPhrase, isPhrase, type Catalogues } from '../shared/phraseFormat.ts';
import type { PhraseLanguage } from '../shared/phrase.ts';
import { ApiError } from './api.ts';

let catalogues: Catalogues | undefined;
let loading: Promise<void> | undefined;

/** Loads the sentences the engine's phrases are said with; at once when called, else when the page is first idle. */
export function loadPhrases(): Promise<void> {
  loading ??= import('../shared/phrases/index.ts').then((m) => {
    catalogues = m.catalogues;
  });
  return loading;
}

if (typeof window !== 'undefined') {
  const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 500));
  idle(() => void loadPhrases(), { timeout: 2000 });
}

export function errorMessage(err: unknown): string {
  // Any error with a phrase: the doors' ApiError, and the engine's own where it runs in this process (tests).
  const said = err instanceof Error ? sayHere((err as { phrase?: unknown }).phrase) : undefined;
  if (said !== undefined) return said;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isCancelled(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'cancelled';
}

/**
 * A phrase from the engine in the interface's language, its text values isolated so that a path
 * or a name keeps its own direction inside the sentence; undefined for anything not a phrase, and
 * until the sentences have loaded.
 */
export function sayHere(p: unknown, options: { clause?: boolean } = {}): string | undefined {
  if (!isPhrase(p)) return undefined;
  if (catalogues === undefined) {
    void loadPhrases();
    return undefined;
  }
  return formatPhrase(p, phraseLanguage(), catalogues, { isolate: true, ...options });
}

function phraseLanguage(): PhraseLanguage {
  return i18next.language === 'ar' ? 'ar' : 'en';
}

/** A check's outcome as the interface shows it: "ok" in its language, a problem said from its phrase, else as it came (SQLite's own words). */
export function checkOutcome(value: string, said?: unknown): string {
  return value === 'ok' ? i18next.t('common:checkPassed') : (sayHere(said) ?? value);
}

/**
 * The database part of a check (Settings' and the verify report's): sound; only the search index
 * off, which is rebuilt from the items, so no backup is needed; or the tables themselves.
 */
export function databaseState(db: { readonly integrity: string; readonly foreignKeys: number; readonly searchIndex: string }): 'ok' | 'index' | 'tables' {
  if (db.integrity !== 'ok' || db.foreignKeys !== 0) return 'tables';
  return db.searchIndex === 'ok' ? 'ok' : 'index';
}
