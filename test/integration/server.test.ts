// Browser mode on a real archive: a real server on 127.0.0.1, spoken to with raw HTTP requests so
// every header (Host, Cookie, Origin) is exactly what an attacker or a browser would send.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/domain.ts';
import { Archive } from '../../electron/archive/index.ts';
import { MEDIA_CSP } from '../../electron/media.ts';
import { CallRegistry } from '../../electron/calls.ts';
import { dispatch, type Engine } from '../../electron/ipcDispatch.ts';
import { APP_CSP, startServer, type SijilServer } from '../../electron/server.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: () => { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

const root = tmpDir('sijil-server-');
const archiveDir = path.join(root, 'archive');
const rendererDir = path.join(root, 'renderer');
const SECRET = 'the contents of a file outside the app';
writeFile(root, 'secret.txt', SECRET);
writeFile(rendererDir, 'index.html', '<!doctype html><title>Sijil</title><script type="module" src="./assets/app.js"></script>');
writeFile(rendererDir, 'assets/app.js', 'console.log("sijil");');
fs.symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'link.txt'));
const logged: { level: string; message: string }[] = [];

let srv: SijilServer;
let cookie: string;
beforeAll(async () => {
  srv = await startServer({
    archiveDir,
    rendererDir,
    port: 0,
    log: (level, message) => logged.push({ level, message }),
    uploads: { maxBatchBytes: 1 << 20 },
    maxJsonBytes: 1 << 20,
  });
  cookie = `sijil-${srv.port}=${srv.token}`;
});
afterAll(async () => {
  await srv?.close();
});

