// Suite 'ingest' (issue 2's targets):
//  1. media: importing 1 GiB of video (8 × 128 MiB) runs at least as fast as `cp` then `sha256sum`
//     on the same files (≥ 1.0×), with flat memory (one 2 GiB file is also imported);
//  2. articles: importing articles with indexing reaches half the rate of raw FTS5 inserts of the
//     same texts (≥ 0.5×, for plain-text articles; saved web pages are reported beside them).
// References run in the same process tree, interleaved with ours, so they share the machine's noise.
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleHtml, articleText, makeArticles } from './corpus.ts';
import { summarizeProfile } from './profile.ts';
import {
  fmt,
  fmtBytes,
  fmtMs,
  fmtRatio,
  median,
  rateOf,
  runNodeChild,
  syncAndDropCaches,
  table,
  timeShell,
  verdict,
  type Measured,
  type RateSummary,
} from './stats.ts';
import type { Suite, SuiteContext } from './suite.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'ingest-child.ts');
const MIB = 1024 * 1024;
const MB = 1e6;

const MEDIA_TARGET = 1.0;
const ARTICLE_TARGET = 0.5;

interface Phase {
  readonly ms: number;
  readonly calls: number;
}

/** CPU time of the measured child (user + system, all its threads): steadier than wall time on a busy machine. */
interface CpuTimed {
  readonly cpuUserMs: number;
  readonly cpuSysMs: number;
}

const cpuMs = (r: CpuTimed): number => r.cpuUserMs + r.cpuSysMs;

interface ImportReport extends Measured, CpuTimed {
  readonly phases: Readonly<Record<string, Phase>>;
  readonly openMs: number;
  readonly importMs: number;
  readonly closeMs: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly skipReasons: readonly string[];
}

interface RawReport extends Measured, CpuTimed {
  readonly imported: number;
  readonly bytes: number;
}

export const suite: Suite = {
  description: 'media ingest vs cp + sha256sum, article ingest vs raw FTS5 inserts (issue 2)',
  options: {
    reps: 'repetitions of each measurement (default 3)',
    'media-mib': 'size of the media set in MiB (default 1024)',
    'media-files': 'number of files the media set is split into (default 8)',
    'big-mib': 'size of the single-file memory run in MiB (default 2048; 0 or SIJIL_BENCH_BIG=0 skips it)',
    docs: 'plain-text articles (default 1000)',
    'html-docs': 'saved web page articles (default 300; each costs several times a .txt)',
    'skip-media': 'skip the media part',
    'skip-articles': 'skip the article part',
    'no-drop-caches': 'do not drop the page cache between media repetitions',
    profile: 'after measuring, run each of our imports once more under --cpu-prof and list the hotspots',
  },
  run,
};

