import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/archive/db/connection.ts';
import { MIGRATIONS, type Migration } from '../../electron/archive/db/migrations/index.ts';
import { tmpDir } from '../support/tmp.ts';

function freshDb(): Database.Database {
  const db = new Database(path.join(tmpDir(), 'test.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts_%' ORDER BY name").pluck().all() as string[]);

describe('migrations', () => {
  it('each migration applies on top of the one before it, on a real database with data', () => {
    const db = freshDb();
    for (let version = 1; version <= MIGRATIONS.length; version++) {
      migrate(db, version);
      expect(schemaVersion(db)).toBe(version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    }
    db.close();
  });

  it('migration 1 creates the schema the archive relies on', () => {
    const db = freshDb();
    migrate(db, 1);
    expect(tables(db)).toEqual([
      'blobs',
      'collection_items',
      'collections',
      'custody_events',
      'files',
      'item_tags',
      'item_texts',
      'items',
      'links',
      'search_fts',
      'tags',
      'testimonies',
    ]);
    // The constraints hold: a file must reference a stored blob and an item.
    expect(() =>
      db.prepare("INSERT INTO files (item_seq, role, name, sha256, size, mime, added_at) VALUES (1, 'original', 'x', ?, 1, 'x', 'now')").run('a'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare("INSERT INTO items (id, kind, title, created_at, updated_at) VALUES (?, 'poster', 't', 'now', 'now')").run('a'.repeat(26)),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('a failing migration rolls back whole and leaves the version where it was', () => {
    const db = freshDb();
    const broken: Migration = {
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x)');
        throw new Error('disk on fire');
      },
    };
    expect(() => migrate(db, MIGRATIONS.length + 1, [...MIGRATIONS, broken])).toThrow(/disk on fire/);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses to run on a database from a newer version', () => {
    const db = freshDb();
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer version of Sijil/);
    db.close();
  });
});

describe('search index tokenizer', () => {
  it('is the tokenizer shared/normalize.ts splits words for', async () => {
    const { FTS5_TOKENIZER } = await import('../../shared/normalize.ts');
    const db = freshDb();
    migrate(db, 1);
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'search_fts'").pluck().get() as string;
    expect(sql).toContain(`tokenize = "${FTS5_TOKENIZER}"`);
    db.close();
  });
});
