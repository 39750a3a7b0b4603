// The worker thread that owns the Archive (see engineHost.ts). It answers the host's messages:
// contract calls through handlers.ts `invoke`, media look-ups and close; cancels come on a port of
// their own.
import fs from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { contract, isChannel } from '../shared/api.ts';
import { ArchiveError, errorValue } from '../shared/errors.ts';
import { phrase } from '../shared/phrase.ts';
import { sql } from './archive/db/connection.ts';
import { invoke, loadDeferredModules } from './archive/handlers.ts';
import { Archive } from './archive/index.ts';
import { flushCompileCache } from './compileCache.ts';
import { DEFERRED_LOADED, describe, toWireError, type FromWorker, type LogLevel, type MediaFile, type ToWorker, type WorkerData } from './engineHost.ts';

if (!parentPort) throw new Error('engineWorker.ts runs only as a worker thread (see engineHost.ts).');
const port = parentPort;

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function log(level: LogLevel, message: string, details?: Record<string, unknown>): void {
  post({ type: 'log', level, message, details });
}

// Fault injection for the engine-host tests, like faults.ts for the crash tests:
// SIJIL_TEST_ENGINE_FAULT=crash:<channel> kills this thread with an uncaught error when that
// channel is called (the call never answers); throw:<channel> makes the call fail unexpectedly.
const [faultKind, faultChannel] = (process.env.SIJIL_TEST_ENGINE_FAULT ?? '').split(':');

interface Call {
  readonly controller: AbortController;
  started: boolean;
  settled: boolean;
}

const calls = new Map<number, Call>();
const inflight = new Set<Promise<void>>();
// Long operations (those with progress events) run one at a time, in the order they were asked for:
// they compete for the same disk, and a second import interleaved with the first would make both
// slower and their progress meaningless. Short calls never wait for this lane.
let lane: Promise<void> = Promise.resolve();
let closing = false;
// Subtle: cancels and calls come on two ports, which keep no order between them. A cancel for a
// call not seen yet (ids only grow) is kept until the call arrives, which then starts cancelled.
let newestCall = 0;
const earlyCancels = new Set<number>();

/** After opening: long enough for a launch's first screen to have been answered. */
const DEFERRED_LOAD_MS = 3000;

const { archiveDir, cancels } = workerData as WorkerData;
cancels.on('message', (id: number) => abortCall(id));
let archive: Archive;
try {
  archive = Archive.open(archiveDir);
  post({ type: 'ready' });
  port.on('message', onMessage);
  // After the answer, off the launch's path: the next launch loads these modules from the cache.
  setTimeout(flushCompileCache, 1000).unref();
  // Then the code a launch does not need (handlers.ts), and the cache written again.
  setTimeout(() => void loadDeferred().then(flushCompileCache), DEFERRED_LOAD_MS).unref();
} catch (err) {
  if (!(err instanceof ArchiveError)) log('error', 'the archive could not be opened', { archiveDir, error: describe(err) });
  post({ type: 'start-failed', error: toWireError(err) });
  port.close();
  cancels.close();
}

/** Logged either way: a failure here is a call that will fail later, and the time is the launch's hidden cost. */
async function loadDeferred(): Promise<void> {
  const started = performance.now();
  const failures = await loadDeferredModules();
  if (failures.length > 0) log('warn', 'code kept for first use could not be loaded; the calls that need it will fail', { errors: failures.map(describe) });
  else log('info', DEFERRED_LOADED, { ms: Math.round(performance.now() - started) });
}

function onMessage(msg: ToWorker): void {
  switch (msg.type) {
    case 'call':
      startCall(msg);
      return;
    case 'media':
      answerMedia(msg.id, msg.itemId, msg.fileId);
      return;
    case 'close':
      void close();
      return;
    default:
      log('error', 'unknown message from the engine host', { message: JSON.stringify(msg) });
  }
}

function startCall(msg: Extract<ToWorker, { type: 'call' }>): void {
  if (closing) {
    post({ type: 'error', id: msg.id, error: errorValue('engine-stopped', phrase('doors.archiveClosing')) });
    return;
  }
  const call: Call = { controller: new AbortController(), started: false, settled: false };
  calls.set(msg.id, call);
  newestCall = Math.max(newestCall, msg.id);
  if (earlyCancels.delete(msg.id)) abortCall(msg.id);
  const run = () => (call.settled ? Promise.resolve() : execute(msg, call));
  let done: Promise<void>;
  if (isChannel(msg.channel) && 'progress' in contract[msg.channel]) {
    done = lane.then(run);
    lane = done;
  } else done = run();
  inflight.add(done);
  void done.finally(() => inflight.delete(done));
}

