// The measured side of the ingest suite, run in its own process so its peak RSS is its own:
//   node test/bench/ingest-child.ts import '{"archive": DIR, "paths": [...], "kind": "video"?}'
//   node test/bench/ingest-child.ts fts-raw '{"db": FILE, "dir": DIR, "batch": 1000}'
//   node test/bench/ingest-child.ts floor '{"archive": DIR, "dir": DIR}'
// Prints one JSON line: elapsedMs (the measured work), maxRssKiB and counts.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ItemKind } from '../../shared/domain.ts';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { newItemId } from '../../electron/archive/ids.ts';
import { insertItem } from '../../electron/archive/items.ts';
import { reindexItem } from '../../electron/archive/search/indexer.ts';
import { BlobStore } from '../../electron/archive/store.ts';
import { reportToParent } from './stats.ts';

interface ImportJob {
  readonly archive: string;
  readonly paths: readonly string[];
  readonly kind?: ItemKind;
}

interface RawJob {
  readonly db: string;
  readonly dir: string;
  readonly batch: number;
}

/** Total time and calls per instrumented method: where an import's time goes, without a profiler. */
const phases: Record<string, { ms: number; calls: number }> = {};

function record(name: string, ms: number): void {
  const p = (phases[name] ??= { ms: 0, calls: 0 });
  p.ms += ms;
  p.calls++;
}

/** Wraps `owner[name]` (sync or async) to add its time to `phases[label]`. Behaviour is unchanged. */
function instrument(owner: object, name: string, label: string): void {
  const target = owner as Record<string, unknown>;
  const original = target[name];
  if (typeof original !== 'function') return;
  phases[label] ??= { ms: 0, calls: 0 };
  target[name] = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    const value: unknown = original.apply(this, args);
    if (value instanceof Promise) return value.finally(() => record(label, performance.now() - start));
    record(label, performance.now() - start);
    return value;
  };
}

/** Indented rows are parts of the nearest less-indented row above them. */
async function instrumentAll(): Promise<void> {
  const handle = await fsp.open(process.execPath, 'r');
  const handleProto = Object.getPrototypeOf(handle) as object;
  await handle.close();
  instrument(BlobStore.prototype, 'stageFile', 'stage: copy + hash (BlobStore.stageFile)');
  // Started as each copy ends and run in the background, overlapping the next copy: not wall time of the row above.
  instrument(handleProto, 'sync', '  fsync of the staged copy, in the background (FileHandle.sync)');
  instrument(BlobStore.prototype, 'stageBytes', 'stage a small file read whole (BlobStore.stageBytes)');
  instrument(Archive.prototype, 'findByContent', 'duplicate check (Archive.findByContent)');
  instrument(Archive.prototype, 'createMany', 'commit a batch: validate, write (Archive.createMany)');
  instrument(Archive.prototype, 'write', '  write: journal, SQL + index, place, commit (Archive.write)');
  instrument(BlobStore.prototype, 'beginPlacement', '    placement journal: create + write + fsync (beginPlacement)');
  // JavaScript's own fsyncs; SQLite's commit fsyncs are not seen here.
  instrument(fs, 'fsyncSync', '    fs.fsyncSync: the journal and the blob directory');
}

/** Ours: a fresh archive, importPaths, close; timed as a whole (opening creates the schema). */
async function runImport(job: ImportJob): Promise<void> {
  await instrumentAll();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const archive = Archive.open(job.archive);
  const opened = performance.now();
  const summary = await importPaths(archive, job.paths, job.kind ? { kind: job.kind } : {});
  const imported = performance.now();
  archive.close();
  const end = performance.now();
  const reasons = [...new Set(summary.outcomes.filter((o) => o.status === 'skipped').map((o) => o.reason ?? ''))].slice(0, 3);
  reportToParent({
    elapsedMs: end - start,
    ...cpuSince(cpu),
    openMs: opened - start,
    importMs: imported - opened,
    closeMs: end - imported,
    imported: summary.imported,
    duplicates: summary.duplicates,
    skipped: summary.skipped,
    skipReasons: reasons,
    phases,
  });
}

