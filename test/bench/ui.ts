// Suite 'ui' (issue 5's targets): the real renderer in Debian's Chromium, through browser mode,
// over an archive of --docs items (default 100k, real sentences, test/bench/searchCorpus.ts):
//  - launch to library interactive (target ≤ 2 s): the first row drawn with its title, plus the
//    app's answer to a click on it. Cold (the first launch ever): from starting the server to
//    interactive in a new browser profile; launch (every later one, --relaunches times): server
//    and browser stopped, then started together, with the profile and compile cache the first
//    left; warm: a page reload with the server running, --loads times;
//  - keystroke to results painted in Search: each character of --queries queries typed one at a
//    time, timed from the keydown to the first frame painted after the screen showed the results
//    for exactly that text (target p95 ≤ 100 ms; includes any debounce, the call and the render);
//  - scroll frame times in the library: --frames animation frames, each scrolling the list by a
//    screenful and a half, as a person flinging through it does (pages fetched on the way).
// The corpus (libraryCorpus.ts) is built once and kept; --rebuild builds it again.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { buildNode } from '../../electron/build.ts';
import { compileCacheDir } from '../../electron/compileCache.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumProfile } from '../e2e/support/chromium.ts';
import { ROOT } from '../e2e/support/paths.ts';
import { startServer } from '../e2e/support/server.ts';
import { buildRenderer } from '../support/renderer.ts';
import { libraryCorpus } from './libraryCorpus.ts';
import { summarizeProfile } from './profile.ts';
import { fmt, fmtMs, median, p95, table } from './stats.ts';
import type { Suite, SuiteContext } from './suite.ts';

export const suite: Suite = {
  description: 'ui: launch to interactive library, keystroke to search results painted, library scroll frames, in Chromium (issue 5)',
  options: {
    docs: 'items in the archive (default 100000)',
    queries: 'search queries typed a character at a time (default 30)',
    loads: 'page reloads timed for warm launch to interactive (default 5)',
    relaunches: 'launches after the first timed: server and browser stopped and started again (default 5)',
    frames: 'animation frames of scrolling timed (default 300)',
    seed: 'corpus seed (default 2026)',
    rebuild: 'build the corpus again even when a cached one fits',
    profile: 'record a CPU profile of the page while the keystrokes are timed, and list its hotspots',
    renderer: 'measure this renderer build (a folder with its index.html) instead of building this tree\'s: two builds compared in one session',
  },
  run,
};

interface Interactive {
  /** Milliseconds from navigation start to the library's first row drawn with its title. */
  readonly drawn: number;
  /** ... to a click on that row's checkbox answered: the row selected (the page's clock). */
  readonly answered: number;
  /** ... to the click reaching the page: the rest of `answered` is the app's own answer. */
  readonly clicked: number;
}

// Runs in the page before the app: when the harness's click reached the page, to tell the app's
// answer apart from the harness's round trips on a loaded machine.
function clickProbe(): void {
  window.addEventListener('click', (e) => ((window as unknown as { __clickAt: number }).__clickAt = e.timeStamp), true);
}

