// What a file is, from its content. A file's name is whatever a person or a website chose, so it
// decides nothing here except one tie: plain text versus Markdown.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { ItemKind } from '../../../shared/domain.ts';
import { bomEncoding, isUtf8, latin1 } from './decode.ts';
import type { Detected, DetectedFormat } from './types.ts';

/** How much of a file detection reads. */
export const DETECT_HEAD_BYTES = 64 * 1024;
/** A JSON file whose head looks like a yt-dlp sidecar is read whole up to this size to be sure. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

/**
 * Text and Markdown files become notes: a plain-text file has no layout to keep, its text is the
 * whole content, and in a researcher's archive such files are overwhelmingly their own notes.
 * ('document' is for files whose original must be shown as it is, such as PDFs.) The kind can be
 * changed after import.
 */
const KIND: Readonly<Record<DetectedFormat, ItemKind | null>> = {
  html: 'article',
  pdf: 'document',
  text: 'note',
  markdown: 'note',
  video: 'video',
  audio: 'audio',
  image: 'image',
  // A sidecar describes a video beside it; it is never an item by itself.
  'ytdlp-info': null,
  unknown: null,
};

const MIME: Readonly<Record<'html' | 'pdf' | 'text' | 'markdown' | 'ytdlp-info' | 'unknown', string>> = {
  html: 'text/html',
  pdf: 'application/pdf',
  text: 'text/plain',
  markdown: 'text/markdown',
  'ytdlp-info': 'application/json',
  unknown: 'application/octet-stream',
};

function detected(format: DetectedFormat, mime?: string): Detected {
  return { format, mime: mime ?? MIME[format as keyof typeof MIME], kind: KIND[format] };
}

const UNKNOWN = detected('unknown');

/** Detects the format of a file from its first 64 KiB (all of it for a likely yt-dlp sidecar). */
export async function detectFile(path: string): Promise<Detected> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return UNKNOWN;
    const headSize = Math.min(size, DETECT_HEAD_BYTES);
    const head = new Uint8Array(headSize);
    const { bytesRead } = await handle.read(head, 0, headSize, 0);
    const found = await detectBuffer(head.subarray(0, bytesRead), path);
    // The head of a large .info.json holds only the start of its formats list: decide on the
    // whole file when it is JSON that might be a sidecar.
    if (found.format === 'text' && size > bytesRead && size <= MAX_JSON_BYTES && startsWithBrace(head)) {
      const whole = new Uint8Array(size);
      const { bytesRead: n } = await handle.read(whole, 0, size, 0);
      if (isYtDlpJson(new TextDecoder().decode(whole.subarray(0, n)), false)) return detected('ytdlp-info');
    }
    return found;
  } finally {
    await handle.close();
  }
}

/**
 * Detects the format of a file from its head (or all of it). `name` (a file name or path) is
 * consulted only to choose between plain text and Markdown for UTF-8 text.
 */
export async function detectBuffer(head: Uint8Array, name?: string): Promise<Detected> {
  if (head.byteLength === 0) return UNKNOWN;

  const media = await detectMedia(head);
  if (media) return media;

  const text = decodeTextHead(head);
  if (text === null) {
    // Not UTF-8: still HTML when an ASCII-compatible legacy encoding (windows-1256...) spells it.
    if (!hasNul(head) && htmlStrength(latin1(head)) !== 'none') return detected('html');
    return UNKNOWN;
  }

  const html = htmlStrength(text.text);
  if (html === 'strong') return detected('html');
  if (html === 'weak') {
    // README-style Markdown often opens with an HTML block (<p align="center">...).
    return markdownScore(text.text) === 'markdown' ? detected('markdown') : detected('html');
  }
  if (isYtDlpJson(text.text, true)) return detected('ytdlp-info');

  const score = markdownScore(text.text);
  if (score === 'markdown') return detected('markdown');
  if (text.utf8 && name !== undefined && MARKDOWN_EXTENSIONS.has(extname(name).toLowerCase())) {
    return detected('markdown');
  }
  return detected('text');
}

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkd', '.mkdn']);

/** Binary formats Sijil imports, by magic numbers. */
async function detectMedia(head: Uint8Array): Promise<Detected | null> {
  let found: { mime: string } | undefined;
  try {
    found = await fileTypeFromBuffer(head);
  } catch {
    found = undefined;
  }
  if (found) {
    const mime = found.mime;
    if (mime === 'application/pdf') return detected('pdf');
    if (mime.startsWith('video/') || VIDEO_CONTAINERS.has(mime)) return detected('video', mime);
    if (mime.startsWith('audio/')) return detected('audio', mime);
    // An Ogg stream whose codec file-type could not tell is far more often Vorbis/Opus audio.
    if (mime === 'application/ogg') return detected('audio', 'audio/ogg');
    if (mime === 'image/bmp' && !isBmp(head)) return null;
    if (mime.startsWith('image/') && !NOT_PICTURES.has(mime)) return detected('image', mime);
  }
  // Readers accept a PDF header anywhere in the first KiB (mail gateways and some generators
  // prepend bytes); file-type only looks at offset 0.
  if (latin1(head, 1024).includes('%PDF-')) return detected('pdf');
  return null;
}

const VIDEO_CONTAINERS = new Set(['application/mxf', 'application/vnd.ms-asf', 'application/vnd.rn-realmedia']);
/** image/* types that are drawings or textures, not pictures a person looks at. */
const NOT_PICTURES = new Set(['image/vnd.dwg', 'image/ktx']);

