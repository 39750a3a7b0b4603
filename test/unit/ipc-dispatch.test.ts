// The desktop door's handling of one call (electron/ipcDispatch.ts), against the real engine in its
// worker thread on a real archive: validation before the engine is reached, results and errors as
// envelopes, progress tagged with the call's id, and calls.cancel stopping a running import.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRegistry } from '../../electron/calls.ts';
import { EngineHost } from '../../electron/engineHost.ts';
import { answer, dispatch, isFromAppWindow, type AppWindow, type Engine, type Envelope, type ProgressMessage, type SenderEvent } from '../../electron/ipcDispatch.ts';
import { tmpDir } from '../support/tmp.ts';

let host: EngineHost;
let archiveDir: string;
const calls = new CallRegistry();
// Counts what reaches the engine, to show that refused calls never get there.
let reached = 0;
const engine: Engine = {
  invoke(channel, args, options) {
    reached++;
    return host.invoke(channel, args, options);
  },
};

function call(channel: unknown, args?: unknown, callId?: unknown, progress: (m: ProgressMessage) => void = () => undefined): Promise<Envelope> {
  return dispatch(engine, calls, { channel, args, callId }, progress);
}

/** The refusal's code and English; its phrase (what the interface says) is checked where it matters. */
function errorOf(envelope: Envelope): { code: string; message: string } {
  if (envelope.ok) throw new Error(`expected an error, got ${JSON.stringify(envelope.value)}`);
  return { code: envelope.error.code, message: envelope.error.message };
}

beforeAll(async () => {
  archiveDir = path.join(tmpDir('ipc-'), 'archive');
  host = await EngineHost.start(archiveDir, { log: () => undefined });
});

afterAll(async () => {
  await host.close();
});

describe('refused at the door', () => {
  it.each([
    ['an unknown channel', 'items.drop', {}, 'There is no operation called items.drop.'],
    ['a prototype key', '__proto__', {}, 'There is no operation called __proto__.'],
    ['a number', 42, {}, 'There is no operation called (number).'],
    ['an object', { toString: 'x' }, {}, 'There is no operation called (object).'],
    ['null', null, {}, 'There is no operation called (null).'],
  ])('%s as the channel', async (_name, channel, args, message) => {
    const before = reached;
    expect(errorOf(await call(channel, args))).toEqual({ code: 'invalid-argument', message });
    expect(reached).toBe(before);
  });

  it.each([
    ['a wrong type', 'items.get', { id: 5 }, 'id: must be text.'],
    ['a missing field', 'items.get', {}, 'id: is required.'],
    ['an unknown option', 'archive.info', { drop: true }, 'drop is not an option here.'],
    ['an oversized value', 'search.query', { query: 'x'.repeat(10_001) }, 'a query can be at most 10,000 characters'],
    ['a list as arguments', 'items.get', ['a'], 'must be an object.'],
  ])('arguments with %s', async (_name, channel, args, message) => {
    const before = reached;
    const error = errorOf(await call(channel, args));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain(message);
    expect(reached).toBe(before);
  });

  it.each([[''], ['x'.repeat(101)], ['a b'], ['../x'], [7], [{}]])('the call id %j', async (callId) => {
    const error = errorOf(await call('archive.info', {}, callId));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/^callId:/);
  });
});

describe('answered by the engine', () => {
  it('returns the value in an envelope', async () => {
    const info = await call('archive.info', {});
    expect(info).toMatchObject({ ok: true, value: { dir: archiveDir, items: 0 } });
    // Missing arguments are an empty object, as in every door.
    expect(await call('archive.info', undefined)).toMatchObject({ ok: true });
  });

  it('creates and reads back an item', async () => {
    const created = await call('items.addNote', { title: 'Interview notes, Nasiriyah', body: 'أمّ سجّاد قالت' });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: string }).id;
    const got = await call('items.get', { id });
    expect(got).toMatchObject({ ok: true, value: { id, kind: 'note', title: 'Interview notes, Nasiriyah' } });
  });

  it('passes the engine’s errors on with their code and no stack', async () => {
    const error = errorOf(await call('items.get', { id: '01ABCDEFGHJKMNPQRSTVWXYZ00' }));
    expect(error.code).toBe('not-found');
    expect(error.message).not.toMatch(/\bat .+\.ts:\d+/);
  });
});

