// Shared helpers for the benchmark suites: statistics over repetitions, number formatting, plain
// text tables, target verdicts, page-cache control and child processes that report their own
// peak memory. Benchmarks never assert a time: they measure, compare with a raw reference taken
// in the same run, and say whether the target is met.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

// ---------------------------------------------------------------- statistics

/** The p-th percentile (0-100) by linear interpolation between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function p95(values: readonly number[]): number {
  return percentile(values, 95);
}

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: median(values),
    p95: p95(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/**
 * A rate (units per second) from elapsed times. `median` is the rate at the median time, `p95` the
 * rate at the 95th-percentile time: the slow end, which is what "p95" means for a duration.
 */
export interface RateSummary {
  readonly reps: number;
  readonly msMedian: number;
  readonly msP95: number;
  readonly median: number;
  readonly p95: number;
}

export function rateOf(units: number, elapsedMs: readonly number[]): RateSummary {
  const t = summarize(elapsedMs);
  return { reps: t.n, msMedian: t.median, msP95: t.p95, median: (units * 1000) / t.median, p95: (units * 1000) / t.p95 };
}

// ---------------------------------------------------------------- formatting

/** A number with thousands separators and a fixed number of decimals. */
export function fmt(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Three significant digits, at least: 0.0123, 1.23, 12.3, 1,234. */
export function fmt3(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (Number.isInteger(value)) return fmt(value);
  return fmt(value, abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 10_000 ? `${fmt(ms / 1000, 1)} s` : ms >= 1000 ? `${fmt(ms / 1000, 2)} s` : `${fmt3(ms)} ms`;
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? fmt(v) : fmt3(v)} ${units[i]}`;
}

export function fmtRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
}

export type Cell = string | number;

/** A plain-text table: text columns left-aligned, numeric columns right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => headers.map((_, i) => r[i] ?? ''));
  const text = cells.map((r) => r.map((c) => (typeof c === 'number' ? fmt3(c) : c)));
  const numeric = headers.map((_, i) => cells.some((r) => r[i] !== '' && r[i] !== '—') && cells.every((r) => typeof r[i] === 'number' || /^(?:[-+]?[\d.,]+\s*\S*|—|)$/.test(String(r[i]))));
  const width = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] as string).length)));
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (numeric[i] ? c.padStart(width[i] as number) : c.padEnd(width[i] as number))).join('  ').trimEnd();
  return [line(headers), width.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

export interface Verdict {
  readonly target: string;
  readonly ratio: number;
  readonly met: boolean;
  /** "PASS (1.12× vs target ≥ 1.00×, margin +12%)" or "MISS (0.30× vs target ≥ 0.50×, short by 40%)". */
  readonly text: string;
}

/** Whether `ratio` (ours / reference, higher is better) reaches `target`, with the margin. */
export function verdict(ratio: number, target: number): Verdict {
  const margin = ratio / target - 1;
  const pct = `${margin >= 0 ? '+' : ''}${(margin * 100).toFixed(0)}%`;
  const met = ratio >= target;
  const text = met
    ? `PASS (${fmtRatio(ratio)} vs target ≥ ${fmtRatio(target)}, margin ${pct})`
    : `MISS (${fmtRatio(ratio)} vs target ≥ ${fmtRatio(target)}, short by ${Math.abs(margin * 100).toFixed(0)}%)`;
  return { target: `≥ ${fmtRatio(target)}`, ratio, met, text };
}

/** One line of progress on a terminal, written over the last (nothing when not a terminal). */
export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
}

// ---------------------------------------------------------------- the machine

/** Flushes dirty pages, then tries to drop the page cache (needs root). Returns whether it dropped. */
export function syncAndDropCaches(drop: boolean): boolean {
  spawnSync('sync', { stdio: 'ignore' });
  if (!drop) return false;
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

export interface MachineInfo {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly tmpdir: string;
  readonly date: string;
}

export function machineInfo(): MachineInfo {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    tmpdir: os.tmpdir(),
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- timing commands and children

/** Runs a shell script and returns its wall time in ms; throws if it fails. */
export function timeShell(script: string, args: readonly string[] = []): number {
  const start = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`reference command failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return ms;
}

export interface ChildReport<T> {
  /** What the child printed as JSON on its last stdout line. */
  readonly result: T;
  /** Wall time of the whole child, node start-up included. */
  readonly wallMs: number;
  /** Peak resident set of the child, from /proc/<pid>/status VmHWM sampled while it ran (KiB). */
  readonly sampledPeakKiB: number | null;
}

/**
 * Runs `node <script> ...args` and parses the JSON object it prints last. The child measures its
 * own work and reports `process.resourceUsage().maxRSS`, which is exact; VmHWM is also sampled
 * from outside every 25 ms as a cross-check (it can miss growth in the child's last moments).
 * `nodeArgs` go before the script (for example --cpu-prof).
 */
export function runNodeChild<T>(script: string, args: readonly string[], nodeArgs: readonly string[] = []): Promise<ChildReport<T>> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | null = null;
    const sample = (): void => {
      const kib = readVmHwm(child.pid);
      if (kib !== null) peak = Math.max(peak ?? 0, kib);
    };
    const timer = setInterval(sample, 25);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const wallMs = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} failed (${code ?? signal}):\n${stderr.trim()}`));
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ result: JSON.parse(last) as T, wallMs, sampledPeakKiB: peak });
      } catch {
        reject(new Error(`${script} printed no JSON result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

function readVmHwm(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** What a measuring child reports: its own elapsed time for the measured work and its peak RSS. */
export interface Measured {
  readonly elapsedMs: number;
  /** process.resourceUsage().maxRSS of the child, in KiB. */
  readonly maxRssKiB: number;
}

/** For children: prints `result` with the process's peak RSS as the last stdout line, in JSON. */
export function reportToParent<T extends { elapsedMs: number }>(result: T): void {
  process.stdout.write(`\n${JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}
