// Importing files and folders: each file's content decides what it becomes; its bytes are kept
// exactly as they were, hashed while they are copied; the same content is stored once.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { containBidi, nameWithoutBidiControls } from '../../../shared/bidi.ts';
import type { ImportOutcome, ImportSummary, ItemKind } from '../../../shared/domain.ts';
import { ArchiveError, isBusy, isDiskFull, saidOf } from '../../../shared/errors.ts';
import { phrase, say, type Phrase } from '../../../shared/phrase.ts';
import type { Archive, NewItemInput, StagedFile } from '../index.ts';
import { newItemId } from '../ids.ts';
import { fileError, type StagedBlob } from '../store.ts';
import { detectBuffer, detectFile } from './detect.ts';
import { extractText } from './text.ts';
import type { Detected, Extracted } from './types.ts';
import { skipped, walk, type Candidate } from './walk.ts';
import { readYtDlpInfo } from './ytdlp.ts';

export interface ImportOptions {
  readonly tags?: readonly string[];
  readonly collections?: readonly string[];
  /** Force the kind of every imported item (and import files Sijil does not recognise). */
  readonly kind?: ItemKind;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
  readonly path: string;
  /** While a large file is copied: bytes copied so far, of `size`. */
  readonly bytes?: number;
  readonly size?: number;
  readonly outcome?: ImportOutcome;
}

// Text formats are read whole to extract them; beyond these sizes the file is kept but not parsed.
const MAX_PARSE_BYTES: Partial<Record<Detected['format'], number>> = {
  html: 64 << 20,
  text: 64 << 20,
  markdown: 64 << 20,
  pdf: 512 << 20,
};
const MAX_TITLE = 300;
// Files up to this size are read once, whole: the same bytes are detected, hashed, stored and parsed.
const SMALL_FILE = 4 << 20;
// Imported items commit in batches: one transaction and one round of fsyncs for many files. A
// batch is committed when it reaches any of these, and at the end, on cancel and before an error.
// SIJIL_IMPORT_BATCH sets the file count (the crash tests use small batches to crash between them).
const BATCH_FILES = Math.max(1, Number(process.env.SIJIL_IMPORT_BATCH) || 250);
const BATCH_BYTES = 256 << 20;
const BATCH_MS = 2000;
// The longest the import keeps the event loop to itself between two files.
const YIELD_MS = 15;

interface Prepared {
  readonly outcome: ImportOutcome;
  readonly input?: NewItemInput;
}

/** Items staged and waiting for their transaction; their blobs are synced and placed together. */
class Batch {
  inputs: NewItemInput[] = [];
  outcomes: ImportOutcome[] = [];
  /** Where each item's outcome stands in the import's list, which keeps the order files were named in. */
  slots: number[] = [];
  bytes = 0;
  started = Date.now();
  /** Content staged in this batch, so a second copy in the same folder is a duplicate too. */
  shas = new Map<string, { id: string; title: string }>();
  /** The same for the batch before, which may still be committing (the commit checks again). */
  previousShas = new Map<string, { id: string; title: string }>();

  add(prepared: Required<Prepared>, slot: number): void {
    this.inputs.push(prepared.input);
    this.outcomes.push(prepared.outcome);
    this.slots.push(slot);
    for (const f of prepared.input.files ?? []) this.bytes += f.staged.size;
  }

  full(): boolean {
    return this.inputs.length >= BATCH_FILES || this.bytes >= BATCH_BYTES || Date.now() - this.started >= BATCH_MS;
  }

  blobs(inputs: readonly NewItemInput[] = this.inputs): StagedBlob[] {
    return inputs.flatMap((i) => (i.files ?? []).map((f) => f.staged));
  }

  reset(): void {
    this.inputs = [];
    this.outcomes = [];
    this.slots = [];
    this.bytes = 0;
    this.started = Date.now();
    this.previousShas = this.shas;
    this.shas = new Map();
  }
}

