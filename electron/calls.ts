// The calls a door is running, by the id its client gave them, so `calls.cancel` can stop one.
// Both doors (ipc.ts in the desktop app, server.ts in browser mode) keep one registry each and
// answer `calls.cancel` here instead of sending it to the engine.
import { contract } from '../shared/api.ts';
import { ArchiveError } from '../shared/errors.ts';
import { phrase } from '../shared/phrase.ts';
import { parseOrThrow } from '../shared/validation.ts';

/**
 * The id a call came with, checked by the contract's one rule (the id calls.cancel names), or
 * undefined when it came without one. Both doors read ids here, before one is used as a key.
 */
export function readCallId(value: unknown): string | undefined {
  return value === undefined ? undefined : parseOrThrow(contract['calls.cancel'].args, { callId: value }).callId;
}

export interface RunningCall {
  readonly signal: AbortSignal;
  /** Forget the call; call it once the call has settled, whatever its outcome. */
  end(): void;
}

// Subtle: in browser mode a call and its cancel travel as two HTTP requests, and the cancel can
// be read first. A cancel for an id not (yet) running is remembered, so the call starts aborted.
const REMEMBERED_CANCELS = 1000;

export class CallRegistry {
  private readonly running = new Map<string, AbortController>();
  private readonly early = new Set<string>();

  /** Registers a call; without an id there is nothing to cancel it by, and the signal never fires. */
  begin(callId: string | undefined): RunningCall {
    const controller = new AbortController();
    if (callId === undefined) return { signal: controller.signal, end: () => undefined };
    if (this.running.has(callId)) throw new ArchiveError('invalid-argument', phrase('doors.callRunning', { id: callId }));
    this.running.set(callId, controller);
    if (this.early.delete(callId)) controller.abort(cancelReason());
    let ended = false;
    return {
      signal: controller.signal,
      end: () => {
        if (ended) return;
        ended = true;
        if (this.running.get(callId) === controller) this.running.delete(callId);
      },
    };
  }

  /** True when a running call had that id (it is now asked to stop). */
  cancel(callId: string): boolean {
    const controller = this.running.get(callId);
    if (controller) {
      controller.abort(cancelReason());
      return true;
    }
    this.early.add(callId);
    if (this.early.size > REMEMBERED_CANCELS) this.early.delete(this.early.values().next().value as string);
    return false;
  }

  /** Asks every running call to stop (the window closed, the server is shutting down). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort(cancelReason());
  }

  get size(): number {
    return this.running.size;
  }
}

function cancelReason(): ArchiveError {
  return new ArchiveError('cancelled', phrase('doors.cancelled'));
}
