// One place for how Sijil talks to SQLite: the connection pragmas and the migration runner.
import Database from 'better-sqlite3';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/** What the write-ahead log file is cut back to after a checkpoint (bytes). */
export const WAL_SIZE_LIMIT = 32 << 20;

export function openDatabase(file: string): Db {
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new ArchiveError('archive-unreadable', phrase('archive.db.cannotOpen', { file, reason: (err as Error).message }));
  }
  try {
    // Writers from another process (the CLI beside the app) wait instead of failing at once.
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    // One large transaction (an import batch of long texts) grows the write-ahead log to its size,
    // and SQLite keeps the file that large for good: with a limit, the first commit after a complete
    // checkpoint (no reader left in the old log) cuts it back.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    // FULL: a committed import survives a power cut; evidence is worth the extra fsync.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('trusted_schema = OFF');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection: preparing costs more than most of our queries. */
export function sql(db: Db, text: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}

export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
  } catch {
    // Only an optimisation (it writes statistics): on a full disk it fails, and closing must not.
  } finally {
    db.close();
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs the numbered migrations the database has not seen, each in its own transaction; a failed
 * one rolls back whole and leaves the version where it was.
 */
export function migrate(db: Db, target: number = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new ArchiveError('archive-too-new', phrase('archive.db.tooNew', { schema: String(current), known: String(migrations.length) }));
  }
  for (let version = current + 1; version <= target; version++) {
    const migration = migrations[version - 1];
    if (!migration) throw new Error(`migration ${version} is missing`);
    db.transaction(() => {
      migration.up(db);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration ${version} (${migration.name}) left ${broken.length} broken references`);
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`migration ${version} (${migration.name}) failed the integrity check: ${String(integrity)}`);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
