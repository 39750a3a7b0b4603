// The importer's side of the reading copy: the allowlist itself is shared/readingHtml.ts, applied
// here on jsdom when a saved page is imported.
import createDOMPurify from 'dompurify';
import type { DOMWindow } from 'jsdom';
import { readingSanitizer } from '../../../shared/readingHtml.ts';

export type Sanitizer = (root: Node) => DocumentFragment;

/**
 * A sanitiser bound to `window`: it turns a node of any document of that window into a fragment
 * that loads nothing (shared/readingHtml.ts says what is kept). A <body> given to it is emptied
 * into the result.
 */
export function createSanitizer(window: DOMWindow): Sanitizer {
  const clean = readingSanitizer(createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]));
  return (root) => clean(asFragment(root));
}

/**
 * DOMPurify imports a <body> as its own walk root and then cannot remove it (body is not an
 * allowed tag), failing on real pages; a fragment of the body's children has no such problem.
 */
function asFragment(root: Node): Node {
  if (root.nodeName !== 'BODY' && root.nodeName !== 'HTML') return root;
  const doc = root.ownerDocument!;
  const fragment = doc.createDocumentFragment();
  const source = root.nodeName === 'HTML' ? (doc.body ?? root) : root;
  fragment.append(...Array.from(source.childNodes));
  return fragment;
}