function request(
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string | Buffer | ((req: http.ClientRequest) => void) } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${srv.port}`, ...options.headers };
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path: target, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof options.body === 'function') options.body(req);
    else req.end(options.body);
  });
}

/** A signed-in POST from the Sijil page. */
function call(channel: string, args: unknown, extra: { callId?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = JSON.stringify(extra.callId === undefined ? { args } : { args, callId: extra.callId });
  return request('POST', `/api/${channel}`, {
    headers: { Cookie: cookie, 'X-Sijil': '1', 'Content-Type': 'application/json', ...extra.headers },
    body,
  });
}

function upload(batch: string, relPath: string, content: string | Buffer): Promise<Reply> {
  return request('POST', `/api/upload?path=${encodeURIComponent(relPath)}&batch=${encodeURIComponent(batch)}`, {
    headers: { Cookie: cookie, 'X-Sijil': '1', 'Content-Type': 'application/octet-stream' },
    body: content,
  });
}

type Progress = { callId: string; event: string; payload: unknown };

/** The server's event stream, collecting progress messages until closed. */
async function openEvents(): Promise<{ messages: Progress[]; until: (test: (m: Progress) => boolean) => Promise<void>; close: () => void }> {
  const messages: Progress[] = [];
  const waiters: { test: (m: Progress) => boolean; resolve: () => void }[] = [];
  const req = http.request({ host: '127.0.0.1', port: srv.port, path: '/api/events', headers: { Cookie: cookie, Accept: 'text/event-stream' }, agent: false });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', (r) => {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          // The first frame: the stream is open, so progress of any call started now arrives.
          if (frame.startsWith('retry:')) resolve(r);
          const data = /^event: progress\ndata: (.*)$/m.exec(frame);
          if (!data) continue;
          const message = JSON.parse(data[1] as string) as Progress;
          messages.push(message);
          for (const w of [...waiters]) {
            if (!w.test(message)) continue;
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return {
    messages,
    until: (test) => new Promise<void>((resolve) => (messages.some(test) ? resolve() : waiters.push({ test, resolve }))),
    close: () => {
      res.destroy();
      req.destroy();
    },
  };
}

function textFolder(count: number, tag: string): string {
  const dir = path.join(tmpDir('sijil-files-'), tag);
  for (let i = 0; i < count; i++) writeFile(dir, `n${String(i).padStart(5, '0')}.txt`, `${tag} statement ${i}\n`);
  return dir;
}

describe('signing in', () => {
  it('the printed address sets the cookie once and sends the browser to /', async () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const r = await request('GET', `/?token=${srv.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toEqual([`sijil-${srv.port}=${srv.token}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('a wrong token is refused and sets no cookie', async () => {
    const r = await request('GET', `/?token=${srv.token.slice(0, -1)}x`);
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it.each(['/', '/assets/app.js', '/media/aaaa/1', '/api/events', '/api/upload-root?batch=x'])('without the cookie, GET %s is 401', async (target) => {
    const r = await request('GET', target);
    expect(r.status).toBe(401);
    expect(r.body.toString()).not.toContain('sijil');
  });

  it('without the cookie a call is 401 with a message that says what to do', async () => {
    const r = await request('POST', '/api/archive.info', { headers: { 'X-Sijil': '1' }, body: '{"args":{}}' });
    expect(r.status).toBe(401);
    // With its phrase, so that the page says it in Arabic too.
    expect(r.json()).toEqual({ ok: false, error: { code: 'unauthorised', message: expect.stringContaining('?token='), phrase: { key: 'doors.notSignedIn' } } });
  });

  it('a wrong cookie is 403', async () => {
    const r = await request('GET', '/', { headers: { Cookie: `sijil-${srv.port}=` + 'A'.repeat(43) } });
    expect(r.status).toBe(403);
    const call = await request('POST', '/api/archive.info', { headers: { Cookie: `other=1; sijil=${srv.token}; sijil-${srv.port}=nope`, 'X-Sijil': '1' }, body: '{}' });
    expect(call.status).toBe(403);
  });

  it.each(['evil.example', `evil.example:${0}`, '127.0.0.1', '127.0.0.1:1', '[::1]', '127.0.0.1.nip.io', ''])(
    'Host %j is refused (DNS rebinding), even with the cookie',
    async (host) => {
      const value = host.endsWith(':0') ? host.replace(':0', `:${srv.port}`) : host;
      const r = await request('GET', '/', { headers: { Host: value, Cookie: cookie } });
      expect(r.status).toBe(403);
      expect(r.body.toString()).not.toContain('<title>Sijil');
      const t = await request('GET', `/?token=${srv.token}`, { headers: { Host: value } });
      expect(t.status).toBe(403);
      expect(t.headers['set-cookie']).toBeUndefined();
    },
  );

  it('localhost with our port is accepted', async () => {
    const r = await request('GET', '/', { headers: { Host: `LocalHost:${srv.port}`, Cookie: cookie } });
    expect(r.status).toBe(200);
  });

  it.each([
    ['no X-Sijil', {}],
    ['X-Sijil other than 1', { 'X-Sijil': 'true' }],
    ['another Origin', { 'X-Sijil': '1', Origin: 'http://evil.example' }],
    ['a cross-site fetch', { 'X-Sijil': '1', 'Sec-Fetch-Site': 'cross-site' }],
  ])('a POST with %s is refused', async (_what, headers) => {
    const r = await request('POST', '/api/items.addNote', { headers: { Cookie: cookie, ...headers }, body: JSON.stringify({ args: { title: 'forged', body: 'x' } }) });
    expect(r.status).toBe(403);
    const list = (await call('items.list', { kind: 'note' })).json().value as { title: string }[];
    expect(list.some((i) => i.title === 'forged')).toBe(false);
  });

  it('the page itself (same Origin, same-origin fetch) may POST', async () => {
    const r = await call('archive.info', {}, { headers: { Origin: `http://127.0.0.1:${srv.port}`, 'Sec-Fetch-Site': 'same-origin' } });
    expect(r.status).toBe(200);
  });
});