/** file-type calls anything starting "BM" a bitmap; a note starting "BMW..." is not one. */
function isBmp(head: Uint8Array): boolean {
  if (head.byteLength < 18) return false;
  const dib = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(14, true);
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(dib);
}

function hasNul(bytes: Uint8Array): boolean {
  return bytes.includes(0);
}

/**
 * The head decoded when it is text: UTF-8 (with or without BOM) or UTF-16 with a BOM, with no NUL
 * and almost no other control characters. `utf8` says the bytes were UTF-8.
 */
function decodeTextHead(head: Uint8Array): { text: string; utf8: boolean } | null {
  const bom = bomEncoding(head);
  let text: string;
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    // A head cut in the middle of a surrogate pair is still text: stream mode tolerates it.
    try {
      text = new TextDecoder(bom, { fatal: true }).decode(head, { stream: true });
    } catch {
      return null;
    }
  } else {
    if (hasNul(head) || !isUtf8(head, true)) return null;
    text = new TextDecoder('utf-8').decode(head, { stream: true });
  }
  if (text.includes('\u0000')) return null;
  const controls = text.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f]/g)?.length ?? 0;
  if (controls > Math.max(2, text.length / 1000)) return null;
  return { text, utf8: bom === null || bom === 'utf-8' };
}

const STRONG_START = /^<(?:!doctype\s+html|html|head|body)[\s>/]/i;
// The tags the WHATWG MIME sniffing standard looks for, and a few more that open page fragments.
const WEAK_START =
  /^<(?:script|iframe|h[1-6]|div|font|table|a|style|title|b|br|p|meta|link|span|section|article|header|ul|ol|img|center|form|noscript|main|nav)[\s>/]/i;

/**
 * How surely text is HTML. Leading whitespace, a BOM, comments (the "saved from url=" comment
 * browsers write) and an XML declaration are skipped first.
 */
function htmlStrength(text: string): 'strong' | 'weak' | 'none' {
  let rest = text.slice(0, 65_536).replace(/^\ufeff/, '');
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->', 4);
      if (end < 0) return 'none';
      rest = rest.slice(end + 3);
    } else if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>', 2);
      if (end < 0) return 'none';
      rest = rest.slice(end + 2);
    } else {
      break;
    }
  }
  if (STRONG_START.test(rest)) return 'strong';
  // An XHTML DOCTYPE with a public identifier, or any DOCTYPE naming html.
  if (/^<!doctype\s+html\b/i.test(rest)) return 'strong';
  if (WEAK_START.test(rest)) {
    // Tags near the start together with a later <html> or <body> make it a page, not a fragment.
    return /<(?:html|body)[\s>]/i.test(rest.slice(0, 4096)) ? 'strong' : 'weak';
  }
  return 'none';
}

function startsWithBrace(head: Uint8Array): boolean {
  const text = decodeTextHead(head)?.text.trimStart().replace(/^\ufeff/, '');
  return text?.startsWith('{') ?? false;
}

const YTDLP_KEYS = ['extractor', 'extractor_key', 'webpage_url'] as const;
// yt-dlp writes the info dict with json.dumps: "id" and "title" come first, then "formats".
const YTDLP_PREFIX = /^\{\s*"id"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*"title"\s*:/;

/**
 * Whether text is a yt-dlp .info.json. With `mayBeTruncated`, a head that does not parse as JSON
 * is judged by yt-dlp's key order instead.
 */
function isYtDlpJson(text: string, mayBeTruncated: boolean): boolean {
  const trimmed = text.replace(/^\ufeff/, '').trim();
  if (!trimmed.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    return typeof record.id === 'string' && YTDLP_KEYS.some((key) => typeof record[key] === 'string');
  } catch {
    if (!mayBeTruncated) return false;
    return YTDLP_PREFIX.test(trimmed) && /"(?:formats|extractor|webpage_url|_type)"\s*:/.test(trimmed);
  }
}

/**
 * Markdown when the text shows at least two strong signs (headings, links, fences, tables), or
 * one strong sign and two weak ones (lists, emphasis, quotes, inline code); text otherwise.
 */
function markdownScore(text: string): 'markdown' | 'text' {
  let strong = 0;
  let weak = 0;
  const lines = text.slice(0, 65_536).split('\n', 4000);
  let previous = '';
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (/^ {0,3}#{1,6}[ \t]+\S/.test(line)) strong++;
    else if (/^ {0,3}(?:=+|-{2,})[ \t]*$/.test(line) && previous.trim() !== '' && !/^\s*[-*+]\s/.test(previous)) strong++;
    else if (/^ {0,3}(?:```|~~~)/.test(line)) strong++;
    else if (/^ {0,3}\|?\s*:?-{3,}:?\s*\|/.test(line)) strong++;
    else if (/^ {0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S/.test(line)) weak++;
    else if (/^ {0,3}>/.test(line)) weak++;
    strong += line.match(/!?\[[^\]\n]+\]\([^)\s]+(?:\s+"[^"]*")?\)/g)?.length ?? 0;
    weak += line.match(/\*\*[^*\n]+\*\*|__[^_\n]+__|`[^`\n]+`/g)?.length ?? 0;
    previous = line;
    if (strong >= 2 || (strong >= 1 && weak >= 2)) return 'markdown';
  }
  return 'text';
}
