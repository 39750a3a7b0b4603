// Electronegativity as a gate over Sijil's source (test/security/electronegativity.ts, also
// `npm run scan:electron`): offline, every file parsed, no HIGH or MEDIUM finding without a reason
// in the allow-list, no stale entry. A seeded scan of a small bad app shows the gate does fail,
// on TypeScript and TSX sources alike.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../../electron/server.ts';
import { DESKTOP_CSP } from '../../electron/security.ts';
import { evaluate, loadAllowList, problems, scanElectron, type AllowEntry, type Finding, type ScanResult } from '../security/electronegativity.ts';
import { tmpDir } from '../support/tmp.ts';

let real: ScanResult;
let seeded: ScanResult;
let seededRoot: string;

// A small Electron app with the mistakes the gate exists for, in .ts and .tsx with syntax only
// TypeScript has (types, generics, `satisfies`, `as const`, non-null assertions).
const BAD_MAIN = `import { app, BrowserWindow, shell } from 'electron';
interface Options<T extends string> { readonly name: T }
const names = ['a', 'b'] as const satisfies readonly string[];
export function open(o: Options<'main'>): BrowserWindow {
  const win = new BrowserWindow({
    width: 800,
    webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false },
  });
  win.webContents.on('will-navigate', (e) => void e);
  void app.whenReady().then(() => win.loadURL(o.name + names[0]!));
  return win;
}
export const go = (url: string): Promise<void> => shell.openExternal(url);
`;
const BAD_VIEW = `import { shell } from 'electron';
type Props = { readonly href: string };
export function Link({ href }: Props): JSX.Element {
  return <a href={href} onClick={() => void shell.openExternal(href)}>{href as string}</a>;
}
`;

beforeAll(async () => {
  seededRoot = tmpDir('electronegativity-seeded-');
  fs.mkdirSync(path.join(seededRoot, 'electron'));
  fs.mkdirSync(path.join(seededRoot, 'renderer'));
  fs.writeFileSync(path.join(seededRoot, 'package.json'), JSON.stringify({ name: 'seeded', devDependencies: { electron: '45.5.0' } }));
  fs.writeFileSync(path.join(seededRoot, 'electron', 'main.ts'), BAD_MAIN);
  fs.writeFileSync(path.join(seededRoot, 'renderer', 'Link.tsx'), BAD_VIEW);
  fs.writeFileSync(path.join(seededRoot, 'renderer', 'broken.ts'), 'export const x = {{ not typescript');
  const allow = loadAllowList();
  [real, seeded] = await Promise.all([
    // The real scan's SARIF goes where CI collects test output (test-output/electronegativity.sarif).
    scanElectron({ allow }),
    scanElectron({ root: seededRoot, allow: [], sarifFile: path.join(seededRoot, 'seeded.sarif') }),
  ]);
});

