// Highlight ranges become text pieces to render, never HTML: the engine's ranges index the
// original text (UTF-16 code units, [start, end)), and anything in that text — markup included —
// is shown as text. Ranges are clamped, sorted and merged, so ranges that overlap, touch, fall
// outside the text or come in any order still give one clean sequence of pieces.
export interface Piece {
  readonly text: string;
  readonly mark: boolean;
}

export function highlightPieces(text: string, ranges: readonly (readonly [number, number])[]): Piece[] {
  const clean = ranges
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of clean) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const pieces: Piece[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    // Subtle: never split a surrogate pair; a range edge inside one moves outwards.
    const start = isLowSurrogate(text, a) ? a - 1 : a;
    const end = isLowSurrogate(text, b) ? b + 1 : b;
    if (start > at) pieces.push({ text: text.slice(at, start), mark: false });
    pieces.push({ text: text.slice(Math.max(at, start), end), mark: true });
    at = Math.max(at, end);
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
  return pieces;
}

function isLowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return i > 0 && i < text.length && c >= 0xdc00 && c <= 0xdfff;
}
