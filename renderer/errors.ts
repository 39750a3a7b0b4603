// Turns anything thrown into the sentence to show. The engine's messages are written for people
// (shared/errors.ts), so they are shown as they come, but for the few codes said in the interface language.
import i18next from 'i18next';
import { ApiError } from './api.ts';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return translated(err.code) ?? err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isCancelled(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'cancelled';
}

// A code whose meaning does not depend on the details (common.json's `errors`) is said in the
// interface's language; the others keep the engine's sentence, which names what went wrong.
function translated(code: string): string | undefined {
  const key = `errors.${code}`;
  return i18next.exists(key, { ns: 'common' }) ? i18next.t(key, { ns: 'common' }) : undefined;
}
