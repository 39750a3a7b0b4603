// The renderer's one way to the archive. Two doors speak the same contract (shared/api.ts):
// the desktop app's preload (window.sijil) and browser mode's HTTP server (electron/server.ts).
// Components import `api` and never care which door they are behind.
import type { ArgsOf, Channel, ResultOf } from '../shared/api.ts';
import type { ErrorValue } from '../shared/errors.ts';
import type { Phrase, PhraseArgs, PhraseKey } from '../shared/phrase.ts';

export class ApiError extends Error {
  readonly code: string;
  /** The engine's message as a phrase (errors.ts says it in the interface's language); its English is `message`. */
  readonly phrase: Phrase | undefined;
  constructor(code: string, message: string, phrase?: Phrase) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.phrase = phrase;
  }
}

export interface CallOptions {
  onProgress?: (event: string, payload: unknown) => void;
  signal?: AbortSignal;
  /**
   * After an abort, wait for the engine's own answer instead of rejecting at once: for a change
   * that either happens whole or not at all (items.bulk), the cancel may arrive after it is done,
   * and only the answer says which (an error coded 'cancelled', or the result).
   */
  awaitOutcome?: boolean;
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: ErrorValue };
interface ProgressMessage {
  callId: string;
  event: string;
  payload: unknown;
}

/** What the desktop app's preload puts on window (electron/preload.ts). */
export interface DesktopBridge {
  invoke(channel: string, args: unknown, callId?: string): Promise<Envelope>;
  on(event: 'progress', cb: (msg: ProgressMessage) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    sijil?: DesktopBridge;
  }
}

function bridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.sijil;
}

export function isDesktop(): boolean {
  return bridge() !== undefined;
}

function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- progress routing -------------------------------------------------------------------------

const progressListeners = new Map<string, (event: string, payload: unknown) => void>();

function routeProgress(msg: ProgressMessage): void {
  progressListeners.get(msg.callId)?.(msg.event, msg.payload);
}

let desktopUnsubscribe: (() => void) | null = null;
let eventSource: EventSource | null = null;
let eventSourceOpen: Promise<void> | null = null;

/** Subscribes once; resolves when progress for a call started now cannot be missed. */
function ensureProgressChannel(): Promise<void> {
  const desktop = bridge();
  if (desktop) {
    desktopUnsubscribe ??= desktop.on('progress', routeProgress);
    return Promise.resolve();
  }
  if (eventSource && eventSource.readyState !== EventSource.CLOSED && eventSourceOpen) return eventSourceOpen;
  const source = new EventSource('/api/events', { withCredentials: true });
  eventSource = source;
  source.addEventListener('progress', (e) => {
    try {
      routeProgress(JSON.parse((e as MessageEvent<string>).data) as ProgressMessage);
    } catch {
      // A malformed event only loses one progress update; the call's result still arrives.
    }
  });
  // Subtle: progress sent before the stream is open would be lost, so a call with a progress
  // listener waits for `open`. If the stream cannot open, the call still runs (without progress).
  eventSourceOpen = new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 3000);
    source.addEventListener('open', done, { once: true });
    source.addEventListener('error', done, { once: true });
  });
  return eventSourceOpen;
}

// ---- calls ------------------------------------------------------------------------------------

