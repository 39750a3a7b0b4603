// The one handler that serves archived media (video, audio, images, PDFs) to the renderer, fetch
// style, so the desktop app (protocol.handle) and browser mode (server.ts, under /media/) share it.
// Video seeking depends on HTTP Range. Archived files are evidence from anywhere: nothing served
// here may run as active content in the app's origin, whatever its name or claimed type says.
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { nameWithoutBidiControls } from '../shared/bidi.ts';
import type { MediaFile } from './engineHost.ts';

export type ResolveMedia = (itemId: string, fileId: number) => Promise<MediaFile | null>;
export type MediaHandler = (request: Request) => Promise<Response>;

export interface MediaHandlerOptions {
  /** The part of the URL path before `<itemId>/<fileId>`: '/media/' in browser mode, '/' for sijil-media://file/. */
  readonly prefix?: string;
  /**
   * 'same-origin' unless the door serves media from another origin than the app's pages (the
   * desktop app's sijil-media:// scheme beside sijil-app://), where the browser would refuse it.
   */
  readonly crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin';
}

// `sandbox` makes a file opened on its own (a new tab, a top-level navigation) an opaque origin that
// runs no script: an SVG or HTML file that slipped past the type check still cannot act as the app.
export const MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

// Types a browser shows as passive content. Anything else (HTML, SVG, XML, JavaScript, unknown)
// is sent as bytes to download, never to render.
const SAFE_EXACT = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);
const SAFE_PREFIX = ['video/', 'audio/'];
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const ITEM_ID = /^[0-9A-Za-z]{1,64}$/;
const FILE_ID = /^[1-9][0-9]{0,14}$/;
const CHUNK = 256 << 10;

export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

/**
 * Reads a Range header for a file of `size` bytes (RFC 9110 section 14). Another unit than bytes
 * is ignored, as the RFC requires. Several ranges get the whole file with 200: ignoring Range is
 * always allowed, media elements only ever ask for one, and a single part answering a multi-range
 * request confuses clients that expect multipart/byteranges. A malformed byte range, or one that
 * starts beyond the end (any range of an empty file), is answered 416.
 */
export function parseRange(header: string | null, size: number): RangeRequest {
  if (header === null || header.trim() === '') return { kind: 'whole' };
  const eq = header.indexOf('=');
  if (eq < 0) return { kind: 'unsatisfiable' };
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'whole' };
  const specs = header
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length === 0) return { kind: 'unsatisfiable' };
  const parsed = specs.map((s) => /^(\d*)\s*-\s*(\d*)$/.exec(s));
  if (parsed.some((m) => !m || (m[1] === '' && m[2] === ''))) return { kind: 'unsatisfiable' };
  if (specs.length > 1) return { kind: 'whole' };
  const [, first, last] = parsed[0] as RegExpExecArray;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (end < start || start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}

/** The Content-Type to send, and whether the file may be shown inline. */
export function safeType(mime: string): { type: string; inline: boolean } {
  const [essenceRaw = '', ...params] = mime.split(';');
  const essence = essenceRaw.trim().toLowerCase();
  if (!MIME.test(essence) || !(SAFE_EXACT.has(essence) || SAFE_PREFIX.some((p) => essence.startsWith(p))))
    return { type: 'application/octet-stream', inline: false };
  if (essence === 'text/plain') {
    const charset = params.map((p) => /^\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?\s*$/i.exec(p)?.[1]).find(Boolean);
    return { type: charset ? `text/plain; charset=${charset.toLowerCase()}` : 'text/plain', inline: true };
  }
  return { type: essence, inline: true };
}

/**
 * `inline` or `attachment` with the original name, in the ASCII and RFC 8187 forms. A browser saves
 * under this name, so the bidi controls that could disguise it are left out (shared/bidi.ts).
 */
export function contentDisposition(original: string, inline: boolean): string {
  const name = nameWithoutBidiControls(original);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_').slice(0, 200) || 'file';
  // Cut by code point, and any lone surrogate (a bundle's JSON can carry one) made U+FFFD:
  // encodeURIComponent throws on half a pair, and the file could then never be served.
  const encoded = encodeURIComponent(Array.from(name.toWellFormed()).slice(0, 500).join('')).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function createMediaHandler(resolve: ResolveMedia, options: MediaHandlerOptions = {}): MediaHandler {
  const prefix = options.prefix ?? '/';
  const security: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': MEDIA_CSP,
    'Cross-Origin-Resource-Policy': options.crossOriginResourcePolicy ?? 'same-origin',
    // Testimonies and evidence must not linger in a browser's disk cache.
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Accept-Ranges': 'bytes',
  };
  const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
    new Response(text, { status, headers: { ...security, 'Content-Type': 'text/plain; charset=utf-8', ...extra } });

  return async (request) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Only GET and HEAD are allowed here.', { Allow: 'GET, HEAD' });
    const target = parseTarget(new URL(request.url).pathname, prefix);
    if (!target) return plain(400, 'A media address is <item id>/<file number>.');
    const file = await resolve(target.itemId, target.fileId);
    if (!file) return plain(404, 'No such file in the archive.');

    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file.path, 'r');
    } catch {
      return plain(404, 'No such file in the archive.');
    }
    let handed = false;
    try {
      // The size of what is actually on disk decides the ranges, not what the record says.
      const size = (await handle.stat()).size;
      // If-Range names a version we cannot compare (no validators are sent), so the whole file it is.
      const range = request.headers.has('if-range') ? ({ kind: 'whole' } as const) : parseRange(request.headers.get('range'), size);
      if (range.kind === 'unsatisfiable') return plain(416, 'That range is not in the file.', { 'Content-Range': `bytes */${size}` });
      const { type, inline } = safeType(file.mime);
      const start = range.kind === 'range' ? range.start : 0;
      const end = range.kind === 'range' ? range.end : size - 1;
      const length = Math.max(0, end - start + 1);
      const headers: Record<string, string> = {
        ...security,
        'Content-Type': type,
        'Content-Length': String(length),
        'Content-Disposition': contentDisposition(file.name, inline),
      };
      if (range.kind === 'range') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      const status = range.kind === 'range' ? 206 : 200;
      if (method === 'HEAD' || length === 0) return new Response(null, { status, headers });
      const stream = handle.createReadStream({ start, end, highWaterMark: CHUNK, autoClose: true });
      handed = true;
      return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, { status, headers });
    } finally {
      if (!handed) await handle.close().catch(() => undefined);
    }
  };
}

function parseTarget(pathname: string, prefix: string): { itemId: string; fileId: number } | null {
  if (!pathname.startsWith(prefix)) return null;
  const parts = pathname.slice(prefix.length).split('/');
  if (parts.length !== 2) return null;
  let itemId: string;
  let fileText: string;
  try {
    itemId = decodeURIComponent(parts[0] as string).toLowerCase();
    fileText = decodeURIComponent(parts[1] as string);
  } catch {
    return null;
  }
  if (!ITEM_ID.test(itemId) || !FILE_ID.test(fileText)) return null;
  return { itemId, fileId: Number(fileText) };
}