/**
 * The raw reference: the same texts, read from the same files, into a bare FTS5 table in
 * transactions of `batch` rows. No normalisation, no metadata, no blob store, no custody log.
 * Same journal and sync settings as the archive (WAL, synchronous FULL) so the commits cost alike.
 */
function runRaw(job: RawJob): void {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const db = new Database(job.db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec("CREATE VIRTUAL TABLE docs USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2')");
  const insert = db.prepare('INSERT INTO docs (title, body) VALUES (?, ?)');
  const insertMany = db.transaction((rows: readonly (readonly [string, string])[]) => {
    for (const [title, body] of rows) insert.run(title, body);
  });
  const files = fs.readdirSync(job.dir).sort();
  let rows: [string, string][] = [];
  let bytes = 0;
  for (const name of files) {
    const text = fs.readFileSync(path.join(job.dir, name), 'utf8');
    bytes += Buffer.byteLength(text);
    const nl = text.indexOf('\n');
    rows.push(nl < 0 ? [text, ''] : [text.slice(0, nl), text.slice(nl + 1)]);
    if (rows.length >= job.batch) {
      insertMany(rows);
      rows = [];
    }
  }
  if (rows.length > 0) insertMany(rows);
  db.close();
  reportToParent({ elapsedMs: performance.now() - start, ...cpuSince(cpu), imported: files.length, bytes });
}

/** CPU time of this process (all its threads, the thread pool's included) since `from`: on a busy machine it varies less than the elapsed time. */
function cpuSince(from: NodeJS.CpuUsage): { cpuUserMs: number; cpuSysMs: number } {
  const used = process.cpuUsage(from);
  return { cpuUserMs: used.user / 1000, cpuSysMs: used.system / 1000 };
}

interface FloorJob {
  readonly archive: string;
  readonly dir: string;
}

/**
 * What a .txt import cannot go below with this design, in parts, on the same files: the blob
 * store alone (read each file, stage it in tmp/, then in one placement rename every copy into
 * its fan-out folder and make it all durable with one syncfs: Sijil's real store, no SQL), and
 * the database alone (an item row and its search index entry per text, one transaction, through
 * the real indexer: no files, no custody events, no blob rows).
 */
async function runFloor(job: FloorJob): Promise<void> {
  const files = fs.readdirSync(job.dir).sort().map((name) => path.join(job.dir, name));
  const archive = Archive.open(job.archive);
  try {
    let cpu = process.cpuUsage();
    let start = performance.now();
    const staged = [];
    for (const file of files) {
      fs.statSync(file);
      staged.push(await archive.store.stageBytes(new Uint8Array(fs.readFileSync(file)), { sync: false }));
    }
    const stagedMs = performance.now() - start;
    await archive.store.syncAll(staged);
    const placement = archive.store.beginPlacement(staged);
    for (const blob of staged) placement.place(blob);
    placement.flush();
    placement.done();
    const store = { elapsedMs: performance.now() - start, stagedMs, ...cpuSince(cpu) };

    cpu = process.cpuUsage();
    start = performance.now();
    const now = new Date().toISOString();
    archive.db
      .transaction(() => {
        for (const file of files) {
          const text = fs.readFileSync(file, 'utf8');
          const nl = text.indexOf('\n');
          const fields = { title: nl < 0 ? text : text.slice(0, nl), body: nl < 0 ? '' : text.slice(nl + 1) };
          const ref = insertItem(archive.db, { id: newItemId(), kind: 'note', fields }, now);
          reindexItem(archive.db, ref.seq);
        }
      })
      .immediate();
    const database = { elapsedMs: performance.now() - start, ...cpuSince(cpu) };
    reportToParent({ elapsedMs: store.elapsedMs + database.elapsedMs, docs: files.length, store, database });
  } finally {
    archive.close();
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'import' && arg) await runImport(JSON.parse(arg) as ImportJob);
else if (mode === 'fts-raw' && arg) runRaw(JSON.parse(arg) as RawJob);
else if (mode === 'floor' && arg) await runFloor(JSON.parse(arg) as FloorJob);
else {
  console.error('usage: ingest-child.ts import|fts-raw|floor JSON');
  process.exitCode = 2;
}
