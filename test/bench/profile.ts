// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: by area (our engine,
// each dependency, Node internals, idle), the hottest functions by self time, and our own
// functions by inclusive time (themselves and what they call).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, table } from './stats.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1] as string;
  if (file.startsWith('node:')) return 'node internals';
  if (file.startsWith(ROOT)) return path.relative(ROOT, file).split(path.sep).slice(0, 3).join('/');
  return file;
}

function where(url: string, line: number): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const short = file.startsWith(ROOT) ? path.relative(ROOT, file) : file.replace(/^.*node_modules\//, '');
  return `${short}:${line + 1}`;
}

/** A readable summary of one profile: areas, top self-time functions, our functions inclusive. */
export function summarizeProfile(file: string, top = 15): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url, n.callFrame.lineNumber)}`.trim();

  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id);
    if (!node) return;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: ProfileNode | undefined = node; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
      const url = cur.callFrame.url;
      if (!url.includes('/electron/') && !url.includes('/shared/')) continue;
      const k = key(cur);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const pct = (ms: number): string => `${((ms / total) * 100).toFixed(1)}%`;
  const rows = (m: Map<string, number>, n: number): string[][] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => [k, fmtMs(ms), pct(ms)]);
  return [
    `total ${fmtMs(total)} sampled`,
    table(['area (self time)', 'time', 'share'], rows(area, 12)),
    '',
    table(['function (self time)', 'time', 'share'], rows(self, top)),
    '',
    table(['our function (inclusive time)', 'time', 'share'], rows(inclusive, top)),
  ].join('\n');
}

// node test/bench/profile.ts FILE.cpuprofile: the same summary for any profile.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node test/bench/profile.ts FILE.cpuprofile');
    process.exitCode = 2;
  } else console.log(summarizeProfile(file, 25));
}
