// Snippets on the ORIGINAL text: matching happens on normalised text (no tashkeel, one alef), but a
// person reads what was archived, so the window and its highlight ranges are mapped back through
// normalizeWithMap. Highlighting الكاظمي inside الكاظِمي covers the kasra too.
//
// A text longer than SCAN_CHARS is scanned here only in its first piece (search/indexer.ts keeps
// long texts again in pieces). When the match lies further in, the search engine finds the place
// from the index (search/basic.ts, longSnippet) and hands this file just the piece it lies in
// (windowSnippet): a 50 MB transcript is never read, let alone normalised, whole.
import { mapRange, normalizeWithMap, tokenizeWithOffsets, type Token } from '../../../shared/normalize.ts';
import { stemToken } from '../../../shared/stem.ts';

export interface SnippetTerm {
  /** A normalised token, as the index holds it. */
  readonly text: string;
  readonly prefix: boolean;
  /**
   * When the search also matched other forms of the word: its stem (shared/stem.ts stemToken), or
   * for a prefix the stem index's prefix (stemPrefix). A token whose stem is this (or starts with
   * it, for a prefix) is highlighted too.
   */
  readonly stem?: string;
}

export interface Snippet {
  readonly field: string;
  readonly text: string;
  /** [start, end) in `text`, in UTF-16 code units. */
  readonly ranges: readonly (readonly [number, number])[];
}

export interface SnippetField {
  readonly name: string;
  /** The text, or only its beginning when `length` says it is longer. */
  readonly text: string | null;
  /** The whole text's length, when `text` is only its beginning. */
  readonly length?: number;
}

/** A text longer than this is "long": kept in pieces, scanned here in its first piece only. */
export const SCAN_CHARS = 200_000;
const WORDS_BEFORE = 6;
const WORDS = 24;

/** Finds, token by token, which of the terms each token is a match for. */
class Matcher {
  private readonly terms: readonly SnippetTerm[];
  // A word with a given stem contains it whole (light10 only removes letters around it) or, for
  // Porter, all of it but the last letter or two (it rewrites endings: hoping → hope): only a
  // token holding that core is worth stemming.
  private readonly cores: readonly (string | null)[];

  constructor(terms: readonly SnippetTerm[]) {
    this.terms = terms;
    this.cores = terms.map((t) => (t.stem === undefined ? null : t.stem.length > 3 ? t.stem.slice(0, t.stem.length - 2) : t.stem.slice(0, 1)));
  }

  /** The index of the first term the token matches, or -1. */
  match(token: string): number {
    const terms = this.terms;
    let term = terms.findIndex((t) => (t.prefix ? token.startsWith(t.text) : token === t.text));
    if (term < 0 && this.cores.some((c) => c !== null && token.includes(c))) {
      const stem = stemToken(token);
      term = terms.findIndex((t) => t.stem !== undefined && (t.prefix ? stem.startsWith(t.stem) : stem === t.stem));
    }
    return term;
  }
}

interface Scanned {
  readonly original: string;
  readonly map: ArrayLike<number>;
  readonly tokens: readonly Token[];
  /** Indices of matching tokens. */
  readonly hits: number[];
  /** How many different terms matched. */
  readonly distinct: number;
}

function scan(original: string, matcher: Matcher): Scanned {
  const { text, map } = normalizeWithMap(original);
  const tokens = tokenizeWithOffsets(text);
  const hits: number[] = [];
  const seen = new Set<number>();
  tokens.forEach((token, index) => {
    const term = matcher.match(token.token);
    if (term >= 0) {
      hits.push(index);
      seen.add(term);
    }
  });
  return { original, map, tokens, hits, distinct: seen.size };
}

/**
 * A window of words around token `at` of a scanned stretch of a field's text. `offset` is where
 * the stretch starts in the field and `length` the field's whole length, for the ellipses.
 */
function cut(field: string, s: Scanned, at: number, offset: number, length: number): Snippet | null {
  const { original, tokens, hits, map } = s;
  const from = Math.max(0, at - WORDS_BEFORE);
  const to = Math.min(tokens.length, from + WORDS);
  const startToken = tokens[from];
  const endToken = tokens[to - 1];
  if (!startToken || !endToken) return null;
  const [start] = mapRange(map, startToken.start, startToken.end);
  const [, end] = mapRange(map, endToken.start, endToken.end);
  const lead = offset + start > 0 ? '…' : '';
  const tail = offset + end < length ? '…' : '';
  const body = original.slice(start, end).replace(/\s+/g, (ws) => ' '.repeat(ws.length));
  const ranges = hits
    .filter((i) => i >= from && i < to)
    .map((i) => {
      const token = tokens[i] as Token;
      const [a, b] = mapRange(map, token.start, token.end);
      return [a - start + lead.length, b - start + lead.length] as const;
    });
  return { field, text: lead + body + tail, ranges };
}

/**
 * The best snippet among `fields` (earlier fields win ties): the field that matches the most
 * distinct terms, cut to a window of words around its first match. Without any match, the
 * beginning of the first field with text (ranges empty).
 */
export function makeSnippet(fields: readonly SnippetField[], terms: readonly SnippetTerm[]): Snippet | null {
  const matcher = new Matcher(terms);
  let best: { field: SnippetField; scanned: Scanned } | null = null;
  for (const field of fields) {
    if (!field.text) continue;
    const original = field.text.length > SCAN_CHARS ? field.text.slice(0, SCAN_CHARS) : field.text;
    const scanned = scan(original, matcher);
    if (!best || scanned.distinct > best.scanned.distinct) best = { field, scanned };
  }
  if (!best || best.scanned.tokens.length === 0) return null;
  return cut(best.field.name, best.scanned, best.scanned.hits[0] ?? 0, 0, best.field.length ?? best.field.text?.length ?? 0);
}

/**
 * A snippet from a stretch of a long field, `text` starting `offset` characters into it, around
 * its `token`-th token (counting from the start of the stretch), or its first match if that
 * token does not match. Null when the stretch matches nothing.
 */
export function windowSnippet(field: string, text: string, offset: number, length: number, token: number, terms: readonly SnippetTerm[]): Snippet | null {
  const scanned = scan(text, new Matcher(terms));
  const at = scanned.hits.includes(token) ? token : scanned.hits[0];
  return at === undefined ? null : cut(field, scanned, at, offset, length);
}

/** Brackets the highlighted ranges, for plain-text output such as the CLI's. */
export function markSnippet(snippet: Pick<Snippet, 'text' | 'ranges'>, open = '[', close = ']'): string {
  let out = '';
  let at = 0;
  for (const [a, b] of snippet.ranges) {
    out += snippet.text.slice(at, a) + open + snippet.text.slice(a, b) + close;
    at = b;
  }
  return out + snippet.text.slice(at);
}