describe('progress and cancel', () => {
  let folder: string;
  beforeAll(() => {
    folder = path.join(tmpDir('ipc-import-'), 'notes');
    fs.mkdirSync(folder);
    for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(folder, `note-${String(i).padStart(3, '0')}.txt`), `Field note ${i}: a distinct text ${i * 7919}.\n`);
  });

  it('tags progress with the call id', async () => {
    const seen: ProgressMessage[] = [];
    const result = await call('import.paths', { paths: [path.join(folder, 'note-000.txt'), path.join(folder, 'note-001.txt')] }, 'call-progress-1', (m) => seen.push(m));
    expect(result.ok).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    for (const message of seen) {
      expect(message.callId).toBe('call-progress-1');
      expect(message.event).toBe('import.progress');
    }
    expect(seen.at(-1)?.payload).toMatchObject({ total: 2 });
  });

  it('stops a running import when calls.cancel names it', async () => {
    let cancel: Promise<Envelope> | null = null;
    const result = await call('import.paths', { paths: [folder] }, 'call-cancel-1', () => {
      cancel ??= call('calls.cancel', { callId: 'call-cancel-1' });
    });
    expect(await cancel).toEqual({ ok: true, value: { cancelled: true } });
    expect(errorOf(result).code).toBe('cancelled');
    // Once it has ended, the id is free again and cancelling it finds nothing running.
    expect(await call('calls.cancel', { callId: 'call-cancel-1' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(calls.size).toBe(0);
  });

  it('validates calls.cancel like any channel', async () => {
    expect(errorOf(await call('calls.cancel', {})).code).toBe('invalid-argument');
  });
});

// ipc.ts hands every call to `answer`: the sender is checked first, with Electron's objects
// reduced to what the check reads (the sending web contents, its frame, the frame's parent and URL).
describe('who may call', () => {
  interface Frame {
    url: string;
    parent: Frame | null;
  }
  function appWindow(url = 'sijil-app://app/#/library'): { window: AppWindow & { destroyed: boolean }; mainFrame: Frame; contents: object } {
    const mainFrame: Frame = { url, parent: null };
    const contents = { mainFrame };
    const window = {
      destroyed: false,
      isDestroyed() {
        return this.destroyed;
      },
      webContents: contents,
    };
    return { window, mainFrame, contents };
  }
  const from = (sender: object, senderFrame: Frame | null): SenderEvent => ({ sender, senderFrame });

  it('answers the app page in the main frame of the app window', async () => {
    const { window, mainFrame, contents } = appWindow();
    expect(isFromAppWindow(from(contents, mainFrame), window)).toBe(true);
    expect(await answer(engine, calls, { event: from(contents, mainFrame), window }, { channel: 'archive.info', args: {}, callId: undefined }, () => undefined)).toMatchObject({ ok: true });
  });

  it.each([
    ['a subframe of the app page (an archived article in its iframe)', 'subframe'],
    ['a same-origin subframe', 'same-origin-subframe'],
    ['a frame with no parent that is not the main frame', 'detached'],
    ['another window’s page', 'other-contents'],
    ['the app window after it was navigated elsewhere', 'navigated'],
    ['a frame that no longer exists', 'no-frame'],
    ['a closed window', 'destroyed'],
    ['no window at all', 'no-window'],
    ['the media origin', 'media'],
  ])('refuses %s before the engine sees it', async (_name, kind) => {
    const { window, mainFrame, contents } = appWindow(kind === 'navigated' ? 'https://example.org/' : kind === 'media' ? 'sijil-media://file/a/1' : undefined);
    let event: SenderEvent = from(contents, mainFrame);
    let target: AppWindow | null = window;
    if (kind === 'subframe') event = from(contents, { url: 'about:srcdoc', parent: mainFrame });
    if (kind === 'same-origin-subframe') event = from(contents, { url: 'sijil-app://app/', parent: mainFrame });
    if (kind === 'detached') event = from(contents, { url: 'sijil-app://app/', parent: null });
    if (kind === 'other-contents') event = from({ mainFrame }, mainFrame);
    if (kind === 'no-frame') event = from(contents, null);
    if (kind === 'destroyed') window.destroyed = true;
    if (kind === 'no-window') target = null;
    expect(isFromAppWindow(event, target)).toBe(false);
    const before = reached;
    const result = await answer(engine, calls, { event, window: target }, { channel: 'items.addNote', args: { title: 'from a frame', body: 'x' }, callId: 'frame-1' }, () => undefined);
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'This page may not use Sijil’s archive.', phrase: { key: 'doors.forbidden' } } });
    expect(reached).toBe(before);
  });
});
