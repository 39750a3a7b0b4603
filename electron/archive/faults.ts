// Fault injection for the crash tests: SIJIL_TEST_CRASH_AT=point[:n] makes the process kill itself
// (SIGKILL, as a power cut would stop it) the n-th time it reaches that point. Unset, it costs one
// comparison.
const [point, nth] = (process.env.SIJIL_TEST_CRASH_AT ?? '').split(':');
let hits = 0;

/** Points every write that places blobs passes (an import, a bundle import). */
export const CRASH_POINTS = ['after-stage', 'after-journal', 'after-place', 'before-commit', 'after-commit'] as const;
/** Points a bundle export passes once its file is written. */
export const EXPORT_CRASH_POINTS = ['export-written', 'export-renamed', 'export-recorded'] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number] | (typeof EXPORT_CRASH_POINTS)[number];

export function crashPoint(name: CrashPointName): void {
  if (!point || name !== point) return;
  hits++;
  if (hits >= Number(nth || 1)) process.kill(process.pid, 'SIGKILL');
}