async function httpCall(channel: string, args: unknown, callId?: string, signal?: AbortSignal): Promise<Envelope> {
  let response: Response;
  try {
    response = await fetch(`/api/${encodeURIComponent(channel)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' },
      body: JSON.stringify(callId === undefined ? { args } : { args, callId }),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw cancelledError();
    throw localError('unreachable', said('doors.unreachable', { detail: detailOf(err) }));
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    const refused = response.status === 401 || response.status === 403;
    const refusal = refused ? said('doors.notSignedIn') : said('doors.serverAnswered', { status: String(response.status), text: text.slice(0, 200) });
    return { ok: false, error: { code: refused ? 'unauthorised' : 'internal', message: refusal.key, phrase: refusal } };
  }
}

function rawInvoke(channel: string, args: unknown, callId?: string, signal?: AbortSignal): Promise<Envelope> {
  const desktop = bridge();
  if (desktop) return desktop.invoke(channel, args, callId);
  return httpCall(channel, args, callId, signal);
}

// Subtle: this file is part of the launch script, which must stay small, so the phrase's English
// is not looked up here (shared/phrase.ts would bring every sentence): the message is the key, and
// errorMessage() says the phrase. said() is phrase() without that: the compiler still checks the holes.
function said<K extends PhraseKey>(key: K, ...values: PhraseArgs<K>): Phrase {
  return values.length === 0 ? { key } : { key, values: values[0] as Phrase['values'] };
}

function localError(code: string, phrase: Phrase): ApiError {
  return new ApiError(code, phrase.key, phrase);
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function cancelledError(): ApiError {
  return localError('cancelled', said('doors.cancelled'));
}

function unwrap(envelope: Envelope): unknown {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.phrase);
}

async function call<C extends Channel>(channel: C, args: ArgsOf<C>, options: CallOptions = {}): Promise<ResultOf<C>> {
  const { onProgress, signal, awaitOutcome = false } = options;
  if (signal?.aborted) throw cancelledError();
  const needsId = onProgress !== undefined || signal !== undefined;
  const callId = needsId ? newId() : undefined;
  if (callId !== undefined && onProgress) {
    await ensureProgressChannel();
    // Cancelled while the progress stream opened (seconds, on a busy machine): the call was never
    // sent, and the abort listener below would never hear an abort that has already happened.
    if (signal?.aborted) throw cancelledError();
    progressListeners.set(callId, onProgress);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal || callId === undefined) return;
    onAbort = () => {
      // The engine stops the running call; this promise settles now so the UI never waits on it
      // (unless the caller needs to know whether the change happened: awaitOutcome).
      void rawInvoke('calls.cancel', { callId }).catch(() => undefined);
      if (!awaitOutcome) reject(cancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // Subtle: in browser mode the fetch itself is not aborted, so the server sees the cancel
    // through calls.cancel and finishes the call cleanly (a half-sent request would not stop it).
    const envelope = await Promise.race([rawInvoke(channel, args, callId), aborted]);
    return unwrap(envelope) as ResultOf<C>;
  } finally {
    if (callId !== undefined) progressListeners.delete(callId);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}

// ---- media ------------------------------------------------------------------------------------

function mediaUrl(itemId: string, fileId: number): string {
  const path = `${encodeURIComponent(itemId)}/${encodeURIComponent(String(fileId))}`;
  return isDesktop() ? `sijil-media://file/${path}` : `/media/${path}`;
}

// ---- files to import --------------------------------------------------------------------------

/** Where a file sat inside a dropped folder ("Photos/2019/a.jpg"); browser mode only. */
const relativePaths = new WeakMap<File, string>();

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: File[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await entryFile(entry as FileSystemFileEntry);
    relativePaths.set(file, path);
    out.push(file);
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a directory in chunks (100 at a time in Chromium) until it returns none.
  for (;;) {
    const chunk = await readEntries(reader);
    if (chunk.length === 0) break;
    for (const child of chunk) await walkEntry(child, path, out);
  }
}

/**
 * The files a drop carries, folders included. Call it from the drop handler itself: the browser
 * empties a DataTransfer once the event is over, so its entries are taken before the first await.
 * In the desktop app a dropped folder stays one File, whose path the preload can name.
 */
function filesFromDataTransfer(dt: DataTransfer): Promise<File[]> {
  if (isDesktop()) return Promise.resolve(Array.from(dt.files));
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  return (async () => {
    const out = [...loose];
    for (const entry of entries) await walkEntry(entry, '', out);
    return out;
  })();
}

/** Drops `levels` trailing components from a server path, whatever its separator. */
function ancestor(path: string, levels: number): string {
  let end = path.length;
  for (let i = 0; i < levels; i++) {
    const cut = Math.max(path.lastIndexOf('/', end - 1), path.lastIndexOf('\\', end - 1));
    if (cut <= 0) return path;
    end = cut;
  }
  return path.slice(0, end);
}

async function upload(file: File, relativePath: string, batch: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/api/upload?path=${encodeURIComponent(relativePath)}&batch=${encodeURIComponent(batch)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Sijil': '1', 'Content-Type': 'application/octet-stream' },
      body: file,
    });
  } catch (err) {
    throw localError('unreachable', said('doors.sendFailed', { path: relativePath, detail: detailOf(err) }));
  }
  let envelope: Envelope;
  try {
    envelope = (await response.json()) as Envelope;
  } catch {
    throw localError('internal', said('doors.uploadRefused', { path: relativePath, status: String(response.status) }));
  }
  const value = unwrap(envelope) as { path: string };
  return value.path;
}

/**
 * The desktop app imports dropped files from where they are on disk. A file dragged from another
 * program (a web browser's image, a mail attachment) has no path there: the whole drop is refused,
 * naming it, rather than imported without it and nobody told.
 */
export function desktopPaths(files: readonly File[], pathOf: (file: File) => string): string[] {
  const paths = files.map(pathOf);
  const missing = files.findIndex((_, i) => paths[i] === '');
  if (missing !== -1) throw localError('invalid-argument', said('doors.notOnDisk', { name: files[missing]!.name }));
  return paths;
}

async function filesToPaths(input: File[] | DataTransfer, onProgress?: (done: number, total: number) => void): Promise<string[]> {
  const files = Array.isArray(input) ? input : await filesFromDataTransfer(input);
  const desktop = bridge();
  if (desktop) {
    const paths = desktopPaths(files, (f) => desktop.pathForFile(f));
    onProgress?.(paths.length, paths.length);
    return paths;
  }
  const batch = newId();
  const total = files.length;
  let done = 0;
  onProgress?.(0, total);
  // Top-level files are imported as themselves; a dropped folder is imported whole, by its path.
  const result: string[] = [];
  const seen = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      const rel = relativePaths.get(file) ?? (file.webkitRelativePath || file.name);
      const serverPath = await upload(file, rel, batch);
      const depth = rel.split('/').length - 1;
      const top = depth === 0 ? serverPath : ancestor(serverPath, depth);
      if (!seen.has(top)) {
        seen.add(top);
        result.push(top);
      }
      done++;
      onProgress?.(done, total);
    }
  };
  // A few uploads at once: enough to hide latency, few enough to leave the disk to the engine.
  await Promise.all(Array.from({ length: Math.min(3, files.length) }, worker));
  return result;
}

/** The path on the machine running Sijil of one chosen file (sent up first in browser mode). */
async function fileToPath(file: File): Promise<string> {
  // One file chosen is one path: desktopPaths refuses a file without one, and an upload answers with its own.
  const [path] = await filesToPaths([file]);
  return path!;
}

export const api = {
  call,
  mediaUrl,
  filesToPaths,
  fileToPath,
  /** The files of a drop, folders walked (browser mode) or kept whole (desktop). See above. */
  filesFromDataTransfer,
};
