// The measured side of the bundle suite, each run in its own process so its peak RSS is its own:
//   node test/bench/bundle-child.ts setup   '{"archive": DIR, "paths": [...], "kind"?: "video"}'   fill an archive (not measured)
//   node test/bench/bundle-child.ts export  '{"archive": DIR, "to": FILE, "recipient"?: R, "passphrase"?: P}'
//   node test/bench/bundle-child.ts import  '{"archive": DIR, "path": FILE, "identity": KEYFILE}'
//   node test/bench/bundle-child.ts open    '{"archive": DIR, "path": FILE, "passphrase": P, "reps": N}'
//   node test/bench/bundle-child.ts baseline '{"archive": DIR}'                                 open an archive, do nothing
//   node test/bench/bundle-child.ts encrypt '{"input": FILE, "output": FILE, "recipient": R}'   our age layer alone, as export uses it
//   node test/bench/bundle-child.ts encrypt-stream '{"input": FILE, "output": FILE, "recipient": R}'   the same through the stream API
//   node test/bench/bundle-child.ts decrypt '{"input": FILE, "output": FILE, "identity": KEYFILE}'   as import uses it
//   node test/bench/bundle-child.ts decrypt-stream '{"input": FILE, "output": FILE, "identity": KEYFILE}'   through the stream API
// Each prints one JSON line (stats.ts reportToParent): elapsedMs of the measured work, maxRssKiB.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scrypt } from 'node:crypto';
import { Archive } from '../../electron/archive/index.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { BlobStore } from '../../electron/archive/store.ts';
import { decryptChunks, decryptFile, encryptChunks, parseIdentityFile } from '../../electron/archive/bundle/age/index.ts';
import { AgeFileWriter } from '../../electron/archive/bundle/age/fileWriter.ts';
import { reportToParent as report } from './stats.ts';

// CPU time (user + system) of the measured work, beside its wall time: on a shared machine the
// wall time says what a person waits, the CPU time what the work itself costs.
let cpuStart = process.cpuUsage();
function startClock(): number {
  cpuStart = process.cpuUsage();
  return performance.now();
}
function reportToParent<T extends { elapsedMs: number }>(result: T): void {
  const cpu = process.cpuUsage(cpuStart);
  report({ ...result, cpuMs: (cpu.user + cpu.system) / 1000 });
}

type Job = Record<string, unknown>;
const str = (job: Job, key: string): string => {
  const v = job[key];
  if (typeof v !== 'string') throw new Error(`missing "${key}"`);
  return v;
};

async function setup(job: Job): Promise<void> {
  const start = startClock();
  const archive = Archive.open(str(job, 'archive'));
  const summary = await importPaths(archive, job.paths as string[], job.kind === 'video' ? { kind: 'video' } : {});
  archive.close();
  reportToParent({ elapsedMs: performance.now() - start, imported: summary.imported });
}

/** Opening the archive and closing it are part of what a person waits for, so they are timed. */
async function exportBundle(job: Job): Promise<void> {
  const phases: Record<string, number> = {};
  const handle = await fsp.open(process.execPath, 'r');
  const handleProto = Object.getPrototypeOf(handle) as object;
  await handle.close();
  instrument(phases, handleProto, 'sync', '  fsync of the bundle (FileHandle.sync)');
  const start = startClock();
  const archive = Archive.open(str(job, 'archive'));
  const credentials = typeof job.passphrase === 'string' ? { passphrase: job.passphrase } : { recipients: [str(job, 'recipient')] };
  const clock = phaseClock(phases, start);
  const result = await invoke(archive, 'bundle.export', { to: str(job, 'to'), credentials, overwrite: true }, { progress: clock.progress });
  clock.end();
  archive.close();
  const end = performance.now();
  phases.close = end - clock.at();
  reportToParent({ elapsedMs: end - start, items: result.items, files: result.files, bytes: result.bytes, phases });
}

/** Time per progress phase ('open' until the first event), for a bundle.* call's progress events. */
function phaseClock(phases: Record<string, number>, start: number) {
  let last = start;
  let phase = 'open';
  const close = (): void => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    last = now;
  };
  return {
    progress: (_event: string, payload: unknown): void => {
      const next = (payload as { phase: string }).phase;
      if (next === phase) return;
      close();
      phase = next;
    },
    end: close,
    at: () => last,
  };
}

/** Adds the time of every call of `owner[name]` (sync or async) to `phases[label]`; behaviour unchanged. */
function instrument(phases: Record<string, number>, owner: object, name: string, label: string): void {
  const target = owner as Record<string, unknown>;
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    const value: unknown = original.apply(this, args);
    const add = () => (phases[label] = (phases[label] ?? 0) + performance.now() - start);
    if (value instanceof Promise) return value.finally(add);
    add();
    return value;
  };
}

/**
 * Import, timed as a whole and by phase: 'open', 'reading' (decrypt, untar, stage, hash, verify,
 * then fsync the staged blobs, also shown alone), 'merging' (one archive.write: SQL, placing the
 * blobs, commit; also shown alone), 'close'.
 */