describe('the contract over HTTP', () => {
  it('a call round trip', async () => {
    const r = await call('items.addNote', { title: 'Round trip', body: 'a note through browser mode' });
    expect(r.status).toBe(200);
    const created = r.json();
    expect(created.ok).toBe(true);
    const id = (created.value as { id: string }).id;
    const got = (await call('items.get', { id })).json();
    expect(got).toMatchObject({ ok: true, value: { id, title: 'Round trip' } });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('a validation error comes back as { code, message } with 400', async () => {
    const r = await call('items.get', { id: '' });
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: 'id: an item id is required.',
        // What the interface says it by, in its own language.
        phrase: { key: 'validation.field', values: { field: 'id', rule: { key: 'schema.itemIdRequired' } } },
      },
    });
  });

  it('not-found is 404 with its message', async () => {
    const r = await call('items.get', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzz' });
    expect(r.status).toBe(404);
    expect(r.json().error?.code).toBe('not-found');
  });

  it('refuses archive.choose: browser mode serves the folder it was started with, and says how to use another', async () => {
    const r = await call('archive.choose', {});
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('--archive FOLDER'), phrase: { key: 'doors.chooseArchiveElsewhere' } });
  });

  it.each(['items.dropAll', 'upload-roots', '__proto__', 'constructor', '..%2Fitems.list', 'items.list%00'])('channel %s does not exist (404)', async (channel) => {
    const r = await call(channel, {});
    expect(r.status).toBe(404);
    expect(r.json().error?.code).toBe('invalid-argument');
  });

  it('bodies that are not a call are refused', async () => {
    const headers = { Cookie: cookie, 'X-Sijil': '1' };
    expect((await request('POST', '/api/archive.info', { headers, body: '{not json' })).status).toBe(400);
    expect((await request('POST', '/api/archive.info', { headers, body: '[1]' })).status).toBe(400);
    expect((await request('POST', '/api/archive.info', { headers, body: JSON.stringify({ args: {}, callId: 'x'.repeat(101) }) })).status).toBe(400);
    const big = await request('POST', '/api/items.addNote', { headers, body: JSON.stringify({ args: { title: 't', body: 'x'.repeat(2 << 20) } }) });
    expect(big.status).toBe(413);
    expect(big.json().error?.message).toMatch(/at most/);
    expect((await request('GET', '/api/archive.info', { headers })).status).toBe(405);
  });

  it('progress reaches the event stream during import.paths, tagged with the call id', async () => {
    const events = await openEvents();
    try {
      const folder = textFolder(4, 'sse');
      const r = await call('import.paths', { paths: [folder] }, { callId: 'progress-1' });
      expect(r.json()).toMatchObject({ ok: true, value: { imported: 4 } });
      await events.until((m) => m.callId === 'progress-1' && (m.payload as { done: number }).done === 4);
      const mine = events.messages.filter((m) => m.callId === 'progress-1');
      expect(mine.length).toBeGreaterThanOrEqual(4);
      expect(mine.every((m) => m.event === 'import.progress')).toBe(true);
      expect(mine.some((m) => (m.payload as { done: number; total: number }).done === 4)).toBe(true);
    } finally {
      events.close();
    }
  });

  it('calls.cancel stops a running import; the call answers cancelled', async () => {
    const events = await openEvents();
    try {
      const folder = textFolder(1500, 'cancel');
      const running = call('import.paths', { paths: [folder] }, { callId: 'long-1' });
      await events.until((m) => m.callId === 'long-1');
      const cancel = await call('calls.cancel', { callId: 'long-1' });
      expect(cancel.json()).toEqual({ ok: true, value: { cancelled: true } });
      const r = await running;
      expect(r.status).toBe(409);
      expect(r.json().error).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/cancelled/) });
      const info = (await call('archive.info', {})).json().value as { items: number };
      expect(info.items).toBeLessThan(1500);
    } finally {
      events.close();
    }
  });

  it('refuses the call ids the desktop door refuses, with the same answer, and takes the ones it takes', async () => {
    // The desktop door never reaches its engine for these: the id is refused first.
    const desktop: Engine = { invoke: () => Promise.reject(new Error('the engine was reached')) };
    for (const callId of ['', 'x'.repeat(101), 'a b', '../x', 'a/b', 'ünïcode', 'line\nbreak', 7, {}, null]) {
      const headers = { Cookie: cookie, 'X-Sijil': '1', 'Content-Type': 'application/json' };
      const r = await request('POST', '/api/archive.info', { headers, body: JSON.stringify({ args: {}, callId }) });
      expect(r.status, JSON.stringify(callId)).toBe(400);
      const envelope = await dispatch(desktop, new CallRegistry(), { channel: 'archive.info', args: {}, callId }, () => undefined);
      expect(r.json(), JSON.stringify(callId)).toEqual(envelope);
      expect(r.json().error?.message).toMatch(/^callId: /);
    }
    for (const callId of ['x'.repeat(100), 'b7f3c1e2-9a4d-4e8b-8f1a-2c3d4e5f6a7b', 'import:1.part_2']) {
      expect((await call('archive.info', {}, { callId })).json().ok, callId).toBe(true);
    }
    expect((await call('calls.cancel', { callId: 'a b' })).json().error?.message).toMatch(/^callId: /);
  });

  it('calls.cancel of no running call answers false; a bad id is a validation error', async () => {
    expect((await call('calls.cancel', { callId: 'nothing-runs' })).json()).toEqual({ ok: true, value: { cancelled: false } });
    expect((await call('calls.cancel', { callId: '' })).status).toBe(400);
    expect((await call('calls.cancel', {})).status).toBe(400);
  });

  it('a cancel read before its call still stops it', async () => {
    expect((await call('calls.cancel', { callId: 'early-1' })).json().value).toEqual({ cancelled: false });
    const r = await call('import.paths', { paths: [textFolder(3, 'early')] }, { callId: 'early-1' });
    expect(r.json().error?.code).toBe('cancelled');
  });
});

