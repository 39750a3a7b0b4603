// Suite 'bundle' (issue 4's targets), on the same media items in one run:
//  1. export: our bundle.export vs `tar c | age -r` on the same files (target ≥ 1.0×);
//  2. import: our bundle.import vs `age -d | tar x` then `sha256sum -c` on the same bundle (≥ 1.0×);
//  3. memory: peak RSS exporting and importing a 2 GiB bundle (target ≤ 200 MB each way);
//  4. opening a passphrase bundle: scrypt at age's work factor, and whether it stalls the event loop.
// The stages are also timed alone (reading, tar, age, our age layer, hashing) so a missed target
// says where the time goes. References run interleaved with ours, so they share the machine's noise.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from './profile.ts';
import {
  fmt,
  fmtBytes,
  fmtMs,
  fmtRatio,
  median,
  p95,
  rateOf,
  runNodeChild,
  syncAndDropCaches,
  table,
  verdict,
  type Measured,
  type RateSummary,
} from './stats.ts';
import type { Suite, SuiteContext } from './suite.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'bundle-child.ts');
const MIB = 1024 * 1024;
const MB = 1e6;

const SPEED_TARGET = 1.0;
const RSS_TARGET_BYTES = 200 * MB;

// Every reference is a bash script run with `set -o pipefail`, so a failing age fails the run.
const TAR_AGE = 'set -o pipefail; src=$1; r=$2; out=$3; shift 3; tar -c -C "$src" -- "$@" | age -r "$r" > "$out"';
const AGE_TAR_SHA =
  'set -o pipefail; b=$1; key=$2; dst=$3; mkdir -p "$dst" && age -d -i "$key" "$b" | tar -x -C "$dst" && cd "$dst" && sha256sum -c --quiet manifest-sha256.txt';
// The same with the bundle flushed to disk: durable, as our export is (it fsyncs before the rename).
const TAR_AGE_SYNC = `${TAR_AGE} && sync -f "$out"`;
// The same with the extracted files flushed to disk before checking them: durable, as our import is.
const AGE_TAR_SYNC_SHA =
  'set -o pipefail; b=$1; key=$2; dst=$3; mkdir -p "$dst" && age -d -i "$key" "$b" | tar -x -C "$dst" && sync -f "$dst" && cd "$dst" && sha256sum -c --quiet manifest-sha256.txt';

/** A measured child's report: Measured plus the CPU time (user + system) of its measured work. */
interface Timed extends Measured {
  readonly cpuMs: number;
}

interface ExportReport extends Timed {
  readonly items: number;
  readonly files: number;
  readonly bytes: number;
  readonly phases: Readonly<Record<string, number>>;
}
interface ImportReport extends Timed {
  readonly added: number;
  readonly phases: Readonly<Record<string, number>>;
}
interface OpenReport extends Timed {
  readonly times: readonly number[];
  readonly raw: readonly number[];
  readonly maxLoopDelayMs: number;
  readonly p99LoopDelayMs: number;
}

export const suite: Suite = {
  description: 'bundle export vs tar | age -r, import vs age -d | tar x + sha256sum -c, peak RSS, passphrase open (issue 4)',
  options: {
    size: 'size of the media set in MiB (default 1024)',
    files: 'number of video files the media set is split into (default 8)',
    reps: 'repetitions of each export/import measurement (default 3)',
    'big-mib': 'size of the single-item bundle for the memory run in MiB (default 2048; 0 or SIJIL_BENCH_BIG=0 skips it)',
    'open-reps': 'repetitions of opening a passphrase bundle (default 5)',
    'no-drop-caches': 'do not try to drop the page cache between runs',
    profile: 'after measuring, run our export and import once more under --cpu-prof and list the hotspots',
  },
  run,
};