async function loadToInteractive(page: Page, url: string | null): Promise<Interactive> {
  // A new document every time (a hash change alone would keep the page loaded).
  if (url === null) await page.reload();
  else await page.goto(url);
  const drawn = await page.waitForFunction(
    () => {
      const link = document.querySelector('[role="option"][aria-posinset="1"] .lib-title-link');
      return link && link.textContent ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  // A row on screen is not yet an app that answers: a click on its checkbox counts once the app
  // has selected the row. Includes the harness's round trips (a pointer event, no waiting for actionability).
  const box = await page.locator('[role="option"][aria-posinset="1"] input[type="checkbox"]').boundingBox();
  if (!box) throw new Error('the first row has no checkbox to click');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const answered = await page.waitForFunction(
    () => (document.querySelector('[role="option"][aria-posinset="1"][aria-selected="true"]') ? performance.now() : false),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const clicked = await page.evaluate(() => (window as unknown as { __clickAt?: number }).__clickAt ?? Number.NaN);
  return { drawn: (await drawn.jsonValue()) as number, answered: (await answered.jsonValue()) as number, clicked };
}

/** A port nothing listens on now (the server is then started on it, again and again). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Navigation to interactive: the first row drawn, plus the app's answer to a click on it. The
 * harness's own round trips between the two (a locator, a pointer event over CDP) are left out:
 * a person's click does not wait for them.
 */
const interactiveMs = (i: Interactive): number => i.drawn + (i.answered - i.clicked);

// Runs in the page before the app. A keystroke is timed from its keydown (or, for a character
// typed without one, as Playwright types Arabic, from its beforeinput) to the first frame painted
// after the results on screen became the answer to that text: the search screen marks its results
// with the query they answer (data-results-for), set in the same render as the hits.
function searchProbe(): void {
  const w = window as unknown as { __keyAt: number; __painted: Map<string, number> };
  w.__keyAt = 0;
  w.__painted = new Map();
  let keyed = false;
  window.addEventListener(
    'keydown',
    () => {
      w.__keyAt = performance.now();
      keyed = true;
    },
    true,
  );
  window.addEventListener(
    'beforeinput',
    () => {
      if (!keyed) w.__keyAt = performance.now();
      keyed = false;
    },
    true,
  );
  let shown: string | null = null;
  const observer = new MutationObserver(() => {
    const now = document.querySelector('[data-results-for]')?.getAttribute('data-results-for') ?? null;
    if (now === shown) return;
    shown = now;
    if (now === null) return;
    // The DOM holds the answer now: a frame callback runs before the next frame's rendering, and
    // a task it queues runs once that frame is painted.
    requestAnimationFrame(() => setTimeout(() => w.__painted.set(now, performance.now())));
  });
  const start = () => observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-results-for'] });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
}

async function typeQueries(page: Page, queries: readonly string[]): Promise<{ times: number[]; texts: string[] }> {
  const times: number[] = [];
  const texts: string[] = [];
  const input = page.getByTestId('search-input');
  for (const query of queries) {
    await input.fill('');
    for (const ch of query) {
      await page.keyboard.type(ch);
      const typed = await input.inputValue();
      const handle = await page.waitForFunction(
        (text) => {
          const w = window as unknown as { __keyAt: number; __painted: Map<string, number> };
          const at = w.__painted.get(text);
          return at !== undefined && at >= w.__keyAt ? at - w.__keyAt : false;
        },
        typed,
        { polling: 'raf', timeout: 30_000 },
      );
      times.push((await handle.jsonValue()) as number);
      texts.push(typed);
      await page.evaluate(() => (window as unknown as { __painted: Map<string, number> }).__painted.clear());
    }
  }
  return { times, texts };
}

/** CPU seconds the page's renderer has used so far: its main thread, and the whole process. */
async function rendererCpu(cdp: CDPSession): Promise<{ thread: number; process: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { thread: value('ThreadTime'), process: value('ProcessTime') };
}

/** Milliseconds of CPU the page's main thread has spent in tasks since its renderer started (Performance.enable in thread time). */
async function pageTaskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
}

/** The reference: the same texts as search.query calls over HTTP from the page, nothing drawn. */
async function httpQueries(page: Page, texts: readonly string[]): Promise<number[]> {
  return page.evaluate(async (all) => {
    const times: number[] = [];
    for (const query of all) {
      const start = performance.now();
      const response = await fetch('/api/search.query', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Sijil': '1' },
        body: JSON.stringify({ args: { query, limit: 20 } }),
      });
      const body = (await response.json()) as { ok: boolean };
      if (!body.ok) throw new Error(`search.query failed for ${JSON.stringify(query)}`);
      times.push(performance.now() - start);
    }
    return times;
  }, texts);
}

async function scrollFrames(page: Page, frames: number): Promise<{ intervals: number[]; rowsDrawn: number; reachedIndex: number }> {
  return page.evaluate(async (count) => {
    const list = document.querySelector<HTMLElement>('[role="listbox"]')!;
    const intervals: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < count; i++) {
      list.scrollTop += list.clientHeight * 1.5;
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      intervals.push(now - last);
      last = now;
    }
    const options = [...list.querySelectorAll('[role="option"]')];
    return {
      intervals,
      rowsDrawn: options.length,
      reachedIndex: Math.max(...options.map((o) => Number(o.getAttribute('aria-posinset')))),
    };
  }, frames);
}