export async function importPaths(archive: Archive, inputs: readonly string[], options: ImportOptions = {}): Promise<ImportSummary> {
  if (inputs.length === 0) throw new ArchiveError('invalid-argument', phrase('import.nothingNamed'));
  const walked = walk(inputs, { archiveDir: archive.dir, stagingDir: archive.store.tmpDir });
  const files = walked.files;
  const outcomes: ImportOutcome[] = [...walked.skipped];
  const batch = new Batch();
  let done = 0;
  let committed = 0;
  const settle = (settled: Settled) => (committed += settleInto(outcomes, settled));
  // One batch commits (waiting for its copies' fsyncs) while the next is copied: the disk writes
  // one batch out while it reads the next. Batches still commit one after another, in order.
  let committing: Promise<Settled> | undefined;
  const finishCommit = async () => {
    const pending = committing;
    committing = undefined;
    if (pending) settle(await pending);
  };
  const startCommit = async () => {
    await finishCommit();
    committing = commit(archive, batch);
    // Its failure is taken up by finishCommit; until then it must not count as unhandled.
    committing.catch(() => undefined);
  };
  let yielded = performance.now();
  try {
    for (const candidate of files) {
      // Small files are read synchronously: let the event loop in now and then, so a cancel or a
      // read from the app is answered while a folder of thousands of notes imports.
      if (performance.now() - yielded >= YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
      if (options.signal?.aborted) throw new ArchiveError('cancelled', phrase('import.cancelled'));
      let prepared: Prepared;
      try {
        const copying = (bytes: number, size: number) => options.onProgress?.({ done, total: files.length, path: candidate.path, bytes, size });
        prepared = await prepareOne(archive, candidate, options, batch, copying);
      } catch (err) {
        // Stop everything on cancel or a full disk: every later file would fail the same way.
        if (err instanceof ArchiveError && (err.code === 'cancelled' || err.code === 'disk-full')) throw err;
        prepared = { outcome: skipped(candidate.path, reasonOf(err)) };
      }
      if (prepared.input) batch.add(prepared as Required<Prepared>, outcomes.length);
      outcomes.push(prepared.outcome);
      done++;
      options.onProgress?.({ done, total: files.length, path: candidate.path, outcome: prepared.outcome });
      if (batch.full()) await startCommit();
    }
    await startCommit();
    await finishCommit();
  } catch (err) {
    // A batch still committing finishes first: nothing may be written after the import returns.
    await finishCommit().catch(() => undefined);
    if (err instanceof ArchiveError && err.code === 'cancelled') {
      // What was already copied completely is kept; the file cut off mid-copy is not.
      settle(await commit(archive, batch));
      const imported = outcomes.filter((o) => o.status === 'imported').length;
      throw new ArchiveError('cancelled', phrase('import.cancelledAfter', { count: imported }));
    }
    for (const blob of batch.blobs()) archive.store.discard(blob);
    if (isDiskFull(err)) {
      const kept = committed === 0 ? phrase('import.diskFull.nothingAdded') : phrase('import.diskFull.keptBefore', { count: committed });
      throw new ArchiveError('disk-full', phrase('import.diskFull', { dir: archive.dir, kept }), { cause: err });
    }
    throw err;
  }
  return {
    imported: outcomes.filter((o) => o.status === 'imported').length,
    duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    outcomes,
  };
}

type Settled = readonly (readonly [slot: number, outcome: ImportOutcome])[];

/** Puts committed outcomes in their places; returns how many of them are imported items. */
function settleInto(outcomes: ImportOutcome[], settled: Settled): number {
  let imported = 0;
  for (const [slot, outcome] of settled) {
    outcomes[slot] = outcome;
    if (outcome.status === 'imported') imported++;
  }
  return imported;
}

/** Syncs and commits a batch in one transaction; if that fails, item by item, so one bad item skips alone. */
async function commit(archive: Archive, batch: Batch): Promise<Settled> {
  if (batch.inputs.length === 0) return [];
  const { inputs, outcomes, slots } = batch;
  batch.reset();
  try {
    await archive.store.syncAll(batch.blobs(inputs));
    const created = whenFree(() => archive.createMany(inputs, { skipDuplicates: true }));
    return slots.map((slot, i) => {
      const result = created[i];
      const outcome = outcomes[i] as ImportOutcome;
      if (!result || !('duplicateOf' in result)) return [slot, outcome] as const;
      for (const blob of batch.blobs([inputs[i] as NewItemInput])) archive.store.discard(blob);
      return [slot, duplicateOutcome(outcome.path, result.duplicateOf)] as const;
    });
  } catch (err) {
    if (inputs.length === 1 || isDiskFull(err) || isBusy(err)) {
      for (const blob of batch.blobs(inputs)) archive.store.discard(blob);
      if (isDiskFull(err)) throw new ArchiveError('disk-full', phrase('import.batchDiskFull'), { cause: err });
      // Not the files' fault: stop, rather than skip every file with "database is locked".
      if (isBusy(err)) throw new ArchiveError('busy', phrase('import.busy'), { cause: err });
      const { path: file } = outcomes[0] as ImportOutcome;
      return [[slots[0] as number, skipped(file, reasonOf(err))]];
    }
    const results: (readonly [number, ImportOutcome])[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const single = new Batch();
      single.add({ input: inputs[i] as NewItemInput, outcome: outcomes[i] as ImportOutcome }, slots[i] as number);
      results.push(...(await commit(archive, single)));
    }
    return results;
  }
}

// Another process writing a large batch holds the write lock; SQLite waits busy_timeout (10 s) for
// it each attempt. On a loaded machine one batch can take longer than that: try again, a few times.
const BUSY_ATTEMPTS = 12;

function whenFree<T>(write: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (err) {
      if (!isBusy(err) || attempt >= BUSY_ATTEMPTS) throw err;
    }
  }
}

