// Turns anything thrown into the sentence to show, in the interface's language: the engine's
// errors (and api.ts's own) come with a phrase (shared/phrase.ts), said here in that language;
// an error made with a translated message already (t()) is shown as it came.
import i18next from 'i18next';
import { isPhrase, say, type Phrase, type PhraseLanguage } from '../shared/phrase.ts';
import { ApiError } from './api.ts';

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
 * or a name keeps its own direction inside the sentence; undefined for anything not a phrase.
 */
export function sayHere(p: unknown): string | undefined {
  return isPhrase(p) ? say(p as Phrase, phraseLanguage(), { isolate: true }) : undefined;
}

function phraseLanguage(): PhraseLanguage {
  return i18next.language === 'ar' ? 'ar' : 'en';
}
