// kill -9 at random moments during a folder import, a bundle export and a bundle import, then
// reopen and check (check.ts). Shared by `npm run stress` (run.ts, many runs) and the short version
// in the default test run (test/integration/stress-short.test.ts). Everything random comes from one
// seed, printed with every failure, so a run can be replayed (the kill lands at the same delay;
// where that delay falls in the work still depends on the machine's load).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIdentity } from '../../electron/archive/bundle/age/index.ts';
import { exportBundle } from '../../electron/archive/bundle/export.ts';
import { importBundle } from '../../electron/archive/bundle/importBundle.ts';
import { readArchiveJson } from '../../electron/archive/bundle/inspect.ts';
import { CRASH_POINTS, EXPORT_CRASH_POINTS } from '../../electron/archive/faults.ts';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { checkArchive, type ArchiveState } from './check.ts';
import { rng as seededRandom } from '../support/corpora.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
export const OPERATIONS = ['import', 'export', 'import-bundle'] as const;
export type Operation = (typeof OPERATIONS)[number];

const WORDS = ['witness', 'kidnapped', 'Nasiriyah', 'checkpoint', 'statement', 'night', 'الناصرية', 'شاهد', 'اختطاف', 'بيان', 'حي', 'الشرطة'];

function text(rng: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(`${WORDS[Math.floor(rng() * WORDS.length)]}${Math.floor(rng() * 1e6)}`);
  return out.join(' ');
}

export interface Sizes {
  /** Small notes per source folder. */
  readonly notes: number;
  /** Larger reports per source folder (words each). */
  readonly reports: number;
  readonly reportWords: number;
}

export const FULL_SIZES: Sizes = { notes: 30, reports: 3, reportWords: 15_000 };
export const SHORT_SIZES: Sizes = { notes: 10, reports: 1, reportWords: 5_000 };

/** A folder to import: notes and reports whose content is new to any archive (seeded). */
export function makeSourceFolder(dir: string, rng: () => number, sizes: Sizes): string {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < sizes.notes; i++) fs.writeFileSync(path.join(dir, `note-${i}.txt`), `Field note ${i}\n\n${text(rng, 40)}\n`);
  for (let i = 0; i < sizes.reports; i++) fs.writeFileSync(path.join(dir, `report-${i}.md`), `# Report ${i}\n\n${text(rng, sizes.reportWords)}\n`);
  return dir;
}

interface ChildRun {
  readonly killed: boolean;
  readonly code: number | null;
  readonly stderr: string;
  /** From "ready" to exit. */
  readonly ms: number;
}

function runChild(op: Operation, archiveDir: string, target: string, env: Record<string, string>, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, op, archiveDir, target], {
      // Small batches, so an import commits several times and a kill can fall between commits.
      env: { ...process.env, SIJIL_IMPORT_BATCH: '5', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let readyAt = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!readyAt && stdout.includes('ready\n')) {
        readyAt = performance.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr, ms: readyAt ? performance.now() - readyAt : 0 });
    });
  });
}

export interface RunReport {
  readonly op: Operation;
  readonly run: number;
  readonly how: string;
  readonly killed: boolean;
  readonly violations: string[];
}

export interface StressOptions {
  readonly seed: number;
  /** Runs per operation (the first one of each is not killed: it measures how long the work takes). */
  readonly runs: number;
  readonly sizes: Sizes;
  readonly workDir?: string;
  readonly log?: (line: string) => void;
}

export interface StressSummary {
  readonly seed: number;
  readonly reports: RunReport[];
  readonly workDir: string;
}

