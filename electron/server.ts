// Browser mode: the built renderer and the contract over HTTP, for the end-to-end tests and for
// machines without the desktop app. The command is serve.ts (`npm run serve`).
//
// Anything on this computer can reach 127.0.0.1, a web page the researcher has open included, so:
// a random token per launch, exchanged once for an HttpOnly SameSite=Strict cookie; the Host header
// must name 127.0.0.1 or localhost with our port (a DNS-rebinding page sends its own name);
// POSTs need `X-Sijil: 1`, which no cross-site form can send and no cross-site script may send
// without a CORS preflight we never answer.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { contract, isChannel, type Channel } from '../shared/api.ts';
import { ArchiveError, CodedError, errorValue } from '../shared/errors.ts';
import { phrase, say, type Phrase } from '../shared/phrase.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { isInside } from './archive/location.ts';
import { CallRegistry, readCallId } from './calls.ts';
import { EngineHost, defaultLog, describe, toWireError, type Log } from './engineHost.ts';
import { createMediaHandler, type MediaHandler } from './media.ts';
import { UploadStaging, type UploadLimits } from './uploads.ts';
import { rendererCsp } from './security.ts';
import { cacheControlFor, contentTypeFor } from './appProtocol.ts';

export interface ServerOptions {
  readonly archiveDir: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The built renderer (serve.ts: dist/renderer). */
  readonly rendererDir: string;
  /**
   * The engine, already opening `archiveDir` (serve.ts starts it before this module has loaded, so
   * the two load side by side); the server closes it. Started here when absent.
   */
  readonly engine?: EngineHost;
  readonly log?: Log;
  /** Largest JSON body of a contract call. */
  readonly maxJsonBytes?: number;
  readonly uploads?: UploadLimits;
}

