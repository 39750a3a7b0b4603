// Hostile saved pages in the real reader, in Chromium through browser mode: nothing a page
// contains may run, and nothing may leave the machine. Every fixture (test/fixtures/hostile) is
// imported into an archive and opened in the item view; then no frame of the page has the
// sentinel global, no request went anywhere but the app's own server, nothing even tried (no CSP
// violation), and following a link from the keyboard goes nowhere.
//
// Every hostname Chromium resolves is sent to a local trap server (--host-resolver-rules), so a
// connection that Playwright's request events cannot see (preconnect, a ping, a prefetch) is
// still counted, and nothing reaches the real network even if a defence fails.
//
// The detector is proved first: each raw fixture, shown by the same Chromium with no defences,
// does set the sentinel or call the trap. And the reader is proved on its own: the raw,
// unsanitised page put straight into an item's reading copy (as a tampered database or bundle
// could) still runs nothing and loads nothing, because the frame is sandboxed and its CSP strict.
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { remoteReferences, scriptOrLoadProblems } from '../fixtures/hostile/inert.ts';
import { HOSTILE_DIR, HOSTILE_FIXTURES, SENTINEL, type HostileFixture } from '../fixtures/hostile/manifest.ts';
import { tmpDir } from '../support/tmp.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable, chromiumProfile } from './support/chromium.ts';
import { SCREENSHOTS } from './support/paths.ts';
import { startServer, type RunningServer } from './support/server.ts';

/**
 * Chromium's own background services (sign-in, component updates, spell-check dictionaries) would
 * resolve to the trap too. The test browser's flags and profile (support/chromium.ts) keep them
 * quiet, so nothing is set aside: any connection fails the fixture it came during, and these names
 * are checked over the whole run as well. A fixture never points at these hosts.
 */
const BROWSER_SERVICES = /^(?:tls:|http:)?(?:[a-z0-9-]+\.)*(?:google\.com|googleapis\.com|gstatic\.com|gvt1\.com)(?::\d+)?(?:\/|$)/;
/**
 * The one exception: after a TLS error page (the trap answers TLS with plain HTTP), Chromium's
 * captive-portal check asks connectivitycheck.gstatic.com/generate_204 over plain HTTP. No switch
 * or profile preference tried here stops it (see support/chromium.ts); it carries no page content.
 */
const CAPTIVE_PORTAL_PROBE = /^(?:http:)?connectivitycheck\.gstatic\.com(?::\d+)?(?:\/generate_204)?$/;

/** What Chromium says when the article frame's sandbox or its own CSP refuses something. */
const FRAME_REFUSAL = /sandboxed|about:srcdoc|default-src 'none'|img-src data:|font-src data:/;

/** Time for timers, animations, lazy loads and meta refreshes a page might hold to fire. */
const SETTLE_MS = 2500;

interface Trap {
  readonly port: number;
  /** Host and path of every HTTP request that reached the trap (TLS attempts show as connections). */
  readonly requests: string[];
  /** Every TCP connection, including preconnects and TLS handshakes that never become requests: the TLS server name, or '?' */
  readonly connections: string[];
  close(): Promise<void>;
}

