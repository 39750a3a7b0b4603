// Text with its matched ranges in <mark>: rendered as React text nodes, so archived text can
// never become markup.
import { highlightPieces } from './highlight.ts';

export function Highlighted({ text, ranges }: { text: string; ranges: readonly (readonly [number, number])[] }) {
  return (
    <>
      {highlightPieces(text, ranges).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
