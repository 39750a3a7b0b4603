// npm run bench -- [SUITE...] [--option value...]: runs the named benchmark suites (all of them
// when none is named). Each prints a table and writes test-output/bench/<suite>.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, machineInfo } from './stats.ts';
import type { Suite, SuiteOptions } from './suite.ts';

// Adding a suite is one line here: its name and the module that exports `suite`.
const SUITES: Readonly<Record<string, () => Promise<{ suite: Suite }>>> = {
  ingest: () => import('./ingest.ts'),
  search: () => import('./search.ts'),
  bundle: () => import('./bundle.ts'),
  ui: () => import('./ui.ts'),
  bulk: () => import('./bulk.ts'),
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = path.join(ROOT, 'test-output', 'bench');

function parseArgs(argv: readonly string[]): { names: string[]; values: Map<string, string> } {
  const names: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      names.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--') && !(argv[i + 1] as string in SUITES)) values.set(arg.slice(2), argv[++i] as string);
    else values.set(arg.slice(2), 'true');
  }
  return { names, values };
}

function optionsFrom(values: Map<string, string>): SuiteOptions {
  return {
    int(name, fallback) {
      const v = values.get(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not "${v}".`);
      return n;
    },
    flag(name) {
      const v = values.get(name);
      return v !== undefined && v !== 'false' && v !== '0';
    },
    string(name, fallback) {
      return values.get(name) ?? fallback;
    },
  };
}

async function help(): Promise<void> {
  console.log('npm run bench -- [SUITE...] [--option value...]\n\nSuites (all run when none is named):');
  for (const [name, load] of Object.entries(SUITES)) {
    const { suite } = await load();
    console.log(`  ${name.padEnd(10)} ${suite.description}`);
    for (const [opt, text] of Object.entries(suite.options)) console.log(`    --${opt.padEnd(14)} ${text}`);
  }
}

async function main(): Promise<number> {
  const { names, values } = parseArgs(process.argv.slice(2));
  if (values.has('help')) {
    await help();
    return 0;
  }
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    console.error(`Unknown suite ${unknown.join(', ')}; the suites are: ${Object.keys(SUITES).join(', ')}.`);
    return 2;
  }
  const chosen = names.length > 0 ? [...new Set(names)] : Object.keys(SUITES);
  const loaded = await Promise.all(chosen.map(async (name) => ({ name, suite: (await (SUITES[name] as () => Promise<{ suite: Suite }>)()).suite })));
  const known = new Set(['help', ...loaded.flatMap((l) => Object.keys(l.suite.options))]);
  const stray = [...values.keys()].filter((k) => !known.has(k));
  if (stray.length > 0) {
    console.error(`Unknown option ${stray.map((s) => `--${s}`).join(', ')}; see npm run bench -- --help.`);
    return 2;
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const options = optionsFrom(values);
  const machine = machineInfo();
  console.log(`Sijil benchmarks: ${chosen.join(', ')} — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${machine.date}`);
  for (const { name, suite } of loaded) {
    console.log(`\n=== ${name}: ${suite.description}`);
    const start = performance.now();
    const result = await suite.run({ options, outDir: OUT_DIR });
    const durationMs = performance.now() - start;
    const file = path.join(OUT_DIR, `${name}.json`);
    const args = Object.fromEntries([...values].filter(([k]) => k in suite.options));
    fs.writeFileSync(file, `${JSON.stringify({ suite: name, machine, options: args, durationMs, result }, null, 2)}\n`);
    console.log(`\n${name}: done in ${fmtMs(durationMs)}; JSON in ${path.relative(process.cwd(), file)}`);
  }
  return 0;
}

process.exitCode = await main();
