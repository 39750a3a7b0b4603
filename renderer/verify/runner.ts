// The one verification the app runs at a time. It lives outside any screen so that a run keeps
// going (and its result is kept) when the person leaves the Verify screen, and so that the
// scheduled run started at launch and a run started by hand are the same thing.
import { useSyncExternalStore } from 'react';
import type { VerifyProgressEvent, VerifyReport } from '../../shared/api.ts';
import { api } from '../api.ts';
import { errorMessage, isCancelled } from '../errors.ts';

export type VerifyRun =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly background: boolean; readonly progress: VerifyProgressEvent | null }
  | { readonly state: 'done'; readonly background: boolean; readonly report: VerifyReport; readonly seen: boolean }
  | { readonly state: 'failed'; readonly background: boolean; readonly message: string; readonly seen: boolean }
  | { readonly state: 'cancelled' };

let current: VerifyRun = { state: 'idle' };
let controller: AbortController | null = null;
/** Bumped when a run ends, so views of verify.status know to read it again. */
let finishedRuns = 0;
const listeners = new Set<() => void>();

function set(next: VerifyRun): void {
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function verifyRun(): VerifyRun {
  return current;
}

export function useVerifyRun(): VerifyRun {
  return useSyncExternalStore(subscribe, verifyRun);
}

/** How many runs have ended: a dependency for effects that read verify.status. */
export function useFinishedRuns(): number {
  return useSyncExternalStore(subscribe, () => finishedRuns);
}

/**
 * Starts a verification of the whole archive unless one is running. `background` marks the run
 * the schedule started at launch: its result is offered as a notice rather than shown at once.
 */
export function startVerify(background = false): void {
  if (current.state === 'running') return;
  const own = new AbortController();
  controller = own;
  set({ state: 'running', background, progress: null });
  api
    .call('archive.verify', {}, {
      signal: own.signal,
      onProgress: (event, payload) => {
        if (event === 'verify.progress' && controller === own && current.state === 'running') set({ ...current, progress: payload as VerifyProgressEvent });
      },
    })
    .then(
      (report) => set({ state: 'done', background, report, seen: false }),
      (err: unknown) => {
        if (own.signal.aborted || isCancelled(err)) set({ state: 'cancelled' });
        else set({ state: 'failed', background, message: errorMessage(err), seen: false });
      },
    )
    .finally(() => {
      if (controller === own) controller = null;
      finishedRuns++;
      for (const listener of listeners) listener();
    });
}

export function cancelVerify(): void {
  controller?.abort();
}

/** The person has seen the result (on the Verify screen, or by dismissing the notice). */
export function markSeen(): void {
  if ((current.state === 'done' || current.state === 'failed') && !current.seen) set({ ...current, seen: true });
}