describe('uploads', () => {
  it('a dropped folder uploads into staging and imports whole; the staging is removed after', async () => {
    const batch = 'batch-nested';
    const sent = { 'Case 7/statement.txt': 'statement of the mother\n', 'Case 7/sub/أمّ.txt': 'شهادة الأم\n', 'loose.txt': 'a loose note\n' };
    const paths: string[] = [];
    for (const [rel, content] of Object.entries(sent)) {
      const r = await upload(batch, rel, content);
      expect(r.status).toBe(200);
      paths.push((r.json().value as { path: string }).path);
    }
    const rootReply = (await request('GET', `/api/upload-root?batch=${batch}`, { headers: { Cookie: cookie } })).json();
    const stage = (rootReply.value as { path: string }).path;
    expect(stage.startsWith(path.join(archiveDir, 'tmp') + path.sep)).toBe(true);
    for (const [i, [rel, content]] of Object.entries(sent).entries()) {
      expect(paths[i]).toBe(path.join(stage, ...rel.split('/')));
      expect(fs.readFileSync(paths[i]!, 'utf8')).toBe(content);
    }
    // The CLI opening the archive meanwhile cleans tmp/ of dead processes' leftovers, not this.
    execFileSync(process.execPath, [path.resolve('electron/cli.ts'), '--archive', archiveDir, 'info'], { stdio: 'ignore' });
    expect(fs.existsSync(paths[1]!)).toBe(true);

    const events = await openEvents();
    try {
      const r = await call('import.paths', { paths: [stage] }, { callId: 'upload-import' });
      const summary = r.json().value as ImportSummary;
      expect(summary.imported).toBe(3);
      // Named as they were dropped, not by the staging folder's name.
      expect(summary.outcomes.map((o) => o.path).sort()).toEqual(Object.keys(sent).sort());
      await events.until((m) => m.callId === 'upload-import' && (m.payload as { done: number }).done === 3);
      const shown = events.messages.filter((m) => m.callId === 'upload-import').map((m) => (m.payload as { path: string }).path);
      expect(shown.every((p) => Object.keys(sent).includes(p))).toBe(true);
    } finally {
      events.close();
    }
    expect(fs.existsSync(stage)).toBe(false);
  });

  it('importing part of a drop removes that part; the rest stays until it is imported', async () => {
    const a = (await upload('partial', 'Folder/a.txt', 'partial drop a\n')).json().value as { path: string };
    const b = (await upload('partial', 'b.txt', 'partial drop b\n')).json().value as { path: string };
    const folder = path.dirname(a.path);
    await call('import.paths', { paths: [folder] });
    expect(fs.existsSync(folder)).toBe(false);
    expect(fs.existsSync(b.path)).toBe(true);
    await call('import.paths', { paths: [b.path] });
    expect(fs.existsSync(path.dirname(b.path))).toBe(false);
  });

  it.each([
    ['../escape.txt'],
    ['a/../../escape.txt'],
    ['/etc/escape.txt'],
    ['C:/escape.txt'],
    ['a\\..\\escape.txt'],
    ['./a.txt'],
    ['a//b.txt'],
    ['a\u0000b.txt'],
    ['a\nb.txt'],
    ['x'.repeat(256)],
    [`${'d/'.repeat(70)}x.txt`],
    [''],
  ])('upload path %j is refused (400) and nothing is written', async (rel) => {
    const before = listTree(root);
    const r = await upload('bad-paths', rel, 'should not land anywhere');
    expect(r.status).toBe(400);
    expect(r.json().error?.code).toBe('invalid-argument');
    const added = listTree(root).filter((f) => !before.includes(f) && !fs.statSync(f).isDirectory());
    expect(added).toEqual([]);
  });

  it.each(['../b', '', 'a/b', 'x'.repeat(101)])('batch id %j is refused', async (batch) => {
    expect((await upload(batch, 'ok.txt', 'x')).status).toBe(400);
    expect((await request('GET', `/api/upload-root?batch=${encodeURIComponent(batch)}`, { headers: { Cookie: cookie } })).status).toBe(400);
  });

  it('the same name twice in one drop is a conflict', async () => {
    expect((await upload('twice', 'same.txt', 'one')).status).toBe(200);
    const r = await upload('twice', 'same.txt', 'two');
    expect(r.status).toBe(409);
    expect(r.json().error?.code).toBe('conflict');
  });

  it('a drop larger than the limit is refused with a clear error, and what was written is removed', async () => {
    const declared = await upload('big', 'big.bin', Buffer.alloc((1 << 20) + 1));
    expect(declared.status).toBe(413);
    expect(declared.json().error).toMatchObject({ code: 'too-large', message: expect.stringMatching(/smaller groups/) });
    // Without a length up front the limit is found mid-stream.
    const streamed = await request('POST', `/api/upload?path=chunked.bin&batch=big`, {
      headers: { Cookie: cookie, 'X-Sijil': '1', 'Transfer-Encoding': 'chunked' },
      body: (req) => {
        for (let i = 0; i < 40; i++) req.write(Buffer.alloc(64 << 10));
        req.end();
      },
    });
    expect(streamed.status).toBe(413);
    const stage = (await request('GET', '/api/upload-root?batch=big', { headers: { Cookie: cookie } })).json().value as { path: string };
    expect(fs.readdirSync(stage.path)).toEqual([]);
  });

  it('an upload larger than the disk has room for is refused as disk-full before a byte is read', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: srv.port,
        method: 'POST',
        path: '/api/upload?path=huge.bin&batch=huge',
        headers: { Cookie: cookie, 'X-Sijil': '1', 'Content-Length': String(2 ** 50) },
        agent: false,
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(reply.status).toBe(507);
    expect(reply.json().error).toMatchObject({ code: 'disk-full', message: expect.stringMatching(/^Not enough free disk space for huge\.bin/) });
  });
});

