// The engine host on real archives: calls cross to the worker thread and back, progress streams,
// cancel stops an import, errors cross as { code, message }, and a crashed worker is replaced.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/domain.ts';
import type { ArchiveInfo, ImportProgressEvent } from '../../shared/api.ts';
import { EngineHost, type EngineError, type Log } from '../../electron/engineHost.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

interface Logged {
  level: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

const hosts: EngineHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

async function startHost(env: Record<string, string> = {}): Promise<{ host: EngineHost; logged: Logged[]; dir: string }> {
  const logged: Logged[] = [];
  const log: Log = (level, message, details) => logged.push({ level, message, details });
  const dir = path.join(tmpDir('sijil-engine-'), 'archive');
  // The worker copies the environment when it starts: a fault set here applies to that worker only.
  Object.assign(process.env, env);
  try {
    const host = await EngineHost.start(dir, { log });
    hosts.push(host);
    return { host, logged, dir };
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
  }
}

/** A folder of `count` small text files with content unique to `tag`. */
function textFolder(count: number, tag: string): string {
  const dir = path.join(tmpDir('sijil-files-'), tag);
  for (let i = 0; i < count; i++) writeFile(dir, `note-${String(i).padStart(5, '0')}.txt`, `${tag} note number ${i}\nwitness statement text ${i * 7}\n`);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('expected the call to fail');
}

describe('calls', () => {
  let host: EngineHost;
  let dir: string;
  beforeAll(async () => {
    ({ host, dir } = await startHost());
  });

  it('a call crosses to the worker and back', async () => {
    const info = (await host.invoke('archive.info', {})) as ArchiveInfo;
    expect(info.dir).toBe(path.resolve(dir));
    expect(info.items).toBe(0);
  });

  it('a validation error comes back as { code, message } naming the field', async () => {
    const err = await rejection(host.invoke('items.get', { id: '' }));
    expect(err.code).toBe('invalid-argument');
    expect(err.message).toMatch(/^id: /);
    expect(err.stack ?? '').not.toMatch(/engineWorker|handlers\.ts/);
  });

  it('archive errors keep their code', async () => {
    const err = await rejection(host.invoke('items.get', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzz' }));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('zzzzzzzzzzzzzzzzzzzzzzzzzz');
  });

  it('an unknown channel is refused', async () => {
    const err = await rejection(host.invoke('items.dropAll', {}));
    expect(err.code).toBe('invalid-argument');
  });

  it('calls.cancel reaching the engine says nothing was cancelled (the doors answer it)', async () => {
    expect(await host.invoke('calls.cancel', { callId: 'abc' })).toEqual({ cancelled: false });
  });

  it('an import streams its progress, then its summary', async () => {
    const folder = textFolder(5, 'progress');
    const events: { event: string; payload: ImportProgressEvent }[] = [];
    const summary = (await host.invoke(
      'import.paths',
      { paths: [folder] },
      { onProgress: (event, payload) => events.push({ event, payload: payload as ImportProgressEvent }) },
    )) as ImportSummary;
    expect(summary.imported).toBe(5);
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['import.progress']));
    expect(events.at(-1)?.payload).toMatchObject({ done: 5, total: 5 });
    expect(events.map((e) => e.payload.done)).toEqual([...events.map((e) => e.payload.done)].sort((a, b) => a - b));
  });

  it('resolveMedia finds an imported file in the store, and nothing else', async () => {
    const file = writeFile(tmpDir(), 'statement.txt', 'the only copy of this statement\n');
    const summary = (await host.invoke('import.paths', { paths: [file] })) as ImportSummary;
    const outcome = summary.outcomes[0] as { itemId?: string };
    expect(outcome.itemId).toBeTruthy();
    const item = (await host.invoke('items.get', { id: outcome.itemId })) as { files: { id: number; name: string; mime: string; size: number }[] };
    const record = item.files[0]!;
    const media = await host.resolveMedia(outcome.itemId!, record.id);
    expect(media).toMatchObject({ mime: record.mime, size: record.size, name: 'statement.txt' });
    expect(fs.readFileSync(media!.path, 'utf8')).toBe('the only copy of this statement\n');
    expect(media!.path.startsWith(path.join(path.resolve(dir), 'blobs'))).toBe(true);

    expect(await host.resolveMedia(outcome.itemId!, record.id + 1000)).toBeNull();
    expect(await host.resolveMedia('0000000000000000000000000a', record.id)).toBeNull();
    expect(await host.resolveMedia(outcome.itemId!, 0)).toBeNull();
    expect(await host.resolveMedia('', record.id)).toBeNull();
  });

  it('a read is answered while a long import runs, and cancel stops the import', async () => {
    const folder = textFolder(1500, 'long');
    const before = ((await host.invoke('archive.info', {})) as ArchiveInfo).items;
    const controller = new AbortController();
    const order: string[] = [];
    let readStarted = false;
    const importing = host
      .invoke('import.paths', { paths: [folder] }, {
        signal: controller.signal,
        onProgress: () => {
          if (readStarted) return;
          readStarted = true;
          void host.invoke('archive.info', {}).then(() => {
            order.push('read answered');
            controller.abort();
          });
        },
      })
      .finally(() => order.push('import ended'));
    const err = await rejection(importing);
    expect(order).toEqual(['read answered', 'import ended']);
    expect(err.code).toBe('cancelled');
    expect(err.message).toMatch(/files? imported before that (?:are|is) in the archive/);
    const after = ((await host.invoke('archive.info', {})) as ArchiveInfo).items;
    expect(after - before).toBeLessThan(1500);
    expect(((await host.invoke('archive.check', {})) as { ok: boolean }).ok).toBe(true);
  });

  it('long calls run one after the other; short calls do not wait for them', async () => {
    const first = textFolder(400, 'first');
    const second = textFolder(3, 'second');
    const order: string[] = [];
    const a = host.invoke('import.paths', { paths: [first] }, { onProgress: () => order.at(-1) !== 'a' && order.push('a') });
    const b = host.invoke('import.paths', { paths: [second] }, { onProgress: () => order.at(-1) !== 'b' && order.push('b') });
    const tags = host.invoke('labels.tags', {}).then(() => order.push('short'));
    await Promise.all([a.then(() => order.push('a done')), b, tags]);
    expect(order.indexOf('short')).toBeLessThan(order.indexOf('a done'));
    // Every progress of b comes after a finished: a's and b's never interleave.
    const runs = order.filter((s) => s !== 'short').filter((s, i, all) => s !== all[i - 1]);
    expect(runs).toEqual(['a', 'a done', 'b']);
  });

  it('a long call cancelled while it waits its turn fails at once, without running', async () => {
    const first = textFolder(800, 'turn');
    const waiting = textFolder(3, 'waiter');
    const order: string[] = [];
    const controller = new AbortController();
    let asked = false;
    const a = host.invoke('import.paths', { paths: [first] }, {
      onProgress: () => {
        if (asked) return;
        asked = true;
        controller.abort();
      },
    });
    const b = host.invoke('import.paths', { paths: [waiting] }, { signal: controller.signal, onProgress: () => order.push('b ran') });
    const err = await rejection(b.finally(() => order.push('b ended')));
    await a.then(() => order.push('a done'));
    expect(err.code).toBe('cancelled');
    expect(order).toEqual(['b ended', 'a done']);
  });

  it('a signal aborted before the call means the call never starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(host.invoke('items.addNote', { title: 'never', body: 'x' }, { signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    const list = (await host.invoke('items.list', { kind: 'note', limit: 10_000 })) as { title: string }[];
    expect(list.some((i) => i.title === 'never')).toBe(false);
  });
});

