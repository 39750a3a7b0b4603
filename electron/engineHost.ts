// The archive engine off the caller's event loop: one worker thread (engineWorker.ts) owns the
// Archive, and the doors (ipc.ts in the desktop app, server.ts in browser mode) talk to it through
// this host. better-sqlite3 is synchronous, so SQLite work in the main process would freeze the
// window or stop the server answering while an import commits.
//
// Concurrency: calls are posted to the worker in the order they arrive. The worker starts short
// calls at once and runs long ones (channels with progress events) one after the other; since every
// transaction is synchronous, calls interleave only between transactions, never inside one, and a
// read is answered between the steps of a running import.
//
// Cancels travel on a port of their own (WorkerData.cancels): a step that runs for seconds without
// returning to the event loop (items.bulk's one transaction) reads them there, synchronously, at
// each of its progress reports, and rolls back.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ArchiveError, CodedError, busyErrorValue, codedErrorValue, errorValue, type ErrorValue } from '../shared/errors.ts';
import { phrase, type Phrase } from '../shared/phrase.ts';
import { activeCompileCacheDir } from './compileCache.ts';

export interface CallOptions {
  onProgress?: (event: string, payload: unknown) => void;
  signal?: AbortSignal;
}

export interface MediaFile {
  /** The blob in the store, which holds the file's bytes exactly as imported. */
  readonly path: string;
  readonly mime: string;
  readonly size: number;
  /** The file's name when it was imported, for Content-Disposition. */
  readonly name: string;
}

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, details?: Readonly<Record<string, unknown>>) => void;

export interface EngineHostOptions {
  /** Where the worker's module is; defaults to the engineWorker beside this file. */
  readonly workerUrl?: URL | string;
  /** Where unexpected errors are described in full (they reach people only as a generic message). */
  readonly log?: Log;
  /** How long close() waits for running calls to stop and the archive to close before ending the worker. */
  readonly closeTimeoutMs?: number;
}

export type WireError = ErrorValue;

/** Messages from the host to the worker. */
export type ToWorker =
  | { readonly type: 'call'; readonly id: number; readonly channel: string; readonly args: unknown }
  | { readonly type: 'media'; readonly id: number; readonly itemId: string; readonly fileId: number }
  | { readonly type: 'close' };

/** Messages from the worker to the host. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly error: WireError }
  | { readonly type: 'progress'; readonly id: number; readonly event: string; readonly payload: unknown }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string; readonly details?: Record<string, unknown> }
  | { readonly type: 'closed' };

export interface WorkerData {
  readonly archiveDir: string;
  /** Where the host sends the id of each call it cancels (a number, nothing else). */
  readonly cancels: MessagePort;
}

/** What a call rejects with: the error's code and message, as every door passes them on. */
export class EngineError extends CodedError<string> {}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: EngineError) => void;
  readonly onProgress?: (event: string, payload: unknown) => void;
  readonly cleanup: () => void;
}

const MEDIA_CACHE_SIZE = 500;

/** What the worker logs once the code it leaves for first use is loaded (see handlers.ts loadDeferredModules). */
export const DEFERRED_LOADED = 'loaded the code kept for first use';

