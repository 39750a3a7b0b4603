// Suite 'ui' (issue 5's targets): the real renderer in Debian's Chromium, through browser mode,
// over an archive of --docs items (default 100k, real sentences, test/bench/searchCorpus.ts):
//  - launch to library interactive: from navigation to the first row drawn with its title
//    (target ≤ 2 s), over --loads page loads; and once from starting the server;
//  - keystroke to results painted in Search: each character of --queries queries typed one at a
//    time, timed from the keydown to the first frame painted after the screen showed the results
//    for exactly that text (target p95 ≤ 100 ms; includes any debounce, the call and the render);
//  - scroll frame times in the library: --frames animation frames, each scrolling the list by a
//    screenful and a half, as a person flinging through it does (pages fetched on the way).
// The corpus is built once and kept in test-output/bench/ui-corpus/<size>; --rebuild builds it again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { Archive, type NewItemInput } from '../../electron/archive/index.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/support/chromium.ts';
import { ROOT } from '../e2e/support/paths.ts';
import { startServer } from '../e2e/support/server.ts';
import { corpusSource, type BenchDoc } from './searchCorpus.ts';
import { summarizeProfile } from './profile.ts';
import { fmt, fmtMs, median, p95, table } from './stats.ts';
import type { Suite, SuiteContext } from './suite.ts';

export const suite: Suite = {
  description: 'ui: launch to interactive library, keystroke to search results painted, library scroll frames, in Chromium (issue 5)',
  options: {
    docs: 'items in the archive (default 100000)',
    queries: 'search queries typed a character at a time (default 30)',
    loads: 'page loads timed for launch to interactive (default 5)',
    frames: 'animation frames of scrolling timed (default 300)',
    seed: 'corpus seed (default 2026)',
    rebuild: 'build the corpus again even when a cached one fits',
    profile: 'record a CPU profile of the page while the keystrokes are timed, and list its hotspots',
  },
  run,
};

const CORPUS_VERSION = 1;
const BATCH = 1000;

function toInput(d: BenchDoc): NewItemInput {
  return {
    kind: d.kind,
    fields: { title: d.title, body: d.body, language: d.language, people: d.people, place: d.place, eventDate: d.eventDate },
    tags: d.tags,
    collections: d.collections,
  };
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
}

/** The archive of `docs` items, built once per size and seed. Also returns words to search for. */
function corpus(root: string, docs: number, seed: number, rebuild: boolean): { archiveDir: string; words: string[] } {
  const dir = path.join(root, `${docs}-seed${seed}`);
  const archiveDir = path.join(dir, 'archive');
  const stamp = path.join(dir, 'build.json');
  if (!rebuild && fs.existsSync(stamp)) {
    const built = JSON.parse(fs.readFileSync(stamp, 'utf8')) as { version: number; docs: number; words: string[] };
    if (built.version === CORPUS_VERSION && built.docs === docs) {
      console.log(`  using the corpus built earlier in ${path.relative(process.cwd(), dir)} (--rebuild to build it again)`);
      return { archiveDir, words: built.words };
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`  building ${fmt(docs)} items in ${path.relative(process.cwd(), dir)} ...`);
  const archive = Archive.open(archiveDir);
  const source = corpusSource(seed);
  const words = new Set<string>();
  for (let done = 0; done < docs; ) {
    const batch: BenchDoc[] = [];
    for (let k = 0; k < BATCH && done + k < docs; k++) batch.push(source.next());
    archive.createMany(batch.map(toInput));
    // Words people type: from titles, names and places, in both scripts.
    for (const d of batch.slice(0, 3)) for (const w of `${d.title} ${d.place}`.split(/[\s,.;:()"'«»؛،]+/)) if (w.length >= 4 && words.size < 400) words.add(w);
    done += batch.length;
    progress(`  ${fmt(done)} / ${fmt(docs)}`);
  }
  progress('');
  archive.db.pragma('wal_checkpoint(TRUNCATE)');
  archive.close();
  const list = [...words];
  fs.writeFileSync(stamp, JSON.stringify({ version: CORPUS_VERSION, docs, words: list }));
  return { archiveDir, words: list };
}

// Into SIJIL_RENDERER_DIR when set (the server serves that one), so that a benchmark never
// measures a build someone else made in dist/renderer meanwhile.
function buildRenderer(): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const outDir = process.env.SIJIL_RENDERER_DIR ? ['--outDir', path.resolve(process.env.SIJIL_RENDERER_DIR), '--emptyOutDir'] : [];
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', ...outDir], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the renderer did not build');
}

/** Milliseconds from navigation start to the library's first row drawn with its title. */
async function loadToInteractive(page: Page, url: string | null): Promise<number> {
  // A new document every time (a hash change alone would keep the page loaded).
  if (url === null) await page.reload();
  else await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const link = document.querySelector('[role="option"][aria-posinset="1"] .lib-title-link');
      return link && link.textContent ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

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
  const frames = Math.max(10, options.int('frames', 300));
  const seed = options.int('seed', 2026);
  const { archiveDir, words } = corpus(path.join(ctx.outDir, 'ui-corpus'), docs, seed, options.flag('rebuild'));
  buildRenderer();

  const serverStart = performance.now();
  const server = await startServer(archiveDir);
  const serverReadyMs = performance.now() - serverStart;
  const profile = fs.mkdtempSync(path.join(ctx.outDir, 'ui-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1360, height: 860 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const first = await loadToInteractive(page, server.url);
    const launch: number[] = [];
    for (let i = 0; i < loads; i++) launch.push(await loadToInteractive(page, null));

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

    const rows = [
      ['launch to library interactive (after server start)', first + serverReadyMs, first + serverReadyMs, 1, '—'],
      ['launch to library interactive (page load)', median(launch), p95(launch), launch.length, p95(launch) <= 2000 ? 'PASS (≤ 2 s)' : 'MISS (> 2 s)'],
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
      firstLoadMs: first,
      launchMs: launch,
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
