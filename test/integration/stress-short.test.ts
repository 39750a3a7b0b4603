// The short version of `npm run stress` (test/stress/): a few kill -9 runs per operation (folder
// import, bundle export, bundle import), each followed by a reopen and the full set of checks.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATIONS, SHORT_SIZES, runStress, summarise, type StressSummary } from '../stress/scenarios.ts';
import { tmpDir } from '../support/tmp.ts';

let summary: StressSummary | undefined;

afterAll(() => {
  if (summary) fs.rmSync(summary.workDir, { recursive: true, force: true });
});

describe('kill -9 during import, export and bundle import (short stress)', () => {
  it('leaves an archive that checks clean after every kill, with every bundle whole or absent', { timeout: 600_000 }, async () => {
    const seed = Number(process.env.SIJIL_STRESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    summary = await runStress({ seed, runs: 3, sizes: SHORT_SIZES, workDir: tmpDir('sijil-stress-short-') });
    const { text, violations } = summarise(summary);
    // The summary names the seed, so a failure here can be replayed with SIJIL_STRESS_SEED.
    expect(violations, text).toBe(0);
    for (const op of OPERATIONS) {
      const runs = summary.reports.filter((r) => r.op === op);
      expect(runs.length).toBe(3);
      // The first run of each operation is not killed; the kills must really have happened in the others.
      expect(runs.filter((r) => r.killed).length, text).toBeGreaterThanOrEqual(1);
    }
  });
});
