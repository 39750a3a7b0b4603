import { Fragment } from 'react';
import { nameParts } from '../../shared/bidi.ts';

/**
 * A file's name as it is stored, shown so that nothing in it can reorder what is seen: isolated
 * from the text around it (<bdi>), and each bidi control that could disguise it
 * ("evil\u202Efdp.exe" would read as "evilexe.pdf") shown in its place as "[U+202E]" instead of
 * acting. An Arabic name keeps its marks, except in or next to its extension (shared/bidi.ts).
 */
export function FileName({ name }: { name: string }) {
  return (
    <bdi>
      {nameParts(name).map((part, i) =>
        'text' in part ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : (
          <code key={i} className="bidi-control" dir="ltr">
            [{part.control}]
          </code>
        ),
      )}
    </bdi>
  );
}
