// A linear scan over HTML source, for pages a DOM should not be built for. jsdom, DOMPurify and
// above all Readability slow down sharply with nesting depth (a chain of 400 nested elements
// keeps Readability busy for seconds, 20,000 for hours), and a saved page or a spam mail can nest
// unclosed tags that deep. The scan estimates the depth before parsing and, for a page too deep
// to parse, flattens it to text.

// Elements that never nest: void elements and those whose end tag the parser implies.
const FLAT = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'colgroup',
  'caption', 'rb', 'rt', 'rp', 'html', 'head', 'body',
]);
// Elements whose content is not markup: skipped up to their end tag.
const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'template']);
const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol',
  'dl', 'dt', 'dd', 'hr', 'section', 'article', 'header', 'footer', 'aside', 'main', 'figure', 'figcaption',
  'address', 'center', 'form', 'caption',
]);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly start: number;
  readonly end: number;
}

/**
 * Calls `visit` for every tag and comment (named "!--") outside raw-text elements, in order.
 * Linear time.
 */
function scanTags(source: string, visit: (tag: Tag) => void): void {
  const lower = source.toLowerCase();
  let i = 0;
  while ((i = source.indexOf('<', i)) !== -1) {
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) return;
      visit({ name: '!--', closing: false, start: i, end: end + 3 });
      i = end + 3;
      continue;
    }
    TAG.lastIndex = i;
    const match = TAG.exec(source);
    if (!match) {
      i++;
      continue;
    }
    const close = source.indexOf('>', TAG.lastIndex);
    if (close < 0) return;
    const name = (match[2] ?? '').toLowerCase();
    const closing = match[1] === '/';
    visit({ name, closing, start: i, end: close + 1 });
    i = close + 1;
    if (!closing && RAW.has(name)) {
      const end = lower.indexOf(`</${name}`, i);
      if (end < 0) return;
      i = end;
    }
  }
}

/** An upper estimate of how deep the parsed page will nest. */
export function nestingEstimate(source: string): number {
  let depth = 0;
  let max = 0;
  scanTags(source, ({ name, closing }) => {
    if (FLAT.has(name) || RAW.has(name) || name === '!--') return;
    if (closing) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  });
  return max;
}

/**
 * The page with every tag removed except line breaks where blocks begin and end: still HTML
 * (its character references decode when parsed), but one level deep.
 */
export function flatten(source: string): string {
  const parts: string[] = [];
  let from = 0;
  let inRaw = false;
  let breaks = 0; // line breaks since the last text: two make a paragraph, more add nothing
  scanTags(source, ({ name, closing, start, end }) => {
    if (!inRaw) {
      const text = source.slice(from, start);
      if (/\S/.test(text)) breaks = 0;
      parts.push(text);
    }
    inRaw = !closing && RAW.has(name);
    if (BLOCK.has(name) && breaks < 2) {
      parts.push('<br>');
      breaks++;
    } else {
      parts.push(' ');
    }
    from = end;
  });
  if (!inRaw) parts.push(source.slice(from));
  return parts.join('');
}
