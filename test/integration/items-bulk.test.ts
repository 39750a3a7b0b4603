// items.bulk, the library's multi-select: tag, collect, trash and restore many items in one call.
// All or nothing (one transaction), one custody event per item changed, the same events the
// one-item calls write, and a custody chain that still verifies. Through `invoke`, as every door calls it;
// the arguments are checked once on every path in (the CLI, the desktop door, browser mode).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { CallRegistry } from '../../electron/calls.ts';
import { main } from '../../electron/cli.ts';
import { EngineHost } from '../../electron/engineHost.ts';
import { dispatch } from '../../electron/ipcDispatch.ts';
import { cookieName, startServer } from '../../electron/server.ts';
import type { BulkProgressEvent } from '../../shared/api.ts';
import { CodedError, codedErrorValue, type ErrorValue } from '../../shared/errors.ts';
import { snapshotArchive, type ArchiveSnapshot } from '../support/archiveSnapshot.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

function seed(n: number): { archive: Archive; ids: string[] } {
  const archive = tmpArchive();
  const refs = archive.createMany(
    Array.from({ length: n }, (_, i) => ({ kind: 'note' as const, fields: { title: `Checkpoint report ${i + 1}`, body: `Seen at the bridge, day ${i + 1}` }, tags: i === 0 ? ['bridge'] : [] })),
  );
  return { archive, ids: refs.map((r) => ('id' in r ? r.id : '')) };
}

const eventCount = (archive: Archive) => (archive.db.prepare('SELECT count(*) AS n FROM custody_events').get() as { n: number }).n;
const actions = (archive: Archive, id: string) => archive.history(id).map((e) => e.action);