export interface SijilServer {
  /** The address to open, with the token: what `npm run serve` prints. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly engine: EngineHost;
  close(): Promise<void>;
}

// Cookies ignore ports: one name per port, so two archives open in one browser (an archivist
// merging bundles) do not sign each other out.
export function cookieName(port: number): string {
  return `sijil-${port}`;
}

// The article reader shows archived HTML in an iframe with `srcdoc` and a sandbox without
// allow-scripts. A srcdoc document inherits this policy, so it too can load nothing remote (no
// tracking pixel) and run no script; it needs no frame-src entry. blob: frames are allowed for a
// document the renderer builds itself; data: frames are not needed and stay refused.
// One policy for both doors (electron/security.ts); here media comes from the same origin.
export const APP_CSP = rendererCsp({ media: null });
const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

// The contract's largest argument (a note's body, up to 50 million characters) must fit through
// this door as through the others; the cap only stops a runaway body from filling memory.
const MAX_JSON = 64 << 20;
const KEEP_ALIVE_MS = 15_000;
// A slow or stuck event stream gets no more progress than this behind; the call's result still arrives.
const MAX_SSE_BACKLOG = 1 << 20;

class HttpError extends CodedError<string> {
  readonly status: number;
  constructor(status: number, code: string, message: string | Phrase) {
    super(code, message);
    this.status = status;
  }
}

export async function startServer(options: ServerOptions): Promise<SijilServer> {
  const log = options.log ?? defaultLog;
  const archiveDir = path.resolve(options.archiveDir);
  const rendererDir = path.resolve(options.rendererDir);
  const maxJson = options.maxJsonBytes ?? MAX_JSON;
  const engine = options.engine ?? (await EngineHost.start(archiveDir, { log }));
  const uploads = new UploadStaging(archiveDir, options.uploads);
  const calls = new CallRegistry();
  const events = new Set<http.ServerResponse>();
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const media: MediaHandler = createMediaHandler((itemId, fileId) => engine.resolveMedia(itemId, fileId), { prefix: '/media/' });

  const server = http.createServer(
    // Uploads of large videos may take long; headers still have to arrive promptly.
    { requestTimeout: 0, headersTimeout: 60_000 },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log('error', 'browser-mode request failed', { method: req.method, url: redact(req.url), error: describe(err) });
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: toWireError(err) });
        else res.destroy();
      });
    },
  );

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', API_CSP);
    res.setHeader('Cache-Control', 'no-store');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!hostAllowed(req.headers.host, port)) return sendText(res, 403, 'Sijil answers only requests addressed to 127.0.0.1 or localhost with its port.');
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return sendText(res, 400, 'Bad request.');
    const q = raw.indexOf('?');
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));

    if (rawPath === '/' && query.has('token') && (method === 'GET' || method === 'HEAD')) {
      if (!sameSecret(query.get('token') ?? '', tokenBytes))
        return sendText(res, 403, 'This Sijil address is out of date: open the one Sijil printed when it last started.');
      res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: '/', 'Content-Length': 0 });
      res.end();
      return;
    }

    const cookie = readCookie(req.headers.cookie, cookieName(port));
    if (cookie === null) return refuse(res, rawPath, 401, phrase('doors.notSignedIn'));
    if (!sameSecret(cookie, tokenBytes))
      return refuse(res, rawPath, 403, phrase('doors.earlierRun'));
    if (method === 'POST' && !postAllowed(req, port)) return refuse(res, rawPath, 403, phrase('doors.notFromPage'));

    if (rawPath.startsWith('/api/')) return api(req, res, method, rawPath.slice('/api/'.length), query);
    if (rawPath.startsWith('/media/')) return serveMedia(req, res, method, rawPath);
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    return serveStatic(res, method, rawPath, rendererDir);
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, method: string, name: string, query: URLSearchParams): Promise<void> {
    try {
      if (name === 'events') {
        if (method !== 'GET') throw new HttpError(405, 'invalid-argument', 'The event stream is read with GET.');
        return openEvents(req, res);
      }
      if (name === 'upload-root') {
        if (method !== 'GET') throw new HttpError(405, 'invalid-argument', 'The upload root is read with GET.');
        return sendJson(res, 200, { ok: true, value: { path: await uploads.root(query.get('batch') ?? '') } });
      }
      if (method !== 'POST') throw new HttpError(405, 'invalid-argument', 'Contract calls are POST requests.');
      if (name === 'upload') {
        const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
        const file = await uploads.receive(query.get('batch') ?? '', query.get('path') ?? '', req, declared);
        return sendJson(res, 200, { ok: true, value: { path: file } });
      }
      let channel: string;
      try {
        channel = decodeURIComponent(name);
      } catch {
        channel = name;
      }
      if (!isChannel(channel)) throw new HttpError(404, 'invalid-argument', phrase('doors.noSuchOperation', { name: channel.slice(0, 100) }));
      const body = await readJson(req, maxJson);
      const value = await callChannel(channel, body);
      return sendJson(res, 200, { ok: true, value });
    } catch (err) {
      if (!(err instanceof CodedError)) log('error', 'browser-mode call failed unexpectedly', { name, error: describe(err) });
      const status = err instanceof HttpError ? err.status : statusOf(toWireError(err).code);
      sendJson(res, status, { ok: false, error: toWireError(err) });
    }
  }

  async function callChannel(channel: string, body: unknown): Promise<unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ArchiveError('invalid-argument', phrase('doors.callShape'));
    const { args } = body as { args?: unknown };
    const callId = readCallId((body as { callId?: unknown }).callId);
    if (channel === 'calls.cancel') {
      const parsed = parseOrThrow(contract['calls.cancel'].args, args ?? {});
      return { cancelled: calls.cancel(parsed.callId) };
    }
    // Validated here, at the door, as the desktop door does (ipcDispatch.ts): a bad call gets the
    // contract's message without a trip to the engine, whatever JSON it was (the engine checks again).
    const parsed = parseOrThrow(contract[channel as Channel].args as unknown as z.ZodType<unknown>, args ?? {});
    const running = calls.begin(callId);
    const importing = channel === 'import.paths';
    try {
      const value = await engine.invoke(channel, parsed, {
        signal: running.signal,
        onProgress: callId === undefined ? undefined : (event, payload) => broadcast({ callId, event, payload: importing ? relabel(payload) : payload }),
      });
      return importing ? relabel(value) : value;
    } finally {
      running.end();
      if (channel === 'import.paths') await uploads.release(importedPaths(args)).catch((err: unknown) => log('warn', 'upload staging not removed', { error: describe(err) }));
    }
  }

  /** Import progress and summaries name dropped files as they were dropped, not by their staging path. */
  function relabel(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const v = value as { path?: unknown; outcome?: unknown; outcomes?: unknown };
    const out: Record<string, unknown> = { ...v };
    if (typeof v.path === 'string') out.path = uploads.displayPath(v.path);
    if (v.outcome !== undefined) out.outcome = relabel(v.outcome);
    if (Array.isArray(v.outcomes)) out.outcomes = v.outcomes.map(relabel);
    return out;
  }