async function prepareOne(
  archive: Archive,
  candidate: Candidate,
  options: ImportOptions,
  batch: Batch,
  copying: (bytes: number, size: number) => void,
): Promise<Prepared> {
  const file = candidate.path;
  const name = path.basename(file);
  const stat = fs.statSync(file);
  if (stat.size === 0) return { outcome: skipped(file, phrase('import.skip.empty')) };
  const bytes = stat.size <= SMALL_FILE ? readWhole(file) : null;
  const detected = bytes ? await detectBuffer(bytes, file) : await detectFile(file);
  const kind = options.kind ?? detected.kind ?? (detected.mime !== 'application/octet-stream' ? 'document' : null);
  if (!kind) return { outcome: skipped(file, phrase('import.skip.unrecognised')) };

  const staged = bytes
    ? await archive.store.stageBytes(bytes, { sync: false, source: file })
    : await archive.store.stageFile(file, { sync: false, signal: options.signal, onProgress: (bytes) => copying(bytes, stat.size) });
  const blobs: StagedBlob[] = [staged];
  try {
    const existing = batch.shas.get(staged.sha256) ?? batch.previousShas.get(staged.sha256) ?? archive.findByContent(staged.sha256);
    if (existing) {
      archive.store.discard(staged);
      return { outcome: duplicateOutcome(file, existing) };
    }
    // Parse the bytes we hashed, not the file again: what is indexed is exactly what is kept.
    const extracted = await extract(bytes, staged, detected, name);
    const files: StagedFile[] = [{ staged, role: 'original', name, mime: detected.mime, language: extracted?.language ?? null }];
    let sidecarInfo: Partial<Extracted> = {};
    if (candidate.sidecar) {
      const sidecarBytes = readWhole(candidate.sidecar);
      const sidecarBlob = await archive.store.stageBytes(sidecarBytes, { sync: false, source: candidate.sidecar });
      blobs.push(sidecarBlob);
      try {
        sidecarInfo = readYtDlpInfo(sidecarBytes);
      } catch (err) {
        // A damaged sidecar must not cost the video: keep both, and say why the metadata is missing.
        // Recorded with the item, in English like the rest of its extra facts.
        sidecarInfo = { extra: { sidecarProblem: say(reasonOf(err), 'en', { clause: true }) } };
      }
      files.push({ staged: sidecarBlob, role: 'attachment', name: path.basename(candidate.sidecar), mime: 'application/json' });
    }
    const merged = { ...extracted, ...definedOnly(sidecarInfo), extra: { ...extracted?.extra, ...sidecarInfo.extra } };
    const title = cleanTitle(merged.title) ?? cleanTitle(nameWithoutBidiControls(stemOf(file))) ?? staged.sha256.slice(0, 12);
    const id = newItemId();
    const input: NewItemInput = {
      id,
      kind,
      fields: {
        title,
        description: merged.description ?? '',
        language: merged.language ?? null,
        sourceUrl: merged.sourceUrl ?? null,
        sourceOutlet: merged.sourceOutlet ?? null,
        sourceAuthor: merged.sourceAuthor ?? null,
        publishedAt: validDate(merged.publishedAt),
        body: merged.body ?? null,
      },
      html: merged.html ?? null,
      extra: { ...merged.extra, fileModifiedAt: stat.mtime.toISOString(), detectedFormat: detected.format },
      tags: options.tags,
      collections: options.collections,
      files,
      custody: { action: 'import', details: { fileName: name, size: staged.size, mime: detected.mime } },
    };
    batch.shas.set(staged.sha256, { id, title });
    return { input, outcome: { path: file, status: 'imported', itemId: id, title } };
  } catch (err) {
    for (const blob of blobs) archive.store.discard(blob);
    throw err;
  }
}

