// `sijil rm` and `sijil restore` with several ids: one items.bulk call (one transaction, one
// custody event per item changed), the items listed as before, and an unknown id refusing them all;
// Ctrl+C during that change, or during a rename of a label many items hold, changes none of them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli.ts';
import { Archive } from '../../electron/archive/index.ts';
import { runInPty } from '../support/pty.ts';
import { tmpDir } from '../support/tmp.ts';

async function sijil(archive: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--archive', archive, ...args], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTTY: false });
  return { code, out, err };
}

/** An archive of `n` notes, with their ids. */
function notes(n: number, tags: string[] = []): { dir: string; ids: string[] } {
  const dir = path.join(tmpDir(), 'archive');
  const archive = Archive.open(dir);
  try {
    const refs = archive.createMany(Array.from({ length: n }, (_, i) => ({ kind: 'note' as const, fields: { title: `Note ${i + 1}`, body: `Checkpoint ${i + 1}` }, tags })));
    return { dir, ids: refs.map((r) => r.id) };
  } finally {
    archive.close();
  }
}

function inspect<T>(dir: string, read: (archive: Archive) => T): T {
  const archive = Archive.open(dir);
  try {
    return read(archive);
  } finally {
    archive.close();
  }
}

const events = (dir: string) => inspect(dir, (a) => a.db.prepare('SELECT action, item_id AS itemId FROM custody_events ORDER BY seq').all() as { action: string; itemId: string }[]);

describe('sijil rm and restore with several ids', () => {
  it('moves them all in one go, listing each as before, and brings them back', async () => {
    const { dir, ids } = notes(3);
    const before = events(dir).length;
    const rm = await sijil(dir, 'rm', ids[0]!, ids[2]!.slice(0, 10));
    expect(rm).toEqual({
      code: 0,
      out: `Moved to the trash: ${ids[0]} "Note 1"\nMoved to the trash: ${ids[2]} "Note 3"\n(sijil restore ID brings an item back.)\n`,
      err: '',
    });
    expect(events(dir).slice(before)).toEqual([
      { action: 'delete', itemId: ids[0] },
      { action: 'delete', itemId: ids[2] },
    ]);
    // Already in the trash: said so, nothing written again.
    expect(await sijil(dir, 'rm', ids[0]!)).toEqual({ code: 0, out: `Already in the trash: ${ids[0]} "Note 1"\n`, err: '' });
    expect(events(dir).length).toBe(before + 2);
    expect((await sijil(dir, 'restore', ids[1]!, ids[2]!)).out).toBe(`Not in the trash, left as it was: ${ids[1]} "Note 2"\nRestored: ${ids[2]} "Note 3"\n`);
    expect(events(dir).length).toBe(before + 3);
    expect((await sijil(dir, 'rm', ids[2]!)).out).toBe(`Moved to the trash: ${ids[2]} "Note 3"\n(sijil restore ID brings an item back.)\n`);

    const restored = await sijil(dir, 'restore', ids[2]!, ids[0]!, '--json');
    expect(restored.code).toBe(0);
    expect((JSON.parse(restored.out) as { id: string; deletedAt: string | null }[]).map((i) => [i.id, i.deletedAt])).toEqual([
      [ids[2], null],
      [ids[0], null],
    ]);
    expect(inspect(dir, (a) => [a.count().items, a.check().ok])).toEqual([3, true]);
  });

  it('changes none of them when an id is unknown, and names every unknown id', async () => {
    const { dir, ids } = notes(3);
    const before = events(dir).length;
    const rm = await sijil(dir, 'rm', ids[0]!, 'zzzz9999zzzz9999zzzz9999zz', ids[1]!, 'yyyy8888');
    expect(rm).toEqual({
      code: 1,
      out: '',
      err: 'sijil: No items have the ids zzzz9999zzzz9999zzzz9999zz, yyyy8888. None of the 4 items was changed.\n',
    });
    // The items before the unknown id were not moved (they were, one by one, before items.bulk).
    expect(events(dir).length).toBe(before);
    expect(inspect(dir, (a) => a.count())).toMatchObject({ items: 3, trash: 0 });
    // One id alone reads as it always did.
    expect(await sijil(dir, 'restore', 'zzzz9999zzzz9999zzzz9999zz')).toEqual({ code: 1, out: '', err: 'sijil: No item has the id zzzz9999zzzz9999zzzz9999zz.\n' });
    expect(await sijil(dir, 'rm', ids[0]!, '--nope')).toMatchObject({ code: 2 });
  });

  it('moves a thousand items with one event each, and says nothing on stderr while it works', async () => {
    const { dir, ids } = notes(1200);
    const before = events(dir).length;
    const rm = await sijil(dir, 'rm', ...ids);
    expect(rm.code).toBe(0);
    expect(rm.err).toBe('');
    expect(rm.out.split('\n').filter((l) => l.startsWith('Moved to the trash: ')).length).toBe(1200);
    const written = events(dir).slice(before);
    expect(written.length).toBe(1200);
    expect(new Set(written.map((e) => e.itemId)).size).toBe(1200);
    expect(inspect(dir, (a) => [a.count().trash, a.check().custodyChain])).toEqual([1200, null]);
  });

  it('honours Ctrl+C in the middle of a long change: the process ends and none of the items moved', () => {
    // 20,000 items take about two seconds in one transaction, which holds the thread: a SIGINT
    // listener would run only after the commit, so the key is left to end the process.
    const { dir, ids } = notes(20_000);
    const before = events(dir).length;
    const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
    const run = runInPty([process.execPath, cli, '--archive', dir, 'rm', ...ids], [{ expect: 'Ctrl+C now leaves every one as it was.', send: '\x03', enter: false }]);
    expect(run.transcript).toContain('Moving 20000 items in one step');
    expect(run.answered).toBe(1);
    expect(run.status).toBe(130);
    expect(run.transcript).not.toContain('Moved to the trash');
    // SQLite rolled the transaction back: no item moved, no event written, the archive whole.
    expect(events(dir).length).toBe(before);
    expect(inspect(dir, (a) => [a.count(), a.check().ok])).toEqual([expect.objectContaining({ items: 20_000, trash: 0 }), true]);
  });

  it('honours Ctrl+C in the middle of renaming a tag many items hold: the process ends and every item keeps the old name', () => {
    const { dir, ids } = notes(20_000, ['Case A']);
    const before = events(dir).length;
    const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
    const run = runInPty([process.execPath, cli, '--archive', dir, 'tags', 'rename', 'Case A', 'Case B'], [
      { expect: 'Ctrl+C now leaves every one as it was.', send: '\x03', enter: false },
    ]);
    expect(run.transcript).toContain('Renaming the tag on 20000 items in one step');
    expect(run.answered).toBe(1);
    expect(run.status).toBe(130);
    expect(run.transcript).not.toContain('Renamed');
    expect(events(dir).length).toBe(before);
    const tags = inspect(dir, (a) => a.db.prepare('SELECT t.name, count(*) AS n FROM item_tags it JOIN tags t ON t.id = it.tag_id GROUP BY t.name').all());
    expect(tags).toEqual([{ name: 'Case A', n: ids.length }]);
    expect(inspect(dir, (a) => a.check().ok)).toBe(true);
  });
});