  function openEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    // Sent at once so the browser reports the stream open before any call it guards starts.
    res.write('retry: 2000\n\n');
    events.add(res);
    const forget = () => events.delete(res);
    req.on('close', forget);
    res.on('close', forget);
  }

  function broadcast(message: { callId: string; event: string; payload: unknown }): void {
    const frame = `event: progress\ndata: ${JSON.stringify(message)}\n\n`;
    for (const res of events) if (res.writableLength < MAX_SSE_BACKLOG) res.write(frame);
  }

  const keepAlive = setInterval(() => {
    for (const res of events) res.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  async function serveMedia(req: http.IncomingMessage, res: http.ServerResponse, method: string, rawPath: string): Promise<void> {
    const headers = new Headers();
    for (const name of ['range', 'if-range'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1:${port}${rawPath}`, { method: method === 'HEAD' ? 'HEAD' : method === 'GET' ? 'GET' : 'OPTIONS', headers });
    const response = await media(request);
    res.removeHeader('Content-Security-Policy');
    res.removeHeader('Cache-Control');
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    res.writeHead(response.status, out);
    if (!response.body || method === 'HEAD') {
      await response.body?.cancel();
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res);
    } catch {
      // The player stopped listening (a seek, the item closed): the file stream is closed with it.
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await engine.close();
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new ArchiveError('invalid-argument', phrase('doors.portInUse', { port: String(options.port) }))
      : err;
  });
  port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(keepAlive);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of events) res.end();
      calls.cancelAll();
      await engine.close();
      server.closeAllConnections();
      await stopped;
      await uploads.clear();
    })());

  return { url: `${origin}/?token=${token}`, origin, port, token, engine, close };
}

function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

function postAllowed(req: http.IncomingMessage, port: number): boolean {
  if (req.headers['x-sijil'] !== '1') return false;
  // Browsers name where a request comes from; anything but this page is refused.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

function sameSecret(given: string, secret: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === secret.length && timingSafeEqual(bytes, secret);
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function refuse(res: http.ServerResponse, rawPath: string, status: number, said: Phrase): void {
  if (rawPath.startsWith('/api/')) sendJson(res, status, { ok: false, error: errorValue('unauthorised', said) });
  else sendText(res, status, say(said));
}

async function readJson(req: http.IncomingMessage, max: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw new HttpError(413, 'invalid-argument', `A call's arguments can be at most ${max} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, 'invalid-argument', `A call's arguments can be at most ${max} bytes.`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid-argument', 'The request body is not valid JSON.');
  }
}

function importedPaths(args: unknown): string[] {
  const paths = (args as { paths?: unknown } | null)?.paths;
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
}

/** The HTTP status for an error code; the body carries the code and message either way. */
export function statusOf(code: string): number {
  switch (code) {
    case 'unauthorised':
      return 401;
    case 'not-found':
      return 404;
    case 'conflict':
    case 'in-trash':
    case 'key-exists':
    case 'cancelled':
      return 409;
    case 'too-large':
      return 413;
    case 'unsupported-file':
      return 415;
    case 'file-unreadable':
    case 'wrong-passphrase':
    case 'no-matching-key':
    case 'not-a-bundle':
    case 'bundle-damaged':
      return 422;
    case 'engine-stopped':
    case 'busy':
      return 503;
    case 'disk-full':
      return 507;
    case 'internal':
    case 'archive-unreadable':
    case 'archive-too-new':
      return 500;
    default:
      return 400;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request's URL without the token, for the log. */
function redact(url: string | undefined): string {
  return (url ?? '').replace(/([?&]token=)[^&]*/g, '$1…');
}

async function serveStatic(res: http.ServerResponse, method: string, rawPath: string, root: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return sendText(res, 400, 'Bad path.');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'Bad path.');
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return sendText(res, 400, 'Bad path.');
  let file = segments.length === 0 ? path.join(root, 'index.html') : path.join(root, ...segments);
  if (!isInside(root, file)) return sendText(res, 400, 'Bad path.');
  let stat = await statFile(file);
  // A path without a file extension is the app's own navigation: the app answers it.
  if (!stat && !/\.[A-Za-z0-9]+$/.test(segments.at(-1) ?? '')) {
    file = path.join(root, 'index.html');
    stat = await statFile(file);
  }
  if (!stat) {
    if (!fs.existsSync(path.join(root, 'index.html')))
      return sendText(res, 503, 'The browser app is not built: run npm run build:renderer first (npm run serve builds it and starts Sijil).');
    return sendText(res, 404, 'Not found.');
  }
  // Subtle: a link inside the build could point anywhere; what is served must really be inside it.
  const real = await fsp.realpath(file);
  if (!isInside(await fsp.realpath(root), real)) return sendText(res, 404, 'Not found.');
  res.setHeader('Content-Security-Policy', APP_CSP);
  res.setHeader('Cache-Control', cacheControlFor(root, file));
  res.writeHead(200, { 'Content-Type': contentTypeFor(file), 'Content-Length': stat.size });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(fs.createReadStream(real), res);
  } catch {
    // The browser went away mid-file.
  }
}

async function statFile(file: string): Promise<fs.Stats | null> {
  try {
    const stat = await fsp.stat(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}