function itemsOf(state: ArchiveState | null): Set<string> {
  return state?.items ?? new Set();
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * Picks how a run dies: a named crash point (now and then, and always in run 1, so that even a
 * short stress kills every operation for certain) or a random delay into the work.
 */
function chooseKill(
  rng: () => number,
  run: number,
  points: readonly string[],
  maxNth: number,
  typicalMs: number,
): { env: Record<string, string>; delay?: number; how: string } {
  if (run === 0) return { env: {}, how: 'not killed (measures the work)' };
  if (points.length > 0 && (run === 1 || rng() < 0.3)) {
    const point = points[Math.floor(rng() * points.length)] as string;
    const nth = 1 + Math.floor(rng() * maxNth);
    return { env: { SIJIL_TEST_CRASH_AT: `${point}:${nth}` }, how: `crash point ${point}:${nth}` };
  }
  // A little past the typical duration, so some runs finish and the end of the work is covered too.
  const delay = Math.round(rng() * typicalMs * 1.1);
  return { env: {}, delay, how: `kill after ${delay} ms` };
}

export async function runStress(options: StressOptions): Promise<StressSummary> {
  const rng = seededRandom(options.seed);
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-stress-'));
  const log = options.log ?? (() => undefined);
  const reports: RunReport[] = [];
  const key = generateIdentity();
  const keyEnv = { SIJIL_STRESS_RECIPIENT: key.recipient, SIJIL_STRESS_IDENTITY: key.identity };
  const encryption = { options: { recipients: [key.recipient] }, record: { method: 'recipients' as const, recipients: [key.recipient] } };
  const record = (r: RunReport) => {
    reports.push(r);
    log(`${r.op} #${r.run} ${r.how}: ${r.killed ? 'killed' : 'finished'}${r.violations.length ? `\n  VIOLATION ${r.violations.join('\n  VIOLATION ')}` : ''}`);
  };

  // (a) Folder import: one archive through all runs, a new folder each run, and now and then the
  // folder of the run before again (half of it is in, half is not).
  {
    const archiveDir = path.join(workDir, 'import', 'archive');
    Archive.open(archiveDir).close();
    let typical = 0;
    let previous: string | null = null;
    // Commits per import of a new folder (batches of 5 in the child): how far a crash point's count can go.
    const batches = Math.max(1, Math.floor((options.sizes.notes + options.sizes.reports) / 5));
    // Each run's check after the kill is the next run's "before".
    let before = checkArchive(archiveDir);
    for (let run = 0; run < options.runs; run++) {
      // Run 1 imports new files, so that its crash point is reached for certain.
      const folder: string = previous && run > 1 && rng() < 0.3 ? previous : makeSourceFolder(path.join(workDir, 'import', `src-${run}`), rng, options.sizes);
      const kill = chooseKill(rng, run, CRASH_POINTS, batches, typical);
      const result = await runChild('import', archiveDir, folder, { ...keyEnv, ...kill.env }, 'delay' in kill ? kill.delay : undefined);
      if (run === 0) typical = result.ms;
      const violations: string[] = [];
      if (!result.killed && result.code !== 0 && result.code !== 3) violations.push(`the import failed (${result.code}): ${result.stderr.trim().slice(0, 500)}`);
      const after = checkArchive(archiveDir);
      violations.push(...after.violations);
      // Earlier data intact: nothing that was there is gone, and every imported item has its file.
      for (const id of itemsOf(before.state)) if (!itemsOf(after.state).has(id)) violations.push(`item ${id} was there before the run and is gone`);
      for (const id of itemsOf(after.state)) if (!after.state?.withFiles.has(id)) violations.push(`item ${id} has no file`);
      record({ op: 'import', run, how: kill.how, killed: result.killed, violations });
      previous = folder;
      before = after;
    }
  }

  // A source archive for the export and a bundle of it for the bundle import.
  const sourceDir = path.join(workDir, 'export', 'archive');
  const bundle = path.join(workDir, 'bundle-import', 'source.sijil');
  let bundleItems: Set<string>;
  {
    const source = Archive.open(sourceDir);
    try {
      await importPaths(source, [makeSourceFolder(path.join(workDir, 'export', 'src'), rng, { ...options.sizes, reports: options.sizes.reports * 2 })]);
      fs.mkdirSync(path.dirname(bundle), { recursive: true });
      await exportBundle(source, { selection: {}, to: bundle, encryption });
      bundleItems = new Set((await readArchiveJson(bundle, { identities: [key.identity] })).items.map((i) => i.id));
    } finally {
      source.close();
    }
  }

  // (b) Bundle export: the bundle file is either whole and recorded in the custody log, or absent,
  // and no partial file stays beside it once the archive has been opened again.
  {
    let typical = 0;
    let before = checkArchive(sourceDir);
    for (let run = 0; run < options.runs; run++) {
      const outDir = path.join(workDir, 'export', `out-${run}`);
      fs.mkdirSync(outDir);
      const target = path.join(outDir, 'bundle.sijil');
      const kill = chooseKill(rng, run, EXPORT_CRASH_POINTS, 1, typical);
      const result = await runChild('export', sourceDir, target, { ...keyEnv, ...kill.env }, 'delay' in kill ? kill.delay : undefined);
      if (run === 0) typical = result.ms;
      const violations: string[] = [];
      if (!result.killed && result.code !== 0) violations.push(`the export failed (${result.code}): ${result.stderr.trim().slice(0, 500)}`);
      const after = checkArchive(sourceDir);
      violations.push(...after.violations);
      const newExports = [...(after.state?.exports.keys() ?? [])].filter((b) => !before.state?.exports.has(b));
      const left = fs.readdirSync(outDir).filter((n) => n !== 'bundle.sijil');
      if (left.length > 0) violations.push(`left beside the bundle after the next open: ${left.join(', ')}`);
      if (fs.existsSync(target)) {
        const problems = await verifyExported(target, key.identity, path.join(workDir, 'export', `verify-${run}`));
        violations.push(...problems.violations);
        if (problems.bundleId && !newExports.includes(problems.bundleId)) violations.push(`the bundle ${problems.bundleId} exists but the custody log does not record its export`);
        if (problems.bundleId && newExports.length === 1 && !sameSet(after.state?.exports.get(problems.bundleId) ?? new Set(), problems.items))
          violations.push('the custody log records the export of other items than the bundle holds');
      } else if (newExports.length > 0) violations.push(`the custody log records export ${newExports.join(', ')} but there is no bundle`);
      if (!result.killed && !fs.existsSync(target)) violations.push('the export finished but the bundle is not there');
      record({ op: 'export', run, how: kill.how, killed: result.killed, violations });
      before = after;
    }
  }

  // (c) Bundle import: a fresh copy of one target archive each run; afterwards the bundle's items
  // are all there (with their files) or none is.
  {
    const base = path.join(workDir, 'bundle-import', 'base');
    const own = Archive.open(base);
    try {
      await importPaths(own, [makeSourceFolder(path.join(workDir, 'bundle-import', 'own-src'), rng, { ...options.sizes, reports: 1 })]);
    } finally {
      own.close();
    }
    const baseItems = itemsOf(checkArchive(base).state);
    let typical = 0;
    for (let run = 0; run < options.runs; run++) {
      const archiveDir = path.join(workDir, 'bundle-import', `run-${run}`);
      fs.cpSync(base, archiveDir, { recursive: true });
      const kill = chooseKill(rng, run, CRASH_POINTS, 1, typical);
      const result = await runChild('import-bundle', archiveDir, bundle, { ...keyEnv, ...kill.env }, 'delay' in kill ? kill.delay : undefined);
      if (run === 0) typical = result.ms;
      const violations: string[] = [];
      if (!result.killed && result.code !== 0) violations.push(`the bundle import failed (${result.code}): ${result.stderr.trim().slice(0, 500)}`);
      const after = checkArchive(archiveDir);
      violations.push(...after.violations);
      const now = itemsOf(after.state);
      const all = new Set([...baseItems, ...bundleItems]);
      const imported = sameSet(now, all);
      if (!imported && !sameSet(now, baseItems)) {
        const from = [...bundleItems].filter((id) => now.has(id)).length;
        violations.push(`the bundle is half imported: ${from} of its ${bundleItems.size} items are in the archive (${now.size} items in all)`);
      }
      if (imported) for (const id of bundleItems) if (!after.state?.withFiles.has(id)) violations.push(`imported item ${id} has no file`);
      if (!result.killed && !imported) violations.push('the bundle import finished but its items are not all there');
      record({ op: 'import-bundle', run, how: kill.how, killed: result.killed, violations });
      // Runs that passed are not kept: each is a copy of the archive.
      if (violations.length === 0) fs.rmSync(archiveDir, { recursive: true, force: true });
    }
  }
  return { seed: options.seed, reports, workDir };
}

/** A bundle left where an export was killed must be whole: it imports cleanly into an empty archive. */
async function verifyExported(file: string, identity: string, scratch: string): Promise<{ violations: string[]; bundleId?: string; items: Set<string> }> {
  let json;
  try {
    json = await readArchiveJson(file, { identities: [identity] });
  } catch (error) {
    return { violations: [`the bundle left by the export cannot be read: ${(error as Error).message}`], items: new Set() };
  }
  const items = new Set(json.items.map((i) => i.id));
  const archive = Archive.open(scratch);
  try {
    await importBundle(archive, file, { identities: [identity] });
    return { violations: [], bundleId: json.bundleId, items };
  } catch (error) {
    return { violations: [`the bundle left by the export is not whole: ${(error as Error).message}`], bundleId: json.bundleId, items };
  } finally {
    archive.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export function summarise(summary: StressSummary): { text: string; violations: number } {
  const lines: string[] = [];
  let violations = 0;
  for (const op of OPERATIONS) {
    const runs = summary.reports.filter((r) => r.op === op);
    const bad = runs.filter((r) => r.violations.length > 0);
    violations += bad.reduce((n, r) => n + r.violations.length, 0);
    lines.push(`${op.padEnd(14)} runs ${String(runs.length).padStart(4)}  killed ${String(runs.filter((r) => r.killed).length).padStart(4)}  runs with violations ${bad.length}`);
    for (const r of bad) lines.push(`  #${r.run} (${r.how}): ${r.violations.join('; ')}`);
  }
  const killed = summary.reports.filter((r) => r.killed).length;
  lines.push(`total: ${summary.reports.length} runs, ${killed} killed with SIGKILL, ${violations} violations (seed ${summary.seed}; replay with SIJIL_STRESS_SEED=${summary.seed})`);
  return { text: lines.join('\n'), violations };
}
