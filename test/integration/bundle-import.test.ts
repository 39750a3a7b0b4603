// Import: a bundle merges into another archive whole (items, files byte for byte, texts, labels,
// links, custody); importing it again changes nothing; versions changed on both sides are both
// kept as a conflict to resolve; a duplicate under another id is recognised by its file; and every
// failure (wrong passphrase, wrong key, not an age file, damage, cancel) leaves the archive
// byte-identical, staging included.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract } from 'tar-stream';
import { decrypt, encryptChunks, parseIdentityFile } from '../../electron/archive/bundle/age/index.ts';
import { createBagWriter } from '../../electron/archive/bundle/bagWriter.ts';
import { eventHash } from '../../electron/archive/custody.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import type { Archive } from '../../electron/archive/index.ts';
import type { BundleImportResult, BundleProgressEvent } from '../../shared/api.ts';
import type { CustodyAction, Item } from '../../shared/domain.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { SECRETS, ageKeygen, archiveState, fillSourceArchive, type SourceArchive } from '../support/bundles.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

let out: string;
let key: ReturnType<typeof ageKeygen>;

beforeAll(() => {
  out = tmpDir('sijil-bundles-');
  key = ageKeygen(out);
});

let counter = 0;
async function exportFrom(archive: Archive, args: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(out, `b${++counter}.sijil`);
  await invoke(archive, 'bundle.export', { to: file, credentials: { recipients: [key.recipient] }, ...args });
  return file;
}

function importInto(archive: Archive, file: string, credentials: Record<string, unknown> = { identity: key.identity }): Promise<BundleImportResult> {
  return invoke(archive, 'bundle.import', { path: file, credentials });
}

async function expectArchiveError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
}

/**
 * The bundle decrypted and unpacked, its payload changed by `mutate` (paths relative to data/),
 * and bagged and encrypted again: every checksum in the new bag is right, only the content lies.
 */
async function rebag(file: string, mutate: (files: Map<string, Buffer>) => void, bagInfo: Record<string, string> = {}): Promise<string> {
  const tar = await decrypt(fs.readFileSync(file), { identities: parseIdentityFile(key.identity) });
  const files = new Map<string, Buffer>();
  const parser = extract();
  const reading = (async () => {
    for await (const entry of parser) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file' && entry.header.name.startsWith('data/')) files.set(entry.header.name.slice(5), Buffer.concat(chunks));
    }
  })();
  parser.end(tar);
  await reading;
  mutate(files);
  const writer = createBagWriter({ bagInfo: { 'Bag-Software-Agent': 'test', ...bagInfo } });
  const encrypted = (async () => {
    const parts: Buffer[] = [];
    for await (const part of encryptChunks(writer.stream, { recipients: [key.recipient] })) parts.push(part);
    return Buffer.concat(parts);
  })();
  const first = files.get('archive.json');
  if (first) await writer.addFile('archive.json', first, first.length);
  for (const [name, bytes] of files) if (name !== 'archive.json') await writer.addFile(name, bytes, bytes.length);
  await writer.finish();
  const forged = path.join(out, `forged-${++counter}.sijil`);
  fs.writeFileSync(forged, await encrypted);
  return forged;
}

