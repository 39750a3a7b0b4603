// Fixity (issue 8): re-hash every blob the archive refers to, find files in the store nothing
// refers to, diagnose the custody chain, run the database checks, and record the run as an
// archive-level custody event. Memory stays flat: blobs, events and the store are walked in pages.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CustodyReport, VerifyEvery, VerifyFileProblem, VerifyProgressEvent, VerifyReport, VerifyStatus } from '../../shared/api.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { sql, type Db } from './db/connection.ts';
import { diagnoseChain, type ChainDiagnosis, type EventRow, toEvent } from './custody.ts';
import { formatCustodyReport } from './custodyReport.ts';
import type { Archive } from './index.ts';
import { searchIndexReport } from './search/basic.ts';
import { isDue, readVerifySettings, writeVerifySettings, type VerifySettings } from './verifySettings.ts';

export interface VerifyOptions {
  /** Only these items' files (ids or prefixes); the chain, the database and the store are checked whole. */
  readonly items?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: VerifyProgressEvent) => void;
}

const PACKAGE = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const SOFTWARE = `Sijil ${PACKAGE.version}`;
const CHUNK = 1 << 20;
const PAGE = 256;
/** Temporary files younger than this may belong to a writer at work; older ones are leftovers. */
const TEMP_GRACE_MS = 24 * 3600_000;
const SHA256 = /^[0-9a-f]{64}$/;

function cancelled(): ArchiveError {
  return new ArchiveError('cancelled', phrase('archive.verify.cancelled'));
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/**
 * Progress every 100 ms or every 8 MiB, whichever comes first (so a large file shows movement on
 * a fast disk too); phase changes and the end of a phase always go out.
 */
function progressEmitter(onProgress: VerifyOptions['onProgress']) {
  let last = 0;
  let lastBytes = 0;
  let lastPhase = '';
  return (event: VerifyProgressEvent, force = false): void => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && event.phase === lastPhase && event.done < event.total && now - last < 100 && event.bytes - lastBytes < 8 << 20) return;
    last = now;
    lastBytes = event.bytes;
    lastPhase = event.phase;
    onProgress(event);
  };
}

// Test hook (end-to-end tests only): a pause after each buffer re-hashed, so that a test can cancel
// a run that is surely still going whatever the machine's speed. Unset, it costs one comparison.
const TEST_PACE_MS = Number(process.env.SIJIL_TEST_VERIFY_PACE_MS ?? 0);

type HashOutcome = { kind: 'ok' } | { kind: 'changed'; actual: string } | { kind: 'missing' };

/** Streams one blob through SHA-256 with a reused buffer; `onBytes` gets the bytes read so far. */
async function hashBlob(file: string, expected: string, buffer: Buffer, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<HashOutcome> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    // Gone, unreadable or not a file any more: the archive cannot show the bytes it recorded.
    return { kind: 'missing' };
  }
  try {
    if (!(await handle.stat()).isFile()) return { kind: 'missing' };
    const hash = createHash('sha256');
    let read = 0;
    for (;;) {
      checkSignal(signal);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      read += bytesRead;
      onBytes(read);
      if (TEST_PACE_MS > 0) await new Promise((resolve) => setTimeout(resolve, TEST_PACE_MS));
    }
    const actual = hash.digest('hex');
    return actual === expected ? { kind: 'ok' } : { kind: 'changed', actual };
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    return { kind: 'missing' };
  } finally {
    await handle.close();
  }
}

/**
 * A small blob hashed with synchronous calls: for many small files the thread-pool round trips of
 * open, stat, read and close cost several times the hashing. Null when the file is larger than
 * the buffer now (it may have grown): the caller streams it instead.
 */
function hashSmallBlob(file: string, expected: string, buffer: Buffer): HashOutcome | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { kind: 'missing' };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { kind: 'missing' };
    if (stat.size > buffer.length) return null;
    let read = 0;
    for (let n = 1; n > 0 && read < buffer.length; read += n) n = fs.readSync(fd, buffer, read, buffer.length - read, null);
    if (read === buffer.length && fs.readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) return null;
    const actual = createHash('sha256').update(buffer.subarray(0, read)).digest('hex');
    return actual === expected ? { kind: 'ok' } : { kind: 'changed', actual };
  } catch {
    return { kind: 'missing' };
  } finally {
    fs.closeSync(fd);
  }
}

