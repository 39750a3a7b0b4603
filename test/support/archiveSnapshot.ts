// A snapshot of everything a failed operation must leave alone: every table of the database as
// rows in a stable order (a logical dump, so SQLite's own page shuffling does not count but any
// changed, added or removed row does), the schema, and every file under the archive folder with
// its size and SHA-256 — the blob store, the staging folder tmp/ and anything else — listed apart
// so a failing comparison says which part moved. Compare two snapshots with toEqual.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, type Archive } from '../../electron/archive/index.ts';

export interface ArchiveSnapshot {
  /** PRAGMA user_version and application_id. */
  readonly pragmas: Readonly<Record<string, unknown>>;
  /** sqlite_schema rows: "type name: sql". */
  readonly schema: readonly string[];
  /** Table name -> its rows as JSON, rowid first where the table has one, in primary order. */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** blobs/…: "path size sha256", sorted. */
  readonly blobs: readonly string[];
  /** tmp/…: whatever an operation staged and left behind ("path size" or "path/"). */
  readonly tmp: readonly string[];
  /** Every other file or folder beside the database (keys, address book, ...). */
  readonly other: readonly string[];
}

function cell(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  return value;
}

function dumpDatabase(file: string): Pick<ArchiveSnapshot, 'pragmas' | 'schema' | 'tables'> {
  // Its own read-only connection sees only what was committed: a transaction an operation forgot
  // to end on the archive's connection would show up as a difference (or a lock), not hide one.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pragmas = { user_version: db.pragma('user_version', { simple: true }), application_id: db.pragma('application_id', { simple: true }) };
    const schemaRows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
    const schema = schemaRows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`);
    const list = db.prepare('PRAGMA table_list').all() as { schema: string; name: string; type: string; wr: number }[];
    const tables: Record<string, string[]> = {};
    for (const t of list.filter((l) => l.schema === 'main' && l.type === 'table').sort((a, b) => a.name.localeCompare(b.name))) {
      // FTS5 tables are virtual (type 'virtual' in table_list): their content is in the shadow
      // tables (…_data, …_idx, …_content, …_docsize, …_config), which are ordinary and listed here.
      const name = `"${t.name.replace(/"/g, '""')}"`;
      const columns = (db.prepare(`PRAGMA table_info(${name})`).all() as unknown[]).length;
      const order = Array.from({ length: columns + (t.wr ? 0 : 1) }, (_, i) => i + 1).join(', ');
      const select = t.wr ? `SELECT * FROM ${name} ORDER BY ${order}` : `SELECT rowid AS "(rowid)", * FROM ${name} ORDER BY ${order}`;
      const stmt = db.prepare(select).safeIntegers(true);
      tables[t.name] = (stmt.all() as Record<string, unknown>[]).map((row) => JSON.stringify(Object.values(row).map(cell)));
    }
    return { pragmas, schema, tables };
  } finally {
    db.close();
  }
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every entry under `dir`, sorted, as "rel/" for folders and "rel size sha256" for files (links as "rel -> target"). */
export function listTree(dir: string, options: { hash?: boolean; skip?: (rel: string) => boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of fs.readdirSync(abs).sort()) {
      const full = path.join(abs, name);
      const shown = rel ? `${rel}/${name}` : name;
      if (options.skip?.(shown)) continue;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) out.push(`${shown} -> ${fs.readlinkSync(full)}`);
      else if (stat.isDirectory()) {
        out.push(`${shown}/`);
        walk(full, shown);
      } else if (stat.isFile()) out.push(options.hash === false ? `${shown} ${stat.size}` : `${shown} ${stat.size} ${sha256File(full)}`);
      else out.push(`${shown} (special file, mode ${stat.mode.toString(8)})`);
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

export function snapshotArchive(archive: Archive): ArchiveSnapshot {
  const db = dumpDatabase(path.join(archive.dir, DB_FILE));
  const isDb = (rel: string): boolean => rel === DB_FILE || rel === `${DB_FILE}-wal` || rel === `${DB_FILE}-shm` || rel === `${DB_FILE}-journal`;
  const tree = listTree(archive.dir, { skip: isDb });
  // The folders themselves are listed under `other`; what is inside them under their own key.
  const inside = (prefix: string) => (e: string) => e.startsWith(`${prefix}/`) && e !== `${prefix}/`;
  return {
    ...db,
    blobs: tree.filter(inside('blobs')),
    tmp: tree.filter(inside('tmp')),
    other: tree.filter((e) => !inside('blobs')(e) && !inside('tmp')(e)),
  };
}
