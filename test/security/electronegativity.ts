// Electronegativity over Sijil's own source, offline, as a gate (issue 8): `npm run scan:electron`
// and test/integration/electronegativity.test.ts both call `scanElectron`.
//
// Electronegativity exits 0 whatever it finds, and the SARIF it writes says only "warning" or
// "note", so the gate is here: the child (electronegativityChild.ts) also hands over each
// finding's severity, which is written into the SARIF (`properties.severity`), and every HIGH or
// MEDIUM finding must be justified in electronegativity-allow.json (check, file, reason). An entry
// that no longer matches a finding is stale and fails too, so the list cannot outlive its reason.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const ALLOW_LIST_FILE = path.join(here, 'electronegativity-allow.json');
export const DEFAULT_SARIF = path.join(REPO_ROOT, 'test-output', 'electronegativity.sarif');
/** What is scanned: the app's code (main, preload, engine, server, renderer, shared) and package.json. */
export const SCANNED = ['electron', 'renderer', 'shared', 'package.json'] as const;
// The file types Electronegativity reads (its util/file.js list_files).
const SCANNED_TYPES = /\.(jsx?|tsx?|html?)$/i;
const BLOCKING = new Set(['HIGH', 'MEDIUM']);
// The scan takes seconds; a hung child (it never should: it has no network) is stopped.
const CHILD_TIMEOUT_MS = 300_000;

export interface Finding {
  readonly check: string;
  /** Relative to the scanned root with / separators, or "N/A" for an application-wide finding. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly confidence: string;
  readonly sample: string;
  readonly description: string;
}

const AllowEntry = z
  .object({
    check: z.string().regex(/^[A-Z0-9_]+$/, 'a check id as Electronegativity names it, e.g. OPEN_EXTERNAL_JS_CHECK'),
    file: z.string().min(1),
    reason: z.string().trim().min(40, 'say why in a sentence or two: at least 40 characters'),
  })
  .strict();
export type AllowEntry = z.infer<typeof AllowEntry>;
const AllowList = z.object({ about: z.string().optional(), entries: z.array(AllowEntry) }).strict();

export function loadAllowList(file = ALLOW_LIST_FILE): AllowEntry[] {
  const parsed = AllowList.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${path.relative(REPO_ROOT, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.entries;
}

export interface Evaluation {
  /** HIGH or MEDIUM findings no entry justifies. */
  readonly blocking: readonly Finding[];
  readonly allowed: readonly { finding: Finding; entry: AllowEntry }[];
  /** Entries that match no HIGH or MEDIUM finding. */
  readonly stale: readonly AllowEntry[];
}

export function evaluate(findings: readonly Finding[], allow: readonly AllowEntry[]): Evaluation {
  const blocking: Finding[] = [];
  const allowed: { finding: Finding; entry: AllowEntry }[] = [];
  const used = new Set<AllowEntry>();
  for (const finding of findings) {
    if (!BLOCKING.has(finding.severity)) continue;
    const entry = allow.find((e) => e.check === finding.check && e.file === finding.file);
    if (entry) {
      used.add(entry);
      allowed.push({ finding, entry });
    } else blocking.push(finding);
  }
  return { blocking, allowed, stale: allow.filter((e) => !used.has(e)) };
}

export interface ScanResult {
  readonly findings: readonly Finding[];
  /** Files Electronegativity could not parse (and so did not check). */
  readonly parseErrors: readonly { file: string; message: string }[];
  /** Connections the scan tried to open (refused); must be empty. */
  readonly networkAttempts: readonly string[];
  readonly checks: { atomic: number; global: number };
  readonly scannedFiles: number;
  /** The child's own output (it should print nothing). */
  readonly output: string;
  readonly sarifFile: string;
  readonly sarif: Sarif;
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
  properties?: Record<string, unknown>;
  suppressions?: { kind: string; justification: string }[];
}
export interface Sarif {
  runs: { tool: unknown; results: SarifResult[] }[];
}

interface ChildDetails {
  checks: { atomic: number; global: number };
  issues: { id: string; file: string; line: number; column: number; severity: string; confidence: string; sample: string }[];
  errors: { file: string; message: string; tolerable: boolean }[];
  networkAttempts: string[];
}

/** Copies what is scanned into `dest`, so build output, tests and fixtures stay out of the scan. */
function stage(root: string, dest: string, entries: readonly string[]): number {
  let files = 0;
  for (const entry of entries) {
    const from = path.join(root, entry);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(dest, entry), {
      recursive: true,
      filter: (src) => {
        const stat = fs.statSync(src);
        if (stat.isDirectory()) return path.basename(src) !== 'node_modules';
        const keep = SCANNED_TYPES.test(src) || path.basename(src) === 'package.json';
        if (keep) files++;
        return keep;
      },
    });
  }
  return files;
}

function key(check: string, uri: string, line: number, column: number): string {
  return `${check}|${uri}|${line}|${column}`;
}

/**
 * Runs Electronegativity over `entries` of `root` (the app's source by default) and returns its
 * findings with their severities. Writes the SARIF, with severities and the allow-list's reasons
 * as suppressions, to `sarifFile`.
 */
