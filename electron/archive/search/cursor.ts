// Paging by cursor: a page ends at a position in the result order (tier, then score, then seq,
// newest first), and the cursor names that position, so the next page starts right after it
// however many items there are before it (no OFFSET: page 500 costs what page 2 does). Opaque to
// callers: base64url of a small JSON object plus a check value, bound to the query it was made
// for. A cursor that was altered, truncated or made for another query is refused with a message
// a person can act on; it never reaches SQL except as bound numbers.
import { hash } from 'node:crypto';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase, type Phrase } from '../../../shared/phrase.ts';

export interface CursorPosition {
  /** Index of the tier the last hit came from. */
  readonly tier: number;
  /** Its bm25 value (lower is better; 0 in tiers without ranking). */
  readonly score: number;
  /** Its seq: ties on score go newest (highest seq) first. */
  readonly seq: number;
}

const VERSION = 1;

function digest(text: string): string {
  return hash('sha256', text, 'base64url').slice(0, 16);
}

/** Binds a cursor to the query text (as typed) it pages through. */
function queryKey(query: string): string {
  return digest(`query\u0000${query}`);
}

export function encodeCursor(query: string, position: CursorPosition): string {
  const body = JSON.stringify({ v: VERSION, q: queryKey(query), t: position.tier, s: position.score, n: position.seq });
  const payload = Buffer.from(body, 'utf8').toString('base64url');
  return `${payload}.${digest(`cursor\u0000${payload}`)}`;
}

function refuse(why: Phrase): never {
  throw new ArchiveError('invalid-argument', phrase('archive.cursor.refused', { why }));
}

/** The position a cursor names, after checking it is whole and belongs to this query. */
export function decodeCursor(query: string, cursor: string): CursorPosition {
  const dot = cursor.indexOf('.');
  if (dot <= 0 || cursor.length > 1000) refuse(phrase('archive.cursor.notACursor'));
  const payload = cursor.slice(0, dot);
  if (cursor.slice(dot + 1) !== digest(`cursor\u0000${payload}`)) refuse(phrase('archive.cursor.altered'));
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    refuse(phrase('archive.cursor.altered'));
  }
  const b = body as Record<string, unknown>;
  if (typeof b !== 'object' || b === null || b.v !== VERSION) refuse(phrase('archive.cursor.otherVersion'));
  if (b.q !== queryKey(query)) refuse(phrase('archive.cursor.otherQuery'));
  const { t, s, n } = b;
  if (!Number.isSafeInteger(t) || (t as number) < 0 || typeof s !== 'number' || !Number.isFinite(s) || !Number.isSafeInteger(n) || (n as number) < 0) {
    refuse(phrase('archive.cursor.altered'));
  }
  return { tier: t as number, score: s as number, seq: n as number };
}