describe('Electronegativity over the source', () => {
  it('passes the gate: every HIGH or MEDIUM finding is justified and no entry is stale', () => {
    const verdict = evaluate(real.findings, loadAllowList());
    expect(problems(real, verdict)).toEqual([]);
    // The scan did look at the app: the main process is among the findings it reported.
    expect(real.scannedFiles).toBeGreaterThan(100);
    expect(real.findings.some((f) => f.file === 'electron/main.ts')).toBe(true);
    expect(real.checks.atomic + real.checks.global).toBeGreaterThan(30);
  });

  it('never reaches the network and prints nothing (no translation download, no release list)', () => {
    expect(real.networkAttempts).toEqual([]);
    expect(real.output).not.toMatch(/Could not retrieve|connectivity|releases/i);
    expect(real.findings.map((f) => f.check)).not.toContain('AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK');
  });

  it('writes SARIF 2.1.0 with each finding’s severity, and the allow-list’s reasons as suppressions', () => {
    const sarif = JSON.parse(fs.readFileSync(real.sarifFile, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; level: string; properties: { severity: string }; suppressions?: { justification: string }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]!.results;
    expect(results).toHaveLength(real.findings.length);
    for (const r of results) {
      expect(['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']).toContain(r.properties.severity);
      if (r.properties.severity === 'HIGH' || r.properties.severity === 'MEDIUM') {
        expect(r.suppressions?.[0]?.justification.length ?? 0, r.ruleId).toBeGreaterThan(40);
        expect(r.level).not.toBe('error');
      }
    }
  });
});

describe('the gate fails where it should', () => {
  it('reports a seeded app’s mistakes in .ts and .tsx files as blocking', () => {
    const verdict = evaluate(seeded.findings, []);
    const blocking = verdict.blocking.map((f) => `${f.check} ${f.file}`);
    expect(blocking).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK electron/main.ts',
        'SANDBOX_JS_CHECK electron/main.ts',
        'WEB_SECURITY_JS_CHECK electron/main.ts',
        'OPEN_EXTERNAL_JS_CHECK electron/main.ts',
        'OPEN_EXTERNAL_JS_CHECK renderer/Link.tsx',
        // Sijil's source passes these two: it limits navigation and handles permission requests.
        'LIMIT_NAVIGATION_GLOBAL_CHECK N/A',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK N/A',
      ]),
    );
    const sarif = JSON.parse(fs.readFileSync(seeded.sarifFile, 'utf8')) as { runs: { results: { ruleId: string; level: string }[] }[] };
    const contextIsolation = sarif.runs[0]!.results.filter((r) => r.ruleId === 'CONTEXT_ISOLATION_JS_CHECK');
    expect(contextIsolation.length).toBeGreaterThan(0);
    expect(contextIsolation.every((r) => r.level === 'error')).toBe(true);
    expect(problems(seeded, verdict).length).toBeGreaterThan(0);
  });

  it('reports a file it cannot parse, since it was not checked', () => {
    expect(seeded.parseErrors.map((e) => e.file)).toEqual(['renderer/broken.ts']);
    expect(problems(seeded, evaluate(seeded.findings, [])).some((p) => p.includes('could not parse renderer/broken.ts'))).toBe(true);
  });

  it('an entry justifies only its own check and file; one that matches nothing is stale', () => {
    const finding = (check: string, file: string, severity = 'MEDIUM'): Finding => ({ check, file, line: 1, column: 1, severity, confidence: 'FIRM', sample: '', description: '' });
    const entry = (check: string, file: string): AllowEntry => ({ check, file, reason: 'x'.repeat(40) });
    const verdict = evaluate(
      [finding('OPEN_EXTERNAL_JS_CHECK', 'electron/main.ts'), finding('OPEN_EXTERNAL_JS_CHECK', 'electron/other.ts'), finding('SANDBOX_JS_CHECK', 'electron/main.ts', 'LOW')],
      [entry('OPEN_EXTERNAL_JS_CHECK', 'electron/main.ts'), entry('SANDBOX_JS_CHECK', 'electron/main.ts')],
    );
    expect(verdict.allowed.map((a) => a.finding.file)).toEqual(['electron/main.ts']);
    expect(verdict.blocking.map((f) => f.file)).toEqual(['electron/other.ts']);
    // A LOW finding needs no entry, so an entry for it is stale.
    expect(verdict.stale).toEqual([entry('SANDBOX_JS_CHECK', 'electron/main.ts')]);
  });

  it('refuses an allow-list entry without a real reason', () => {
    const file = path.join(tmpDir('allow-'), 'allow.json');
    fs.writeFileSync(file, JSON.stringify({ entries: [{ check: 'SANDBOX_JS_CHECK', file: 'electron/main.ts', reason: 'fine' }] }));
    expect(() => loadAllowList(file)).toThrow(/at least 40 characters/);
  });
});

// CSP_GLOBAL_CHECK cannot see a policy built in code (see the allow-list), so the evaluator it
// would run is run here on the policies both doors actually send.
describe('the CSP under the evaluator Electronegativity uses', () => {
  const require = createRequire(import.meta.url);
  const csp = require('@doyensec/csp-evaluator') as {
    CspParser: new (policy: string) => { csp: unknown };
    CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; value?: string; description: string }[] };
    Version: { CSP3: unknown };
    severities: Record<string, number>;
  };

  it.each([
    ['desktop', DESKTOP_CSP],
    ['browser mode', APP_CSP],
  ])('the %s policy has nothing it would call weak', (_door, policy) => {
    const findings = new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
    const { HIGH, MEDIUM, HIGH_MAYBE, SYNTAX } = csp.severities;
    expect(findings.filter((f) => f.severity === HIGH || f.severity === MEDIUM || f.severity === HIGH_MAYBE)).toEqual([]);
    // Its keyword list predates 'wasm-unsafe-eval' (CSP3; lets PDF.js compile WebAssembly, not eval).
    expect(findings.filter((f) => f.severity === SYNTAX).map((f) => f.value)).toEqual(["'wasm-unsafe-eval'"]);
  });

  it('flags a weak policy (so the check above can fail)', () => {
    const findings = new csp.CspEvaluator(new csp.CspParser("script-src 'self' 'unsafe-inline' https:").csp, csp.Version.CSP3).evaluate();
    expect(findings.some((f) => f.severity === csp.severities.HIGH)).toBe(true);
  });
});
