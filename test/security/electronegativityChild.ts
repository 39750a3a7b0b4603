// Runs Electronegativity once, offline, in its own process (test/security/electronegativity.ts
// starts it): `node electronegativityChild.ts INPUT_DIR SARIF_FILE DETAILS_FILE`.
//
// Electronegativity reaches the network twice on its own: its i18n loader asks an S3 bucket for
// translations of $LANG ("Could not retrieve updated translations for the current locale" is that
// request failing), and AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list
// from GitHub. Both go through the `got` package, which is replaced here before Electronegativity
// loads it, the release check is not run, and every socket this process would open is refused and
// recorded, so a scan can neither hang on an offline machine nor phone home.
import dns from 'node:dns';
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const [input, sarifFile, detailsFile] = process.argv.slice(2);
if (!input || !sarifFile || !detailsFile) {
  process.stderr.write('usage: node electronegativityChild.ts INPUT_DIR SARIF_FILE DETAILS_FILE\n');
  process.exit(2);
}

const networkAttempts: string[] = [];
const refuse = (what: string): never => {
  networkAttempts.push(what);
  throw new Error(`Electronegativity tried to reach the network (${what}); the scan runs offline.`);
};
net.Socket.prototype.connect = function connect(...args: unknown[]) {
  return refuse(`connect ${JSON.stringify(args[0])?.slice(0, 200)}`);
} as typeof net.Socket.prototype.connect;
dns.lookup = ((host: string) => refuse(`DNS lookup of ${host}`)) as unknown as typeof dns.lookup;

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const i18nFile = path.join(packageDir, 'dist', 'locales', 'i18n.js');

// The stand-in for `got`: every request answers "no content", so the i18n loader keeps the English
// messages shipped in the package and logs nothing.
function offlineGot(): Promise<{ statusCode: number; body: string }> {
  return Promise.resolve({ statusCode: 204, body: '' });
}
offlineGot.head = offlineGot;
offlineGot.get = offlineGot;
const gotFile = createRequire(i18nFile).resolve('got');
const stub = new Module(gotFile);
stub.filename = gotFile;
stub.exports = offlineGot;
stub.loaded = true;
require.cache[gotFile] = stub;

interface RawIssue {
  id: string;
  file: string;
  location?: { line?: number; column?: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview?: boolean;
  sample?: string;
}

const run = (require(path.join(packageDir, 'dist', 'runner.js')) as { default?: unknown }).default ?? require(path.join(packageDir, 'dist', 'runner.js'));
const result = (await (run as (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string; tolerable: boolean }[]; atomicChecks: number; globalChecks: number }>)(
  {
    input: path.resolve(input),
    output: path.resolve(sarifFile),
    isSarif: true,
    customScan: [],
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    isRelative: true,
    isVerbose: false,
    parserPlugins: [],
  },
  false,
)) ?? { issues: [], errors: [], atomicChecks: 0, globalChecks: 0 };

// The SARIF Electronegativity writes has no severity (only "warning" or "note"), so the details
// each finding carries go beside it; electronegativity.ts joins them by rule, file and position.
fs.writeFileSync(
  detailsFile,
  JSON.stringify({
    checks: { atomic: result.atomicChecks, global: result.globalChecks },
    issues: result.issues.map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location?.line ?? 0,
      column: i.location?.column ?? 0,
      severity: i.severity.name,
      confidence: i.confidence.name,
      manualReview: i.manualReview === true,
      sample: i.sample ?? '',
    })),
    errors: result.errors.map((e) => ({ file: path.relative(path.resolve(input), e.file), message: e.message, tolerable: e.tolerable })),
    networkAttempts,
  }),
);
