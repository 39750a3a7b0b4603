import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/archive/db/connection.ts';
import { MIGRATIONS, type Migration } from '../../electron/archive/db/migrations/index.ts';
import type { Piece } from '../../electron/archive/search/indexer.ts';
import { tmpDir } from '../support/tmp.ts';

/** An archive folder with a database not migrated yet, opened as Archive.open would open it. */
async function emptyArchiveDatabase(): Promise<{ dir: string; db: Database.Database }> {
  const { DB_FILE } = await import('../../electron/archive/index.ts');
  const fs = await import('node:fs');
  const dir = path.join(tmpDir(), 'archive');
  fs.mkdirSync(dir);
  const db = new Database(path.join(dir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return { dir, db };
}

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

describe('migration 3 (bundles)', () => {
  it('adds the tables bundle import keeps its records in, on an archive that already has data', () => {
    const db = freshDb();
    migrate(db, 2);
    db.prepare("INSERT INTO items (id, kind, title, created_at, updated_at) VALUES (?, 'note', 'kept', 'now', 'now')").run('a'.repeat(26));
    migrate(db, 3);
    expect(tables(db)).toEqual(expect.arrayContaining(['conflicts', 'foreign_custody_events', 'imported_bundles']));
    expect(db.prepare('SELECT title FROM items').pluck().all()).toEqual(['kept']);
    const event = db.prepare(
      `INSERT INTO foreign_custody_events (bundle_id, local_item_id, seq, at, action, item_id, sha256, details, prev_hash, hash)
       VALUES ('b1', ?, 1, 'now', 'create', ?, NULL, '{}', ?, ?)`,
    );
    event.run('a'.repeat(26), 'a'.repeat(26), '0'.repeat(64), 'f'.repeat(64));
    // The same event is stored once per item here, whichever bundle brings it again.
    expect(() => event.run('a'.repeat(26), 'a'.repeat(26), '0'.repeat(64), 'f'.repeat(64))).toThrow(/UNIQUE/);
    event.run('b'.repeat(26), 'a'.repeat(26), '0'.repeat(64), 'f'.repeat(64));
    expect(() => db.prepare("INSERT INTO foreign_custody_events (bundle_id, local_item_id, seq, at, action, details, prev_hash, hash) VALUES ('b', 'x', 1, 'now', 'a', 'not json', 'p', 'h')").run()).toThrow(/CHECK/);
    const conflict = db.prepare(
      "INSERT INTO conflicts (local_item_id, incoming_item_id, bundle_item_id, bundle_id, incoming_hash, reason, created_at) VALUES ('l', ?, 'l', 'b1', 'h', ?, 'now')",
    );
    conflict.run('i1', 'both-changed');
    expect(() => conflict.run('i2', 'sideways')).toThrow(/CHECK/);
    // One conflict per incoming version of an item: the same version arriving again is recognised.
    expect(() => conflict.run('i3', 'changed-there')).toThrow(/UNIQUE/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
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

describe('migration 4 (search stems)', () => {
  it('takes an archive written at the version before it to an index that finds stems, rebuilt on opening', async () => {
    const { Archive } = await import('../../electron/archive/index.ts');
    const { normalizeText } = await import('../../shared/normalize.ts');
    const { dir, db } = await emptyArchiveDatabase();
    const before = MIGRATIONS.findIndex((m) => m.name === 'search stems, quick switcher and facets');
    expect(before).toBe(3);
    migrate(db, before);
    // Rows as the version before wrote them: items, a tag, and the old index of normalised text.
    const rows = [
      { id: 'a'.repeat(26), kind: 'note', title: 'بيان المفوضية', body: 'اعتقالات بالناصرية أمس', tag: 'اعتقالات' },
      { id: 'b'.repeat(26), kind: 'article', title: 'Students protesting in Basra', body: 'They were protesting.', tag: null },
      { id: 'c'.repeat(26), kind: 'note', title: 'In the trash', body: 'protests', tag: null },
    ];
    rows.forEach((r, k) => {
      db.prepare("INSERT INTO items (seq, id, kind, title, body, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, 'now', 'now', ?)").run(
        k + 1, r.id, r.kind, r.title, r.body, k === 2 ? 'now' : null,
      );
      if (r.tag) {
        db.prepare("INSERT INTO tags (name, key) VALUES (?, ?)").run(r.tag, normalizeText(r.tag));
        db.prepare('INSERT INTO item_tags (item_seq, tag_id) VALUES (?, last_insert_rowid())').run(k + 1);
      }
      if (k !== 2) db.prepare('INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(k + 1, normalizeText(r.title), normalizeText(r.tag ?? ''), normalizeText(r.body));
    });
    db.close();

    const archive = Archive.open(dir);
    try {
      expect(schemaVersion(archive.db)).toBe(MIGRATIONS.length);
      expect(archive.check().searchIndex).toBe('ok');
      expect(archive.search('الناصرية').hits.map((h) => h.id)).toEqual(['a'.repeat(26)]);
      expect(archive.search('protests').hits.map((h) => h.id)).toEqual(['b'.repeat(26)]);
      expect(archive.search('tag:اعتقالات').total).toBe(1);
      expect(archive.quick('studnts protest')[0]?.id).toBe('b'.repeat(26));
      // The contentless index no longer keeps a second copy of the text.
      expect(archive.db.prepare('SELECT title FROM search_fts WHERE rowid = 1').pluck().get()).toBeNull();
    } finally {
      archive.close();
    }
  });
});

describe('migration 5 (library order)', () => {
  it('lets every library order and count walk an index instead of sorting or reading whole rows', () => {
    const db = freshDb();
    migrate(db, 4);
    db.prepare("INSERT INTO items (id, kind, title, event_date, created_at, updated_at) VALUES (?, 'note', 'kept', '2019', 'now', 'now')").run('a'.repeat(26));
    migrate(db, 5);
    expect(db.prepare('SELECT title FROM items').pluck().all()).toEqual(['kept']);
    const D = 'COALESCE(i.event_date, i.published_at, i.captured_at)';
    // The ORDER BY clauses electron/archive/items.ts uses, with and without a kind.
    const plans = [
      'i.created_at DESC, i.seq DESC',
      'i.title COLLATE NOCASE ASC, i.seq ASC',
      `${D} DESC, i.seq DESC`,
      `(${D} IS NULL) ASC, ${D} ASC, i.seq ASC`,
    ].flatMap((order) => [
      `SELECT i.seq FROM items i WHERE i.deleted_at IS NULL ORDER BY ${order} LIMIT 100 OFFSET 5000`,
      ...(order.includes('IS NULL') ? [] : [`SELECT i.seq FROM items i WHERE i.deleted_at IS NULL AND i.kind = 'video' ORDER BY ${order} LIMIT 100`]),
    ]);
    plans.push("SELECT count(*) FROM items i WHERE i.deleted_at IS NULL AND i.kind = 'video'");
    for (const query of plans) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan, query).toMatch(/USING (COVERING )?INDEX items_/);
      expect(plan, query).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });
});

describe('migration 6 (search pieces)', () => {
  it('takes an archive at the version before it to long texts kept in pieces, leaving only the items that had marks to index again', async () => {
    const { Archive } = await import('../../electron/archive/index.ts');
    const { indexForms, SEARCH_FORMAT } = await import('../../electron/archive/search/indexer.ts');
    const { markSnippet } = await import('../../electron/archive/search/snippet.ts');
    const { dir, db } = await emptyArchiveDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'search pieces of long texts');
    expect(at).toBe(5);
    migrate(db, at);
    // Items and their index rows as the version before wrote them: the same words, and for the long
    // text a mark where each 64k-character stretch begins (search_marks) instead of pieces.
    const long = `${'Nothing of note here today. '.repeat(20_000)}The witness saw the zanzibarite convoy at dawn. ${'More of the same. '.repeat(2_000)}`;
    const rows = [
      { seq: 1, title: 'Short', body: 'A short note about the convoy.' },
      { seq: 2, title: 'Long', body: long },
    ];
    for (const r of rows) {
      db.prepare("INSERT INTO items (seq, id, kind, title, body, created_at, updated_at) VALUES (?, ?, 'note', ?, ?, 'now', 'now')").run(r.seq, String(r.seq).repeat(26), r.title, r.body);
      const pieces: Piece[] = [];
      const title = indexForms([r.title]);
      const meta = indexForms([]);
      const body = indexForms([null, r.body], undefined, pieces);
      db.prepare('INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(r.seq, title.words, meta.words, body.words);
      db.prepare('INSERT INTO search_stem (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(r.seq, title.stems, meta.stems, body.stems);
      db.prepare('INSERT INTO search_titles (rowid, title) VALUES (?, ?)').run(r.seq, title.words);
      db.prepare("INSERT INTO search_docs (seq, kind) VALUES (?, 'note')").run(r.seq);
      for (const m of pieces) db.prepare('INSERT INTO search_marks (seq, token, field, char) VALUES (?, ?, ?, ?)').run(r.seq, m.token, m.field, m.char);
    }
    db.prepare("UPDATE search_meta SET value = ? WHERE key = 'format'").run(SEARCH_FORMAT);
    expect(db.prepare('SELECT count(DISTINCT seq) FROM search_marks').pluck().get()).toBe(1);

    // Migration 6 leaves only the item that had marks to be indexed again (later migrations make
    // parts of the index anew, so opening the archive now indexes everything).
    migrate(db, 6);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'search_marks'").pluck().get()).toBe(0);
    expect(JSON.parse(db.prepare("SELECT value FROM search_meta WHERE key = 'pending'").pluck().get() as string)).toEqual([2]);
    db.close();

    const archive = Archive.open(dir);
    try {
      expect(schemaVersion(archive.db)).toBe(MIGRATIONS.length);
      expect(archive.db.prepare("SELECT count(*) FROM search_meta WHERE key = 'pending'").pluck().get()).toBe(0);
      expect(archive.db.prepare('SELECT DISTINCT seq FROM search_pieces').pluck().all()).toEqual([2]);
      expect(archive.db.prepare('SELECT count(*) FROM search_pieces').pluck().get()).toBeGreaterThan(5);
      expect(archive.check().searchIndex).toBe('ok');
      const hit = archive.search('zanzibarite').hits[0];
      expect(hit && hit.snippet && markSnippet(hit.snippet)).toContain('the [zanzibarite] convoy');
      expect(archive.search('convoy').total).toBe(2);
    } finally {
      archive.close();
    }
  });

  it('leaves nothing pending on an archive without long texts, and a stale format still rebuilds the whole index', async () => {
    const { Archive } = await import('../../electron/archive/index.ts');
    const { dir, db } = await emptyArchiveDatabase();
    migrate(db, 5);
    db.prepare("INSERT INTO items (seq, id, kind, title, body, created_at, updated_at) VALUES (1, ?, 'note', 'Unindexed', 'zanzibarite', 'now', 'now')").run('e'.repeat(26));
    migrate(db);
    expect(db.prepare("SELECT count(*) FROM search_meta WHERE key = 'pending'").pluck().get()).toBe(0);
    db.close();
    // The format stamp of migration 4 ('none') is still there: everything is indexed on opening.
    const archive = Archive.open(dir);
    try {
      expect(archive.search('zanzibarite').hits.map((h) => h.title)).toEqual(['Unindexed']);
      expect(archive.check().searchIndex).toBe('ok');
    } finally {
      archive.close();
    }
  });

  it('migration 8 makes the stem index anew with positions, so hits found by another form of a word are ranked', async () => {
    const { Archive } = await import('../../electron/archive/index.ts');
    const { indexForms, SEARCH_FORMAT } = await import('../../electron/archive/search/indexer.ts');
    const { dir, db } = await emptyArchiveDatabase();
    migrate(db, 7);
    // Indexed as version 7 did, its format stamp current: only the migration can call for a rebuild.
    const rows = [
      { seq: 1, title: 'Protests protests protests in Basra', body: 'Protests continued. Protests everywhere.' },
      { seq: 2, title: 'Weekly market prices', body: `${'Prices rose again at the market. '.repeat(20)}Some stalls shut for the protests.` },
    ];
    for (const r of rows) {
      db.prepare("INSERT INTO items (seq, id, kind, title, body, created_at, updated_at) VALUES (?, ?, 'note', ?, ?, 'now', 'now')").run(r.seq, String(r.seq).repeat(26), r.title, r.body);
      const title = indexForms([r.title]);
      const meta = indexForms([]);
      const body = indexForms([null, r.body]);
      db.prepare('INSERT INTO search_fts (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(r.seq, title.words, meta.words, body.words);
      db.prepare('INSERT INTO search_stem (rowid, title, meta, body) VALUES (?, ?, ?, ?)').run(r.seq, title.stems, meta.stems, body.stems);
      db.prepare('INSERT INTO search_titles (rowid, title) VALUES (?, ?)').run(r.seq, title.words);
      db.prepare("INSERT INTO search_docs (seq, kind) VALUES (?, 'note')").run(r.seq);
    }
    db.prepare("UPDATE search_meta SET value = ? WHERE key = 'format'").run(SEARCH_FORMAT);
    const scores = (d: Database.Database) => d.prepare("SELECT rowid, bm25(search_stem) AS s FROM search_stem WHERE search_stem MATCH 'protest' ORDER BY rowid").raw().all();
    expect(scores(db)).toEqual([[1, -0], [2, -0]]);
    db.close();

    const archive = Archive.open(dir);
    try {
      expect(schemaVersion(archive.db)).toBe(MIGRATIONS.length);
      expect(archive.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'search_stem'").pluck().get()).not.toMatch(/detail/);
      expect(archive.db.prepare("SELECT value FROM search_meta WHERE key = 'format'").pluck().get()).toBe(SEARCH_FORMAT);
      expect(archive.check().searchIndex).toBe('ok');
      const ranked = scores(archive.db) as [number, number][];
      expect(ranked[0]![1]).toBeLessThan(ranked[1]![1]);
      expect(ranked[1]![1]).toBeLessThan(0);
      expect(archive.search('protesting').hits.map((h) => h.title)).toEqual(['Protests protests protests in Basra', 'Weekly market prices']);
    } finally {
      archive.close();
    }
  });

  it('takes conflicts recorded at the version before it to a table that also takes same-file conflicts, keeping every row', () => {
    const db = freshDb();
    migrate(db, 6);
    const insert = db.prepare(
      `INSERT INTO conflicts (local_item_id, incoming_item_id, bundle_item_id, bundle_id, incoming_hash, reason, created_at, resolved_at, resolution)
       VALUES (?, ?, ?, 'bundle-1', ?, ?, '2026-01-01T00:00:00.000Z', ?, ?)`,
    );
    insert.run('L1', 'I1', 'B1', 'h1', 'both-changed', null, null);
    insert.run('L2', 'I2', 'B2', 'h2', 'changed-there', '2026-02-01T00:00:00.000Z', 'local');
    expect(() => insert.run('L3', 'I3', 'B3', 'h3', 'same-file', null, null)).toThrow(/CHECK/);
    const before = db.prepare('SELECT * FROM conflicts ORDER BY id').all();
    migrate(db, 7);
    expect(db.prepare('SELECT * FROM conflicts ORDER BY id').all()).toEqual(before);
    insert.run('L3', 'I3', 'B3', 'h3', 'same-file', null, null);
    expect(() => insert.run('L4', 'I4', 'B4', 'h4', 'some other reason', null, null)).toThrow(/CHECK/);
    // Its constraints and indexes came along.
    expect(() => insert.run('L5', 'I1', 'B5', 'h5', 'same-file', null, null)).toThrow(/UNIQUE/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'conflicts' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all()).toEqual(['conflicts_local', 'conflicts_open']);
    db.close();
  });
});