async function execute(msg: Extract<ToWorker, { type: 'call' }>, call: Call): Promise<void> {
  const { id, channel, args } = msg;
  const { signal } = call.controller;
  call.started = true;
  try {
    if (signal.aborted) throw new ArchiveError('cancelled', phrase('doors.cancelledBeforeStart'));
    if (faultChannel === channel) {
      if (faultKind === 'crash') {
        setImmediate(() => {
          throw new Error('injected engine crash (SIJIL_TEST_ENGINE_FAULT)');
        });
        return;
      }
      if (faultKind === 'throw') throw new TypeError(`injected failure reading ${archiveDir}/secret (SIJIL_TEST_ENGINE_FAULT)`);
    }
    const value = await invoke(archive, channel as never, args, {
      signal,
      progress: (event, payload) => {
        if (!call.settled) post({ type: 'progress', id, event, payload });
        readCancels(id);
      },
    });
    settle(id, call, { type: 'result', id, value });
  } catch (err) {
    settle(id, call, { type: 'error', id, error: errorOf(err, signal, channel) });
  }
}

function errorOf(err: unknown, signal: AbortSignal, channel: string) {
  // A Node API given the signal rejects with its own AbortError; the person asked for a cancel.
  if (signal.aborted && err instanceof Error && err.name === 'AbortError') return errorValue('cancelled', phrase('doors.cancelled'));
  const wire = toWireError(err);
  if (wire.code === 'internal') log('error', 'a call failed unexpectedly', { channel, error: describe(err) });
  return wire;
}

function settle(id: number, call: Call, msg: FromWorker): void {
  if (call.settled) return;
  call.settled = true;
  calls.delete(id);
  try {
    post(msg);
  } catch (err) {
    // A result that cannot be copied to the host (a function, a class with native state).
    log('error', 'a result could not be sent to the host', { error: describe(err) });
    post({ type: 'error', id, error: toWireError(err) });
  }
}

/**
 * Reads the cancels waiting on their port now, from inside a call's progress report: a step that
 * holds the thread (items.bulk's one transaction) sees its own cancel at its next report, where
 * it checks its signal and rolls back. Only the reporting call is cancelled at once; other calls'
 * cancels wait for the thread, so nothing they do on a cancel can run inside this transaction.
 */
function readCancels(reporting: number): void {
  for (let m = receiveMessageOnPort(cancels); m; m = receiveMessageOnPort(cancels)) {
    const id = m.message as number;
    if (id === reporting) abortCall(id);
    else setImmediate(() => abortCall(id));
  }
}

function abortCall(id: number): void {
  const call = calls.get(id);
  if (!call) {
    if (id > newestCall) earlyCancels.add(id);
    return;
  }
  call.controller.abort(new ArchiveError('cancelled', phrase('doors.cancelled')));
  // Waiting in the long lane: answer now instead of after whatever runs before it.
  if (!call.started) settle(id, call, { type: 'error', id, error: errorValue('cancelled', phrase('doors.cancelledBeforeStart')) });
}

function answerMedia(id: number, itemId: string, fileId: number): void {
  try {
    post({ type: 'result', id, value: findMedia(itemId, fileId) });
  } catch (err) {
    post({ type: 'error', id, error: errorOf(err, new AbortController().signal, 'media') });
  }
}

function findMedia(itemId: string, fileId: number): MediaFile | null {
  const row = sql(
    archive.db,
    'SELECT f.name, f.sha256, f.mime FROM files f JOIN items i ON i.seq = f.item_seq WHERE i.id = ? AND f.id = ?',
  ).get(itemId, fileId) as { name: string; sha256: string; mime: string } | undefined;
  if (!row) return null;
  const blob = archive.store.pathOf(row.sha256);
  const stat = fs.statSync(blob, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    log('warn', 'a file record names a blob that is missing from the store', { itemId, fileId, sha256: row.sha256 });
    return null;
  }
  // The size on disk, not the record's: it is what will be streamed.
  return { path: blob, mime: row.mime, size: stat.size, name: row.name };
}

async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  for (const call of calls.values()) call.controller.abort(new ArchiveError('cancelled', phrase('doors.archiveClosing')));
  for (const [id, call] of calls) if (!call.started) settle(id, call, { type: 'error', id, error: errorValue('cancelled', phrase('doors.archiveClosing')) });
  await Promise.allSettled([...inflight]);
  try {
    archive.close();
  } catch (err) {
    log('error', 'the archive did not close cleanly', { error: describe(err) });
  }
  post({ type: 'closed' });
  port.close();
  cancels.close();
}