/** An item as both archives must agree on: local row numbers (file and text ids) aside. */
function comparable(item: Item): Omit<Item, 'files' | 'texts'> & { files: unknown[]; texts: unknown[] } {
  return { ...item, files: item.files.map(({ id: _id, ...f }) => f), texts: item.texts.map(({ id: _id, ...t }) => t) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('bundle import: round trip', () => {
  let source: SourceArchive;
  let target: Archive;
  let bundle: string;
  let first: BundleImportResult;

  beforeAll(async () => {
    source = await fillSourceArchive(tmpArchive());
    target = tmpArchive();
    bundle = await exportFrom(source.archive, { organization: 'Dhi Qar Documentation Network' });
    first = await importInto(target, bundle);
  });

  it('brings every item whole: fields, testimony, texts, files byte for byte, tags, collections, links', () => {
    expect(first).toMatchObject({ added: 6, unchanged: 0, duplicates: 0, conflicts: 0, alreadyImported: null, organization: 'Dhi Qar Documentation Network' });
    const ids = [source.article, source.video, source.testimony, source.image, source.note, source.secret];
    for (const id of ids) expect(comparable(target.get(id))).toEqual(comparable(source.archive.get(id)));
    expect(target.get(source.testimony).testimony?.speakerName).toBe(SECRETS.speakerName);
    expect(target.collections()).toEqual(source.archive.collections());
    expect(target.tags()).toEqual(source.archive.tags());
    for (const file of target.get(source.video).files) expect(sha256(fs.readFileSync(target.blobPath(file.sha256)))).toBe(file.sha256);
    expect(fs.readFileSync(target.blobPath(sha256(source.videoBytes)))).toEqual(source.videoBytes);
    expect(target.db.prepare("SELECT rowid FROM search_fts WHERE search_fts MATCH 'euphrates'").pluck().all()).toEqual([target.resolve(source.article).seq]);
    expect(target.check().ok).toBe(true);
  });

  it("reads past each item's custody.txt without keeping it: it is a report for people, not a file of the item", async () => {
    const tar = await decrypt(fs.readFileSync(bundle), { identities: parseIdentityFile(key.identity) });
    expect(tar.includes(Buffer.from(`data/items/${source.note}/custody.txt`))).toBe(true);
    const ids = [source.article, source.video, source.testimony, source.image, source.note, source.secret];
    for (const id of ids) expect(target.get(id).files.map((f) => f.name)).not.toContain('custody.txt');
    expect(target.db.prepare("SELECT count(*) FROM files WHERE name = 'custody.txt'").pluck().get()).toBe(0);
  });

  it('keeps the custody events from the bundle, verifiable by their hashes, and adds its own', async () => {
    for (const id of [source.testimony, source.article]) {
      const theirs = source.archive.history(id).filter((e) => e.action !== 'export');
      const kept = target.db.prepare('SELECT * FROM foreign_custody_events WHERE local_item_id = ? ORDER BY seq').all(id) as Record<string, string | number>[];
      expect(kept.map((e) => e.hash)).toEqual(theirs.map((e) => e.hash));
      for (const e of kept) {
        const recomputed = eventHash(
          { seq: e.seq as number, at: e.at as string, action: e.action as CustodyAction, itemId: e.item_id as string, sha256: e.sha256 as string | null, prevHash: e.prev_hash as string },
          e.details as string,
        );
        expect(recomputed).toBe(e.hash);
        expect(e.bundle_id).toBe(first.bundleId);
      }
      const ours = target.history(id);
      expect(ours[0]).toMatchObject({ action: 'import-bundle', details: { bundle: first.bundleId } });
      // The contract gives the received events as the source recorded them, with the bundle they came in.
      const received = await invoke(target, 'items.history.received', { id: id.slice(0, 8) });
      expect(received).toEqual(theirs.map((e) => ({ ...e, bundleId: first.bundleId })));
    }
    const summary = target.db.prepare("SELECT details FROM custody_events WHERE action = 'import-bundle' AND item_id IS NULL").pluck().all() as string[];
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0] as string)).toMatchObject({ bundle: first.bundleId, added: 6, organization: 'Dhi Qar Documentation Network' });
  });

  it('importing the same bundle again changes nothing at all', async () => {
    const before = archiveState(target);
    const again = await importInto(target, bundle);
    expect(again).toMatchObject({ added: 0, unchanged: 6, conflicts: 0, duplicates: 0 });
    expect(again.alreadyImported).not.toBeNull();
    expect(archiveState(target)).toEqual(before);
  });

  it('inspect knows the bundle was imported and its items are here', async () => {
    const info = await invoke(target, 'bundle.inspect', { path: bundle, credentials: { identity: key.identity } });
    expect(info.alreadyImported).not.toBeNull();
    expect(info.alreadyHere).toBe(6);
  });

  it('a redacted bundle of the same items, back in the archive that has them whole, is recognised, not a conflict', async () => {
    const redacted = await exportFrom(target, { redact: true });
    const result = await importInto(source.archive, redacted);
    expect(result).toMatchObject({ added: 0, conflicts: 0, unchanged: 5 });
    expect(source.archive.get(source.testimony).testimony?.speakerName).toBe(SECRETS.speakerName);
  });
});

