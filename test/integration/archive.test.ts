import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAL_SIZE_LIMIT } from '../../electron/archive/db/connection.ts';
import { Archive, DB_FILE } from '../../electron/archive/index.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

function expectError(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).code).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected an ArchiveError ${code}`);
}

describe('Archive.open', () => {
  it('creates an archive with WAL, foreign keys and the current schema, and reopens it', () => {
    const dir = path.join(tmpDir(), 'new-archive');
    const archive = Archive.open(dir);
    expect(archive.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(archive.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(archive.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
    const note = archive.create({ kind: 'note', fields: { title: 'First note', body: 'hello' } });
    archive.close();
    const again = Archive.open(dir);
    expect(again.get(note.id).title).toBe('First note');
    again.close();
  });

  it('makes a new archive folder readable by its owner only, under parents it creates', () => {
    const dir = path.join(tmpDir(), 'several', 'levels', 'archive');
    Archive.open(dir).close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('makes an empty folder made by someone else readable by its owner only when it becomes an archive, and leaves an archive as it is', () => {
    const dir = path.join(tmpDir(), 'picked');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    Archive.open(dir).close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    // An existing archive whose owner chose other permissions keeps them.
    fs.chmodSync(dir, 0o750);
    Archive.open(dir).close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o750);
  });

  it('refuses a folder that has other files in it', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'thesis.docx'), 'not an archive');
    expectError(() => Archive.open(dir), 'archive-unreadable', /not a Sijil archive/);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(false);
  });

  it('refuses a database written by a newer version, without touching it', () => {
    const dir = tmpDir();
    Archive.open(dir).close();
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma('user_version = 999');
    raw.close();
    expectError(() => Archive.open(dir), 'archive-too-new', /newer version of Sijil/);
    const check = new Database(path.join(dir, DB_FILE));
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });
});

describe('items', () => {
  it('creates, edits, tags, collects and links items, with every change in the custody log', () => {
    const archive = tmpArchive();
    const article = archive.create({
      kind: 'article',
      fields: { title: 'Protesters killed in Nasiriyah', sourceOutlet: 'Euphrates Ledger', publishedAt: '2019-11-28' },
      tags: ['protests', 'Dhi Qar'],
    });
    const testimony = archive.create({
      kind: 'testimony',
      fields: { title: 'A mother appeals for her son', language: 'ar' },
      testimony: { speakerAlias: 'Umm Sajjad', speakerName: 'Fatima (fictional)', consent: 'on camera' },
      collections: ['Case: Sajjad'],
    });
    expect(testimony.testimony?.speakerAlias).toBe('Umm Sajjad');
    expect(testimony.collections).toEqual(['Case: Sajjad']);

    const edited = archive.edit(article.id, { place: 'Nasiriyah', eventDate: '2019-11-28' });
    expect(edited.place).toBe('Nasiriyah');
    expect(archive.tag(article.id, ['dhi qar', 'killings'], ['protests']).tags).toEqual(['Dhi Qar', 'killings']);
    const linked = archive.link(testimony.id, article.id, 'same event');
    expect(linked.links).toEqual([{ itemId: article.id, title: article.title, kind: 'article', relation: 'same-event', direction: 'out' }]);
    expect(archive.get(article.id).links[0]).toMatchObject({ itemId: testimony.id, direction: 'in' });

    const actions = archive.history(article.id).map((e) => e.action);
    expect(actions).toEqual(['create', 'edit', 'tag', 'untag', 'link']);
    const edit = archive.history(article.id)[1];
    expect(edit?.details).toEqual({ changes: { place: { from: null, to: 'Nasiriyah' }, eventDate: { from: null, to: '2019-11-28' } } });
    expect(archive.check().ok).toBe(true);
  });

  it('resolves unique id prefixes and refuses ambiguous or unknown ones', () => {
    const archive = tmpArchive();
    archive.create({ kind: 'note', fields: { title: 'one' } });
    archive.create({ kind: 'note', fields: { title: 'two' } });
    // Give both ids the same first eight characters, as chance eventually will.
    archive.db.prepare("UPDATE items SET id = 'abcdefgh' || CASE seq WHEN 1 THEN 'a' ELSE 'b' END || substr(id, 10)").run();
    const [a, b] = archive.db.prepare('SELECT id FROM items ORDER BY seq').pluck().all() as string[];
    expect(archive.get('abcdefgha').id).toBe(a);
    expect(archive.get('abcdefghb').id).toBe(b);
    expect(archive.get(a as string).title).toBe('one');
    expectError(() => archive.get('abcdefgh'), 'ambiguous-id');
    expectError(() => archive.get('zzzzzzzz'), 'not-found');
    expectError(() => archive.get('../../etc'), 'invalid-argument');
  });

  it('moves items to the trash and back: hidden from lists and search, never erased', () => {
    const archive = tmpArchive();
    const note = archive.create({ kind: 'note', fields: { title: 'Checkpoint near the bridge', body: 'soldiers at the checkpoint' } });
    expect(archive.search('checkpoint').hits.map((h) => h.id)).toEqual([note.id]);
    archive.trash(note.id);
    expect(archive.list().map((i) => i.id)).not.toContain(note.id);
    expect(archive.list({ trash: true }).map((i) => i.id)).toEqual([note.id]);
    expect(archive.search('checkpoint').hits).toEqual([]);
    expect(archive.get(note.id).deletedAt).not.toBeNull();
    archive.restore(note.id);
    expect(archive.search('checkpoint').hits.map((h) => h.id)).toEqual([note.id]);
    expect(archive.history(note.id).map((e) => e.action)).toEqual(['create', 'delete', 'restore']);
    expect(archive.check().ok).toBe(true);
  });

  it('normalises text to NFC and refuses bad values without writing anything', () => {
    const archive = tmpArchive();
    const decomposed = 'Cafe\u0301 in Nasiriyah';
    const note = archive.create({ kind: 'note', fields: { title: decomposed } });
    expect(note.title).toBe('Café in Nasiriyah'.normalize('NFC'));
    expect(note.title).not.toBe(decomposed);

    const events = archive.db.prepare('SELECT count(*) FROM custody_events').pluck().get();
    expectError(() => archive.create({ kind: 'note', fields: { title: 'x'.repeat(1_000_000) } }), 'invalid-argument', /title: at most 2,000 characters/);
    expectError(() => archive.edit(note.id, { eventDate: 'last tuesday' }), 'invalid-argument', /eventDate/);
    for (const impossible of ['2019-02-29', '2019-13', '2019-04-31', '2019-10-25T24:00', '2019-10-25T10:00+15:00']) {
      expectError(() => archive.edit(note.id, { eventDate: impossible }), 'invalid-argument', /eventDate: there is no such date/);
    }
    expectError(() => archive.create({ kind: 'note', fields: { title: 'x', publishedAt: '2021-02-30' } }), 'invalid-argument', /publishedAt: there is no such date/);
    expectError(() => archive.edit(note.id, { speakerName: 'someone' }), 'invalid-argument', /not a testimony/);
    expectError(() => archive.edit(note.id, { kind: 'video' }), 'invalid-argument', /cannot be edited/);
    expectError(() => archive.tag(note.id, ['   ']), 'invalid-argument', /empty/);
    expect(archive.db.prepare('SELECT count(*) FROM custody_events').pluck().get()).toBe(events);
    expect(archive.count().items).toBe(1);
  });

  it('keeps Arabic searchable whatever the diacritics and letter forms', () => {
    const archive = tmpArchive();
    const note = archive.create({
      kind: 'note',
      fields: { title: 'شهادة أمّ سجّاد', body: 'قالت إنَّ ابنها خُطِفَ في النّاصريّة بعد لقاء مع مكتب الكاظِمي' },
    });
    for (const q of ['ام سجاد', 'أمّ سجّاد', 'الناصرية', 'الكاظمي', 'الكاظِمي', 'خطف']) expect(archive.search(q).hits.map((h) => h.id), q).toEqual([note.id]);
  });
});

describe('writes that fail', () => {
  it('roll back whole: no row, no blob in the store, and the staged copies are back to retry', async () => {
    const archive = tmpArchive();
    const a = await archive.store.stageBytes(new TextEncoder().encode('first statement'));
    const b = await archive.store.stageBytes(new TextEncoder().encode('second statement'));
    const id = 'a'.repeat(26);
    const input = (staged: typeof a, title: string) => ({
      id,
      kind: 'note' as const,
      fields: { title },
      files: [{ staged, role: 'original' as const, name: `${title}.txt`, mime: 'text/plain' }],
    });
    // The same id twice violates a UNIQUE constraint after the first item and its blob are in.
    expect(() => archive.createMany([input(a, 'first'), input(b, 'second')])).toThrow(/UNIQUE/);
    expect(archive.count()).toMatchObject({ items: 0, blobs: 0 });
    expect([...archive.store.listBlobs()]).toEqual([]);
    expect(fs.existsSync(a.tmpPath) && fs.existsSync(b.tmpPath)).toBe(true);
    expect(fs.readdirSync(archive.store.tmpDir).filter((n) => n.endsWith('.journal'))).toEqual([]);
    expect(archive.history(archive.createMany([input(a, 'first')])[0]?.id as string)).toHaveLength(1);
    expect([...archive.store.listBlobs()]).toEqual([a.sha256]);
    archive.store.discard(b);
    expect(archive.check().ok).toBe(true);
  });
});

describe('duplicates found at commit time', () => {
  it('skips an item whose original another writer committed meanwhile, and leaves its staged blobs to discard', async () => {
    const archive = tmpArchive();
    const bytes = new TextEncoder().encode('a statement staged by two writers');
    const mine = await archive.store.stageBytes(bytes);
    const theirs = await archive.store.stageBytes(bytes);
    const sidecar = await archive.store.stageBytes(new TextEncoder().encode('{"note": "sidecar"}'));
    const note = (staged: typeof mine, extra: (typeof mine)[] = []) => ({
      kind: 'note' as const,
      fields: { title: 'statement' },
      files: [staged, ...extra].map((s, i) => ({ staged: s, role: i === 0 ? ('original' as const) : ('attachment' as const), name: `f${i}`, mime: 'text/plain' })),
    });
    const [first] = archive.createMany([note(theirs)], { skipDuplicates: true });
    const [second] = archive.createMany([note(mine, [sidecar])], { skipDuplicates: true });
    expect(second).toEqual({ duplicateOf: { id: (first as { id: string }).id, title: 'statement', deletedAt: null } });
    // Nothing of the skipped item was placed: its sidecar is still staged, not an orphan in the store.
    expect(fs.existsSync(sidecar.tmpPath)).toBe(true);
    expect([...archive.store.listBlobs()]).toEqual([mine.sha256]);
    archive.store.discard(mine);
    archive.store.discard(sidecar);
    expect(archive.count()).toMatchObject({ items: 1, blobs: 1 });
    expect(archive.check().ok).toBe(true);
  });
});

describe('search facets', () => {
  it('counts the whole result set by kind, language, year and tag, beyond the page of hits', () => {
    const archive = tmpArchive();
    const make = (kind: 'article' | 'note', language: string, eventDate: string, tags: string[]) =>
      archive.create({ kind, fields: { title: `Nasiriyah ${kind} ${eventDate}`, language, eventDate }, tags });
    make('article', 'en', '2019-11-28', ['protests']);
    make('article', 'ar', '2019-12-01', ['protests', 'Dhi Qar']);
    make('article', 'en', '2020-07-03', ['kidnapping']);
    make('note', 'en', '2020-07-06', ['kidnapping', 'Dhi Qar']);
    archive.create({ kind: 'note', fields: { title: 'Basra water', eventDate: '2020-08-01' }, tags: ['water'] });

    const result = archive.search('nasiriyah', 2);
    expect(result.hits).toHaveLength(2);
    expect(result.total).toBe(4);
    expect(result.facets.kind).toEqual([{ value: 'article', count: 3 }, { value: 'note', count: 1 }]);
    expect(result.facets.language).toEqual([{ value: 'en', count: 3 }, { value: 'ar', count: 1 }]);
    expect(result.facets.year).toEqual([{ value: '2019', count: 2 }, { value: '2020', count: 2 }]);
    expect(result.facets.tag).toEqual([
      { value: 'Dhi Qar', count: 2 },
      { value: 'kidnapping', count: 2 },
      { value: 'protests', count: 2 },
    ]);

    // A query of filters alone counts too.
    const notes = archive.search('kind:note');
    expect(notes.total).toBe(2);
    expect(notes.facets.tag.map((t) => t.value)).toEqual(['Dhi Qar', 'kidnapping', 'water']);
  });
});

describe('search tolerance', () => {
  it('widens rare words to near spellings, says so, and ranks exact hits first', () => {
    const archive = tmpArchive();
    const exact = archive.create({ kind: 'note', fields: { title: 'Note on al-Kazimi', body: 'the office of al-Kazimi did not answer' } });
    const near = archive.create({ kind: 'article', fields: { title: 'Kadhimi visits Nasiriyah', body: 'Prime Minister Kadhimi met the families. Kadhimi promised an inquiry.' } });
    const other = archive.create({ kind: 'article', fields: { title: 'Water shortage in Basra', body: 'The river is low this summer.' } });
    const result = archive.search('kazimi');
    expect(result.hits.map((h) => h.id)).toEqual([exact.id, near.id]);
    expect(result.hits.map((h) => h.id)).not.toContain(other.id);
    expect(result.alsoMatched).toEqual([{ term: 'kazimi', alternatives: ['kadhimi'] }]);
    expect(result.hits[1]?.snippet?.text).toContain('Kadhimi');

    const arabic = archive.create({ kind: 'testimony', fields: { title: 'مناشدة', body: 'أنا أمّ سجّاد، ابني خُطف' } });
    const found = archive.search('ام ساجد');
    expect(found.hits.map((h) => h.id)).toEqual([arabic.id]);
    expect(found.alsoMatched).toEqual([{ term: 'ساجد', alternatives: ['سجاد'] }]);
  });

  it('does not widen a word that is found as typed in enough documents', () => {
    const archive = tmpArchive();
    for (let i = 0; i < 3; i++) archive.create({ kind: 'note', fields: { title: `Kadhimi note ${i}`, body: 'kadhimi' } });
    archive.create({ kind: 'note', fields: { title: 'Kazimi', body: 'kazimi' } });
    const result = archive.search('kadhimi');
    expect(result.hits).toHaveLength(3);
    expect(result.alsoMatched).toEqual([]);
  });
});

describe('custody chain', () => {
  it('reports an edited, removed or reordered event at its position', () => {
    const archive = tmpArchive();
    const note = archive.create({ kind: 'note', fields: { title: 'evidence' } });
    for (const tag of ['a', 'b', 'c']) archive.tag(note.id, [tag]);
    expect(archive.custody.verifyChain()).toBeNull();

    archive.db.prepare(`UPDATE custody_events SET details = '{"tags":["z"]}' WHERE seq = 3`).run();
    expect(archive.custody.verifyChain()).toEqual({ seq: 3, problem: 'its content was changed after it was written', said: { key: 'archive.custody.changed' } });
    expect(archive.check().ok).toBe(false);
  });

  it('reports a deleted event', () => {
    const archive = tmpArchive();
    const note = archive.create({ kind: 'note', fields: { title: 'evidence' } });
    for (const tag of ['a', 'b', 'c']) archive.tag(note.id, [tag]);
    archive.db.prepare('DELETE FROM custody_events WHERE seq = 2').run();
    expect(archive.custody.verifyChain()).toMatchObject({ seq: 3, problem: 'event 2 is missing' });
  });
});

describe('the write-ahead log', () => {
  it('is cut back after one large transaction, not kept at its size', () => {
    const archive = tmpArchive();
    const wal = path.join(archive.dir, `${DB_FILE}-wal`);
    // 64 MiB written in one transaction (as an import batch of long texts does), on a scratch table.
    archive.db.exec('CREATE TABLE wal_probe (x BLOB)');
    const insert = archive.db.prepare('INSERT INTO wal_probe (x) VALUES (randomblob(1048576))');
    archive.db.transaction(() => {
      for (let i = 0; i < 64; i++) insert.run();
    })();
    expect(fs.statSync(wal).size).toBeGreaterThan(64 << 20);
    // The commit checkpointed it; the next write starts the log again from its beginning and cuts the file.
    archive.create({ kind: 'note', fields: { title: 'after the batch' } });
    expect(fs.statSync(wal).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
  });
});
