// The one allowlist for the reading copy of an archived web page. The page's author is not on the
// researcher's side: a tracking pixel, a font, a prefetch or a stylesheet that loads from the
// network would tell the site who opened the article, and where. The reading copy therefore keeps
// an allowlist of text elements, no styles, and only two kinds of URL: links (which load nothing
// until followed, and the reader cannot follow them) and inline data: images.
// The importer (electron/archive/ingest/sanitize.ts, on jsdom) makes the copy with it, and the
// reader (renderer/item/ArticleReader.tsx) applies it again before showing a copy, since a copy can
// also come from a bundle made elsewhere or a database edited behind the app's back.
import type { Config, DOMPurify } from 'dompurify';
import { containBidi } from './bidi.ts';

export const READING_TAGS = [
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
export const READING_ATTRS = [
  'href', 'src', 'alt', 'title', 'dir', 'lang', 'id', 'colspan', 'rowspan', 'headers', 'scope', 'abbr',
  'span', 'start', 'reversed', 'datetime', 'value', 'open', 'width', 'height',
];

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: READING_TAGS,
  ALLOWED_ATTR: READING_ATTRS,
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

/**
 * Binds the allowlist to a DOMPurify instance (one per window; the hooks are added once) and
 * returns a function from a node or markup to a fragment that loads nothing. Images left without
 * a usable source are dropped.
 */
export function readingSanitizer(purify: DOMPurify): (input: Node | string) => DocumentFragment {
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'href') {
      const href = node.nodeName === 'A' ? safeHref(data.attrValue) : null;
      if (href === null) data.keepAttr = false;
      else data.attrValue = href;
    } else if (data.attrName === 'src') {
      const src = node.nodeName === 'IMG' ? safeImageSrc(data.attrValue) : null;
      if (src === null) data.keepAttr = false;
      else data.attrValue = src;
    } else if (data.attrName === 'alt' || data.attrName === 'title') {
      data.attrValue = containBidi(data.attrValue);
    }
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A' && node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
  });
  return (input) => {
    const fragment = purify.sanitize(input, CONFIG);
    for (const img of Array.from(fragment.querySelectorAll('img:not([src])'))) img.remove();
    containBidiIn(fragment);
    return fragment;
  };
}

const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT, which jsdom has only on its window

/**
 * A page's bidi controls kept to the text they are in (shared/bidi.ts): an override could
 * otherwise reverse the letters of a name or a figure in the reading copy, and an unclosed
 * embedding or isolate would reorder the paragraphs' text that follows it.
 */
function containBidiIn(fragment: DocumentFragment): void {
  // <bdo> is the markup form of an override; a <span> keeps its direction (as an isolate, since
  // it has a dir) without reversing its letters.
  for (const bdo of Array.from(fragment.querySelectorAll('bdo'))) {
    const span = fragment.ownerDocument.createElement('span');
    for (const { name, value } of Array.from(bdo.attributes)) span.setAttribute(name, value);
    span.append(...Array.from(bdo.childNodes));
    bdo.replaceWith(span);
  }
  const walker = fragment.ownerDocument.createTreeWalker(fragment, SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = node as Text;
    const contained = containBidi(text.data);
    if (contained !== text.data) text.data = contained;
  }
}
