// `npm run stress`: kill -9 at random moments during folder import, bundle export and bundle
// import, reopen, and check everything check.ts checks. Exits 1 on any violation.
//   SIJIL_STRESS_SEED=N   replay a run (printed at the end)
//   SIJIL_STRESS_RUNS=N   runs per operation (default 40, so 120 in all, 117 of them killed at most)
//   SIJIL_STRESS_KEEP=1   keep the work folder to look at
import fs from 'node:fs';
import { runStress, summarise, FULL_SIZES } from './scenarios.ts';

const seed = Number(process.env.SIJIL_STRESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Math.max(2, Number(process.env.SIJIL_STRESS_RUNS ?? 40));
console.log(`sijil stress: ${runs} runs per operation, seed ${seed}`);
const started = performance.now();
const summary = await runStress({ seed, runs, sizes: FULL_SIZES, log: (line) => console.log(line) });
const { text, violations } = summarise(summary);
console.log(`\n${text}\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
if (process.env.SIJIL_STRESS_KEEP || violations > 0) console.log(`work folder kept: ${summary.workDir}`);
else fs.rmSync(summary.workDir, { recursive: true, force: true });
process.exit(violations > 0 ? 1 : 0);
