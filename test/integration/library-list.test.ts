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