describe('media through the server', () => {
  let itemId: string;
  let fileId: number;
  const content = 'ABCDEFGHIJ the media through browser mode';
  beforeAll(async () => {
    const file = writeFile(tmpDir(), 'clip.txt', content);
    const summary = (await call('import.paths', { paths: [file] })).json().value as ImportSummary;
    itemId = (summary.outcomes[0] as { itemId: string }).itemId;
    const item = (await call('items.get', { id: itemId })).json().value as { files: { id: number }[] };
    fileId = item.files[0]!.id;
  });

  it('Range answers 206 with the exact bytes', async () => {
    const r = await request('GET', `/media/${itemId}/${fileId}`, { headers: { Cookie: cookie, Range: 'bytes=2-5' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 2-5/${content.length}`);
    expect(r.headers['content-length']).toBe('4');
    expect(r.body.toString()).toBe('CDEF');
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers['content-security-policy']).toBe(MEDIA_CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('whole file, HEAD, 416 and unknown ids', async () => {
    const whole = await request('GET', `/media/${itemId}/${fileId}`, { headers: { Cookie: cookie } });
    expect(whole.status).toBe(200);
    expect(whole.body.toString()).toBe(content);
    const head = await request('HEAD', `/media/${itemId}/${fileId}`, { headers: { Cookie: cookie } });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(content.length));
    expect(head.body.length).toBe(0);
    const beyond = await request('GET', `/media/${itemId}/${fileId}`, { headers: { Cookie: cookie, Range: `bytes=${content.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${content.length}`);
    expect((await request('GET', `/media/${itemId}/${fileId + 999}`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request('GET', `/media/0000000000000000000000000a/1`, { headers: { Cookie: cookie } })).status).toBe(404);
  });
});

describe('static files', () => {
  it('the app is served with the strict CSP and frame protection', async () => {
    const r = await request('GET', '/', { headers: { Cookie: cookie } });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>Sijil</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(APP_CSP);
    expect(APP_CSP).toMatch(/script-src 'self'( 'wasm-unsafe-eval')?;/);
    expect(APP_CSP).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(APP_CSP).toMatch(/frame-ancestors 'none'/);
    expect(APP_CSP).toMatch(/object-src 'none'/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const js = await request('GET', '/assets/app.js', { headers: { Cookie: cookie } });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log("sijil");');
    // Content-named by the build: kept by the browser (and its compiled code with it) across launches.
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  it('an app route without a file extension gets the app; a missing file is 404', async () => {
    const route = await request('GET', '/library/items', { headers: { Cookie: cookie } });
    expect(route.status).toBe(200);
    expect(route.body.toString()).toContain('<title>Sijil</title>');
    expect(route.headers['cache-control']).toBe('no-cache');
    expect((await request('GET', '/assets/missing.js', { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request('POST', '/index.html', { headers: { Cookie: cookie, 'X-Sijil': '1' } })).status).toBe(405);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00',
    '/index.html%00.js',
    '/%c0%ae%c0%ae/secret.txt',
    '/link.txt',
    '/media/../../secret.txt',
    '/media/%2e%2e/%2e%2e/secret.txt',
    '/media/..%2f..%2fsecret.txt/1',
    '//etc/passwd',
    '/api/..%2f..%2fsecret.txt',
  ])('%s never leaves the app folder', async (target) => {
    const r = await request('GET', target, { headers: { Cookie: cookie } });
    expect(r.body.toString()).not.toContain(SECRET);
    expect(r.body.toString()).not.toMatch(/root:x:0/);
    // An app route (no extension) gets the app itself; anything else is refused.
    if (r.status === 200) expect(r.body.toString()).toContain('<title>Sijil</title>');
    else expect([400, 404, 405]).toContain(r.status);
  });
});

// Every answer the server gives carries a policy, and none allows inline script or a remote
// source: the app's pages get the app's policy, everything else (errors, JSON, the event stream,
// sign-in) one that lets nothing load or run at all.
describe('a CSP on every response', () => {
  function directives(csp: string): Map<string, string[]> {
    return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
  }

  it.each<[string, () => Promise<Reply | http.IncomingMessage>]>([
    ['the app page', () => request('GET', '/', { headers: { Cookie: cookie } })],
    ['an asset', () => request('GET', '/assets/app.js', { headers: { Cookie: cookie } })],
    ['an app route', () => request('GET', '/library', { headers: { Cookie: cookie } })],
    ['a missing file', () => request('GET', '/assets/missing.js', { headers: { Cookie: cookie } })],
    ['a bad path', () => request('GET', '/%00', { headers: { Cookie: cookie } })],
    ['a wrong method', () => request('PUT', '/index.html', { headers: { Cookie: cookie } })],
    ['no cookie', () => request('GET', '/')],
    ['a wrong cookie', () => request('GET', '/', { headers: { Cookie: `sijil-${srv.port}=nope` } })],
    ['a foreign Host', () => request('GET', '/', { headers: { Host: 'evil.example', Cookie: cookie } })],
    ['the sign-in redirect', () => request('GET', `/?token=${srv.token}`)],
    ['a wrong token', () => request('GET', '/?token=wrong')],
    ['a call', () => call('archive.info', {})],
    ['a refused call', () => call('items.get', { id: 5 })],
    ['an unknown channel', () => call('items.drop', {})],
    ['a cross-site POST', () => request('POST', '/api/archive.info', { headers: { Cookie: cookie, 'X-Sijil': '1', Origin: 'https://evil.example' }, body: '{}' })],
    ['media that does not exist', () => request('GET', '/media/nothing/1', { headers: { Cookie: cookie } })],
    [
      'the event stream',
      () =>
        new Promise<http.IncomingMessage>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: srv.port, path: '/api/events', headers: { Cookie: cookie }, agent: false }, (res) => {
            resolve(res);
            res.destroy();
          });
          req.on('error', reject);
          req.end();
        }),
    ],
  ])('%s', async (_name, send) => {
    const reply = await send();
    const header = reply.headers['content-security-policy'];
    expect(typeof header, `status ${'status' in reply ? reply.status : reply.statusCode}`).toBe('string');
    const csp = directives(header as string);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src') ?? []).not.toContain("'unsafe-inline'");
    expect(csp.get('script-src') ?? []).not.toContain("'unsafe-eval'");
    for (const [name, values] of csp) for (const v of values) expect(v, `${name} ${v}`).not.toMatch(/^(\*|https?:|wss?:|file:|data:.*script)/);
    const html = String(reply.headers['content-type'] ?? '').startsWith('text/html');
    if (html) expect(header).toBe(APP_CSP);
    // Only the app's own pages may run script at all (its bundled files); nothing else may.
    if (header !== APP_CSP) expect(csp.has('script-src')).toBe(false);
  });
});

describe('the command', () => {
  const serveTs = path.resolve('electron/serve.ts');

  function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [serveTs, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = new Promise<string>((resolve) => {
      child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout.split('\n')[0] as string));
      void exited.then(() => resolve(stdout.split('\n')[0] as string));
    });
    return { child, exited, line, output: () => ({ stdout, stderr }) };
  }

  it('prints the address line, serves, cleans a dead run’s staging, and stops on SIGTERM', async () => {
    const dir = path.join(tmpDir(), 'archive');
    // A staging folder a server that died left behind (its pid cannot exist).
    const host = os.hostname().replace(/[^A-Za-z0-9]/g, '_').slice(0, 40) || 'host';
    Archive.open(dir).close();
    const dead = writeFile(path.join(dir, 'tmp', `${host}-4194305-0123456789abcdef.part`), 'Case/x.txt', 'left behind');
    const proc = run(['--archive', dir, '--port', '0'], { SIJIL_RENDERER_DIR: rendererDir });
    const line = await proc.line;
    const m = /^Sijil is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(line);
    expect(m, proc.output().stderr).not.toBeNull();
    expect(fs.existsSync(dead)).toBe(false);
    const reply = await new Promise<number>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: Number(m![1]), path: `/?token=${m![2]}`, agent: false }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    expect(reply).toBe(303);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('says how to build the app when it is missing', async () => {
    const proc = run(['--archive', path.join(tmpDir(), 'a')], { SIJIL_RENDERER_DIR: path.join(tmpDir(), 'nothing') });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr.trim()).toBe('The browser app is not built: run npm run build:renderer first (npm run serve builds it and starts Sijil).');
  });

  it('an archive that cannot be opened is one sentence and exit 1', async () => {
    const file = writeFile(tmpDir(), 'not-a-folder', 'x');
    const proc = run(['--archive', file], { SIJIL_RENDERER_DIR: rendererDir });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr.trim()).toBe(`${file} is a file, not an archive folder.`);
    expect(proc.output().stdout).toBe('');
  });

  it.each([['--port', 'abc'], ['--port', '70000'], ['--open']])('%s %s is a usage error', async (...args) => {
    const proc = run(args.filter(Boolean) as string[], { SIJIL_RENDERER_DIR: rendererDir });
    expect(await proc.exited).toBe(2);
  });
});

function listTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const full = path.join(d, name);
      out.push(full);
      const stat = fs.lstatSync(full);
      if (stat.isDirectory()) visit(full);
    }
  };
  visit(dir);
  return out;
}
