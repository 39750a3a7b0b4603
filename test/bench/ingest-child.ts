// The measured side of the ingest suite, run in its own process so its peak RSS is its own:
//   node test/bench/ingest-child.ts import '{"archive": DIR, "paths": [...], "kind": "video"?}'
//   node test/bench/ingest-child.ts fts-raw '{"db": FILE, "dir": DIR, "batch": 1000}'
// Prints one JSON line: elapsedMs (the measured work), maxRssKiB and counts.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ItemKind } from '../../shared/domain.ts';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
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
  instrument(BlobStore.prototype, 'stageFile', 'stage: copy + hash + fsync (BlobStore.stageFile)');
  instrument(handleProto, 'sync', '  fsync of the staged copy (FileHandle.sync)');
  instrument(Archive.prototype, 'findByContent', 'duplicate check (Archive.findByContent)');
  instrument(Archive.prototype, 'create', 'create: validate, write, reload (Archive.create)');
  instrument(Archive.prototype, 'write', '  write: journal, SQL + index, place, commit (Archive.write)');
  instrument(BlobStore.prototype, 'beginPlacement', '    placement journal: create + write + fsync (beginPlacement)');
  // JavaScript's own fsyncs; SQLite's commit fsyncs are not seen here.
  instrument(fs, 'fsyncSync', '    fs.fsyncSync: the journal and the blob directory');
}

/** Ours: a fresh archive, importPaths, close; timed as a whole (opening creates the schema). */
async function runImport(job: ImportJob): Promise<void> {
  await instrumentAll();
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
  reportToParent({ elapsedMs: performance.now() - start, imported: files.length, bytes });
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'import' && arg) await runImport(JSON.parse(arg) as ImportJob);
else if (mode === 'fts-raw' && arg) runRaw(JSON.parse(arg) as RawJob);
else {
  console.error('usage: ingest-child.ts import|fts-raw JSON');
  process.exitCode = 2;
}