describe('bundle import: what earlier builds let in', () => {
  it('an impossible date an earlier build stored (2019-02-30) travels and arrives as it was, though no door accepts it now', async () => {
    const a = tmpArchive();
    const note = a.create({ kind: 'note', fields: { title: 'Sit-in, Habboubi Square', eventDate: '2019-02-28' } });
    // Written past the doors, as the earlier build's own check let it through.
    a.db.prepare("UPDATE items SET event_date = '2019-02-30' WHERE id = ?").run(note.id);
    expect(() => a.edit(note.id, { eventDate: '2019-02-30' })).toThrow(/no such date/);
    const b = tmpArchive();
    expect(await importInto(b, await exportFrom(a))).toMatchObject({ added: 1, conflicts: 0 });
    expect(b.get(note.id)).toMatchObject({ title: 'Sit-in, Habboubi Square', eventDate: '2019-02-30' });
    // Its other fields can still be edited; the date is put right when someone corrects it.
    b.edit(note.id, { place: 'Nasiriyah' });
    expect(b.edit(note.id, { eventDate: '2019-02-28' }).eventDate).toBe('2019-02-28');
  });
});

describe('bundle import: merging versions', () => {
  it('an item changed on both sides keeps both; changed there only is kept beside ours too; changed here only is ours', async () => {
    const a = tmpArchive();
    const b = tmpArchive();
    const note = (title: string) => a.create({ kind: 'note', fields: { title, body: `${title}: first version` }, tags: ['case'] }).id;
    const both = note('Both change it');
    const there = note('Changed there');
    const here = note('Changed here');
    const nobody = note('Nobody changes it');
    a.link(both, nobody, 'mentions');
    expect((await importInto(b, await exportFrom(a))).added).toBe(4);

    a.edit(both, { body: 'A says: second version' });
    b.edit(both, { body: 'B says: another second version' });
    a.edit(there, { body: 'A edited this' });
    b.edit(here, { body: 'B edited this' });
    a.tag(nobody, ['new tag from A']);
    const second = await exportFrom(a);
    const result = await importInto(b, second);
    expect(result).toMatchObject({ added: 0, conflicts: 2, unchanged: 2 });
    const status = Object.fromEntries(result.items.map((i) => [i.bundleItemId, i.status]));
    expect(status).toEqual({ [both]: 'conflict', [there]: 'conflict', [here]: 'local-newer', [nobody]: 'unchanged' });

    // Nothing local was overwritten; the incoming versions are new items, marked as conflicts.
    expect(b.get(both).body).toBe('B says: another second version');
    expect(b.get(here).body).toBe('B edited this');
    expect(b.get(there).body).toBe('Changed there: first version');
    const conflicts = await invoke(b, 'conflicts.list', {});
    expect(conflicts.map((c) => [c.localItemId, c.reason])).toEqual([
      [both, 'both-changed'],
      [there, 'changed-there'],
    ]);
    const copy = conflicts[0]?.incomingItemId as string;
    expect(copy).not.toBe(both);
    expect(b.get(copy)).toMatchObject({ body: 'A says: second version', title: 'Both change it', tags: ['case'] });
    // Its link came along, to the item it links in the bundle.
    expect(b.get(copy).links.map((l) => l.itemId)).toEqual([nobody]);
    // Labels merge by union.
    expect(b.get(nobody).tags).toEqual(['case', 'new tag from A']);

    // The same bundle again: the conflicts are known, nothing changes.
    const before = archiveState(b);
    expect(await importInto(b, second)).toMatchObject({ added: 0, conflicts: 0 });
    expect(archiveState(b)).toEqual(before);

    // Resolving never deletes: the version not kept goes to the trash, and custody records it.
    const kept = await invoke(b, 'conflicts.resolve', { id: conflicts[0]?.id as number, keep: 'local' });
    expect(kept).toMatchObject({ resolution: 'local' });
    expect(b.get(copy).deletedAt).not.toBeNull();
    expect(b.history(both).at(-1)).toMatchObject({ action: 'resolve-conflict', details: { keep: 'local', incoming: copy } });
    await expectArchiveError(invoke(b, 'conflicts.resolve', { id: conflicts[0]?.id as number, keep: 'incoming' }), 'conflict', /already resolved/);
    const theirs = conflicts[1]?.incomingItemId as string;
    await invoke(b, 'conflicts.resolve', { id: conflicts[1]?.id as number, keep: 'incoming' });
    expect(b.get(there).deletedAt).not.toBeNull();
    expect(b.get(theirs)).toMatchObject({ body: 'A edited this', deletedAt: null });
    expect(await invoke(b, 'conflicts.list', {})).toEqual([]);
    expect(await invoke(b, 'conflicts.list', { includeResolved: true })).toHaveLength(2);
    // And still nothing new when the bundle comes a third time.
    expect(await importInto(b, second)).toMatchObject({ added: 0, conflicts: 0 });
    expect(b.check().ok).toBe(true);
  });

  it('after keeping their version, the next one from them is compared with what was kept, not with the version put away', async () => {
    const a = tmpArchive();
    const b = tmpArchive();
    const id = a.create({ kind: 'note', fields: { title: 'Witness list', body: 'first version' } }).id;
    const firstBundle = await exportFrom(a);
    await importInto(b, firstBundle);
    a.edit(id, { body: 'second version' });
    expect((await importInto(b, await exportFrom(a))).conflicts).toBe(1);
    const [first] = await invoke(b, 'conflicts.list', {});
    expect(first).toMatchObject({ localItemId: id, reason: 'changed-there' });
    await invoke(b, 'conflicts.resolve', { id: first?.id as number, keep: 'incoming' });
    const kept = first?.incomingItemId as string;

    // The same version in a new bundle is the one kept: nothing to decide, no new item.
    const items = b.count().items;
    const same = await importInto(b, await exportFrom(a));
    expect(same).toMatchObject({ added: 0, conflicts: 0, unchanged: 1 });
    expect(same.items[0]).toMatchObject({ status: 'unchanged', itemId: kept });
    expect(b.count().items).toBe(items);
    expect(await invoke(b, 'conflicts.list', { includeResolved: true })).toHaveLength(1);
    // The first bundle again, with the version put away: an older version, nothing to decide, nothing changes.
    const settled = archiveState(b);
    expect(await importInto(b, firstBundle)).toMatchObject({ added: 0, conflicts: 0 });
    expect(archiveState(b)).toEqual(settled);

    // A third version changed only there: a conflict with the version kept, not with the one in the trash.
    a.edit(id, { body: 'third version' });
    expect((await importInto(b, await exportFrom(a))).conflicts).toBe(1);
    const [open] = await invoke(b, 'conflicts.list', {});
    expect(open).toMatchObject({ localItemId: kept, reason: 'changed-there' });
    expect(b.get(open?.incomingItemId as string).body).toBe('third version');
    expect(b.get(id).deletedAt).not.toBeNull();
    expect(b.check().ok).toBe(true);
  });

  /** A source archive, and another that took in the source's photo on its own, under its own id, with `fields`. */
  async function bannerTwice(fields: { title: string; capturedAt?: string }) {
    const a = tmpArchive();
    const source = await fillSourceArchive(a);
    const b = tmpArchive();
    const banner = a.get(source.image).files[0];
    const mine = b.create({
      kind: 'image',
      fields,
      files: [{ staged: await b.store.stageBytes(fs.readFileSync(a.blobPath(banner?.sha256 as string))), role: 'original', name: 'IMG_0042.jpg', mime: 'image/jpeg' }],
    });
    return { a, source, b, mine };
  }

  it('an item under another id whose original file is already here, saying nothing new, is recognised as a duplicate', async () => {
    // The same photo and title, taken in on another day under another file name: nothing new.
    const { a, source, b, mine } = await bannerTwice({ title: 'Protest banner', capturedAt: '2021-01-05' });
    const bundle = await exportFrom(a);
    const result = await importInto(b, bundle);
    expect(result).toMatchObject({ added: 5, duplicates: 1, conflicts: 0 });
    expect(result.items.find((i) => i.bundleItemId === source.image)).toMatchObject({ status: 'duplicate', itemId: mine.id });
    expect(() => b.get(source.image)).toThrow(/No item/);
    expect(b.get(mine.id)).toMatchObject({ title: 'Protest banner', tags: ['protest'] });
    expect(b.count().items).toBe(6);
    expect(b.history(mine.id).at(-2)).toMatchObject({ action: 'import-bundle', details: { duplicate: source.image } });
    // Taken for ours once, it stays ours: after we describe our photo further, the same bundle changes nothing.
    b.edit(mine.id, { description: 'Held up at the Habboubi Square sit-in.' });
    const before = archiveState(b);
    const again = await importInto(b, bundle);
    expect(again.items.find((i) => i.bundleItemId === source.image)).toMatchObject({ status: 'duplicate', itemId: mine.id });
    expect(again).toMatchObject({ conflicts: 0, added: 0 });
    expect(archiveState(b)).toEqual(before);
  });

  it('an item under another id with our original file but its own description is kept beside ours, to decide', async () => {
    const { a, source, b, mine } = await bannerTwice({ title: 'Banner photo (my copy)' });
    const bundle = await exportFrom(a);
    const result = await importInto(b, bundle);
    expect(result).toMatchObject({ added: 5, duplicates: 0, conflicts: 1 });
    expect(result.items.find((i) => i.bundleItemId === source.image)).toMatchObject({ status: 'conflict', itemId: source.image, conflictOf: mine.id });
    // Neither description is lost: theirs is an item under its own id, ours is as it was.
    expect(b.get(source.image)).toMatchObject({ title: 'Protest banner', tags: ['protest'], deletedAt: null });
    expect(b.get(mine.id)).toMatchObject({ title: 'Banner photo (my copy)', tags: [] });
    const [conflict] = await invoke(b, 'conflicts.list', {});
    expect(conflict).toMatchObject({ localItemId: mine.id, incomingItemId: source.image, reason: 'same-file' });
    expect(b.history(mine.id).at(-1)).toMatchObject({ action: 'import-bundle', details: { conflict: source.image, reason: 'same-file' } });

    // The same bundle again changes nothing; nor does it once the conflict is resolved.
    const before = archiveState(b);
    expect(await importInto(b, bundle)).toMatchObject({ added: 0, conflicts: 0, duplicates: 0 });
    expect(archiveState(b)).toEqual(before);
    await invoke(b, 'conflicts.resolve', { id: conflict?.id as number, keep: 'local' });
    expect(b.get(source.image).deletedAt).not.toBeNull();
    const resolved = archiveState(b);
    expect(await importInto(b, bundle)).toMatchObject({ added: 0, conflicts: 0, duplicates: 0 });
    expect(archiveState(b)).toEqual(resolved);
    expect(b.get(source.image).deletedAt).not.toBeNull();
    expect(b.check().ok).toBe(true);
  });

  it('files left out of a bundle without media are filled in when a bundle with them arrives', async () => {
    const a = tmpArchive();
    const source = await fillSourceArchive(a);
    const b = tmpArchive();
    const light = await importInto(b, await exportFrom(a, { media: false }));
    expect(light.added).toBe(6);
    const video = b.get(source.video);
    expect(video.files.map((f) => f.role)).toEqual(['thumbnail']);
    expect((video.extra.filesNotIncluded as unknown[]).length).toBe(1);
    expect(b.check().ok).toBe(true);

    const full = await importInto(b, await exportFrom(a));
    expect(full).toMatchObject({ added: 0, unchanged: 6, conflicts: 0, filesAdded: 3 });
    // Filled in after the thumbnail, so listed after it.
    const byName = (files: unknown[]) => [...files].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    const filled = comparable(b.get(source.video));
    expect(filled.extra).toEqual({});
    expect(byName(filled.files)).toEqual(byName(comparable(a.get(source.video)).files));
    expect(fs.readFileSync(b.blobPath(sha256(source.videoBytes)))).toEqual(source.videoBytes);
    expect(b.history(source.video).at(-1)).toMatchObject({ action: 'add-file' });
    expect(b.check().ok).toBe(true);
  });
});

