// Plain-text and Markdown files: a researcher's notes. The text is the content, kept whole.
import { basename, extname } from 'node:path';
import { decodeBytes } from './decode.ts';
import { guessLanguage } from './language.ts';
import { cleanText, oneLine } from './strings.ts';
import type { Extracted } from './types.ts';

const TITLE_MAX = 200;

/** Extracts a note from a text or Markdown file (UTF-8, or UTF-16 with a BOM). */
export function extractText(bytes: Uint8Array, format: 'text' | 'markdown', fileName: string): Extracted {
  const { text: decoded, encoding } = decodeBytes(bytes, 'utf-8');
  const body = cleanText(decoded);
  const title = (format === 'markdown' ? markdownTitle(body) : null) ?? firstLine(body, format) ?? nameTitle(fileName);
  return {
    kind: 'note',
    title,
    body: body.trim() === '' ? null : body,
    language: guessLanguage(body),
    extra: { format, encoding },
  };
}

/** The YAML front matter title, else the first ATX or setext heading. */
function markdownTitle(text: string): string | null {
  const front = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  const fromFront = front?.[1] ? /^title:[ \t]*(.+)$/m.exec(front[1])?.[1] : undefined;
  if (fromFront) return titleText(fromFront.replace(/^(["'])(.*)\1$/, '$2'));
  const content = front ? text.slice(front[0].length) : text;
  let inFence = false;
  let previous = '';
  for (const line of content.split('\n')) {
    if (/^ {0,3}(?:```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const atx = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx?.[1]) return titleText(atx[1]);
    if (/^ {0,3}(?:=+|-+)[ \t]*$/.test(line) && previous.trim() !== '' && !/^\s*[-*+>]/.test(previous)) {
      return titleText(previous);
    }
    previous = line;
  }
  return null;
}

function firstLine(text: string, format: 'text' | 'markdown'): string | null {
  let inFence = false;
  for (const line of text.split('\n')) {
    // Rules and underlines ("-----", "=====") are decoration, not a title; in Markdown, neither
    // is code.
    if (format === 'markdown' && /^ {0,3}(?:```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || /^[\s\-=*_#~.]*$/.test(line)) continue;
    const title = format === 'markdown' ? titleText(line.replace(/^\s*(?:[-*+>]|\d+[.)])\s+/, '')) : oneLine(line, TITLE_MAX);
    if (title) return title;
  }
  return null;
}

/** Heading text without Markdown syntax: links, emphasis and code marks. */
function titleText(heading: string): string | null {
  const plain = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2')
    .replace(/<[^>]+>/g, '');
  return oneLine(plain, TITLE_MAX);
}

function nameTitle(fileName: string): string | null {
  const name = basename(fileName);
  const stem = name.slice(0, name.length - extname(name).length);
  return oneLine(stem, TITLE_MAX) ?? oneLine(name, TITLE_MAX);
}
