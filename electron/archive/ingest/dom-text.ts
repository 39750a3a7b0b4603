// The text of a DOM tree as a reader sees it: paragraphs separated by blank lines, list items and
// table rows on their own lines, runs of whitespace collapsed. textContent would glue
// "<p>end.</p><p>Start" into "end.Start", which breaks both search and snippets.

const PARAGRAPH = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'TABLE', 'UL', 'OL', 'DL', 'FIGURE',
  'HR', 'ARTICLE', 'SECTION', 'ASIDE', 'HEADER', 'FOOTER', 'MAIN', 'NAV', 'ADDRESS', 'DETAILS', 'FORM',
  'FIELDSET',
]);
const LINE = new Set(['DIV', 'LI', 'TR', 'DT', 'DD', 'FIGCAPTION', 'CAPTION', 'SUMMARY', 'CENTER', 'TBODY', 'THEAD', 'TFOOT']);
const CELL = new Set(['TD', 'TH']);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE', 'SVG', 'svg', 'MATH', 'math', 'IFRAME', 'OBJECT', 'SELECT', 'TEXTAREA']);

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
// ASCII whitespace as HTML collapses it, plus no-break and zero-width spaces, which in running
// text are only there for layout.
const SPACE = /[\t\n\f\r \u00a0\u200b]+/;

/** Readable plain text of `root`. Iterative, so deeply nested markup cannot exhaust the stack. */
export function readableText(root: Node): string {
  const out: string[] = [];
  let pendingBreak = 0; // newlines owed before the next word: 0, 1 or 2
  let pendingSpace = false;

  const write = (s: string): void => {
    if (out.length > 0) {
      if (pendingBreak > 0) out.push(pendingBreak === 2 ? '\n\n' : '\n');
      else if (pendingSpace) out.push(' ');
    }
    out.push(s);
    pendingBreak = 0;
    pendingSpace = false;
  };
  const breakAtLeast = (n: number): void => {
    pendingBreak = Math.max(pendingBreak, n);
  };

  // Frames: a node to enter, or the exit of an element (its break owed after it).
  const stack: { node: Node; exit?: number; pre?: boolean }[] = [{ node: root }];
  let preDepth = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node } = frame;
    if (frame.exit !== undefined) {
      breakAtLeast(frame.exit);
      if (frame.pre) preDepth--;
      continue;
    }
    if (node.nodeType === TEXT_NODE) {
      const data = node.nodeValue ?? '';
      if (preDepth > 0) {
        if (data !== '') write(data.replace(/\r\n?/g, '\n'));
        continue;
      }
      const words = data.split(SPACE);
      if (words[0] === '') pendingSpace = true;
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        if (word !== '') write(word);
        if (i < words.length - 1) pendingSpace = true;
      }
      continue;
    }
    const name = node.nodeName;
    if (node.nodeType === ELEMENT_NODE) {
      if (SKIP.has(name)) continue;
      if (name === 'BR') {
        pendingBreak = Math.min(2, pendingBreak + 1);
        continue;
      }
      const brk = PARAGRAPH.has(name) ? 2 : LINE.has(name) ? 1 : 0;
      if (brk) breakAtLeast(brk);
      if (CELL.has(name)) pendingSpace = true;
      const pre = name === 'PRE';
      if (pre) preDepth++;
      if (brk || pre) stack.push({ node, exit: brk, pre });
    } else if (node.nodeType !== 9 && node.nodeType !== 11) {
      // Comments, processing instructions: not text. Documents (9) and fragments (11) are walked.
      continue;
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]! });
  }
  return out.join('');
}

/** How deep elements nest below `root`. Iterative, for the same reason. */
export function maxDepth(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === ELEMENT_NODE) stack.push([child, depth + 1]);
    }
  }
  return max;
}