/** A server standing in for the whole internet. It serves the raw fixtures under /raw/ for the proof of the detector. */
async function startTrap(): Promise<Trap> {
  const sockets = new Set<Socket>();
  const trap = { requests: [] as string[], connections: [] as string[] };
  const server: Server = createServer((req, res) => {
    const file = /^\/raw\/([0-9a-z-]+\.html)$/.exec(req.url ?? '')?.[1];
    if (req.headers.host?.startsWith('page.evil.invalid') && file && HOSTILE_FIXTURES.some((f) => f.file === file)) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(fs.readFileSync(path.join(HOSTILE_DIR, file)));
      return;
    }
    trap.requests.push(`${req.headers.host ?? '?'}${req.url ?? ''}`);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('trapped');
  });
  server.on('connection', (socket: Socket) => {
    const index = trap.connections.push('?') - 1;
    socket.once('data', (chunk: Buffer) => {
      if (chunk[0] === 0x16) trap.connections[index] = `tls:${serverName(chunk) ?? '?'}`;
      else trap.connections[index] = `http:${/\r\nhost: *([^\r]+)/i.exec(chunk.toString('latin1'))?.[1] ?? '?'}`;
    });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(trap, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** The server name a TLS ClientHello asks for (RFC 8446 4.1.2, RFC 6066 3), read leniently. */
function serverName(hello: Buffer): string | null {
  try {
    let at = 5 + 4 + 2 + 32; // record header, handshake header, version, random
    at += 1 + hello[at]!; // session id
    at += 2 + hello.readUInt16BE(at); // cipher suites
    at += 1 + hello[at]!; // compression methods
    const end = at + 2 + hello.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const type = hello.readUInt16BE(at);
      const length = hello.readUInt16BE(at + 2);
      if (type === 0) return hello.toString('latin1', at + 9, at + 9 + hello.readUInt16BE(at + 7));
      at += 4 + length;
    }
  } catch {
    // not a ClientHello we can read
  }
  return null;
}

/** Chromium flags: the usual ones, and every hostname resolved to the trap. */
function flags(trap: Trap): string[] {
  return [...CHROMIUM_FLAGS, `--host-resolver-rules=MAP * 127.0.0.1:${trap.port}, EXCLUDE 127.0.0.1`];
}

/** The sentinel as seen by each frame of the page; frames whose context is gone are skipped. */
async function sentinels(page: Page): Promise<string[]> {
  const seen: string[] = [];
  const visit = async (frame: Frame) => {
    // A frame on an error page never answers: give each a few seconds.
    const value = await Promise.race([
      frame.evaluate((name) => (window as unknown as Record<string, unknown>)[name], SENTINEL).catch(() => undefined),
      sleep(5000).then(() => undefined),
    ]);
    if (value !== undefined) seen.push(`${frame.url().slice(0, 60)}: ${String(value)}`);
  };
  await Promise.all(page.frames().map(visit));
  return seen;
}

function isOwn(url: string, origin: string): boolean {
  if (/^(?:data|blob|about):/i.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!chromiumAvailable())('hostile saved pages in the reader', () => {
  let trap: Trap;
  let archiveDir: string;
  /** The imported (sanitised) item of each fixture, and a twin whose reading copy is the raw page. */
  const sanitisedIds = new Map<string, string>();
  const rawIds = new Map<string, string>();
  /** The reading copies as the importer stored them, before the reader's own pass. */
  const stored = new Map<string, string>();

  beforeAll(async () => {
    trap = await startTrap();
    archiveDir = path.join(tmpDir('e2e-hostile-'), 'archive');
    const archive = Archive.open(archiveDir);
    try {
      const summary = await importPaths(
        archive,
        HOSTILE_FIXTURES.map((f) => path.join(HOSTILE_DIR, f.file)),
      );
      for (const o of summary.outcomes) if (o.itemId) sanitisedIds.set(path.basename(o.path), o.itemId);
      // Twins: the same page with one more byte (so it is not a duplicate), whose reading copy
      // is then replaced by the raw page, as if the database or a bundle had been tampered with.
      const twins = tmpDir('e2e-hostile-raw-');
      for (const f of HOSTILE_FIXTURES) fs.writeFileSync(path.join(twins, f.file), `${fs.readFileSync(path.join(HOSTILE_DIR, f.file), 'utf8')}\n`);
      const twinSummary = await importPaths(
        archive,
        HOSTILE_FIXTURES.map((f) => path.join(twins, f.file)),
      );
      for (const o of twinSummary.outcomes) if (o.itemId) rawIds.set(path.basename(o.path), o.itemId);
    } finally {
      archive.close();
    }
    const db = new Database(path.join(archiveDir, 'sijil.db'));
    try {
      const read = db.prepare<[string], { html: string | null }>('SELECT html FROM items WHERE id = ?');
      for (const f of HOSTILE_FIXTURES) stored.set(f.file, read.get(sanitisedIds.get(f.file)!)?.html ?? '');
      const update = db.prepare('UPDATE items SET html = ? WHERE id = ?');
      for (const f of HOSTILE_FIXTURES) update.run(fs.readFileSync(path.join(HOSTILE_DIR, f.file), 'utf8'), rawIds.get(f.file));
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    await trap?.close();
  });

  it('imported every fixture twice', () => {
    expect(sanitisedIds.size).toBe(HOSTILE_FIXTURES.length);
    expect(rawIds.size).toBe(HOSTILE_FIXTURES.length);
  });

  it('stored reading copies that are inert before the reader sees them', () => {
    for (const f of HOSTILE_FIXTURES) {
      const html = stored.get(f.file)!;
      expect(html, f.file).toContain(f.reads);
      expect(scriptOrLoadProblems(html), f.file).toEqual([]);
      expect(remoteReferences(html), f.file).toEqual([]);
    }
  });

  describe('the detector works: each raw page, shown undefended, runs script or calls home', () => {
    let context: BrowserContext;
    const requests: string[] = [];
    beforeAll(async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: flags(trap) });
      context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      context.on('request', (r) => requests.push(r.url()));
    });
    afterAll(async () => {
      await context?.browser()?.close();
    });

    it.each(HOSTILE_FIXTURES)('$file', async (fixture: HostileFixture) => {
      const page = await context.newPage();
      const before = { requests: requests.length, trap: trap.requests.length };
      try {
        await page.goto(`http://page.evil.invalid/raw/${fixture.file}`, { waitUntil: 'load' }).catch(() => undefined);
        await sleep(SETTLE_MS);
        const fired = await sentinels(page);
        const called = requests.slice(before.requests).filter((u) => !u.endsWith(`/raw/${fixture.file}`));
        const trapped = trap.requests.slice(before.trap);
        expect(fired.length + called.length + trapped.length, `${fixture.file} did nothing undefended`).toBeGreaterThan(0);
      } finally {
        await page.close();
      }
    });
  });

  describe('in the reader', () => {
    let server: RunningServer;
    let context: BrowserContext;
    let page: Page;
    const external: string[] = [];
    const violations: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      server = await startServer(archiveDir);
      context = await chromium.launchPersistentContext(chromiumProfile(tmpDir('e2e-hostile-profile-')), {
        executablePath: CHROMIUM,
        headless: true,
        args: flags(trap),
        viewport: { width: 1200, height: 900 },
        locale: 'en-GB',
        acceptDownloads: false,
      });
      context.on('request', (r) => {
        if (!isOwn(r.url(), server.origin)) external.push(r.url());
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (m) => {
        if (/Content Security Policy|Blocked script execution|sandboxed/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(server.url);
      await page.waitForURL(`${server.origin}/**`);
    });

    afterAll(async () => {
      await context?.close().catch(() => undefined);
      await server?.stop();
    });

    async function openItem(id: string, fixture: HostileFixture): Promise<Frame> {
      await page.evaluate((hash) => (window.location.hash = hash), `#/item/${id}`);
      const frameEl = page.locator('iframe.article-frame');
      await frameEl.waitFor();
      expect(await frameEl.getAttribute('sandbox')).toBe('');
      const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
      await expect.poll(() => frame.locator('body').textContent(), { timeout: 20_000 }).toContain(fixture.reads);
      return frame;
    }

    /**
     * Activates every link of the article from the keyboard, as a reader might (pointer events
     * are off in the reader, the keyboard is not). Returns where the frame went, if anywhere.
     */
    async function followLinks(frame: Frame): Promise<string[]> {
      const went: string[] = [];
      for (const link of await frame.$$('a[href]')) {
        if (frame.isDetached()) break;
        await link.focus().catch(() => undefined);
        await page.keyboard.press('Enter');
        await sleep(150);
        if (frame.isDetached() || frame.url() !== 'about:srcdoc') {
          went.push(frame.isDetached() ? 'detached' : frame.url());
          break;
        }
      }
      return went;
    }

    function expectNothingLeft(fixture: HostileFixture, before: { external: number; trap: number; connections: number }): void {
      expect(external.slice(before.external), `${fixture.file}: requests out`).toEqual([]);
      const fromPage = (c: string) => !CAPTIVE_PORTAL_PROBE.test(c);
      expect(trap.requests.slice(before.trap).filter(fromPage), `${fixture.file}: reached the trap`).toEqual([]);
      expect(trap.connections.slice(before.connections).filter(fromPage), `${fixture.file}: connections to the trap`).toEqual([]);
    }

    const mark = () => ({ external: external.length, trap: trap.requests.length, connections: trap.connections.length, violations: violations.length });

    describe.each(HOSTILE_FIXTURES)('$file', (fixture) => {
      it('sanitised: nothing runs, nothing loads, nothing even tries', async () => {
        const before = mark();
        const frame = await openItem(sanitisedIds.get(fixture.file)!, fixture);
        await sleep(SETTLE_MS);
        // Nothing in the page tried anything the CSP or the sandbox had to refuse.
        expect(violations.slice(before.violations), `${fixture.file}: refused by CSP or sandbox`).toEqual([]);
        expect(await followLinks(frame)).toEqual([]);
        await sleep(300);
        expect(await sentinels(page)).toEqual([]);
        // Only the app's page and the article's frame: no frame came from the page's content.
        expect(page.frames().length).toBe(2);
        expectNothingLeft(fixture, before);
        if (fixture.file.startsWith('01') || fixture.file.startsWith('13')) {
          fs.mkdirSync(SCREENSHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SCREENSHOTS, `hostile-${fixture.file.replace(/\.html$/, '')}.png`) });
        }
      });

      it('raw, as if tampered with: the reader\'s own pass and the sandbox hold', async () => {
        const before = mark();
        const frame = await openItem(rawIds.get(fixture.file)!, fixture);
        await sleep(SETTLE_MS);
        // The reader's own pass left nothing in the frame for its CSP or the sandbox to refuse.
        // (Parsing the raw page for that pass makes Chromium check its handlers, <track> and
        // <base> against the app's own CSP, which refuses them: nothing runs or loads there either,
        // as the request checks below show.)
        const inFrame = violations.slice(before.violations).filter((v) => FRAME_REFUSAL.test(v));
        expect(inFrame, `${fixture.file}: refused in the article frame`).toEqual([]);
        const went = await followLinks(frame);
        await sleep(300);
        expect(await sentinels(page)).toEqual([]);
        expect(went).toEqual([]);
        expectNothingLeft(fixture, before);
      });
    });

    it('raised no errors in the app page', () => {
      expect(pageErrors).toEqual([]);
    });
  });

  // Last: by then two browsers have started, shown every page and closed.
  it('Chromium itself reached no service of its own during the whole run', () => {
    const own = (c: string) => BROWSER_SERVICES.test(c) && !CAPTIVE_PORTAL_PROBE.test(c);
    expect(trap.connections.filter(own)).toEqual([]);
    expect(trap.requests.filter(own)).toEqual([]);
  });
});
