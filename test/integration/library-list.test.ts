// What the library screen asks of the engine: paging through items.list in any sort with date
// bounds, items.count over the same filters, the media a thumbnail is drawn from, and the demo
// archive loaded once from the first-run screen. Through `invoke`, as every door calls it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoke } from '../../electron/archive/handlers.ts';
import { SAMPLE_DIR } from '../../electron/archive/sample.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { tmpArchive } from '../support/tmp.ts';

function seed() {
  const archive = tmpArchive();
  const rows = [
    { title: 'beta', eventDate: '2019-10-25', kind: 'note' as const, tags: ['protests'] },
    { title: 'Alpha', eventDate: '2019', kind: 'note' as const, tags: ['protests', 'Dhi Qar'] },
    { title: 'gamma', publishedAt: '2020-07-03T10:00:00Z', kind: 'article' as const, tags: [] },
    { title: 'delta', capturedAt: '2021-01', kind: 'note' as const, tags: ['Dhi Qar'] },
    { title: 'epsilon', kind: 'note' as const, tags: [] },
  ];
  const ids: Record<string, string> = {};
  for (const { title, kind, tags, ...dates } of rows) {
    ids[title] = archive.create({ kind, fields: { title, ...dates }, tags, collections: title === 'beta' ? ['Case A'] : [] }).id;
  }
  return { archive, ids };
}