interface Scope {
  /** items.seq values, or null for the whole archive. */
  readonly seqs: readonly number[] | null;
  readonly files: number;
  readonly blobs: number;
  readonly totalBytes: number;
  /** Pages of distinct blobs, in sha256 order. */
  page(after: string): { sha256: string; size: number }[];
}

function wholeScope(db: Db): Scope {
  const totals = sql(db,
    'SELECT count(*) AS blobs, COALESCE(sum(size), 0) AS bytes FROM blobs b WHERE EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256)',
  ).get() as { blobs: number; bytes: number };
  const stmt = sql(db,
    'SELECT sha256, size FROM blobs b WHERE sha256 > ? AND EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256) ORDER BY sha256 LIMIT ?',
  );
  return {
    seqs: null,
    files: sql(db, 'SELECT count(*) FROM files').pluck().get() as number,
    blobs: totals.blobs,
    totalBytes: totals.bytes,
    page: (after) => stmt.all(after, PAGE) as { sha256: string; size: number }[],
  };
}

function itemScope(archive: Archive, ids: readonly string[]): Scope {
  const seqs = [...new Set(ids.map((id) => archive.resolve(id).seq))];
  const perItem = sql(archive.db, 'SELECT f.sha256, b.size FROM files f JOIN blobs b ON b.sha256 = f.sha256 WHERE f.item_seq = ?');
  const blobs = new Map<string, number>();
  let files = 0;
  for (const seq of seqs)
    for (const row of perItem.all(seq) as { sha256: string; size: number }[]) {
      files++;
      blobs.set(row.sha256, row.size);
    }
  const sorted = [...blobs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sha256, size]) => ({ sha256, size }));
  return {
    seqs,
    files,
    blobs: sorted.length,
    totalBytes: sorted.reduce((sum, b) => sum + b.size, 0),
    page: (after) => sorted.filter((b) => b.sha256 > after).slice(0, PAGE),
  };
}

/** The file rows (in scope) that refer to one blob, as the report names them. */
function problemsFor(db: Db, sha256: string, seqs: readonly number[] | null, actual?: string): VerifyFileProblem[] {
  const rows = sql(db,
    'SELECT i.seq, i.id, i.title, f.name, f.role FROM files f JOIN items i ON i.seq = f.item_seq WHERE f.sha256 = ? ORDER BY i.id, f.id',
  ).all(sha256) as { seq: number; id: string; title: string; name: string; role: string }[];
  const inScope = seqs === null ? rows : rows.filter((r) => seqs.includes(r.seq));
  return inScope.map((r) => ({ itemId: r.id, itemTitle: r.title, fileName: r.name, role: r.role, sha256, ...(actual ? { actual } : {}) }));
}

const byItem = (a: VerifyFileProblem, b: VerifyFileProblem): number =>
  a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;

/**
 * Files in blobs/ that no file row refers to (or that sit where their name does not belong), and
 * leftovers in tmp/. A blob a writer is placing right now is named in its journal and not yet
 * committed: those are asked about again at the end, so a concurrent import is not reported.
 */
