// sijil-app://app/ in the desktop app: the built renderer (dist/renderer) served by a fetch-style
// handler for protocol.handle, each response carrying the strict CSP as a header. Plain Node (the
// global Request/Response), so it is tested on real files without Electron.
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, rendererHeaders } from './security.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.ftl': 'text/plain; charset=utf-8',
  // PDF.js's character maps and standard fonts.
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

export function contentTypeFor(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Vite names every file it writes under assets/ by the hash of its content (its default
 * [name]-[hash] naming; vite.config.ts does not change it): such a file never changes, so in
 * browser mode the browser keeps it, and V8's code cache with it, from one launch to the next (a
 * script fetched again is parsed and compiled again: most of a launch's page time; measured by
 * `npm run bench -- ui`). Everything else (index.html, which names the assets, and PDF.js's files)
 * is asked for again each time. The desktop app sends the same headers; there, the V8 code cache
 * comes from the scheme's codeCache privilege (main.ts), which has not been measured (no Electron
 * binary runs on the machines this was built on).
 */
export function cacheControlFor(root: string, file: string): string {
  const relativePath = path.relative(root, file).split(path.sep).join('/');
  return relativePath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function plain(status: number, text: string, csp?: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...rendererHeaders(csp) } });
}

/**
 * The file under `rendererDir` that a request path names, or null when the path leaves the folder
 * (`..`, encoded slashes, NUL) or is not a usable path at all.
 */
export function resolveRendererPath(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const full = path.resolve(rendererDir, relative);
  const inside = path.relative(rendererDir, full);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return full;
}

/**
 * Serves the renderer. A path with no file extension that names no file gets index.html, so a
 * reload on an in-app route still opens the app; a missing asset is a plain 404.
 */
export function createAppHandler(rendererDir: string, options: { csp?: string } = {}): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) return plain(404, 'Not found.', options.csp);
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET and HEAD.', options.csp);
    let file = resolveRendererPath(root, url.pathname);
    if (file === null) return plain(404, 'Not found.', options.csp);
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      if (path.extname(file) !== '') return plain(404, 'Not found.', options.csp);
      file = path.join(root, 'index.html');
      try {
        body = await fs.readFile(file);
      } catch {
        return plain(500, 'The app is not built: run `npm run build`.', options.csp);
      }
    }
    const headers = {
      ...rendererHeaders(options.csp),
      'Content-Type': contentTypeFor(file),
      'Content-Length': String(body.length),
      'Cache-Control': cacheControlFor(root, file),
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/**
 * Media lives at another origin (sijil-media://file) than the app (sijil-app://app). Images and
 * video play across origins as they are, but PDF.js fetches with Range and reads the answer, and
 * a thumbnail drawn from a video must not taint its canvas: both need CORS, granted to the app's
 * own origin only and to nobody else (an archived page in its opaque-origin iframe gets none).
 */
export function withAppCors(handler: (request: Request) => Promise<Response>, appOrigin: string): (request: Request) => Promise<Response> {
  const cors = {
    'Access-Control-Allow-Origin': appOrigin,
    'Access-Control-Expose-Headers': 'Accept-Ranges, Content-Range, Content-Length, Content-Type, Content-Disposition',
    Vary: 'Origin',
  };
  return async (request) => {
    const fromApp = request.headers.get('Origin') === appOrigin;
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: fromApp ? 204 : 403,
        headers: fromApp ? { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Max-Age': '600' } : {},
      });
    }
    const response = await handler(request);
    if (!fromApp) return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(cors)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
