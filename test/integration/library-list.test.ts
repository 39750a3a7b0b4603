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
