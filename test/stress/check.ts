// What must hold of an archive after any crash, once it is opened again (which is when leftovers
// are cleaned). Returns the violations as sentences instead of throwing, so the stress script can
// count them over many runs and the vitest version can assert there are none.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Archive } from '../../electron/archive/index.ts';

export interface ArchiveState {
  /** Ids of every item, trash included. */
  readonly items: Set<string>;
  /** Ids of items that have at least one file. */
  readonly withFiles: Set<string>;
  /** bundle id -> ids of the items its export events name. */
  readonly exports: Map<string, Set<string>>;
  readonly events: number;
}

export interface CheckResult {
  readonly violations: string[];
  readonly state: ArchiveState | null;
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Opens the archive (running its clean-up at open) and checks everything the crash tests demand. */
export function checkArchive(dir: string): CheckResult {
  const violations: string[] = [];
  let archive: Archive;
  try {
    archive = Archive.open(dir);
  } catch (error) {
    return { violations: [`the archive does not open again: ${(error as Error).message}`], state: null };
  }
  try {
    const db = archive.db;
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') violations.push(`PRAGMA integrity_check: ${integrity}`);
    const fk = (db.pragma('foreign_key_check') as unknown[]).length;
    if (fk > 0) violations.push(`${fk} rows break a foreign key`);
    // Every FTS5 table's own integrity check, whatever the search code calls its tables.
    const ftsTables = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as { name: string; sql: string }[])
      .filter((t) => /USING\s+fts5\s*\(/i.test(t.sql))
      .map((t) => t.name);
    if (ftsTables.length === 0) violations.push('the archive has no FTS5 table');
    for (const table of ftsTables) {
      try {
        db.prepare(`INSERT INTO "${table}" ("${table}", rank) VALUES ('integrity-check', 1)`).run();
      } catch (error) {
        violations.push(`FTS5 integrity-check of ${table}: ${(error as Error).message}`);
      }
    }
    const report = archive.check();
    if (report.searchIndex !== 'ok') violations.push(`search index: ${report.searchIndex}`);
    if (report.custodyChain !== null) violations.push(`custody chain: ${JSON.stringify(report.custodyChain)}`);

    // Every file row's blob is there, whole, and is what its hash says.
    const files = db.prepare('SELECT DISTINCT sha256, size FROM files').all() as { sha256: string; size: number }[];
    for (const f of files) {
      const file = archive.store.pathOf(f.sha256);
      if (!fs.existsSync(file)) {
        violations.push(`blob ${f.sha256.slice(0, 12)} is referenced but missing`);
        continue;
      }
      if (fs.statSync(file).size !== f.size) violations.push(`blob ${f.sha256.slice(0, 12)} has ${fs.statSync(file).size} bytes, the row says ${f.size}`);
      else if (sha256File(file) !== f.sha256) violations.push(`blob ${f.sha256.slice(0, 12)} does not hash to its name`);
    }
    // No orphans: every blob on disk has a row, every row a file that references it.
    const rows = new Set(db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[]);
    const referenced = new Set(files.map((f) => f.sha256));
    const onDisk = new Set(archive.store.listBlobs());
    for (const sha of onDisk) if (!rows.has(sha)) violations.push(`orphan blob ${sha.slice(0, 12)} (on disk, no row)`);
    for (const sha of rows) {
      if (!onDisk.has(sha)) violations.push(`blob row ${sha.slice(0, 12)} has no file on disk`);
      if (!referenced.has(sha)) violations.push(`blob ${sha.slice(0, 12)} is referenced by no file`);
    }
    const leftovers = fs.readdirSync(archive.store.tmpDir);
    if (leftovers.length > 0) violations.push(`temp leftovers after open: ${leftovers.join(', ')}`);

    const exports = new Map<string, Set<string>>();
    const rowsOut = db.prepare("SELECT item_id AS itemId, details FROM custody_events WHERE action = 'export'").all() as { itemId: string; details: string }[];
    for (const e of rowsOut) {
      const bundle = (JSON.parse(e.details) as { bundle?: string }).bundle ?? '';
      const set = exports.get(bundle) ?? new Set<string>();
      set.add(e.itemId);
      exports.set(bundle, set);
    }
    const state: ArchiveState = {
      items: new Set(db.prepare('SELECT id FROM items').pluck().all() as string[]),
      withFiles: new Set(db.prepare('SELECT DISTINCT i.id FROM items i JOIN files f ON f.item_seq = i.seq').pluck().all() as string[]),
      exports,
      events: db.prepare('SELECT count(*) FROM custody_events').pluck().get() as number,
    };
    return { violations, state };
  } catch (error) {
    violations.push(`checking failed: ${(error as Error).stack ?? String(error)}`);
    return { violations, state: null };
  } finally {
    archive.close();
  }
}