export async function scanElectron(options: { root?: string; entries?: readonly string[]; sarifFile?: string; allow?: readonly AllowEntry[] } = {}): Promise<ScanResult> {
  const root = options.root ?? REPO_ROOT;
  const sarifFile = options.sarifFile ?? DEFAULT_SARIF;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-electronegativity-'));
  try {
    const input = path.join(work, 'src');
    fs.mkdirSync(input);
    const scannedFiles = stage(root, input, options.entries ?? SCANNED);
    const rawSarif = path.join(work, 'raw.sarif');
    const detailsFile = path.join(work, 'details.json');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [path.join(here, 'electronegativityChild.ts'), input, rawSarif, detailsFile],
        // LANG is fixed so the messages (and the SARIF) are the same on every machine.
        { cwd: REPO_ROOT, timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20, env: { ...process.env, LANG: 'en-US', NO_COLOR: '1', FORCE_COLOR: '0' } },
        (err, stdout, stderr) => {
          const text = `${stdout}${stderr}`;
          if (err) reject(new Error(`Electronegativity failed (${err.killed ? 'timed out' : `exit ${String(err.code)}`}):\n${text}`));
          else resolve(text);
        },
      );
    });
    const details = JSON.parse(fs.readFileSync(detailsFile, 'utf8')) as ChildDetails;
    const sarif = JSON.parse(fs.readFileSync(rawSarif, 'utf8')) as Sarif;

    // Joins each SARIF result to the finding it came from (same rule, file and position, as the
    // SARIF writer computes them: line 0 becomes 1, columns count from 1).
    const byKey = new Map<string, ChildDetails['issues']>();
    for (const issue of details.issues) {
      const uri = issue.file === 'N/A' ? 'file:///' : issue.file;
      const k = key(issue.id, uri, issue.line === 0 ? 1 : issue.line, issue.column + 1);
      byKey.set(k, [...(byKey.get(k) ?? []), issue]);
    }
    const findings: Finding[] = [];
    for (const result of sarif.runs[0]?.results ?? []) {
      const loc = result.locations[0]?.physicalLocation;
      const uri = loc?.artifactLocation.uri ?? 'file:///';
      const k = key(result.ruleId, uri, loc?.region.startLine ?? 1, loc?.region.startColumn ?? 1);
      const issue = byKey.get(k)?.shift();
      if (!issue) throw new Error(`The SARIF names a finding the scan did not report: ${k}`);
      const finding: Finding = {
        check: result.ruleId,
        file: uri === 'file:///' ? 'N/A' : uri.split(path.sep).join('/'),
        line: loc?.region.startLine ?? 1,
        column: loc?.region.startColumn ?? 1,
        severity: issue.severity,
        confidence: issue.confidence,
        sample: issue.sample,
        description: result.message.text,
      };
      findings.push(finding);
      result.properties = { ...result.properties, severity: issue.severity, confidence: issue.confidence };
    }
    const left = [...byKey.values()].flat();
    if (left.length > 0) throw new Error(`The SARIF lacks ${left.length} finding(s) the scan reported, e.g. ${left[0]!.id} in ${left[0]!.file}`);

    if (options.allow) {
      const { allowed, blocking } = evaluate(findings, options.allow);
      sarif.runs[0]?.results.forEach((result, i) => {
        const finding = findings[i]!;
        const entry = allowed.find((a) => a.finding === finding)?.entry;
        if (entry) result.suppressions = [{ kind: 'external', justification: entry.reason }];
        else if (blocking.includes(finding)) result.level = 'error';
      });
    }
    fs.mkdirSync(path.dirname(sarifFile), { recursive: true });
    fs.writeFileSync(sarifFile, `${JSON.stringify(sarif, null, 2)}\n`);
    return {
      findings,
      parseErrors: details.errors.map(({ file, message }) => ({ file, message })),
      networkAttempts: details.networkAttempts,
      checks: details.checks,
      scannedFiles,
      output,
      sarifFile,
      sarif,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function describeFinding(f: Finding): string {
  return `${f.severity} ${f.check} ${f.file}:${f.line}:${f.column}${f.sample ? `  ${f.sample.slice(0, 100)}` : ''}`;
}

/** The gate's verdict in lines a person can act on; empty when the scan passes. */
export function problems(scan: ScanResult, verdict: Evaluation): string[] {
  return [
    ...scan.networkAttempts.map((a) => `the scan tried to reach the network: ${a}`),
    ...scan.parseErrors.map((e) => `Electronegativity could not parse ${e.file} (so it was not checked): ${e.message}`),
    ...verdict.blocking.map((f) => `not justified in test/security/electronegativity-allow.json: ${describeFinding(f)}`),
    ...verdict.stale.map((e) => `stale allow-list entry (no such finding any more; remove it): ${e.check} ${e.file}`),
  ];
}

async function main(): Promise<number> {
  const allow = loadAllowList();
  const scan = await scanElectron({ allow });
  const verdict = evaluate(scan.findings, allow);
  const out = process.stdout;
  out.write(`Electronegativity: ${scan.checks.atomic + scan.checks.global} checks over ${scan.scannedFiles} files; SARIF in ${path.relative(REPO_ROOT, scan.sarifFile)}\n`);
  for (const { finding, entry } of verdict.allowed) out.write(`  allowed  ${describeFinding(finding)}\n           because ${entry.reason}\n`);
  for (const f of scan.findings.filter((x) => !BLOCKING.has(x.severity))) out.write(`  ${f.severity.toLowerCase().padEnd(8)} ${describeFinding(f)}\n`);
  const list = problems(scan, verdict);
  for (const line of list) process.stderr.write(`FAIL ${line}\n`);
  out.write(list.length === 0 ? 'No unjustified HIGH or MEDIUM finding.\n' : `${list.length} problem(s).\n`);
  return list.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  });
}
