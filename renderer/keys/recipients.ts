// A first look at a typed recipient, so an obvious slip is caught before the engine's full check
// (bech32 checksum included): the translation key of the problem, or null when it looks right.
const BECH32 = '[02-9ac-hj-np-z]';
const X25519 = new RegExp(`^age1${BECH32}{58}$`, 'i');
const POST_QUANTUM = new RegExp(`^age1pq1${BECH32}{100,}$`, 'i');

export function recipientProblem(text: string): string | null {
  const key = text.trim();
  if (key === '') return 'book.recipientRequired';
  if (/^AGE-SECRET-KEY-/i.test(key)) return 'book.secretKey';
  if (!/^age1/i.test(key)) return 'book.notAge';
  if (/\s/.test(key)) return 'book.spaces';
  if (!X25519.test(key) && !POST_QUANTUM.test(key)) return 'book.incomplete';
  return null;
}