/** Writes `mib` MiB of incompressible bytes (video is incompressible too), different in every file. */
function writeRandomFile(file: string, mib: number): void {
  const chunk = Buffer.allocUnsafe(4 * MIB);
  const fd = fs.openSync(file, 'w');
  try {
    for (let left = mib * MIB; left > 0; left -= chunk.length) {
      const n = Math.min(left, chunk.length);
      randomFillSync(chunk, 0, n);
      fs.writeSync(fd, chunk, 0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs a bash script; returns its wall time and the CPU time (user + system) of everything it ran,
 * from bash's own `times` (its children's line). Throws if the script fails.
 */
function timeShell(script: string, args: readonly string[] = []): { ms: number; cpuMs: number } {
  const start = performance.now();
  const r = spawnSync('bash', ['-c', `{ ${script}\n}; rc=$?; times; exit $rc`, 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`reference command failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  const children = r.stdout.trim().split('\n').pop() ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { ms, cpuMs: seconds.reduce((a, b) => a + b, 0) * 1000 };
}

/** Where an export or import phase goes in the listing: in the order they happen, parts after their whole. */
function order(phase: string): number {
  const at = ['open', 'preparing', 'writing', 'reading', '  fsync', 'merging', '  merge', 'done', 'close'].findIndex((p) => phase.startsWith(p));
  return at < 0 ? 99 : at;
}

function keygen(file: string): string {
  execFileSync('age-keygen', ['-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const recipient = /# public key: (age1[0-9a-z]+)/.exec(fs.readFileSync(file, 'utf8'))?.[1];
  if (!recipient) throw new Error('age-keygen wrote no public key');
  return recipient;
}

async function child<T extends Timed>(mode: string, job: object, nodeArgs: readonly string[] = []): Promise<T> {
  return (await runNodeChild<T>(CHILD, [mode, JSON.stringify(job)], nodeArgs)).result;
}

async function run(ctx: SuiteContext): Promise<object> {
  const { options } = ctx;
  const reps = Math.max(1, options.int('reps', 3));
  const sizeMiB = Math.max(1, options.int('size', 1024));
  const files = Math.max(1, options.int('files', 8));
  const bigMiB = process.env.SIJIL_BENCH_BIG === '0' ? 0 : options.int('big-mib', 2048);
  const openReps = Math.max(1, options.int('open-reps', 5));
  const drop = !options.flag('no-drop-caches');
  const profileDir = options.flag('profile') ? path.join(ctx.outDir, 'profiles', 'bundle') : null;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-bench-bundle-'));
  const keyFile = path.join(work, 'key.txt');
  const recipient = keygen(keyFile);
  const result: Record<string, unknown> = { workDir: work, reps };
  try {
    result.speed = await benchSpeed({ work, reps, sizeMiB, files, drop, keyFile, recipient, profileDir });
    result.open = await benchOpen(work, openReps);
    if (bigMiB > 0) result.memory = await benchMemory({ work, mib: bigMiB, drop, keyFile, recipient });
    else console.log('\nmemory: the 2 GiB run was skipped (--big-mib 0 or SIJIL_BENCH_BIG=0)');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- export and import speed

interface SpeedOptions {
  readonly work: string;
  readonly reps: number;
  readonly sizeMiB: number;
  readonly files: number;
  readonly drop: boolean;
  readonly keyFile: string;
  readonly recipient: string;
  readonly profileDir: string | null;
}

async function benchSpeed(o: SpeedOptions): Promise<object> {
  const src = path.join(o.work, 'media');
  fs.mkdirSync(src);
  const perFile = Math.max(1, Math.floor(o.sizeMiB / o.files));
  const names: string[] = [];
  const t = performance.now();
  for (let i = 0; i < o.files; i++) {
    const name = `clip-${String(i).padStart(2, '0')}.mp4`;
    writeRandomFile(path.join(src, name), perFile);
    names.push(name);
  }
  const bytes = perFile * o.files * MIB;
  const archive = path.join(o.work, 'archive');
  const setup = await child<Timed & { imported: number }>('setup', { archive, paths: names.map((n) => path.join(src, n)), kind: 'video' });
  if (setup.imported !== o.files) throw new Error(`setup imported ${setup.imported} of ${o.files} files`);
  console.log(`media: ${o.files} × ${perFile} MiB of random bytes written and imported as video items in ${fmtMs(performance.now() - t)}`);

  const oursBundle = path.join(o.work, 'ours.sijil');
  const refBundle = path.join(o.work, 'ref.tar.age');
  const imported = path.join(o.work, 'imported');
  const extracted = path.join(o.work, 'extracted');
  let dropped = true;
  const fresh = (...paths: string[]): void => {
    for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
    dropped = syncAndDropCaches(o.drop) && dropped;
  };

  /** One measured run: wall time and CPU time (user + system), of a reference or of our child. */
  type Run = { readonly ms: number; readonly cpuMs: number };
  const ran = (r: Timed): Run => ({ ms: r.elapsedMs, cpuMs: r.cpuMs });
  const refExport: Run[] = [];
  const refExportSync: Run[] = [];
  const oursExport: ExportReport[] = [];
  const refImport: Run[] = [];
  const refImportSync: Run[] = [];
  const oursImport: ImportReport[] = [];
  for (let rep = 0; rep < o.reps; rep++) {
    fresh(refBundle);
    refExport.push(timeShell(TAR_AGE, [src, o.recipient, refBundle, ...names]));
    fresh(oursBundle);
    const e = await child<ExportReport>('export', { archive, to: oursBundle, recipient: o.recipient });
    if (e.items !== o.files) throw new Error(`export wrote ${e.items} items, not ${o.files}`);
    oursExport.push(e);
    fresh(refBundle);
    refExportSync.push(timeShell(TAR_AGE_SYNC, [src, o.recipient, refBundle, ...names]));
    fresh(extracted);
    refImport.push(timeShell(AGE_TAR_SHA, [oursBundle, o.keyFile, extracted]));
    fresh(imported);
    const i = await child<ImportReport>('import', { archive: imported, path: oursBundle, identity: o.keyFile });
    if (i.added !== o.files) throw new Error(`import added ${i.added} items, not ${o.files}`);
    oursImport.push(i);
    fresh(extracted);
    refImportSync.push(timeShell(AGE_TAR_SYNC_SHA, [oursBundle, o.keyFile, extracted]));
    console.log(
      `  rep ${rep + 1}/${o.reps}: export: tar|age ${fmtMs(refExport[rep]?.ms ?? NaN)}, Sijil ${fmtMs(e.elapsedMs)}, tar|age; sync ${fmtMs(refExportSync[rep]?.ms ?? NaN)};` +
        ` import: age -d|tar x + sha256sum -c ${fmtMs(refImport[rep]?.ms ?? NaN)}, Sijil ${fmtMs(i.elapsedMs)}, with sync ${fmtMs(refImportSync[rep]?.ms ?? NaN)}`,
    );
  }
  fresh(extracted, imported, refBundle);

  // Stages alone, once each: where the time of each side goes.
  const plainTar = path.join(o.work, 'plain.tar');
  const stages: [string, Run][] = [];
  const stage = (label: string, run: Run): void => {
    stages.push([label, run]);
  };
  fresh();
  stage('read the files (cat > /dev/null)', timeShell('cd "$1"; shift; cat -- "$@" > /dev/null', [src, ...names]));
  stage('sha256sum the files', timeShell('cd "$1"; shift; sha256sum -- "$@" > /dev/null', [src, ...names]));
  // GNU tar skips reading file data when it writes to /dev/null itself, hence the cat.
  stage('tar c alone (| cat > /dev/null)', timeShell('set -o pipefail; src=$1; shift; tar -c -C "$src" -- "$@" | cat > /dev/null', [src, ...names]));
  timeShell('src=$1; out=$2; shift 2; tar -c -C "$src" -f "$out" -- "$@"', [src, plainTar, ...names]);
  fresh();
  stage('age -r alone (tar file -> /dev/null)', timeShell('age -r "$1" < "$2" > /dev/null', [o.recipient, plainTar]));
  stage('our age encrypt alone, as export (tar file -> /dev/null)', ran(await child<Timed>('encrypt', { input: plainTar, output: '/dev/null', recipient: o.recipient })));
  fresh();
  // Not what export uses: every sealed batch a new buffer handed to a stream consumer.
  stage('our age encrypt, stream API (tar file -> /dev/null)', ran(await child<Timed>('encrypt-stream', { input: plainTar, output: '/dev/null', recipient: o.recipient })));
  fs.rmSync(plainTar, { force: true });
  fresh();
  stage('age -d alone (bundle -> /dev/null)', timeShell('age -d -i "$1" "$2" > /dev/null', [o.keyFile, oursBundle]));
  stage('our age decrypt alone, as import (bundle -> /dev/null)', ran(await child<Timed>('decrypt', { input: oursBundle, output: '/dev/null', identity: o.keyFile })));
  fresh();
  stage('our age decrypt, stream API (bundle -> /dev/null)', ran(await child<Timed>('decrypt-stream', { input: oursBundle, output: '/dev/null', identity: o.keyFile })));
  fresh();
  stage('age -d | tar x (no check)', timeShell('set -o pipefail; mkdir -p "$3" && age -d -i "$1" "$2" | tar -x -C "$3"', [o.keyFile, oursBundle, extracted]));
  fresh(extracted);

  let profiles: string | null = null;
  if (o.profileDir) {
    const dir = (side: string) => path.join(o.profileDir as string, side);
    fresh(oursBundle);
    await child<ExportReport>('export', { archive, to: oursBundle, recipient: o.recipient }, ['--cpu-prof', `--cpu-prof-dir=${dir('export')}`]);
    fresh(imported);
    await child<ImportReport>('import', { archive: imported, path: oursBundle, identity: o.keyFile }, ['--cpu-prof', `--cpu-prof-dir=${dir('import')}`]);
    fresh(imported);
    const first = (d: string): string => path.join(d, fs.readdirSync(d).find((f) => f.endsWith('.cpuprofile')) as string);
    profiles = ['export', 'import'].map((side) => `--- profile of our ${side} (node start-up included)\n${summarizeProfile(first(dir(side)), 12)}`).join('\n\n');
  }
  fs.rmSync(src, { recursive: true, force: true });
  fs.rmSync(oursBundle, { force: true });
  fs.rmSync(archive, { recursive: true, force: true });

  const mbs = bytes / MB;
  const wall = (runs: readonly Run[]): number[] => runs.map((r) => r.ms);
  const cpu = (runs: readonly Run[]): number => median(runs.map((r) => r.cpuMs));
  const refExportRate = rateOf(mbs, wall(refExport));
  const oursExportRate = rateOf(mbs, wall(oursExport.map(ran)));
  const refExportSyncRate = rateOf(mbs, wall(refExportSync));
  const refImportRate = rateOf(mbs, wall(refImport));
  const refImportSyncRate = rateOf(mbs, wall(refImportSync));
  const oursImportRate = rateOf(mbs, wall(oursImport.map(ran)));
  const exportRatio = refExportRate.msMedian / oursExportRate.msMedian;
  const importRatio = refImportRate.msMedian / oursImportRate.msMedian;
  const exportCpuRatio = cpu(refExport) / cpu(oursExport.map(ran));
  const importCpuRatio = cpu(refImport) / cpu(oursImport.map(ran));
  const exportTarget = verdict(exportRatio, SPEED_TARGET);
  const importTarget = verdict(importRatio, SPEED_TARGET);
  const exportPairs = oursExport.map((r, i) => (refExport[i]?.ms ?? NaN) / r.elapsedMs);
  const importPairs = oursImport.map((r, i) => (refImport[i]?.ms ?? NaN) / r.elapsedMs);
  const rss = (rs: readonly Measured[]) => fmtBytes(median(rs.map((r) => r.maxRssKiB)) * 1024);

  const cols = (r: RateSummary, runs: readonly Run[]): string[] => [fmtMs(r.msMedian), fmtMs(r.msP95), fmt(r.median), fmt(r.p95), fmtMs(cpu(runs))];
  console.log(
    `\nBundles: ${fmtBytes(bytes)} in ${o.files} video items of ${perFile} MiB (random bytes); page cache ${dropped ? 'dropped before every run' : 'NOT dropped (not permitted here, or --no-drop-caches): reads come from memory'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log(
    table(
      ['what', 'reps', 'time p50', 'time p95', 'MB/s p50', 'MB/s p95', 'CPU p50', 'peak RSS', 'vs ref (time)', 'vs ref (CPU)'],
      [
        ['tar c | age -r (reference)', o.reps, ...cols(refExportRate, refExport), '—', '1.00×', '1.00×'],
        ['Sijil bundle.export', o.reps, ...cols(oursExportRate, oursExport.map(ran)), rss(oursExport), fmtRatio(exportRatio), fmtRatio(exportCpuRatio)],
        [
          'tar c | age -r; sync (durable, context)',
          o.reps,
          ...cols(refExportSyncRate, refExportSync),
          '—',
          fmtRatio(refExportRate.msMedian / refExportSyncRate.msMedian),
          fmtRatio(cpu(refExport) / cpu(refExportSync)),
        ],
        ['age -d | tar x; sha256sum -c (reference)', o.reps, ...cols(refImportRate, refImport), '—', '1.00×', '1.00×'],
        ['Sijil bundle.import', o.reps, ...cols(oursImportRate, oursImport.map(ran)), rss(oursImport), fmtRatio(importRatio), fmtRatio(importCpuRatio)],
        [
          'age -d | tar x; sync; sha256sum -c (durable, context)',
          o.reps,
          ...cols(refImportSyncRate, refImportSync),
          '—',
          fmtRatio(refImportRate.msMedian / refImportSyncRate.msMedian),
          fmtRatio(cpu(refImport) / cpu(refImportSync)),
        ],
      ],
    ),
  );
  console.log(`per-rep ratios (ref time / our time): export ${exportPairs.map(fmtRatio).join(', ')}; import ${importPairs.map(fmtRatio).join(', ')}`);
  console.log(`target: export ≥ 1.00× tar | age -r → ${exportTarget.text}`);
  console.log(`target: import ≥ 1.00× age -d | tar x + sha256sum -c → ${importTarget.text}`);
  // Indented phases are parts of the one above them.
  for (const [side, runs] of [['export', oursExport], ['import', oursImport]] as const) {
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.phases)))].sort((a, b) => order(a) - order(b));
    console.log(`our ${side} by phase (median): ${names.map((p) => `${p.trim()} ${fmtMs(median(runs.map((r) => r.phases[p] ?? 0)))}`).join(', ')}`);
  }
  console.log(`\nStages alone (one run each, ${fmtBytes(bytes)}):`);
  console.log(table(['stage', 'time', 'MB/s', 'CPU'], stages.map(([label, r]) => [label, fmtMs(r.ms), fmt(mbs / (r.ms / 1000)), fmtMs(r.cpuMs)])));
  if (profiles) console.log(`\n${profiles}`);

  return {
    bytes,
    files: o.files,
    fileMiB: perFile,
    cachesDropped: dropped,
    loadAverage: os.loadavg(),
    export: {
      reference: { ...refExportRate, samples: refExport },
      referenceDurable: { ...refExportSyncRate, samples: refExportSync },
      ours: { ...oursExportRate, runs: oursExport },
      ratio: exportRatio,
      cpuRatio: exportCpuRatio,
      pairRatios: exportPairs,
      target: exportTarget,
    },
    import: {
      reference: { ...refImportRate, samples: refImport },
      referenceDurable: { ...refImportSyncRate, samples: refImportSync },
      ours: { ...oursImportRate, runs: oursImport },
      ratio: importRatio,
      cpuRatio: importCpuRatio,
      pairRatios: importPairs,
      target: importTarget,
    },
    stages: Object.fromEntries(stages),
    profiles,
  };
}

// ---------------------------------------------------------------- opening a passphrase bundle

async function benchOpen(work: string, reps: number): Promise<object> {
  const archive = path.join(work, 'small-archive');
  const note = path.join(work, 'statement.txt');
  fs.writeFileSync(note, 'A short statement, to make a small bundle.\n');
  await child('setup', { archive, paths: [note] });
  const bundle = path.join(work, 'passphrase.sijil');
  const passphrase = 'a passphrase for the benchmark';
  await child('export', { archive, to: bundle, passphrase });
  const r = await child<OpenReport>('open', { archive, path: bundle, passphrase, reps });
  fs.rmSync(archive, { recursive: true, force: true });
  fs.rmSync(bundle, { force: true });
  const row = (label: string, v: readonly number[]): (string | number)[] => [label, v.length, fmtMs(median(v)), fmtMs(p95(v))];
  console.log(`\nOpening a passphrase bundle (scrypt, work factor 18 as age uses; ${reps} reps):`);
  console.log(
    table(
      ['what', 'reps', 'p50', 'p95'],
      [row('bundle.inspect with the passphrase (scrypt + header + archive.json)', r.times), row('node:crypto scrypt N=2^18 alone (reference)', r.raw)],
    ),
  );
  // A blocking scrypt would stall the loop for its whole duration (about a second); a loaded
  // machine alone delays a 5 ms timer by tens of milliseconds now and then.
  const stalled = r.maxLoopDelayMs;
  const blocked = stalled > median(r.raw) / 2;
  console.log(
    `event loop while opening: p99 delay ${fmtMs(r.p99LoopDelayMs)}, longest ${fmtMs(stalled)} (scrypt alone takes ${fmtMs(median(r.raw))}) → ${blocked ? 'BLOCKED by scrypt' : 'scrypt does not block it'}`,
  );
  return {
    inspect: { medianMs: median(r.times), p95Ms: p95(r.times), samplesMs: r.times },
    scrypt: { medianMs: median(r.raw), p95Ms: p95(r.raw), samplesMs: r.raw },
    maxLoopDelayMs: stalled,
    p99LoopDelayMs: r.p99LoopDelayMs,
    blocked,
  };
}

// ---------------------------------------------------------------- memory on a 2 GiB bundle

interface MemoryOptions {
  readonly work: string;
  readonly mib: number;
  readonly drop: boolean;
  readonly keyFile: string;
  readonly recipient: string;
}

async function benchMemory(o: MemoryOptions): Promise<object> {
  const src = path.join(o.work, 'big');
  fs.mkdirSync(src);
  const file = path.join(src, 'long-recording.mkv');
  let t = performance.now();
  writeRandomFile(file, o.mib);
  const archive = path.join(o.work, 'big-archive');
  await child('setup', { archive, paths: [file], kind: 'video' });
  fs.rmSync(src, { recursive: true, force: true });
  console.log(`\nmemory: one ${fmtBytes(o.mib * MIB)} video item written and imported in ${fmtMs(performance.now() - t)}`);
  const floor = await child<Timed>('baseline', { archive });
  const bundle = path.join(o.work, 'big.sijil');
  syncAndDropCaches(o.drop);
  t = performance.now();
  const e = await child<ExportReport>('export', { archive, to: bundle, recipient: o.recipient });
  fs.rmSync(archive, { recursive: true, force: true });
  const imported = path.join(o.work, 'big-imported');
  syncAndDropCaches(o.drop);
  const i = await child<ImportReport>('import', { archive: imported, path: bundle, identity: o.keyFile });
  if (i.added !== 1) throw new Error(`the 2 GiB import added ${i.added} items`);
  fs.rmSync(imported, { recursive: true, force: true });
  fs.rmSync(bundle, { force: true });
  const exportRss = e.maxRssKiB * 1024;
  const importRss = i.maxRssKiB * 1024;
  const verdictOf = (b: number) => (b <= RSS_TARGET_BYTES ? `PASS (≤ ${fmtBytes(RSS_TARGET_BYTES)})` : `MISS (> ${fmtBytes(RSS_TARGET_BYTES)})`);
  const mbs = (o.mib * MIB) / MB;
  console.log(
    table(
      ['what', 'time', 'MB/s', 'peak RSS', 'target ≤ 200 MB'],
      [
        [`Sijil bundle.export, ${fmtBytes(e.bytes)} bundle`, fmtMs(e.elapsedMs), fmt(mbs / (e.elapsedMs / 1000)), fmtBytes(exportRss), verdictOf(exportRss)],
        ['Sijil bundle.import, same bundle', fmtMs(i.elapsedMs), fmt(mbs / (i.elapsedMs / 1000)), fmtBytes(importRss), verdictOf(importRss)],
        ['(floor: Node + engine + open archive, idle)', '', '', fmtBytes(floor.maxRssKiB * 1024), ''],
      ],
    ),
  );
  const phases = Object.entries(i.phases).sort((a, b) => order(a[0]) - order(b[0]));
  console.log(`import by phase: ${phases.map(([p, ms]) => `${p.trim()} ${fmtMs(ms)}`).join(', ')}`);
  return {
    mib: o.mib,
    bundleBytes: e.bytes,
    floorRssBytes: floor.maxRssKiB * 1024,
    export: { elapsedMs: e.elapsedMs, peakRssBytes: exportRss, met: exportRss <= RSS_TARGET_BYTES },
    import: { elapsedMs: i.elapsedMs, peakRssBytes: importRss, met: importRss <= RSS_TARGET_BYTES, phases: i.phases },
  };
}