describe('bundle import: reading copies are hostile input', () => {
  it('a reading copy made elsewhere is sanitised as the importer sanitises a saved page; nothing that runs or loads is kept', async () => {
    const a = tmpArchive();
    const source = await fillSourceArchive(a);
    // Another archive (or a tampered one) can put anything in a reading copy: here, straight into the database.
    const hostile =
      '<h1>Activist kidnapped in Nasiriyah</h1><p onclick="window.__pwned=1">Sajjad was taken on Thursday night.</p>' +
      '<script>window.__pwned=1</script><img src="https://tracker.evil.invalid/p.gif"><a href="javascript:alert(1)" ping="https://evil.invalid/">x</a>' +
      '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg><style>@import url(https://evil.invalid/a.css)</style>';
    a.db.prepare('UPDATE items SET html = ? WHERE id = ?').run(hostile, source.article);
    const b = tmpArchive();
    const result = await importInto(b, await exportFrom(a));
    expect(result.added).toBe(6);
    const html = b.get(source.article).html ?? '';
    expect(html).toContain('Sajjad was taken on Thursday night.');
    for (const bad of ['<script', 'onclick', 'evil.invalid', 'javascript:', '<svg', '<style', 'ping=', '__pwned']) expect(html, bad).not.toContain(bad);
    expect(b.check().ok).toBe(true);
  });
});