function untrackedFiles(archive: Archive): { path: string; bytes: number }[] {
  const referenced = sql(archive.db, 'SELECT 1 FROM files WHERE sha256 = ? LIMIT 1').pluck();
  const found: { path: string; bytes: number; sha256?: string }[] = [];
  const rel = (full: string): string => path.relative(archive.dir, full).split(path.sep).join('/');
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 2) {
        walk(full, depth + 1);
        continue;
      }
      const stat = fs.lstatSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      const isBlob = depth === 2 && entry.isFile() && SHA256.test(entry.name) && archive.store.pathOf(entry.name) === full;
      if (isBlob && referenced.get(entry.name) !== undefined) continue;
      found.push({ path: rel(full) + (entry.isDirectory() ? '/' : ''), bytes: stat.isFile() ? stat.size : 0, ...(isBlob ? { sha256: entry.name } : {}) });
    }
  };
  walk(archive.store.root, 0);

  const placing = new Set<string>();
  const now = Date.now();
  for (const entry of fs.readdirSync(archive.store.tmpDir, { withFileTypes: true })) {
    const full = path.join(archive.store.tmpDir, entry.name);
    const stat = fs.lstatSync(full, { throwIfNoEntry: false });
    if (!stat) continue;
    if (now - stat.mtimeMs < TEMP_GRACE_MS) {
      if (entry.name.endsWith('.journal'))
        for (const sha of fs.readFileSync(full, 'utf8').split('\n')) if (SHA256.test(sha)) placing.add(sha);
      continue;
    }
    found.push({ path: rel(full) + (entry.isDirectory() ? '/' : ''), bytes: stat.isFile() ? stat.size : 0 });
  }
  return found
    .filter((f) => !(f.sha256 && (placing.has(f.sha256) || referenced.get(f.sha256) !== undefined)))
    .map(({ path: p, bytes }) => ({ path: p, bytes }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

function readSettingsOrDefault(dir: string): VerifySettings {
  try {
    return readVerifySettings(dir);
  } catch {
    // A damaged verify.json must not stop a verification; the run writes a sound one.
    return { version: 1, every: 'off', head: null };
  }
}

export async function verifyArchive(archive: Archive, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { signal } = options;
  const emit = progressEmitter(options.onProgress);
  const startedAt = archive.now();
  checkSignal(signal);
  const scope = options.items ? itemScope(archive, options.items) : wholeScope(archive.db);
  const changed: VerifyFileProblem[] = [];
  const missing: VerifyFileProblem[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  let bytes = 0;
  const files = (extra = 0): VerifyProgressEvent => ({ phase: 'files', done, total: scope.blobs, bytes: bytes + extra, totalBytes: scope.totalBytes });
  emit(files(), true);
  let yielded = Date.now();
  for (let after = ''; ; ) {
    const page = scope.page(after);
    if (page.length === 0) break;
    for (const blob of page) {
      // Small blobs are read synchronously: let a cancel request and progress through now and then.
      if (Date.now() - yielded > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = Date.now();
      }
      checkSignal(signal);
      const file = archive.store.pathOf(blob.sha256);
      // Bytes count up to the recorded size of each blob, so progress never runs past its total.
      const outcome =
        (blob.size <= buffer.length ? hashSmallBlob(file, blob.sha256, buffer) : null) ??
        (await hashBlob(file, blob.sha256, buffer, signal, (n) => emit(files(Math.min(n, blob.size)))));
      if (outcome.kind === 'changed') changed.push(...problemsFor(archive.db, blob.sha256, scope.seqs, outcome.actual));
      if (outcome.kind === 'missing') missing.push(...problemsFor(archive.db, blob.sha256, scope.seqs));
      done++;
      bytes += blob.size;
      emit(files(), done === scope.blobs);
    }
    after = page[page.length - 1]!.sha256;
  }
  checkSignal(signal);
  const untracked = untrackedFiles(archive);

  const settings = readSettingsOrDefault(archive.dir);
  const totalEvents = sql(archive.db, 'SELECT count(*) FROM custody_events').pluck().get() as number;
  const custodyEvent = (d: number, t: number): VerifyProgressEvent => ({ phase: 'custody', done: d, total: t, bytes, totalBytes: scope.totalBytes });
  emit(custodyEvent(0, totalEvents), true);
  let chain: ChainDiagnosis;
  try {
    chain = await diagnoseChain(archive.db, { expectedHead: settings.head, signal, onProgress: (d, t) => emit(custodyEvent(d, t)) });
  } catch (err) {
    if (signal?.aborted) throw cancelled();
    throw err;
  }
  emit(custodyEvent(chain.events, chain.events), true);

  checkSignal(signal);
  emit({ phase: 'database', done: 0, total: 1, bytes, totalBytes: scope.totalBytes }, true);
  const database = {
    integrity: String(archive.db.pragma('integrity_check', { simple: true })),
    foreignKeys: (archive.db.pragma('foreign_key_check') as unknown[]).length,
    ...searchIndexReport(archive.db),
  };
  emit({ phase: 'database', done: 1, total: 1, bytes, totalBytes: scope.totalBytes }, true);
  checkSignal(signal);

  const ok =
    changed.length === 0 &&
    missing.length === 0 &&
    untracked.length === 0 &&
    chain.problems.length === 0 &&
    database.integrity === 'ok' &&
    database.foreignKeys === 0 &&
    database.searchIndex === 'ok';
  const finishedAt = archive.now();
  const report: VerifyReport = {
    ok,
    startedAt,
    finishedAt,
    files: scope.files,
    blobs: scope.blobs,
    bytes: scope.totalBytes,
    changed: changed.sort(byItem),
    missing: missing.sort(byItem),
    untracked,
    custody: { events: chain.events, problems: chain.problems },
    database,
  };
  // Appended after the last event whatever state the chain is in: a damaged chain stays reported
  // as it is, and this event links to the last row as it stands.
  const event = archive.write((now) =>
    archive.custody.append(
      {
        action: 'verified',
        itemId: null,
        details: {
          ok,
          startedAt,
          files: report.files,
          blobs: report.blobs,
          bytes: report.bytes,
          changed: changed.length,
          missing: missing.length,
          untracked: untracked.length,
          custodyEvents: chain.events,
          custodyProblems: chain.problems.length,
          database: database.integrity === 'ok' && database.foreignKeys === 0 && database.searchIndex === 'ok',
          ...(scope.seqs ? { scope: 'items', items: scope.seqs.length } : {}),
        },
      },
      now,
    ),
  );
  writeVerifySettings(archive.dir, { ...settings, head: { seq: event.seq, hash: event.hash } });
  emit({ phase: 'done', done: 1, total: 1, bytes, totalBytes: scope.totalBytes }, true);
  return report;
}

/**
 * The last whole-archive verification, where verify.json names none (never verified, the file
 * lost, or its last run was over some items). A verification is an archive-level event (no item),
 * and those are few (verifications, bundle imports): `item_id IS NULL` lets custody_item
 * (item_id, seq) walk just them, newest first, where reading every event of a 100,000-item
 * archive took 30 ms and more.
 */
export const LAST_WHOLE_VERIFICATION =
  "SELECT * FROM custody_events WHERE item_id IS NULL AND action = 'verified' AND json_extract(details, '$.scope') IS NULL ORDER BY seq DESC LIMIT 1";

/** The last whole-archive verification (a run over some items does not count for the schedule). */
function lastVerification(db: Db, hint: number | null): VerifyStatus['last'] {
  const isWhole = (row: EventRow | undefined): row is EventRow => row !== undefined && row.action === 'verified' && !('scope' in (JSON.parse(row.details) as object));
  let row = hint === null ? undefined : (sql(db, 'SELECT * FROM custody_events WHERE seq = ?').get(hint) as EventRow | undefined);
  if (!isWhole(row)) row = sql(db, LAST_WHOLE_VERIFICATION).get() as EventRow | undefined;
  if (!isWhole(row)) return null;
  const d = toEvent(row).details;
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return {
    at: row.at,
    ok: d.ok === true,
    changed: n(d.changed),
    missing: n(d.missing),
    untracked: n(d.untracked),
    custodyProblems: n(d.custodyProblems),
  };
}

export function verifyStatus(archive: Archive, now: Date = new Date(Date.parse(archive.now()))): VerifyStatus {
  const settings = readVerifySettings(archive.dir);
  const last = lastVerification(archive.db, settings.head?.seq ?? null);
  return { every: settings.every, last, due: isDue(settings.every, last?.at ?? null, now) };
}

export function setVerifySchedule(archive: Archive, every: VerifyEvery): VerifyStatus {
  writeVerifySettings(archive.dir, { ...readSettingsOrDefault(archive.dir), every });
  return verifyStatus(archive);
}

/** The item's custody report, with the whole chain checked as it stands now. */
export async function custodyReport(archive: Archive, idOrPrefix: string, signal?: AbortSignal): Promise<CustodyReport> {
  const item = archive.get(idOrPrefix);
  const foreign = archive.custody.receivedFor(item.id);
  const chain = await diagnoseChain(archive.db, { signal });
  const text = formatCustodyReport({
    item,
    redacted: false,
    files: item.files.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size, mime: f.mime })),
    events: archive.history(item.id),
    foreignEvents: foreign,
    chain: { events: chain.events, problems: chain.problems },
    generatedAt: archive.now(),
    software: SOFTWARE,
  });
  return { fileName: `custody-${item.id}.txt`, text };
}
