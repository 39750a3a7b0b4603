// Turns anything thrown into the sentence to show. The engine's messages are written for people
// (shared/errors.ts), so they are shown as they come.
import { ApiError } from './api.ts';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isCancelled(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'cancelled';
}