describe('bundle import: failures leave the archive byte-identical', () => {
  let source: SourceArchive;
  let target: Archive;
  let recipientsBundle: string;
  let passphraseBundle: string;

  beforeAll(async () => {
    source = await fillSourceArchive(tmpArchive());
    target = tmpArchive();
    // The target has something of its own, so "unchanged" is about real content.
    target.create({ kind: 'note', fields: { title: 'Already here', body: 'local work' }, tags: ['mine'] });
    recipientsBundle = await exportFrom(source.archive);
    passphraseBundle = path.join(out, 'passphrase.sijil');
    await invoke(source.archive, 'bundle.export', { to: passphraseBundle, credentials: { passphrase: 'the right passphrase' } });
  });

  async function expectUnchanged(attempt: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
    const before = archiveState(target);
    await expectArchiveError(attempt, code, message);
    expect(archiveState(target)).toEqual(before);
  }

  it('wrong passphrase', async () => {
    await expectUnchanged(importInto(target, passphraseBundle, { passphrase: 'the wrong passphrase' }), 'wrong-passphrase', /passphrase is wrong/);
  });

  it('no matching key', async () => {
    const other = ageKeygen(tmpDir(), 'other.txt');
    await expectUnchanged(importInto(target, recipientsBundle, { identity: other.identity }), 'no-matching-key', /None of the given secret keys/);
    await expectUnchanged(importInto(target, passphraseBundle, { identity: other.identity }), 'no-matching-key', /passphrase/);
  });

  it('not an age file', async () => {
    const zip = path.join(out, 'holiday.zip');
    fs.writeFileSync(zip, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(5000, 7)]));
    await expectUnchanged(importInto(target, zip), 'not-a-bundle', /not an age-encrypted file/);
    await expectUnchanged(importInto(target, path.join(out, 'no-such.sijil')), 'file-unreadable', /does not exist/);
  });

  it('damaged: a flipped bit in the middle, a file cut short', async () => {
    const bytes = fs.readFileSync(recipientsBundle);
    const flipped = Buffer.from(bytes);
    flipped[200_000] = (flipped[200_000] as number) ^ 0x10;
    const flippedFile = path.join(out, 'flipped.sijil');
    fs.writeFileSync(flippedFile, flipped);
    await expectUnchanged(importInto(target, flippedFile), 'bundle-damaged', /damaged at byte/);
    const cut = path.join(out, 'cut.sijil');
    fs.writeFileSync(cut, bytes.subarray(0, 65_536 * 3 + 16 * 3 + 300));
    await expectUnchanged(importInto(target, cut), 'bundle-damaged');
  });

  it('a bag whose checksums hold but whose content was altered: custody, descriptions, stray files', async () => {
    const json = (files: Map<string, Buffer>) => JSON.parse((files.get('archive.json') as Buffer).toString()) as Record<string, unknown>;
    const put = (files: Map<string, Buffer>, value: unknown) => files.set('archive.json', Buffer.from(JSON.stringify(value)));
    const forged = await rebag(recipientsBundle, (files) => {
      const value = json(files) as { custody: Record<string, { details: Record<string, unknown> }[]> };
      (value.custody[source.testimony]?.[0] as { details: Record<string, unknown> }).details.title = 'Another title';
      put(files, value);
    });
    await expectUnchanged(importInto(target, forged), 'bundle-damaged', /custody record of item .* was altered/);
    const disagreeing = await rebag(recipientsBundle, (files) => {
      const item = JSON.parse((files.get(`items/${source.note}/item.json`) as Buffer).toString()) as Record<string, unknown>;
      files.set(`items/${source.note}/item.json`, Buffer.from(JSON.stringify({ ...item, title: 'Renamed in item.json only' })));
    });
    await expectUnchanged(importInto(target, disagreeing), 'bundle-damaged', /disagree/);
    const stray = await rebag(recipientsBundle, (files) => files.set('items/extra.exe', Buffer.from('MZ')));
    await expectUnchanged(importInto(target, stray), 'bundle-damaged', /which no item names/);
    // A custody report is accepted only in the folder of an item the bundle holds.
    const orphanReport = await rebag(recipientsBundle, (files) => files.set('items/AAAAAAAAAAAAAAAAAAAAAAAAAA/custody.txt', Buffer.from('CUSTODY REPORT')));
    await expectUnchanged(importInto(target, orphanReport), 'bundle-damaged', /custody\.txt, which no item names/);
    const foreign = await rebag(recipientsBundle, (files) => {
      files.clear();
      files.set('photo.jpg', Buffer.from('not sijil'));
    });
    await expectUnchanged(importInto(target, foreign), 'not-a-bundle', /no data\/archive\.json/);
    const newer = await rebag(recipientsBundle, (files) => put(files, { ...json(files), version: 2 }));
    await expectUnchanged(importInto(target, newer), 'unsupported-file', /newer version of Sijil/);
    // bag-info.txt contradicting archive.json: another bundle's id, or "not redacted" on a redacted one.
    let said: { bundleId: string; redacted: boolean } | undefined;
    const otherId = await rebag(recipientsBundle, (files) => void (said = json(files) as typeof said), { 'External-Identifier': 'another-bundle-id' });
    await expectUnchanged(importInto(target, otherId), 'bundle-damaged', /bag-info\.txt and data\/archive\.json disagree about External-Identifier/);
    const unredacted = await rebag(recipientsBundle, () => undefined, { 'External-Identifier': said!.bundleId, 'Sijil-Redacted': said!.redacted ? 'no' : 'yes' });
    await expectUnchanged(importInto(target, unredacted), 'bundle-damaged', /disagree about Sijil-Redacted/);
    const medialess = await rebag(recipientsBundle, () => undefined, { 'External-Identifier': said!.bundleId, 'Sijil-Media': 'omitted' });
    await expectUnchanged(importInto(target, medialess), 'bundle-damaged', /disagree about Sijil-Media/);
    // Saying the same as archive.json is accepted.
    const agreeing = await rebag(recipientsBundle, () => undefined, { 'External-Identifier': said!.bundleId, 'Sijil-Redacted': said!.redacted ? 'yes' : 'no' });
    expect((await importInto(tmpArchive(), agreeing)).added).toBeGreaterThan(0);
  });

  it('cancelled while reading', async () => {
    const controller = new AbortController();
    const before = archiveState(target);
    const attempt = invoke(
      target,
      'bundle.import',
      { path: recipientsBundle, credentials: { identity: key.identity } },
      {
        signal: controller.signal,
        progress: (_e, p) => {
          if ((p as BundleProgressEvent).phase === 'reading') controller.abort();
        },
      },
    );
    await expectArchiveError(attempt, 'cancelled');
    expect(archiveState(target)).toEqual(before);
  });

  it('and after all that, the bundle still imports', async () => {
    expect((await importInto(target, recipientsBundle)).added).toBe(6);
    expect(fs.readdirSync(target.store.tmpDir)).toEqual([]);
    expect(target.check().ok).toBe(true);
  });
});