async function run(ctx: SuiteContext): Promise<object> {
  const { options } = ctx;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium).`);
  const docs = options.int('docs', 100_000);
  const queryCount = Math.max(1, options.int('queries', 30));
  const loads = Math.max(1, options.int('loads', 5));
  const relaunches = Math.max(1, options.int('relaunches', 5));
  const frames = Math.max(10, options.int('frames', 300));
  const seed = options.int('seed', 2026);
  const { archiveDir, words } = libraryCorpus(ctx.outDir, docs, seed, options.flag('rebuild'));
  const prebuilt = options.string('renderer', '');
  if (prebuilt) {
    if (!fs.existsSync(path.join(prebuilt, 'index.html'))) throw new Error(`--renderer ${prebuilt}: no index.html there`);
    // The server serves SIJIL_RENDERER_DIR (the environment goes down to it).
    process.env.SIJIL_RENDERER_DIR = path.resolve(prebuilt);
    console.log(`  measuring the renderer built in ${prebuilt}`);
  } else {
    // Into SIJIL_RENDERER_DIR when set (the server serves that one), so that a benchmark never
    // measures a build someone else made in dist/renderer meanwhile.
    const renderer = process.env.SIJIL_RENDERER_DIR;
    buildRenderer(renderer === undefined ? undefined : path.resolve(renderer));
    process.env.SIJIL_RENDERER_DIR ??= path.join(ROOT, 'dist', 'renderer');
  }
  // The server as `npm run serve` runs it: built (serve.js), as the desktop app's code is; in a
  // folder of its own, so that a server someone runs from dist/electron is left alone.
  const nodeBuild = path.join(ROOT, 'dist', '.bench-ui', 'electron');
  await buildNode(nodeBuild);
  const serveJs = path.join(nodeBuild, 'serve.js');

  // Node's compile cache (electron/compileCache.ts) is what a launch after the first one has.
  const cacheDir = compileCacheDir();
  const compileCache = fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).length > 0 ? 'warm' : 'empty (a first launch)';
  // One port for every start of the server: the origin, and so the browser's caches for it, stay
  // the same across a relaunch, as the desktop app's sijil-app://app does.
  const port = await freePort();
  const serverStart = performance.now();
  let server = await startServer(archiveDir, port, serveJs);
  const serverReadyMs = performance.now() - serverStart;
  // A new profile: nothing in the browser's caches, as at a first launch. Spell checking off, as in the e2e.
  const profile = chromiumProfile(fs.mkdtempSync(path.join(ctx.outDir, 'ui-profile-')));
  const openBrowser = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1360, height: 860 },
    });
  let context = await openBrowser();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(clickProbe);
    const first = await loadToInteractive(page, server.url);
    const cold = serverReadyMs + interactiveMs(first);
    const warm: Interactive[] = [];
    for (let i = 0; i < loads; i++) warm.push(await loadToInteractive(page, null));
    const launch = warm.map(interactiveMs);
    const drawn = warm.map((w) => w.drawn);
    const answers = warm.map((w) => w.answered - w.clicked);


    const scroll = await scrollFrames(page, frames);

    await page.addInitScript(searchProbe);
    await page.goto(`${server.origin}/#/search`);
    // A hash change keeps the document: reload so the probe runs before the app.
    await page.reload();
    await page.getByTestId('search-input').waitFor();
    const queries = Array.from({ length: queryCount }, (_, i) => words[(i * 7) % words.length] ?? 'protest');
    // One query first, untimed: the first search loads the facet arrays.
    await typeQueries(page, [queries[0] ?? 'x']);
    // CPU time tells the renderer's cost apart from waiting for a loaded machine's cores.
    const metrics = await context.newCDPSession(page);
    await metrics.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cdp = options.flag('profile') ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const cpuBefore = await rendererCpu(metrics);
    const { times: keys, texts } = await typeQueries(page, queries);
    const cpuTyping = await rendererCpu(metrics);
    let profileFile: string | null = null;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      profileFile = path.join(ctx.outDir, 'profiles', 'ui-keystrokes.cpuprofile');
      fs.mkdirSync(path.dirname(profileFile), { recursive: true });
      fs.writeFileSync(profileFile, JSON.stringify(profile));
    }
    const http = await httpQueries(page, texts);
    const cpuAfter = await rendererCpu(metrics);
    // Per keystroke (or per reference call), in ms; typing includes the harness's own polling.
    const cpu = {
      typingThreadMs: ((cpuTyping.thread - cpuBefore.thread) * 1000) / keys.length,
      typingProcessMs: ((cpuTyping.process - cpuBefore.process) * 1000) / keys.length,
      httpThreadMs: ((cpuAfter.thread - cpuTyping.thread) * 1000) / http.length,
      httpProcessMs: ((cpuAfter.process - cpuTyping.process) * 1000) / http.length,
    };

    // A launch after the first, as people launch the app every day: the server and the browser
    // are stopped, then started together (the desktop app starts its engine while Electron gets
    // ready), with what the first launch left: the browser's profile and Node's compile cache.
    const relaunch: number[] = [];
    const relaunchServer: number[] = [];
    const relaunchBrowser: number[] = [];
    const relaunchLoad: number[] = [];
    const relaunchCpu: number[] = [];
    for (let i = 0; i < relaunches; i++) {
      await context.close();
      await server.stop();
      const start = performance.now();
      const timed = async <T,>(work: Promise<T>, into: number[]): Promise<T> => {
        const value = await work;
        into.push(performance.now() - start);
        return value;
      };
      [server, context] = await Promise.all([timed(startServer(archiveDir, port, serveJs), relaunchServer), timed(openBrowser(), relaunchBrowser)]);
      const again = context.pages()[0] ?? (await context.newPage());
      await again.addInitScript(clickProbe);
      // The page's own work, apart from waiting for the engine and for a loaded machine's cores.
      const cpu = await context.newCDPSession(again);
      await cpu.send('Performance.enable', { timeDomain: 'threadTicks' });
      const navigation = performance.now() - start;
      const loaded = interactiveMs(await loadToInteractive(again, server.url));
      relaunchLoad.push(loaded);
      relaunch.push(navigation + loaded);
      relaunchCpu.push(await pageTaskMs(cpu));
      await cpu.detach();
    }

    const verdict = (ms: number) => (ms <= 2000 ? 'PASS (≤ 2 s)' : 'MISS (> 2 s)');
    const rows = [
      ['COLD launch to library interactive: server start + first load, new profile', cold, cold, 1, verdict(cold)],
      ['  server start (dist/electron/serve.js to its address printed)', serverReadyMs, serverReadyMs, 1, `compile cache ${compileCache}`],
      ['  first load: navigation to first row drawn', first.drawn, first.drawn, 1, '—'],
      ['  first load: navigation to interactive (row drawn + the answer to a click)', interactiveMs(first), interactiveMs(first), 1, `the app's answer ${fmtMs(first.answered - first.clicked)} of it`],
      ['LAUNCH to library interactive: server and browser started, as every launch after the first', median(relaunch), p95(relaunch), relaunch.length, verdict(p95(relaunch))],
      ['  server started (address printed)', median(relaunchServer), p95(relaunchServer), relaunchServer.length, '—'],
      ['  browser started (Playwright, persistent profile)', median(relaunchBrowser), p95(relaunchBrowser), relaunchBrowser.length, '—'],
      ['  navigation to interactive', median(relaunchLoad), p95(relaunchLoad), relaunchLoad.length, '—'],
      ['  the page\'s main-thread CPU in it (its tasks, in thread time)', median(relaunchCpu), p95(relaunchCpu), relaunchCpu.length, '—'],
      ['WARM page reload to library interactive (server running)', median(launch), p95(launch), launch.length, verdict(p95(launch))],
      ['  page reload to first row drawn', median(drawn), p95(drawn), drawn.length, '—'],
      ['  the app\'s answer to the click (from the click reaching the page)', median(answers), p95(answers), answers.length, '—'],
      ['keystroke to results painted', median(keys), p95(keys), keys.length, p95(keys) <= 100 ? 'PASS (p95 ≤ 100 ms)' : 'MISS (p95 > 100 ms)'],
      ['  reference: the same texts over HTTP, nothing drawn', median(http), p95(http), http.length, `p95 ${(p95(keys) / p95(http)).toFixed(2)}× the reference`],
      ['library scroll frame interval', median(scroll.intervals), p95(scroll.intervals), scroll.intervals.length, `${scroll.intervals.filter((f) => f > 50).length} frames > 50 ms`],
    ] as const;
    console.log(
      `\n${fmt(docs)} items, Chromium ${context.browser()?.version() ?? ''}\n` +
        table(
          ['measure', 'median', 'p95', 'n', 'verdict'],
          rows.map(([name, med, p, n, v]) => [name, fmtMs(med), fmtMs(p), n, v]),
        ) +
        `\nscrolled to item ${fmt(scroll.reachedIndex)} of ${fmt(docs)} with ${fmt(scroll.rowsDrawn)} rows in the page`,
    );
    console.log(
      `renderer CPU per keystroke: main thread ${fmtMs(cpu.typingThreadMs)}, whole process ${fmtMs(cpu.typingProcessMs)}` +
        ` (per reference call: ${fmtMs(cpu.httpThreadMs)}, ${fmtMs(cpu.httpProcessMs)}); load average ${os.loadavg()[0]?.toFixed(1)} at the end`,
    );
    if (profileFile) console.log(`\nCPU profile of the page while typing: ${path.relative(process.cwd(), profileFile)}\n${summarizeProfile(profileFile)}`);
    return {
      docs,
      serverReadyMs,
      compileCache,
      coldLaunchMs: cold,
      firstLoadMs: first.answered,
      firstLoadDrawnMs: first.drawn,
      firstLoadClickAnswerMs: first.answered - first.clicked,
      clickAnswerMs: answers,
      relaunchMs: relaunch,
      relaunchPageCpuMs: relaunchCpu,
      launchMs: launch,
      launchDrawnMs: drawn,
      keystrokeMs: keys,
      keystrokeTexts: texts,
      httpQueryMs: http,
      rendererCpuPerKeystroke: cpu,
      loadAverage: os.loadavg(),
      scrollFrameMs: scroll.intervals,
      scrollReachedIndex: scroll.reachedIndex,
      rowsInPage: scroll.rowsDrawn,
      summary: rows.map(([name, med, p, n, v]) => ({ name, median: med, p95: p, n, verdict: v })),
    };
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