describe('items.list and items.count for the library', () => {
  it('sorts by date added, event date or title, either way, and pages without gaps or repeats', async () => {
    const { archive } = seed();
    const titles = async (args: Record<string, unknown>) => (await invoke(archive, 'items.list', args)).map((i) => i.title);
    expect(await titles({})).toEqual(['epsilon', 'delta', 'gamma', 'Alpha', 'beta']);
    expect(await titles({ desc: false })).toEqual(['beta', 'Alpha', 'gamma', 'delta', 'epsilon']);
    // Undated items go last whichever way the dates run.
    expect(await titles({ sort: 'date' })).toEqual(['delta', 'gamma', 'beta', 'Alpha', 'epsilon']);
    expect(await titles({ sort: 'date', desc: false })).toEqual(['Alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    // Title order ignores case.
    expect(await titles({ sort: 'title', desc: false })).toEqual(['Alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    const paged = [...(await titles({ sort: 'title', desc: false, limit: 2 })), ...(await titles({ sort: 'title', desc: false, limit: 2, offset: 2 })), ...(await titles({ sort: 'title', desc: false, limit: 2, offset: 4 }))];
    expect(paged).toEqual(['Alpha', 'beta', 'delta', 'epsilon', 'gamma']);
  });

  it('bounds by partial dates: "to 2019" includes every day of 2019', async () => {
    const { archive } = seed();
    const titles = async (args: Record<string, unknown>) => (await invoke(archive, 'items.list', { sort: 'title', desc: false, ...args })).map((i) => i.title);
    expect(await titles({ to: '2019' })).toEqual(['Alpha', 'beta']);
    expect(await titles({ from: '2019-10', to: '2020' })).toEqual(['beta', 'gamma']);
    expect(await titles({ from: '2020-07-03' })).toEqual(['delta', 'gamma']);
    // Typed on an Arabic keyboard, the same bounds; and a date set so is kept in ASCII digits.
    expect(await titles({ from: '٢٠٢٠-٠٧-٠٣' })).toEqual(['delta', 'gamma']);
    const { archive: a2, ids } = seed();
    expect((await invoke(a2, 'items.edit', { id: ids.epsilon!, set: { eventDate: '٢٠١٨-٠٥' } })).eventDate).toBe('2018-05');
    await expect(invoke(archive, 'items.list', { from: 'last week' })).rejects.toThrow(/a date must look like/);
  });

  it('counts what the same filters list', async () => {
    const { archive, ids } = seed();
    const count = async (args: Record<string, unknown>) => (await invoke(archive, 'items.count', args)).total;
    expect(await count({})).toBe(5);
    expect(await count({ kind: 'note' })).toBe(4);
    expect(await count({ tag: 'dhi qar' })).toBe(2);
    expect(await count({ collection: 'case a' })).toBe(1);
    expect(await count({ from: '2019', to: '2020-12' })).toBe(3);
    archive.trash(ids.beta!);
    expect(await count({})).toBe(4);
    expect(await count({ trash: true })).toBe(1);
    expect((await invoke(archive, 'items.list', { trash: true })).map((i) => i.title)).toEqual(['beta']);
    // Paging arguments belong to the list, not the count.
    await expect(invoke(archive, 'items.count', { limit: 10 })).rejects.toBeInstanceOf(ArchiveError);
  });

  it('says which of a selection the same filters still list, so a selection never holds an item gone from view', async () => {
    const { archive, ids } = seed();
    const among = async (args: Record<string, unknown>) => (await invoke(archive, 'items.among', args)).ids;
    const chosen = [ids.delta!, ids.Alpha!, ids.beta!];
    expect(await among({ ids: chosen })).toEqual(chosen);
    expect(await among({ ids: chosen, tag: 'dhi qar' })).toEqual([ids.delta, ids.Alpha]);
    archive.trash(ids.Alpha!);
    expect(await among({ ids: chosen, tag: 'dhi qar' })).toEqual([ids.delta]);
    expect(await among({ ids: chosen, trash: true })).toEqual([ids.Alpha]);
    archive.tag(ids.delta!, [], ['Dhi Qar']);
    expect(await among({ ids: chosen, tag: 'dhi qar' })).toEqual([]);
    // An id no item has is simply not among them; an empty selection asks nothing.
    expect(await among({ ids: ['0'.repeat(26), ids.beta!] })).toEqual([ids.beta]);
    expect(await among({ ids: [] })).toEqual([]);
    await expect(invoke(archive, 'items.among', { ids: chosen, limit: 10 })).rejects.toBeInstanceOf(ArchiveError);
  });

  it('names each item\'s sensitivity and the image or video to draw a thumbnail from', async () => {
    const archive = tmpArchive();
    await invoke(archive, 'archive.loadSample', {});
    const list = await invoke(archive, 'items.list', { limit: 100 });
    const testimony = list.find((i) => i.kind === 'testimony')!;
    expect(testimony.media?.mime).toBe('video/mp4');
    const file = archive.get(testimony.id).files.find((f) => f.id === testimony.media?.fileId);
    expect(file?.name).toBe(path.basename(path.join(SAMPLE_DIR, 'testimony', 'appeal.mp4')));
    expect(testimony.sensitivity).toBe('sensitive');
    expect(list.find((i) => i.kind === 'note')?.media).toBeNull();
    archive.edit(testimony.id, { sensitivity: 'graphic' });
    expect((await invoke(archive, 'items.list', { kind: 'testimony' }))[0]?.sensitivity).toBe('graphic');
  });
});

describe('the sidebar\'s tags and collections', () => {
  it('count live items only, and keep a label whose items are all in the trash at zero', async () => {
    const { archive, ids } = seed();
    const counts = async () => Object.fromEntries((await invoke(archive, 'labels.tags', {})).map((t) => [t.name, t.count]));
    expect(await counts()).toEqual({ 'Dhi Qar': 2, protests: 2 });
    archive.trash(ids.Alpha!);
    expect(await counts()).toEqual({ 'Dhi Qar': 1, protests: 1 });
    archive.trash(ids.beta!);
    expect(await counts()).toEqual({ 'Dhi Qar': 1, protests: 0 });
    expect(await invoke(archive, 'labels.collections', {})).toEqual([{ name: 'Case A', description: '', count: 0 }]);
    archive.restore(ids.beta!);
    expect((await invoke(archive, 'labels.collections', {}))[0]?.count).toBe(1);
    expect(await counts()).toEqual({ 'Dhi Qar': 1, protests: 1 });
  });
});

describe('labels.remove', () => {
  it('removes a tag or collection no item uses, and refuses one in use, live or in the trash, changing nothing', async () => {
    const { archive, ids } = seed();
    const names = async () => [(await invoke(archive, 'labels.tags', {})).map((t) => t.name), (await invoke(archive, 'labels.collections', {})).map((c) => c.name)];
    const custody = () => archive.db.prepare('SELECT count(*) AS n FROM custody_events').get() as { n: number };
    const events = custody().n;

    await expect(invoke(archive, 'labels.remove', { kind: 'tag', name: 'protests' })).rejects.toMatchObject({ code: 'conflict', message: 'The tag "protests" is on 2 items; take it off them first.' });
    await expect(invoke(archive, 'labels.remove', { kind: 'collection', name: 'case a' })).rejects.toMatchObject({ code: 'conflict', message: 'The collection "Case A" holds 1 item; take it out first.' });
    // Its only item in the trash: it stays, since a restored item comes back with its collections.
    archive.trash(ids.beta!);
    await expect(invoke(archive, 'labels.remove', { kind: 'collection', name: 'Case A' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'The collection "Case A" holds 1 item in the trash; it stays while that item could be restored.',
    });
    archive.restore(ids.beta!);
    expect(await names()).toEqual([['Dhi Qar', 'protests'], ['Case A']]);
    expect(custody().n).toBe(events + 2);

    // Taken off every item (each a change with its own event), the labels can go; names match as tags do.
    await invoke(archive, 'items.collect', { id: ids.beta!, collection: 'Case A', remove: true });
    await invoke(archive, 'items.tag', { id: ids.Alpha!, remove: ['dhi qar'] });
    await invoke(archive, 'items.tag', { id: ids.delta!, remove: ['Dhi Qar'] });
    expect(await invoke(archive, 'labels.remove', { kind: 'collection', name: ' CASE A ' })).toEqual({ removed: 'Case A' });
    expect(await invoke(archive, 'labels.remove', { kind: 'tag', name: 'DHI QAR' })).toEqual({ removed: 'Dhi Qar' });
    expect(await names()).toEqual([['protests'], []]);
    expect(archive.check().ok).toBe(true);

    await expect(invoke(archive, 'labels.remove', { kind: 'collection', name: 'Case A' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no collection named "Case A".' });
    await expect(invoke(archive, 'labels.remove', { kind: 'tag', name: 'nothing' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no tag named "nothing".' });
    await expect(invoke(archive, 'labels.remove', { kind: 'folder', name: 'x' })).rejects.toMatchObject({ code: 'invalid-argument' });
    // A removed collection comes back when an item is put in it again.
    await invoke(archive, 'items.collect', { id: ids.gamma!, collection: 'Case A' });
    expect((await invoke(archive, 'labels.collections', {})).map((c) => [c.name, c.count])).toEqual([['Case A', 1]]);
  });
});

describe('labels.rename', () => {
  const tagNames = async (archive: ReturnType<typeof seed>['archive']) => (await invoke(archive, 'labels.tags', {})).map((t) => [t.name, t.count]);
  const eventsSince = (archive: ReturnType<typeof seed>['archive'], seq: number) =>
    (archive.db.prepare('SELECT item_id AS itemId, action, details FROM custody_events WHERE seq > ? ORDER BY seq').all(seq) as { itemId: string; action: string; details: string }[]).map(
      (e) => [e.itemId, e.action, JSON.parse(e.details) as unknown],
    );
  const lastEvent = (archive: ReturnType<typeof seed>['archive']) => (archive.db.prepare('SELECT max(seq) AS n FROM custody_events').get() as { n: number }).n;

  it('renames a tag on every item that has it, in the trash too, each item recording it; search, facets and the quick switcher follow', async () => {
    const { archive, ids } = seed();
    archive.trash(ids.beta!);
    // The quick switcher has read the labels before the rename.
    expect((await invoke(archive, 'search.quick', { query: 'protests' })).filter((h) => h.type === 'tag').map((h) => h.title)).toEqual(['protests']);
    const before = lastEvent(archive);

    expect(await invoke(archive, 'labels.rename', { kind: 'tag', name: 'PROTESTS', to: '  Sit-ins ' })).toEqual({ from: 'protests', name: 'Sit-ins', items: 2, merged: false });
    expect(await tagNames(archive)).toEqual([['Dhi Qar', 2], ['Sit-ins', 1]]);
    expect(archive.get(ids.Alpha!).tags).toEqual(['Dhi Qar', 'Sit-ins']);
    expect(archive.get(ids.beta!).tags).toEqual(['Sit-ins']);
    expect(eventsSince(archive, before)).toEqual([
      [ids.beta, 'untag', { tags: ['protests'] }],
      [ids.beta, 'tag', { tags: ['Sit-ins'] }],
      [ids.Alpha, 'untag', { tags: ['protests'] }],
      [ids.Alpha, 'tag', { tags: ['Sit-ins'] }],
    ]);
    expect((await invoke(archive, 'items.list', { tag: 'sit-ins' })).map((i) => i.title)).toEqual(['Alpha']);
    expect(await invoke(archive, 'items.list', { tag: 'protests' })).toEqual([]);
    const found = await invoke(archive, 'search.query', { query: 'sit-ins' });
    expect(found.hits.map((h) => h.title)).toEqual(['Alpha']);
    expect(found.facets.tag.map((f) => f.value)).toContain('Sit-ins');
    expect((await invoke(archive, 'search.query', { query: 'protests' })).total).toBe(0);
    expect((await invoke(archive, 'search.quick', { query: 'sit' })).filter((h) => h.type === 'tag').map((h) => h.title)).toEqual(['Sit-ins']);

    // Only the way it is written: the same label, and the quick switcher sees the new spelling.
    expect(await invoke(archive, 'labels.rename', { kind: 'tag', name: 'sit-ins', to: 'Sit-Ins' })).toMatchObject({ name: 'Sit-Ins', items: 2, merged: false });
    expect((await invoke(archive, 'search.quick', { query: 'sit' })).filter((h) => h.type === 'tag').map((h) => h.title)).toEqual(['Sit-Ins']);
    // Written as it already is: nothing changes, nothing is recorded.
    const unchanged = lastEvent(archive);
    expect(await invoke(archive, 'labels.rename', { kind: 'tag', name: 'sit-ins', to: 'Sit-Ins' })).toEqual({ from: 'Sit-Ins', name: 'Sit-Ins', items: 0, merged: false });
    expect(lastEvent(archive)).toBe(unchanged);
    expect(archive.check().ok).toBe(true);
  });

  it('merges into the label already named so: items that had both lose only the old one', async () => {
    const { archive, ids } = seed();
    const before = lastEvent(archive);
    expect(await invoke(archive, 'labels.rename', { kind: 'tag', name: 'Dhi Qar', to: 'PROTESTS' })).toEqual({ from: 'Dhi Qar', name: 'protests', items: 2, merged: true });
    expect(await tagNames(archive)).toEqual([['protests', 3]]);
    expect(eventsSince(archive, before)).toEqual([
      [ids.Alpha, 'untag', { tags: ['Dhi Qar'] }],
      [ids.delta, 'untag', { tags: ['Dhi Qar'] }],
      [ids.delta, 'tag', { tags: ['protests'] }],
    ]);
    expect((await invoke(archive, 'search.query', { query: 'protests' })).hits.map((h) => h.title).sort()).toEqual(['Alpha', 'beta', 'delta']);
    expect((await invoke(archive, 'search.query', { query: '"dhi qar"' })).total).toBe(0);

    // Collections: the items keep the day they joined, and the case takes the description it lacked.
    archive.createCollection('Case B');
    await invoke(archive, 'items.collect', { id: ids.gamma!, collection: 'Case B' });
    archive.db.prepare("UPDATE collections SET description = 'Sit-in, Nasiriyah' WHERE name = 'Case A'").run();
    const joined = archive.db.prepare('SELECT added_at FROM collection_items ci JOIN items i ON i.seq = ci.item_seq WHERE i.id = ?').pluck().get(ids.beta!);
    expect(await invoke(archive, 'labels.rename', { kind: 'collection', name: 'case a', to: 'Case B' })).toEqual({ from: 'Case A', name: 'Case B', items: 1, merged: true });
    expect(await invoke(archive, 'labels.collections', {})).toEqual([{ name: 'Case B', description: 'Sit-in, Nasiriyah', count: 2 }]);
    expect(archive.db.prepare('SELECT added_at FROM collection_items ci JOIN items i ON i.seq = ci.item_seq WHERE i.id = ?').pluck().get(ids.beta!)).toBe(joined);
    expect(archive.history(ids.beta!).slice(-2).map((e) => [e.action, e.details])).toEqual([
      ['uncollect', { collection: 'Case A' }],
      ['collect', { collection: 'Case B' }],
    ]);
    expect(archive.check().ok).toBe(true);
  });

  it('reports its count over many items, and a cancel leaves every item as it was', async () => {
    const { archive } = seed();
    for (let i = 0; i < 1200; i++) archive.create({ kind: 'note', fields: { title: `Record ${i}`, body: 'Sit-in at the bridge' }, tags: ['checked'], collections: [] });
    const before = lastEvent(archive);
    const seen: unknown[] = [];
    const stop = new AbortController();
    await expect(
      invoke(archive, 'labels.rename', { kind: 'tag', name: 'checked', to: 'verified' }, {
        signal: stop.signal,
        progress: (event, p) => {
          seen.push([event, p]);
          stop.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled', message: 'Cancelled: none of the 1,200 items was changed.' });
    expect(seen).toEqual([['items.progress', { done: 500, total: 1200 }]]);
    expect(await tagNames(archive)).toEqual([['checked', 1200], ['Dhi Qar', 2], ['protests', 2]]);
    expect(lastEvent(archive)).toBe(before);
    expect((await invoke(archive, 'search.query', { query: 'checked' })).total).toBe(1200);

    seen.length = 0;
    expect(await invoke(archive, 'labels.rename', { kind: 'tag', name: 'checked', to: 'verified' }, { progress: (event, p) => seen.push([event, p]) })).toMatchObject({ items: 1200 });
    expect(seen.map((e) => (e as [string, { done: number }])[1].done)).toEqual([500, 1000, 1200]);
    expect((await invoke(archive, 'search.query', { query: 'verified' })).total).toBe(1200);
  });

  it('refuses an unknown label or an unusable new name, changing nothing', async () => {
    const { archive } = seed();
    const before = lastEvent(archive);
    await expect(invoke(archive, 'labels.rename', { kind: 'tag', name: 'riots', to: 'x' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no tag named "riots".' });
    await expect(invoke(archive, 'labels.rename', { kind: 'collection', name: 'Case Z', to: 'x' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no collection named "Case Z".' });
    await expect(invoke(archive, 'labels.rename', { kind: 'tag', name: 'protests', to: '   ' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(invoke(archive, 'labels.rename', { kind: 'tag', name: 'protests', to: '\u064b' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(invoke(archive, 'labels.rename', { kind: 'collection', name: 'Case A', to: 'x'.repeat(201) })).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(await tagNames(archive)).toEqual([['Dhi Qar', 2], ['protests', 2]]);
    expect(lastEvent(archive)).toBe(before);
  });
});

describe('labels.describe', () => {
  it('sets, replaces and clears what a collection is about; refuses an unknown one or an overlong text', async () => {
    const { archive } = seed();
    const described = async () => (await invoke(archive, 'labels.collections', {})).map((c) => [c.name, c.description]);
    expect(await invoke(archive, 'labels.describe', { name: 'case a', description: '  Sit-in at the bridge,\nNasiriyah 2019 \u2014 اعتصام الجسر ' })).toEqual({
      name: 'Case A',
      description: 'Sit-in at the bridge,\nNasiriyah 2019 \u2014 اعتصام الجسر',
    });
    expect(await described()).toEqual([['Case A', 'Sit-in at the bridge,\nNasiriyah 2019 \u2014 اعتصام الجسر']]);
    // Kept in NFC, as every name is.
    await invoke(archive, 'labels.describe', { name: 'Case A', description: 'Cafe\u0301' });
    expect(await described()).toEqual([['Case A', 'Caf\u00e9']]);
    // A rename keeps it.
    await invoke(archive, 'labels.rename', { kind: 'collection', name: 'Case A', to: 'Case: bridge' });
    expect(await described()).toEqual([['Case: bridge', 'Caf\u00e9']]);
    expect(await invoke(archive, 'labels.describe', { name: 'Case: bridge', description: ' ' })).toEqual({ name: 'Case: bridge', description: '' });
    expect(await described()).toEqual([['Case: bridge', '']]);

    await expect(invoke(archive, 'labels.describe', { name: 'Case Z', description: 'x' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no collection named "Case Z".' });
    await expect(invoke(archive, 'labels.describe', { name: 'Case: bridge', description: 'x'.repeat(10_001) })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('a description can be at most 10,000 characters'),
    });
    expect(await described()).toEqual([['Case: bridge', '']]);
  });
});

describe('archive.loadSample', () => {
  it('loads the demo archive once; a second call changes nothing', async () => {
    const archive = tmpArchive();
    expect(await invoke(archive, 'archive.loadSample', {})).toEqual({ loaded: true });
    const first = (await invoke(archive, 'items.count', {})).total;
    expect(first).toBeGreaterThanOrEqual(5);
    expect(await invoke(archive, 'archive.loadSample', {})).toEqual({ loaded: false });
    expect((await invoke(archive, 'items.count', {})).total).toBe(first);
  });
});
