// Archived web pages are shown to the researcher, and the page's author is not on their side: a
// tracking pixel, a font, a prefetch or a stylesheet that loads from the network would tell
// the site who opened the article, and where. The reader view therefore gets HTML from which
// nothing can load: an allowlist of text elements, no styles, and only two kinds of URL, links
// (which load nothing until clicked, and the app refuses navigation) and inline data: images.
import createDOMPurify from 'dompurify';
import type { Config } from 'dompurify';
import type { DOMWindow } from 'jsdom';

const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite',
  'code', 'col', 'colgroup', 'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li',
  'main', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u',
  'ul', 'var', 'wbr',
];

// No URL-bearing attribute except href (links) and src (images), both checked below. Everything
// else that can fetch (srcset, poster, background, ping, action, formaction, xlink:href, style,
// cite, longdesc, data-*) is simply not on the list.
const ALLOWED_ATTR = [
  'href', 'src', 'alt', 'title', 'dir', 'lang', 'id', 'colspan', 'rowspan', 'headers', 'scope', 'abbr',
  'span', 'start', 'reversed', 'datetime', 'value', 'open', 'width', 'height',
];

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // The content of a removed element is kept (a <font> or <center> still holds the article's
  // words) unless it is never reading matter. DOMPurify already drops that of script, style, svg,
  // math, iframe, noscript, template, audio, video...; these are added to its list.
  ADD_FORBID_CONTENTS: ['frame', 'frameset', 'object', 'embed', 'applet', 'canvas', 'map', 'select', 'button'],
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
};

const IMAGE_DATA_URI = /^data:image\/(?:png|jpe?g|gif|webp|avif|bmp)[;,]/i;

/**
 * A link target that loads nothing by itself: an absolute http(s) or mailto URL in its
 * canonical serialisation (so that "java\tscript:" and friends are judged as a browser would),
 * or an in-page fragment. Null for anything else, including relative URLs, which would resolve
 * against the app's own origin.
 */
export function safeHref(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.startsWith('#')) return trimmed;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * An inline raster image (data: URI); never a remote or SVG image. The whitespace a browser
 * would strip is removed before judging.
 */
export function safeImageSrc(value: string): string | null {
  const compact = value.replace(/[\u0000-\u0020]/g, '');
  return IMAGE_DATA_URI.test(compact) ? compact : null;
}

export type Sanitizer = (root: Node) => DocumentFragment;

/**
 * A sanitiser bound to `window`: it turns a node of any document of that window into a fragment
 * that loads nothing. Images left without a usable source are dropped. A <body> given to it is
 * emptied into the result.
 */
export function createSanitizer(window: DOMWindow): Sanitizer {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'href') {
      const href = node.nodeName === 'A' ? safeHref(data.attrValue) : null;
      if (href === null) data.keepAttr = false;
      else data.attrValue = href;
    } else if (data.attrName === 'src') {
      const src = node.nodeName === 'IMG' ? safeImageSrc(data.attrValue) : null;
      if (src === null) data.keepAttr = false;
      else data.attrValue = src;
    }
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A' && node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
  });
  return (root) => {
    const fragment = purify.sanitize(asFragment(root), CONFIG);
    for (const img of Array.from(fragment.querySelectorAll('img:not([src])'))) img.remove();
    return fragment;
  };
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