describe('failures', () => {
  it('resolveMedia answers null when the blob is missing from the store', async () => {
    const { host, dir, logged } = await startHost();
    const file = writeFile(tmpDir(), 'lost.txt', 'this blob will go missing\n');
    const summary = (await host.invoke('import.paths', { paths: [file] })) as ImportSummary;
    const itemId = (summary.outcomes[0] as { itemId: string }).itemId;
    const item = (await host.invoke('items.get', { id: itemId })) as { files: { id: number; sha256: string }[] };
    const { id, sha256 } = item.files[0]!;
    fs.rmSync(path.join(dir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256));
    expect(await host.resolveMedia(itemId, id)).toBeNull();
    expect(logged.some((l) => l.level === 'warn' && l.message.includes('blob that is missing'))).toBe(true);
  });

  it('an unexpected error reaches people as a generic message; its details go to the log', async () => {
    const { host, logged } = await startHost({ SIJIL_TEST_ENGINE_FAULT: 'throw:archive.check' });
    const err = await rejection(host.invoke('archive.check', {}));
    expect(err.code).toBe('internal');
    expect(err.message).toBe('Something went wrong inside Sijil; the details are in its log.');
    const entry = logged.find((l) => l.message === 'a call failed unexpectedly');
    expect(entry?.details?.channel).toBe('archive.check');
    expect(JSON.stringify(entry?.details)).toMatch(/injected failure reading .*secret/);
    expect(JSON.stringify(entry?.details)).toMatch(/engineWorker\.ts/); // the stack is in the log
    // The engine carries on.
    expect(((await host.invoke('archive.info', {})) as ArchiveInfo).items).toBe(0);
  });

  it('a crashed worker fails its pending calls clearly and the next call starts a new one', async () => {
    const { host, logged } = await startHost({ SIJIL_TEST_ENGINE_FAULT: 'crash:archive.check' });
    const folder = textFolder(1500, 'crash');
    let crashing: Promise<unknown> | undefined;
    const importing = host.invoke('import.paths', { paths: [folder] }, {
      onProgress: () => {
        crashing ??= host.invoke('archive.check', {});
      },
    });
    const importErr = await rejection(importing);
    const checkErr = await rejection(crashing!);
    for (const err of [importErr, checkErr]) {
      expect(err.code).toBe('engine-stopped');
      expect(err.message).toMatch(/stopped unexpectedly.*starts again/);
    }
    expect(host.running).toBe(false);
    expect(logged.some((l) => l.message === 'the archive engine stopped unexpectedly')).toBe(true);

    // The fault was in the first worker's environment only: the new one works.
    const info = (await host.invoke('archive.info', {})) as ArchiveInfo;
    expect(host.running).toBe(true);
    expect(info.items).toBeLessThan(1500);
    const check = (await host.invoke('archive.check', {})) as { ok: boolean };
    expect(check.ok).toBe(true);
    const summary = (await host.invoke('import.paths', { paths: [folder] })) as ImportSummary;
    expect(summary.imported + summary.duplicates).toBe(1500);
    expect(((await host.invoke('archive.info', {})) as ArchiveInfo).items).toBe(1500);
  });

  it('close stops a running import, then every call fails with engine-stopped', async () => {
    const { host } = await startHost();
    const folder = textFolder(1500, 'closing');
    let closed: Promise<void> | undefined;
    const importing = host.invoke('import.paths', { paths: [folder] }, {
      onProgress: () => {
        closed ??= host.close();
      },
    });
    const err = await rejection(importing);
    expect(err.code).toBe('cancelled');
    await closed;
    expect(host.running).toBe(false);
    expect((await rejection(host.invoke('archive.info', {}))).code).toBe('engine-stopped');
    await expect(host.resolveMedia('aaaa', 1)).rejects.toMatchObject({ code: 'engine-stopped' });
  });

  it('an archive that cannot be opened fails start() with its own message', async () => {
    const file = writeFile(tmpDir(), 'not-a-folder', 'x');
    await expect(EngineHost.start(file)).rejects.toMatchObject({ code: 'archive-unreadable', message: expect.stringContaining('is a file') });
  });
});