async function refusal(p: Promise<unknown>): Promise<ErrorValue> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CodedError) return codedErrorValue(err);
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('items.bulk', () => {
  it('tags every item not yet tagged, one custody event each, and search finds them by the tag', async () => {
    const { archive, ids } = seed(4);
    const before = eventCount(archive);
    // The first already has the tag; one id twice counts once.
    const result = await invoke(archive, 'items.bulk', { ids: [...ids, ids[1]], action: 'tag', name: 'bridge' });
    expect(result).toEqual({ changed: 3, unchanged: 1 });
    expect(eventCount(archive)).toBe(before + 3);
    expect(actions(archive, ids[0]!)).toEqual(['create']);
    for (const id of ids.slice(1)) {
      expect(actions(archive, id)).toEqual(['create', 'tag']);
      expect(archive.history(id)[1]?.details).toEqual({ tags: ['bridge'] });
    }
    expect(await invoke(archive, 'items.count', { tag: 'bridge' })).toEqual({ total: 4 });
    expect(archive.search('tag:bridge').total).toBe(4);
    expect(archive.check().ok).toBe(true);
  });

  it('adds to a collection, moves to the trash and restores, writing what the one-item calls write', async () => {
    const { archive, ids } = seed(3);
    const single = seed(1);
    expect(await invoke(archive, 'items.bulk', { ids, action: 'collect', name: 'Case 7' })).toEqual({ changed: 3, unchanged: 0 });
    expect(await invoke(archive, 'items.count', { collection: 'Case 7' })).toEqual({ total: 3 });
    expect(await invoke(archive, 'items.bulk', { ids, action: 'collect', name: 'Case 7' })).toEqual({ changed: 0, unchanged: 3 });

    expect(await invoke(archive, 'items.bulk', { ids: ids.slice(0, 2), action: 'trash' })).toEqual({ changed: 2, unchanged: 0 });
    expect(await invoke(archive, 'items.count', {})).toEqual({ total: 1 });
    expect(await invoke(archive, 'items.count', { trash: true })).toEqual({ total: 2 });
    expect(archive.search('checkpoint').total).toBe(1);
    // Restoring all three: the one never trashed is left as it was.
    expect(await invoke(archive, 'items.bulk', { ids, action: 'restore' })).toEqual({ changed: 2, unchanged: 1 });
    expect(archive.search('checkpoint').total).toBe(3);

    // The events are the ones the one-item calls write, detail for detail.
    const one = single.ids[0]!;
    await invoke(single.archive, 'items.collect', { id: one, collection: 'Case 7' });
    await invoke(single.archive, 'items.trash', { id: one });
    await invoke(single.archive, 'items.restore', { id: one });
    const shape = (a: Archive, id: string) => a.history(id).map((e) => ({ action: e.action, details: e.details }));
    expect(shape(archive, ids[0]!)).toEqual(shape(single.archive, one));
    expect(actions(archive, ids[2]!)).toEqual(['create', 'collect']);
    expect(archive.check().ok).toBe(true);
  });

  it('changes nothing when one id is unknown, wherever it is in the list', async () => {
    const { archive, ids } = seed(3);
    const before = eventCount(archive);
    const error = await refusal(invoke(archive, 'items.bulk', { ids: [...ids, 'zzzz9999zzzz9999zzzz9999zz'], action: 'tag', name: 'bridge-2' }));
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/zzzz9999zzzz9999zzzz9999zz.*None of the 4 items was changed/);
    expect(eventCount(archive)).toBe(before);
    expect(await invoke(archive, 'items.count', { tag: 'bridge-2' })).toEqual({ total: 0 });
    expect((await refusal(invoke(archive, 'items.bulk', { ids: ['zzzz9999zzzz9999zzzz9999zz', ...ids], action: 'trash' }))).code).toBe('not-found');
    expect(await invoke(archive, 'items.count', {})).toEqual({ total: 3 });
    expect(archive.check().ok).toBe(true);
  });

  it('names every unknown id in the refusal (a count past ten), and says nothing changed', async () => {
    const { archive, ids } = seed(3);
    const before = eventCount(archive);
    const unknown = ['zzzz9999zzzz9999zzzz9999zz', 'yyyy8888yyyy8888yyyy8888yy'];
    const error = await refusal(invoke(archive, 'items.bulk', { ids: [unknown[0], ...ids, unknown[1]], action: 'trash' }));
    expect(error).toMatchObject({ code: 'not-found', message: `No items have the ids ${unknown.join(', ')}. None of the 5 items was changed.` });
    // A malformed id is told apart from an unknown one.
    const mixed = await refusal(invoke(archive, 'items.bulk', { ids: [...ids, 'no!', unknown[0]], action: 'trash' }));
    expect(mixed.message).toBe(`No item has the id ${unknown[0]}. "no!" is not an item id (ids are 26 letters and digits; the first 4 or more are enough). None of the 5 items was changed.`);
    const many = Array.from({ length: 25 }, (_, i) => `zzzz9999zzzz9999zzzz${String(i).padStart(6, '0')}`);
    const long = await refusal(invoke(archive, 'items.bulk', { ids: [...ids, ...many], action: 'trash' }));
    expect(long.message).toBe(`No items have the ids ${many.slice(0, 10).join(', ')}. 15 more of the ids name no item. None of the 28 items was changed.`);
    // Past the ten named, a malformed id is not counted as unknown.
    const longMixed = await refusal(invoke(archive, 'items.bulk', { ids: [...ids, ...many.slice(0, 12), 'no!'], action: 'trash' }));
    expect(longMixed.message).toBe(`No items have the ids ${many.slice(0, 10).join(', ')}. 3 more ids were refused (unknown, ambiguous or malformed). None of the 16 items was changed.`);
    expect(eventCount(archive)).toBe(before);
    expect(await invoke(archive, 'items.count', {})).toEqual({ total: 3 });
  });

  it('is checked by the contract on every path in, refusing bad arguments with the same sentence', async () => {
    const dir = path.join(tmpDir(), 'archive');
    const setup = Archive.open(dir);
    const [id] = setup.createMany([{ kind: 'note', fields: { title: 'Checkpoint report', body: 'Seen at the bridge' } }]).map((r) => r.id);
    setup.close();
    // Each of these, were it not checked, would do something else: trash the item, fail inside
    // the engine, or be answered as an unknown id.
    const long = 'x'.repeat(65);
    const cases: [unknown, string][] = [
      [{ ids: [id], action: 'trash', name: 'Case 7' }, 'name: takes no name with trash.'],
      [{ ids: [id], action: 'tag' }, 'name: a tag name is required to tag.'],
      [{ ids: [id], action: 'collect', name: '  ' }, 'name: a name cannot be empty.'],
      [{ ids: [id, long], action: 'trash' }, 'ids.1: at most 64 characters.'],
    ];
    const srv = await startServer({ archiveDir: dir, rendererDir: tmpDir(), port: 0, log: () => undefined });
    try {
      const browser = async (args: unknown) => {
        const r = await fetch(`${srv.origin}/api/items.bulk`, {
          method: 'POST',
          headers: { Cookie: `${cookieName(srv.port)}=${srv.token}`, 'X-Sijil': '1', 'Content-Type': 'application/json' },
          body: JSON.stringify({ args }),
        });
        return ((await r.json()) as { error?: unknown }).error;
      };
      const desktop = async (args: unknown) => {
        const reply = await dispatch(srv.engine, new CallRegistry(), { channel: 'items.bulk', args, callId: undefined }, () => undefined);
        return reply.ok ? undefined : reply.error;
      };
      const engine = Archive.open(dir);
      try {
        for (const [args, message] of cases) {
          const label = JSON.stringify(args);
          const direct = await refusal(invoke(engine, 'items.bulk', args));
          expect({ code: direct.code, message: direct.message }, label).toEqual({ code: 'invalid-argument', message });
          // The phrase the interface says it by crosses both doors whole.
          expect(direct.phrase, label).toBeDefined();
          expect(await desktop(args), label).toEqual(direct);
          expect(await browser(args), label).toEqual(direct);
        }
        expect(actions(engine, id!)).toEqual(['create']);
      } finally {
        engine.close();
      }
    } finally {
      await srv.close();
    }
    // The command line parses at the same door (invoke), so it says the same.
    let err = '';
    const code = await main(['--archive', dir, 'rm', id!, long], { out: () => undefined, err: (t) => (err += t), isTTY: false });
    expect({ code, err }).toEqual({ code: 2, err: 'sijil: ids.1: at most 64 characters.' });
    const after = Archive.open(dir);
    try {
      expect(actions(after, id!)).toEqual(['create']);
      // What it accepts, it takes as parsed (the name trimmed).
      expect(await invoke(after, 'items.bulk', { ids: [id], action: 'tag', name: '  bridge-3 ' })).toEqual({ changed: 1, unchanged: 0 });
      expect(after.get(id!).tags).toEqual(['bridge-3']);
    } finally {
      after.close();
    }
  });

  it('rolls back the items already changed when a write fails part way (one transaction)', async () => {
    const { archive, ids } = seed(5);
    const before = eventCount(archive);
    // A real SQLite failure at the fourth item's custody event, after three items were tagged.
    archive.db.exec(`CREATE TEMP TRIGGER fail_fourth BEFORE INSERT ON custody_events WHEN NEW.item_id = '${ids[3]}' BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    try {
      await expect(invoke(archive, 'items.bulk', { ids, action: 'trash' })).rejects.toThrow(/simulated write failure/);
    } finally {
      archive.db.exec('DROP TRIGGER fail_fourth');
    }
    expect(eventCount(archive)).toBe(before);
    expect(await invoke(archive, 'items.count', { trash: true })).toEqual({ total: 0 });
    expect(archive.search('checkpoint').total).toBe(5);
    for (const id of ids) expect(actions(archive, id)).toEqual(['create']);
    expect(archive.check().ok).toBe(true);
    // And the same call succeeds once the failure is gone.
    expect(await invoke(archive, 'items.bulk', { ids, action: 'trash' })).toEqual({ changed: 5, unchanged: 0 });
  });

  it('refuses, with the field named, what cannot be done', async () => {
    const { archive, ids } = seed(1);
    const cases: [unknown, RegExp][] = [
      [{ ids, action: 'tag' }, /^name: a tag name is required to tag/],
      [{ ids, action: 'collect', name: '  ' }, /^name: /],
      [{ ids, action: 'trash', name: 'x' }, /^name: takes no name with trash/],
      [{ ids: [], action: 'trash' }, /^ids: select at least one item/],
      [{ ids, action: 'erase' }, /^action: must be one of: tag, collect, trash, restore/],
      [{ ids, action: 'trash', extra: 1 }, /extra is not an option/],
    ];
    for (const [args, message] of cases) {
      const error = await refusal(invoke(archive, 'items.bulk', args));
      expect(error.code, JSON.stringify(args)).toBe('invalid-argument');
      expect(error.message, JSON.stringify(args)).toMatch(message);
    }
    expect(actions(archive, ids[0]!)).toEqual(['create']);
  });

  it('tags 3,000 items in one call, each with its event, telling its progress, and the chain verifies', async () => {
    const { archive, ids } = seed(3000);
    const before = eventCount(archive);
    const cancelled = new AbortController();
    cancelled.abort();
    expect((await refusal(invoke(archive, 'items.bulk', { ids, action: 'tag', name: 'checkpoint-set' }, { signal: cancelled.signal }))).code).toBe('cancelled');
    expect(eventCount(archive)).toBe(before);
    const progress: unknown[] = [];
    const result = await invoke(archive, 'items.bulk', { ids, action: 'tag', name: 'checkpoint-set' }, { progress: (event, payload) => progress.push([event, payload]) });
    expect(result).toEqual({ changed: 3000, unchanged: 0 });
    expect(progress).toEqual([500, 1000, 1500, 2000, 2500, 3000].map((done) => ['items.progress', { done, total: 3000 }]));
    expect(eventCount(archive)).toBe(before + 3000);
    expect(await invoke(archive, 'items.count', { tag: 'checkpoint-set' })).toEqual({ total: 3000 });
    expect(archive.check()).toMatchObject({ ok: true, custodyChain: null });
  });
  it('holds the search index\'s tombstone merges while it runs, and puts them back after, cancelled or not', async () => {
    const { archive, ids } = seed(1200);
    // FTS5's 'deletemerge' for each word table, as the archive's connection reads it (10 when never set).
    const deleteMerge = () =>
      ['search_fts', 'search_stem', 'search_titles'].map((t) => (archive.db.prepare(`SELECT v FROM ${t}_config WHERE k = 'deletemerge'`).pluck().get() as number | undefined) ?? 10);
    expect(deleteMerge()).toEqual([10, 10, 10]);
    const during: number[][] = [];
    const controller = new AbortController();
    const bulk = (action: 'tag' | 'trash') =>
      invoke(archive, 'items.bulk', { ids, action, name: action === 'tag' ? 'held' : undefined }, {
        signal: controller.signal,
        progress: (_event, payload) => {
          during.push(deleteMerge());
          if (action === 'trash' && (payload as BulkProgressEvent).done === 500) controller.abort();
        },
      });
    expect(await bulk('tag')).toEqual({ changed: 1200, unchanged: 0 });
    expect(deleteMerge()).toEqual([10, 10, 10]);
    expect((await refusal(bulk('trash'))).code).toBe('cancelled');
    expect(deleteMerge()).toEqual([10, 10, 10]);
    // Read inside the transaction, at each report of both calls: held off throughout.
    expect(during).toEqual(Array(4).fill([0, 0, 0]));
    expect(archive.search('tag:held').total).toBe(1200);
    expect(archive.check()).toMatchObject({ ok: true, searchIndex: 'ok' });
  });

  it('undoes every item when cancelled part way, leaving the archive as it was', async () => {
    const { archive, ids } = seed(3000);
    const before = snapshotArchive(archive);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const call = invoke(archive, 'items.bulk', { ids, action: 'tag', name: 'checkpoint-set' }, {
      signal: controller.signal,
      progress: (_event, payload) => {
        seen.push(payload);
        if ((payload as BulkProgressEvent).done === 1500) controller.abort();
      },
    });
    expect(await refusal(call)).toMatchObject({ code: 'cancelled', message: 'Cancelled: none of the 3,000 items was changed.' });
    expect(seen).toEqual([500, 1000, 1500].map((done) => ({ done, total: 3000 })));
    expect(snapshotArchive(archive)).toEqual(before);
    // Nothing is left open: the same call then runs whole.
    expect(await invoke(archive, 'items.bulk', { ids, action: 'tag', name: 'checkpoint-set' })).toEqual({ changed: 3000, unchanged: 0 });
    expect(archive.check().ok).toBe(true);
  });

  it('is cancelled part way through the engine host, and a write asked for meanwhile runs after the rollback, kept', async () => {
    const dir = path.join(tmpDir(), 'archive');
    const setup = Archive.open(dir);
    const ids = setup.createMany(Array.from({ length: 10_000 }, (_, i) => ({ kind: 'note' as const, fields: { title: `Checkpoint report ${i + 1}` } }))).map((r) => r.id);
    setup.close();
    const snapshot = (): ArchiveSnapshot => {
      const archive = Archive.open(dir);
      try {
        return snapshotArchive(archive);
      } finally {
        archive.close();
      }
    };
    const before = snapshot();
    const host = await EngineHost.start(dir, { log: () => undefined });
    let note: Promise<unknown> | undefined;
    try {
      // The worker holds its thread for the whole transaction: the cancel reaches it on its own
      // port, read at the next progress report after the first.
      const controller = new AbortController();
      const seen: number[] = [];
      const call = host.invoke('items.bulk', { ids, action: 'trash' }, {
        signal: controller.signal,
        onProgress: (_event, payload) => {
          seen.push((payload as BulkProgressEvent).done);
          controller.abort();
        },
      });
      expect(await refusal(call)).toMatchObject({ code: 'cancelled', message: 'Cancelled: none of the 10,000 items was changed.' });
      expect(seen.at(-1)).toBeLessThan(10_000);
      await host.close();
      expect(snapshot()).toEqual(before);

      // A note asked for while the transaction runs waits for it, and is not undone with it.
      const again = await EngineHost.start(dir, { log: () => undefined });
      try {
        const second = new AbortController();
        const tagging = again.invoke('items.bulk', { ids, action: 'tag', name: 'bridge' }, {
          signal: second.signal,
          onProgress: () => {
            note ??= again.invoke('items.addNote', { title: 'Written during the bulk change', body: 'x' });
            second.abort();
          },
        });
        expect((await refusal(tagging)).code).toBe('cancelled');
        const { id } = (await note) as { id: string };
        expect(await again.invoke('items.count', { tag: 'bridge' })).toEqual({ total: 0 });
        expect(((await again.invoke('items.history', { id })) as { action: string }[]).map((e) => e.action)).toEqual(['create']);
        expect(await again.invoke('items.count', {})).toEqual({ total: 10_001 });
        expect(await again.invoke('archive.check', {})).toMatchObject({ ok: true });
      } finally {
        await again.close();
      }
    } finally {
      await host.close();
    }
  });
});