async function run(ctx: SuiteContext): Promise<object> {
  const { options } = ctx;
  const reps = Math.max(1, options.int('reps', 3));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-bench-ingest-'));
  const profileDir = options.flag('profile') ? path.join(ctx.outDir, 'profiles') : null;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const result: Record<string, unknown> = { workDir: work, reps };
  try {
    if (!options.flag('skip-media')) {
      const bigEnv = process.env.SIJIL_BENCH_BIG;
      result.media = await benchMedia({
        work,
        reps,
        totalMiB: options.int('media-mib', 1024),
        files: Math.max(1, options.int('media-files', 8)),
        bigMiB: bigEnv === '0' ? 0 : options.int('big-mib', 2048),
        dropCaches: !options.flag('no-drop-caches'),
        profileDir,
      });
    }
    if (!options.flag('skip-articles')) {
      result.articles = await benchArticles({
        work,
        reps,
        docs: Math.max(1, options.int('docs', 1000)),
        htmlDocs: Math.max(1, options.int('html-docs', 300)),
        profileDir,
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- media

interface MediaOptions {
  readonly work: string;
  readonly reps: number;
  readonly totalMiB: number;
  readonly files: number;
  readonly bigMiB: number;
  readonly dropCaches: boolean;
  readonly profileDir: string | null;
}

/** Writes `mib` MiB of incompressible (random) bytes, different in every file. */
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

// For each file: copy it, then hash the copy (what a careful person does by hand).
const CP_SHA = 'dst=$1; shift; for f in "$@"; do cp "$f" "$dst/" && sha256sum "$dst/${f##*/}" >/dev/null || exit 1; done';
// The same with the copy flushed to disk before hashing: durable, as our import is.
const CP_SYNC_SHA = 'dst=$1; shift; for f in "$@"; do cp "$f" "$dst/" && sync "$dst/${f##*/}" && sha256sum "$dst/${f##*/}" >/dev/null || exit 1; done';

async function benchMedia(o: MediaOptions): Promise<object> {
  const srcDir = path.join(o.work, 'media');
  fs.mkdirSync(srcDir);
  const perFile = Math.max(1, Math.floor(o.totalMiB / o.files));
  const sources: string[] = [];
  let t = performance.now();
  for (let i = 0; i < o.files; i++) {
    const file = path.join(srcDir, `clip-${String(i).padStart(2, '0')}.mp4`);
    writeRandomFile(file, perFile);
    sources.push(file);
  }
  const bytes = perFile * o.files * MIB;
  console.log(`media: ${o.files} × ${perFile} MiB of random bytes written in ${fmtMs(performance.now() - t)}`);

  const refDir = path.join(o.work, 'ref');
  const archiveDir = path.join(o.work, 'archive');
  const fresh = (): boolean => {
    fs.rmSync(refDir, { recursive: true, force: true });
    fs.rmSync(archiveDir, { recursive: true, force: true });
    fs.mkdirSync(refDir);
    return syncAndDropCaches(o.dropCaches);
  };

  const refMs: number[] = [];
  const refSyncMs: number[] = [];
  const ours: ImportReport[] = [];
  let dropped = true;
  for (let rep = 0; rep < o.reps; rep++) {
    dropped = fresh() && dropped;
    refMs.push(timeShell(CP_SHA, [refDir, ...sources]));
    dropped = fresh() && dropped;
    ours.push(await importChild(archiveDir, sources, 'video', sources.length));
    dropped = fresh() && dropped;
    refSyncMs.push(timeShell(CP_SYNC_SHA, [refDir, ...sources]));
    console.log(`  rep ${rep + 1}/${o.reps}: cp+sha256sum ${fmtMs(refMs[rep] as number)}, Sijil ${fmtMs((ours[rep] as ImportReport).elapsedMs)}, cp+sync+sha256sum ${fmtMs(refSyncMs[rep] as number)}`);
  }
  fresh();
  const refRate = rateOf(bytes / MB, refMs);
  const oursRate = rateOf(bytes / MB, ours.map((r) => r.elapsedMs));
  const refSyncRate = rateOf(bytes / MB, refSyncMs);
  const pairRatios = ours.map((r, i) => (refMs[i] as number) / r.elapsedMs);
  const ratio = oursRate.median / refRate.median;
  const target = verdict(ratio, MEDIA_TARGET);
  const oursRss = median(ours.map((r) => r.maxRssKiB)) * 1024;

  // One big file: the import must stream it, not hold it.
  let big: { mib: number; ours: ImportReport; refMs: number; ratio: number } | null = null;
  if (o.bigMiB > 0) {
    const bigFile = path.join(srcDir, 'long-recording.mkv');
    t = performance.now();
    writeRandomFile(bigFile, o.bigMiB);
    console.log(`media: 1 × ${o.bigMiB} MiB written in ${fmtMs(performance.now() - t)}`);
    fresh();
    const bigRef = timeShell(CP_SHA, [refDir, bigFile]);
    fresh();
    const bigOurs = await importChild(archiveDir, [bigFile], 'video', 1);
    fresh();
    fs.rmSync(bigFile, { force: true });
    big = { mib: o.bigMiB, ours: bigOurs, refMs: bigRef, ratio: bigRef / bigOurs.elapsedMs };
  }

  const mbs = (r: RateSummary): [string, string, string, string] => [fmtMs(r.msMedian), fmtMs(r.msP95), fmt(r.median), fmt(r.p95)];
  const rows: (string | number)[][] = [
    ['cp + sha256sum (reference)', refRate.reps, ...mbs(refRate), '—', '1.00×'],
    ['Sijil importPaths --kind video', oursRate.reps, ...mbs(oursRate), fmtBytes(oursRss), fmtRatio(ratio)],
    ['cp + sync + sha256sum (durable, context)', refSyncRate.reps, ...mbs(refSyncRate), '—', fmtRatio(refSyncRate.median / refRate.median)],
  ];
  if (big) {
    const bigBytes = big.mib * MIB;
    rows.push(['cp + sha256sum, one big file', 1, fmtMs(big.refMs), '', fmt(bigBytes / MB / (big.refMs / 1000)), '', '—', '1.00×']);
    rows.push(['Sijil, one big file', 1, fmtMs(big.ours.elapsedMs), '', fmt(bigBytes / MB / (big.ours.elapsedMs / 1000)), '', fmtBytes(big.ours.maxRssKiB * 1024), fmtRatio(big.ratio)]);
  }
  console.log(
    `\nMedia ingest: ${fmtBytes(bytes)} in ${o.files} files of ${perFile} MiB, random bytes; page cache ${dropped ? 'dropped before every run' : 'NOT dropped (not permitted or --no-drop-caches)'}`,
  );
  console.log(table(['what', 'reps', 'time p50', 'time p95', 'MB/s p50', 'MB/s p95', 'peak RSS', 'vs ref'], rows));
  console.log(`per-rep ratios (ref time / our time): ${pairRatios.map(fmtRatio).join(', ')}`);
  console.log(`Sijil's CPU time p50 (user + system): ${fmtMs(median(ours.map(cpuMs)))}`);
  console.log(`target: Sijil ≥ 1.00× cp + sha256sum → ${target.text}`);
  let flat: { perFileRss: number; bigRss: number; deltaBytes: number; flat: boolean } | null = null;
  if (big) {
    const bigRss = big.ours.maxRssKiB * 1024;
    const delta = bigRss - oursRss;
    // "Flat" means the peak does not follow the file's size: within 32 MiB of the 128 MiB run's.
    flat = { perFileRss: oursRss, bigRss, deltaBytes: delta, flat: delta < 32 * MIB };
    console.log(
      `memory: peak RSS ${fmtBytes(oursRss)} importing ${perFile} MiB files, ${fmtBytes(bigRss)} importing one ${fmtBytes(big.mib * MIB)} file → ${flat.flat ? 'flat' : 'NOT flat'} (Δ ${fmtBytes(delta)})`,
    );
  } else {
    console.log('memory: the single big file run was skipped (--big-mib 0 or SIJIL_BENCH_BIG=0)');
  }
  printPhases('media', ours, o.files, 'file');

  if (o.profileDir) {
    const dir = path.join(o.profileDir, 'media');
    fresh();
    await importChild(archiveDir, sources, 'video', sources.length, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    fresh();
    printProfile('media import', dir);
  }
  fs.rmSync(srcDir, { recursive: true, force: true });

  return {
    bytes,
    files: o.files,
    fileMiB: perFile,
    cachesDropped: dropped,
    reference: { ...refRate, unit: 'MB/s', samplesMs: refMs },
    referenceDurable: { ...refSyncRate, unit: 'MB/s', samplesMs: refSyncMs },
    ours: { ...oursRate, unit: 'MB/s', samplesMs: ours.map((r) => r.elapsedMs), peakRssBytes: oursRss, runs: ours },
    ratio,
    pairRatios,
    target,
    big,
    memory: flat,
  };
}

async function importChild(archive: string, paths: readonly string[], kind: string | null, expect: number, nodeArgs: readonly string[] = []): Promise<ImportReport> {
  const job = kind ? { archive, paths, kind } : { archive, paths };
  const { result } = await runNodeChild<ImportReport>(CHILD, ['import', JSON.stringify(job)], nodeArgs);
  if (result.imported !== expect)
    throw new Error(`expected ${expect} items imported, got ${result.imported} (skipped ${result.skipped}: ${result.skipReasons.join('; ')})`);
  return result;
}

// ---------------------------------------------------------------- articles

interface ArticleOptions {
  readonly work: string;
  readonly reps: number;
  readonly docs: number;
  readonly htmlDocs: number;
  readonly profileDir: string | null;
}

async function benchArticles(o: ArticleOptions): Promise<object> {
  const t = performance.now();
  const articles = makeArticles(Math.max(o.docs, o.htmlDocs), { seed: 2, arabicShare: 0.2 });
  const txtDir = path.join(o.work, 'articles-txt');
  const htmlDir = path.join(o.work, 'articles-html');
  fs.mkdirSync(txtDir);
  fs.mkdirSync(htmlDir);
  let txtBytes = 0;
  let htmlBytes = 0;
  for (const a of articles) {
    const name = `article-${String(a.id).padStart(6, '0')}`;
    if (a.id < o.docs) {
      const text = articleText(a);
      fs.writeFileSync(path.join(txtDir, `${name}.txt`), text);
      txtBytes += Buffer.byteLength(text);
    }
    if (a.id < o.htmlDocs) {
      const html = articleHtml(a);
      fs.writeFileSync(path.join(htmlDir, `${name}.html`), html);
      htmlBytes += Buffer.byteLength(html);
    }
  }
  const arabic = articles.slice(0, o.docs).filter((a) => a.language === 'ar').length;
  console.log(
    `\narticles: ${fmt(o.docs)} .txt (${fmt(arabic)} Arabic, ${fmtBytes(txtBytes)}) and ${fmt(o.htmlDocs)} .html (${fmtBytes(htmlBytes)}), built in ${fmtMs(performance.now() - t)}`,
  );

  const archiveDir = path.join(o.work, 'archive');
  const rawDb = path.join(o.work, 'raw.db');
  const fresh = (): void => {
    fs.rmSync(archiveDir, { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(rawDb + suffix, { force: true });
    // Flush the previous run's writes so they are not paid by the next; the small source files
    // stay in the page cache (as a folder just saved from a browser would be).
    syncAndDropCaches(false);
  };
  const rawRun = async (batch: number): Promise<RawReport> =>
    (await runNodeChild<RawReport>(CHILD, ['fts-raw', JSON.stringify({ db: rawDb, dir: txtDir, batch })])).result;

  const raw: RawReport[] = [];
  const rawEach: RawReport[] = [];
  const txt: ImportReport[] = [];
  const html: ImportReport[] = [];
  for (let rep = 0; rep < o.reps; rep++) {
    fresh();
    raw.push(await rawRun(1000));
    fresh();
    txt.push(await importChild(archiveDir, [txtDir], null, o.docs));
    fresh();
    rawEach.push(await rawRun(1));
    fresh();
    html.push(await importChild(archiveDir, [htmlDir], null, o.htmlDocs));
    const ms = (r: Measured | undefined): string => fmtMs(r?.elapsedMs ?? Number.NaN);
    console.log(`  rep ${rep + 1}/${o.reps}: raw FTS5 ${ms(raw[rep])}, Sijil .txt ${ms(txt[rep])}, raw 1/txn ${ms(rawEach[rep])}, Sijil .html ${ms(html[rep])}`);
  }
  fresh();

  const rawRate = rateOf(o.docs, raw.map((r) => r.elapsedMs));
  const rawEachRate = rateOf(o.docs, rawEach.map((r) => r.elapsedMs));
  const txtRate = rateOf(o.docs, txt.map((r) => r.elapsedMs));
  const htmlRate = rateOf(o.htmlDocs, html.map((r) => r.elapsedMs));
  const txtRatio = txtRate.median / rawRate.median;
  const htmlRatio = htmlRate.median / rawRate.median;
  const pairRatios = txt.map((r, i) => (raw[i] as RawReport).elapsedMs / r.elapsedMs);
  const target = verdict(txtRatio, ARTICLE_TARGET);
  const rss = (rs: readonly Measured[]): number => median(rs.map((r) => r.maxRssKiB)) * 1024;
  const row = (what: string, docs: number, r: RateSummary, textBytes: number, peak: number, ratio: number): (string | number)[] => [
    what,
    fmt(docs),
    r.reps,
    fmtMs(r.msMedian),
    fmtMs(r.msP95),
    fmt(r.median),
    fmt(r.p95),
    fmtMs(r.msMedian / docs),
    fmt(textBytes / MB / (r.msMedian / 1000), 2),
    fmtBytes(peak),
    fmtRatio(ratio),
  ];
  console.log(`\nArticle ingest with indexing: 5-30 real sentences each, 20% Arabic (Brown corpus, Qur'an verses)`);
  console.log(
    table(
      ['what', 'docs', 'reps', 'time p50', 'time p95', 'docs/s p50', 'docs/s p95', 'per doc', 'MB/s', 'peak RSS', 'vs raw'],
      [
        row('raw FTS5 insert, 1000 per transaction (reference)', o.docs, rawRate, txtBytes, rss(raw), 1),
        row('Sijil importPaths, .txt', o.docs, txtRate, txtBytes, rss(txt), txtRatio),
        row('Sijil importPaths, .html', o.htmlDocs, htmlRate, htmlBytes, rss(html), htmlRatio),
        row('raw FTS5 insert, 1 per transaction (context)', o.docs, rawEachRate, txtBytes, rss(rawEach), rawEachRate.median / rawRate.median),
      ],
    ),
  );
  console.log(`per-rep ratios .txt (raw time / our time, per doc): ${pairRatios.map(fmtRatio).join(', ')}`);
  const rawCpu = median(raw.map(cpuMs));
  const txtCpu = median(txt.map(cpuMs));
  console.log(`CPU time p50 (user + system): raw FTS5 ${fmtMs(rawCpu)}, Sijil .txt ${fmtMs(txtCpu)} (${fmtRatio(rawCpu / txtCpu)}), Sijil .html ${fmtMs(median(html.map(cpuMs)))}`);
  console.log(`target: Sijil .txt ≥ 0.50× raw FTS5 → ${target.text}`);
  console.log(`.html: ${fmtRatio(htmlRatio)} of raw; no target (reading the page with jsdom and Readability dominates, see --profile)`);
  const floor = await articleFloor(o, txtDir, archiveDir, fresh, rawRate, rawCpu / o.docs);
  printPhases('.txt', txt, o.docs);
  printPhases('.html', html, o.htmlDocs);

  const profiles: Record<string, string> = {};
  if (o.profileDir) {
    for (const [label, dir, docs] of [
      ['txt', txtDir, o.docs],
      ['html', htmlDir, o.htmlDocs],
    ] as const) {
      const out = path.join(o.profileDir, `articles-${label}`);
      fresh();
      await importChild(archiveDir, [dir], null, docs, ['--cpu-prof', `--cpu-prof-dir=${out}`]);
      profiles[label] = out;
      printProfile(`article import (.${label})`, out);
    }
    fresh();
  }

  return {
    docs: o.docs,
    htmlDocs: o.htmlDocs,
    arabic,
    txtBytes,
    htmlBytes,
    raw: { ...rawRate, unit: 'docs/s', samplesMs: raw.map((r) => r.elapsedMs), peakRssBytes: rss(raw) },
    rawOnePerTransaction: { ...rawEachRate, unit: 'docs/s', samplesMs: rawEach.map((r) => r.elapsedMs), peakRssBytes: rss(rawEach) },
    txt: { ...txtRate, unit: 'docs/s', samplesMs: txt.map((r) => r.elapsedMs), peakRssBytes: rss(txt), runs: txt },
    html: { ...htmlRate, unit: 'docs/s', samplesMs: html.map((r) => r.elapsedMs), peakRssBytes: rss(html), runs: html },
    txtRatio,
    htmlRatio,
    pairRatios,
    target,
    floor,
    profiles,
  };
}

interface FloorPart {
  readonly elapsedMs: number;
  readonly cpuUserMs: number;
  readonly cpuSysMs: number;
}

interface FloorReport extends Measured {
  readonly docs: number;
  readonly store: FloorPart & { readonly stagedMs: number };
  readonly database: FloorPart;
}

/**
 * The two costs every .txt import pays whatever the code around them, measured apart on the same
 * files (see runFloor in ingest-child.ts): one file per text in the blob store, and an item row
 * plus the search index (two word indexes, titles, terms) per text. Their sum bounds the ratio.
 */
async function articleFloor(o: ArticleOptions, txtDir: string, archiveDir: string, fresh: () => void, rawRate: RateSummary, rawCpuMs: number): Promise<object> {
  const runs: FloorReport[] = [];
  for (let rep = 0; rep < o.reps; rep++) {
    fresh();
    runs.push((await runNodeChild<FloorReport>(CHILD, ['floor', JSON.stringify({ archive: archiveDir, dir: txtDir })])).result);
  }
  fresh();
  const per = (pick: (r: FloorReport) => number): number => median(runs.map(pick)) / o.docs;
  const storeMs = per((r) => r.store.elapsedMs);
  const databaseMs = per((r) => r.database.elapsedMs);
  const storeCpu = per((r) => cpuMs(r.store));
  const databaseCpu = per((r) => cpuMs(r.database));
  const rawMs = rawRate.msMedian / o.docs;
  const rows = [
    ['raw FTS5 insert (reference, above)', fmtMs(rawMs), '1.00×', fmtMs(rawCpuMs), '1.00×'],
    ['blob store alone: read, stage in tmp/, rename into place, one syncfs', fmtMs(storeMs), fmtRatio(rawMs / storeMs), fmtMs(storeCpu), fmtRatio(rawCpuMs / storeCpu)],
    ['  of which staging (create + write + close in tmp/)', fmtMs(per((r) => r.store.stagedMs)), '', '', ''],
    ['item row + search index alone (real indexer, one transaction)', fmtMs(databaseMs), fmtRatio(rawMs / databaseMs), fmtMs(databaseCpu), fmtRatio(rawCpuMs / databaseCpu)],
    ['both: the floor of a .txt import with this design', fmtMs(storeMs + databaseMs), fmtRatio(rawMs / (storeMs + databaseMs)), fmtMs(storeCpu + databaseCpu), fmtRatio(rawCpuMs / (storeCpu + databaseCpu))],
  ];
  console.log(`\nwhat a .txt import cannot go below (per document, median of ${o.reps}; same files, same run):`);
  console.log(table(['part', 'time/doc', 'vs raw', 'CPU/doc', 'CPU vs raw'], rows));
  return { runs, storeMsPerDoc: storeMs, databaseMsPerDoc: databaseMs, rawMsPerDoc: rawMs, bestRatio: rawMs / (storeMs + databaseMs), bestCpuRatio: rawCpuMs / (storeCpu + databaseCpu) };
}

/** Where our import's time went, per document (medians over the repetitions). */
function printPhases(label: string, runs: readonly ImportReport[], docs: number, unit = 'document'): void {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.phases)))];
  const total = median(runs.map((r) => r.elapsedMs));
  const rows = names.map((name) => {
    const ms = median(runs.map((r) => r.phases[name]?.ms ?? 0));
    const calls = median(runs.map((r) => r.phases[name]?.calls ?? 0));
    return [name, fmt(calls / docs, 2), fmtMs(ms / docs), `${((ms / total) * 100).toFixed(0)}%`];
  });
  const topLevel = names.filter((n) => !n.startsWith(' ')).reduce((sum, n) => sum + median(runs.map((r) => r.phases[n]?.ms ?? 0)), 0);
  const rest = total - topLevel;
  rows.push(['rest: walk, detect, extract text, open/close, first-use module loads', '', fmtMs(rest / docs), `${((rest / total) * 100).toFixed(0)}%`]);
  rows.push(['whole import (open, importPaths, close)', '', fmtMs(total / docs), '100%']);
  console.log(`\nwhere Sijil's ${label} import spends its time (per ${unit}, median of reps; indented rows are parts of the row above them):`);
  console.log(table(['phase', `calls/${unit}`, `time/${unit}`, 'share'], rows));
}

function printProfile(label: string, dir: string): void {
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (!file) {
    console.log(`profile (${label}): none written`);
    return;
  }
  console.log(`\nprofile (${label}), ${path.relative(process.cwd(), path.join(dir, file))}:`);
  console.log(summarizeProfile(path.join(dir, file)));
}