async function importBundle(job: Job): Promise<void> {
  const identity = fs.readFileSync(str(job, 'identity'), 'utf8');
  const phases: Record<string, number> = {};
  instrument(phases, BlobStore.prototype, 'syncAll', '  fsync of the staged blobs (BlobStore.syncAll)');
  instrument(phases, Archive.prototype, 'write', '  merge transaction (Archive.write)');
  const start = startClock();
  const archive = Archive.open(str(job, 'archive'));
  const clock = phaseClock(phases, start);
  const result = await invoke(archive, 'bundle.import', { path: str(job, 'path'), credentials: { identity } }, { progress: clock.progress });
  clock.end();
  archive.close();
  const end = performance.now();
  phases.close = end - clock.at();
  reportToParent({ elapsedMs: end - start, added: result.added, phases });
}

/**
 * Opening a passphrase bundle: inspect with the passphrase (scrypt at age's default work factor,
 * then the header, then archive.json), N times; and the same scrypt alone, to see the overhead.
 * The event loop's longest stall is watched throughout: scrypt must not block it.
 */
async function open(job: Job): Promise<void> {
  const reps = Number(job.reps ?? 5);
  const archive = Archive.open(str(job, 'archive'));
  const times: number[] = [];
  const raw: number[] = [];
  // One opening first, unwatched: loading and compiling modules on first use is not scrypt.
  await invoke(archive, 'bundle.inspect', { path: str(job, 'path'), credentials: { passphrase: str(job, 'passphrase') } });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const start = startClock();
  // Interleaved, so both see the same moments of a shared machine's load.
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    await invoke(archive, 'bundle.inspect', { path: str(job, 'path'), credentials: { passphrase: str(job, 'passphrase') } });
    times.push(performance.now() - t);
    t = performance.now();
    // age's scrypt recipient: N = 2^18, r = 8, p = 1, 32-byte key.
    await new Promise<void>((resolve, reject) =>
      scrypt('passphrase', Buffer.alloc(16), 32, { N: 2 ** 18, r: 8, p: 1, maxmem: 512 * 2 ** 20 }, (err) => (err ? reject(err) : resolve())),
    );
    raw.push(performance.now() - t);
  }
  delay.disable();
  archive.close();
  reportToParent({ elapsedMs: performance.now() - start, times, raw, maxLoopDelayMs: delay.max / 1e6, p99LoopDelayMs: delay.percentile(99) / 1e6 });
}

/** The floor under every measured RSS: Node, the engine's modules and an open archive, doing nothing. */
async function baseline(job: Job): Promise<void> {
  const start = startClock();
  const archive = Archive.open(str(job, 'archive'));
  await invoke(archive, 'archive.info', {});
  archive.close();
  reportToParent({ elapsedMs: performance.now() - start });
}

/**
 * Our age layer as bundle.export drives it (AgeFileWriter: the file read straight into the batches
 * that are sealed and written at their place in the output), without the tar, the hashing or the
 * archive around it.
 */
async function encrypt(job: Job): Promise<void> {
  const start = startClock();
  const input = await fsp.open(str(job, 'input'), 'r');
  const output = await fsp.open(str(job, 'output'), 'w');
  try {
    const writer = await AgeFileWriter.create(output.fd, { recipients: [str(job, 'recipient')] });
    await writer.copyFile(input, (await input.stat()).size, () => undefined);
    await writer.end();
  } finally {
    await Promise.all([input.close(), output.close()]);
  }
  reportToParent({ elapsedMs: performance.now() - start });
}

/** The same through encryptChunks, the generic stream API (each sealed batch a new buffer for its consumer). */
async function encryptStream(job: Job): Promise<void> {
  const start = startClock();
  const input = fs.createReadStream(str(job, 'input'), { highWaterMark: 1 << 20 });
  await pipeline(Readable.from(encryptChunks(input, { recipients: [str(job, 'recipient')] })), fs.createWriteStream(str(job, 'output')));
  reportToParent({ elapsedMs: performance.now() - start });
}

/** Our age layer as bundle.import drives it: decryptFile, each batch written and handed back for reuse. */
async function decrypt(job: Job): Promise<void> {
  const identities = parseIdentityFile(fs.readFileSync(str(job, 'identity'), 'utf8'));
  const start = startClock();
  const output = await fsp.open(str(job, 'output'), 'w');
  try {
    const plaintext = decryptFile(str(job, 'input'), { identities });
    for await (const chunk of plaintext) {
      for (let at = 0; at < chunk.length; ) at += (await output.write(chunk, at, chunk.length - at)).bytesWritten;
      plaintext.recycle(chunk);
    }
  } finally {
    await output.close();
  }
  reportToParent({ elapsedMs: performance.now() - start });
}

/** The same through decryptChunks, the generic stream API (no buffer handed back). */
async function decryptStream(job: Job): Promise<void> {
  const identities = parseIdentityFile(fs.readFileSync(str(job, 'identity'), 'utf8'));
  const start = startClock();
  const input = fs.createReadStream(str(job, 'input'), { highWaterMark: 1 << 20 });
  await pipeline(Readable.from(decryptChunks(input, { identities })), fs.createWriteStream(str(job, 'output')));
  reportToParent({ elapsedMs: performance.now() - start });
}

const modes: Record<string, (job: Job) => Promise<void>> = { setup, export: exportBundle, import: importBundle, open, baseline, encrypt, 'encrypt-stream': encryptStream, decrypt, 'decrypt-stream': decryptStream };
const [mode, arg] = process.argv.slice(2);
const run = mode === undefined ? undefined : modes[mode];
if (run && arg) await run(JSON.parse(arg) as Job);
else {
  console.error(`usage: bundle-child.ts ${Object.keys(modes).join('|')} JSON`);
  process.exitCode = 2;
}
