// Text with its matched ranges in <mark>: rendered as React text nodes, so archived text can
// never become markup. The text between marks stays bare text (no element of its own): a page of
// results has a few hundred such pieces to lay out on every answer.
import { highlightPieces } from './highlight.ts';

export function Highlighted({ text, ranges }: { text: string; ranges: readonly (readonly [number, number])[] }) {
  return <>{highlightPieces(text, ranges).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}