export const defaultLog: Log = (level, message, details) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...details })}\n`);
};

export class EngineHost {
  readonly archiveDir: string;
  private readonly options: EngineHostOptions;
  private readonly log: Log;
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly cancelPorts = new WeakMap<Worker, MessagePort>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  // Video seeking asks for the same file many times; blobs never change once written.
  private readonly mediaCache = new Map<string, MediaFile>();

  private constructor(archiveDir: string, options: EngineHostOptions) {
    this.archiveDir = archiveDir;
    this.options = options;
    this.log = options.log ?? defaultLog;
  }

  /** Opens the archive in a new worker; rejects with the archive's own error if it cannot be opened. */
  static async start(archiveDir: string, options: EngineHostOptions = {}): Promise<EngineHost> {
    const host = new EngineHost(archiveDir, options);
    await host.ensureWorker();
    return host;
  }

  /**
   * Runs a contract channel in the worker, which validates the channel and its arguments (this
   * module loads no schemas, so that a launch can start the engine before the contract is
   * loaded). Rejects with an EngineError carrying { code, message }.
   */
  async invoke(channel: string, args: unknown, options: CallOptions = {}): Promise<unknown> {
    if (options.signal?.aborted) throw new EngineError('cancelled', phrase('doors.cancelledBeforeStart'));
    const worker = await this.ensureWorker();
    return this.request(worker, (id) => ({ type: 'call', id, channel, args }), options);
  }

  /** The blob behind an item's file, or null when there is no such file or its blob is missing. */
  async resolveMedia(itemId: string, fileId: number): Promise<MediaFile | null> {
    if (typeof itemId !== 'string' || itemId.length === 0 || itemId.length > 64 || !Number.isSafeInteger(fileId) || fileId < 1) return null;
    const key = `${itemId}/${fileId}`;
    const cached = this.mediaCache.get(key);
    if (cached) return cached;
    const worker = await this.ensureWorker();
    const file = (await this.request(worker, (id) => ({ type: 'media', id, itemId, fileId }), {})) as MediaFile | null;
    if (file) {
      this.mediaCache.set(key, file);
      if (this.mediaCache.size > MEDIA_CACHE_SIZE) this.mediaCache.delete(this.mediaCache.keys().next().value as string);
    }
    return file;
  }

  /** True while a worker is running (false after a crash, until the next call starts a new one). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Asks running calls to stop, waits for them and for the archive to close, then ends the worker.
   * Later calls fail with 'engine-stopped'.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const worker = this.worker ?? (await this.starting?.catch(() => null)) ?? null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timeout = this.options.closeTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeout)));
    if ((await Promise.race([exited, late])) === 'late') {
      this.log('warn', 'the archive engine did not close in time; stopping it', { timeoutMs: timeout });
      await worker.terminate();
    }
    clearTimeout(timer);
    this.rejectAll(phrase('doors.closedBeforeFinish'));
  }

  private ensureWorker(): Promise<Worker> {
    if (this.closing) return Promise.reject(new EngineError('engine-stopped', phrase('doors.archiveClosed')));
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private spawn(): Promise<Worker> {
    // Beside this module: engineWorker.ts from source, engineWorker.js in a build (dist/electron).
    const url = this.options.workerUrl ?? new URL(import.meta.url.endsWith('.ts') ? './engineWorker.ts' : './engineWorker.js', import.meta.url);
    // A worker does not inherit the compile cache turned on in this thread, only through its
    // environment; the engine's modules are most of what a launch compiles.
    const cacheDir = activeCompileCacheDir();
    const env = cacheDir ? { ...process.env, NODE_COMPILE_CACHE: cacheDir } : process.env;
    const cancels = new MessageChannel();
    const worker = new Worker(url, {
      workerData: { archiveDir: this.archiveDir, cancels: cancels.port2 } satisfies WorkerData,
      transferList: [cancels.port2],
      name: 'sijil-engine',
      env,
    });
    this.cancelPorts.set(worker, cancels.port1);
    return new Promise<Worker>((resolve, reject) => {
      let started = false;
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          started = true;
          this.worker = worker;
          this.mediaCache.clear();
          resolve(worker);
        } else if (msg.type === 'start-failed') {
          reject(fromWire(msg.error));
        } else this.onMessage(msg);
      });
      worker.on('messageerror', (err) => this.log('error', 'a message from the archive engine could not be read', { error: describe(err) }));
      worker.on('error', (err) => this.log('error', 'the archive engine failed', { error: describe(err) }));
      worker.on('exit', (code) => {
        cancels.port1.close();
        if (this.worker === worker) this.worker = null;
        if (!started) {
          reject(new EngineError('engine-stopped', phrase('doors.engineStoppedOpening', { code: String(code) })));
          return;
        }
        if (this.closing) return;
        this.log('error', 'the archive engine stopped unexpectedly', { exitCode: code });
        this.rejectAll(phrase('doors.engineCrashed'));
      });
    });
  }

  private request(worker: Worker, message: (id: number) => ToWorker, options: CallOptions): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const { signal, onProgress } = options;
      const onAbort = () => {
        if (this.worker === worker) this.cancelPorts.get(worker)?.postMessage(id);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve, reject, onProgress, cleanup });
      try {
        worker.postMessage(message(id));
      } catch (err) {
        // Only a value that cannot be copied to another thread gets here (a function, a socket...).
        this.settle(id);
        reject(new EngineError('invalid-argument', phrase('doors.argumentsNotSendable', { detail: (err as Error).message })));
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    pending.cleanup();
    return pending;
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress':
        try {
          this.pending.get(msg.id)?.onProgress?.(msg.event, msg.payload);
        } catch (err) {
          this.log('error', 'a progress listener failed', { event: msg.event, error: describe(err) });
        }
        return;
      case 'result':
        this.settle(msg.id)?.resolve(msg.value);
        return;
      case 'error':
        this.settle(msg.id)?.reject(fromWire(msg.error));
        return;
      case 'log':
        this.log(msg.level, msg.message, msg.details);
        return;
      case 'closed':
      case 'ready':
      case 'start-failed':
        return;
      default:
        return missingCase(msg);
    }
  }

  private rejectAll(message: Phrase): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new EngineError('engine-stopped', message));
  }
}

/** An error's parts for the log: the stack goes there, never to the person using Sijil. */
export function describe(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(code === undefined ? {} : { code }), stack: err.stack };
  }
  return { value: String(err) };
}

/** { code, message } for any error a door catches; unexpected ones become a generic 'internal'. */
export function toWireError(err: unknown): WireError {
  if (err instanceof CodedError) return codedErrorValue(err);
  return busyErrorValue(err) ?? errorValue('internal', phrase('errors.internal'));
}

/** The error a call rejects with, from what the worker sent: its phrase kept, so the doors pass it on. */
function fromWire(error: WireError): EngineError {
  return new EngineError(error.code, error.phrase ?? error.message);
}

function missingCase(value: never): never {
  throw new ArchiveError('internal', `unexpected message from the archive engine: ${JSON.stringify(value)}`);
}
