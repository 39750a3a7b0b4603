// Snippets on the ORIGINAL text: matching happens on normalised text (no tashkeel, one alef), but a
// person reads what was archived, so the window and its highlight ranges are mapped back through
// normalizeWithMap. Highlighting الكاظمي inside الكاظِمي covers the kasra too.
import { mapRange, normalizeWithMap, tokenizeWithOffsets } from '../../../shared/normalize.ts';

export interface SnippetTerm {
  /** A normalised token, as the index holds it. */
  readonly text: string;
  readonly prefix: boolean;
}

export interface Snippet {
  readonly field: string;
  readonly text: string;
  /** [start, end) in `text`, in UTF-16 code units. */
  readonly ranges: readonly (readonly [number, number])[];
}

// Long bodies are scanned this far for a match: a snippet from the first 200k characters is as
// good to a reader, and normalising a 50 MB transcript for every hit is not.
const SCAN_CHARS = 200_000;
const WORDS_BEFORE = 6;
const WORDS = 24;

/**
 * The best snippet among `fields` (earlier fields win ties): the field that matches the most
 * distinct terms, cut to a window of words around its first match.
 */
export function makeSnippet(fields: readonly { name: string; text: string | null }[], terms: readonly SnippetTerm[]): Snippet | null {
  let best: { field: string; original: string; length: number; hits: number[]; tokens: ReturnType<typeof tokenizeWithOffsets>; map: ArrayLike<number>; distinct: number } | null = null;
  for (const field of fields) {
    if (!field.text) continue;
    const original = field.text.length > SCAN_CHARS ? field.text.slice(0, SCAN_CHARS) : field.text;
    const { text, map } = normalizeWithMap(original);
    const tokens = tokenizeWithOffsets(text);
    const hits: number[] = [];
    const seen = new Set<number>();
    tokens.forEach((token, index) => {
      const term = terms.findIndex((t) => (t.prefix ? token.token.startsWith(t.text) : token.token === t.text));
      if (term >= 0) {
        hits.push(index);
        seen.add(term);
      }
    });
    if (!best || seen.size > best.distinct) best = { field: field.name, original, length: field.text.length, hits, tokens, map, distinct: seen.size };
  }
  if (!best || best.tokens.length === 0) return null;
  const { original, tokens, hits, map } = best;
  const first = hits[0] ?? 0;
  const from = Math.max(0, first - WORDS_BEFORE);
  const to = Math.min(tokens.length, from + WORDS);
  const startToken = tokens[from];
  const endToken = tokens[to - 1];
  if (!startToken || !endToken) return null;
  const [start] = mapRange(map, startToken.start, startToken.end);
  const [, end] = mapRange(map, endToken.start, endToken.end);
  const lead = start > 0 ? '…' : '';
  const tail = end < best.length ? '…' : '';
  const body = original.slice(start, end).replace(/\s+/g, (ws) => ' '.repeat(ws.length));
  const ranges = hits
    .filter((i) => i >= from && i < to)
    .map((i) => {
      const token = tokens[i] as { start: number; end: number };
      const [a, b] = mapRange(map, token.start, token.end);
      return [a - start + lead.length, b - start + lead.length] as const;
    });
  return { field: best.field, text: lead + body + tail, ranges };
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