function duplicateOutcome(file: string, existing: { id: string; title: string; deletedAt?: string | null }): ImportOutcome {
  const said = phrase(existing.deletedAt ? 'import.duplicateInTrash' : 'import.duplicate', { id: existing.id, title: existing.title });
  return { path: file, status: 'duplicate', itemId: existing.id, title: existing.title, reason: say(said), said };
}

/**
 * Reads a small file (at most SMALL_FILE; a sidecar) synchronously: for an article of a few KiB,
 * the thread-pool round trips of an asynchronous read (open, stat, read, close) cost more than
 * the read, and an import of many such files pays them for each.
 */
function readWhole(file: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    throw fileError(err, file);
  }
}

async function extract(bytes: Uint8Array | null, staged: StagedBlob, detected: Detected, fileName: string): Promise<Partial<Extracted> | null> {
  const limit = MAX_PARSE_BYTES[detected.format];
  if (limit === undefined || staged.size > limit) return null;
  bytes ??= new Uint8Array(await fsp.readFile(staged.tmpPath));
  // Loaded on first use: jsdom and pdf.js take a second to load, which every CLI call would pay.
  switch (detected.format) {
    case 'html':
      return (await import('./html.ts')).extractHtml(bytes);
    case 'pdf':
      return (await import('./pdf.ts')).extractPdf(bytes);
    case 'text':
    case 'markdown':
      return extractText(bytes, detected.format, fileName);
    default:
      return null;
  }
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Partial<T>;
}

function stemOf(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function cleanTitle(title: string | null | undefined): string | null {
  if (!title) return null;
  const clean = title.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  // Shown everywhere (library, CLI, reports), so no override in it and nothing left open (as a
  // page's title already is: shared/bidi.ts); contained after the cut, which could drop a closer.
  return containBidi(clean.length > MAX_TITLE ? `${clean.slice(0, MAX_TITLE - 1)}…` : clean);
}

function validDate(date: string | null | undefined): string | null {
  if (!date) return null;
  const iso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.exec(date.trim());
  if (iso) return iso[0];
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** Why a file could not be imported: the error's own phrase, or its message (a library's, in English) as it is. */
function reasonOf(err: unknown): Phrase {
  const said = saidOf(err);
  return typeof said === 'string' ? phrase('import.skip.error', { error: said }) : said;
}
