// What the desktop door does with one call from the renderer, without Electron: ipc.ts checks the
// sender and hands the rest here, so validation, cancellation, progress and the error envelope are
// tested in plain Node against the real engine (test/unit/ipc-dispatch.test.ts).
// This module never imports the archive engine: it validates with the contract alone and talks to
// the engine through its host (a worker thread), which validates again before anything runs.
import type { z } from 'zod';
import { contract, isChannel, type ArgsOf, type Channel, type ResultOf } from '../shared/api.ts';
import { ArchiveError, errorValue, type ErrorValue } from '../shared/errors.ts';
import { phrase } from '../shared/phrase.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { readCallId, type CallRegistry } from './calls.ts';
import { toWireError } from './engineHost.ts';
import { isTrustedSender } from './security.ts';

export type Envelope = { ok: true; value: unknown } | { ok: false; error: ErrorValue };

export interface ProgressMessage {
  readonly callId: string;
  readonly event: string;
  readonly payload: unknown;
}

/**
 * Calls the desktop door answers itself, in the main process, instead of the engine: the ones that
 * need the window or the app (archive.choose: a folder picker and a restart). Their arguments are
 * checked against the contract first, as every call's are.
 */
export type OwnCalls = { readonly [C in Channel]?: (args: ArgsOf<C>) => Promise<ResultOf<C>> };

/** The part of electron/engineHost.ts's EngineHost the door uses. */
export interface Engine {
  invoke(channel: string, args: unknown, options?: { onProgress?: (event: string, payload: unknown) => void; signal?: AbortSignal }): Promise<unknown>;
}

/** The parts of Electron's IpcMainInvokeEvent and BrowserWindow the sender check reads. */
export interface SenderEvent {
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}
export interface AppWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: unknown };
}

/**
 * Is this call from the main frame of `window`, showing sijil-app://app/? A subframe (an archived
 * article in its iframe), another window's page, or the app's window after it was somehow
 * navigated elsewhere is refused.
 */
export function isFromAppWindow(event: SenderEvent, window: AppWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== window.webContents) return false;
  // Subtle: comparing with webContents.mainFrame rules out a subframe even if it were same-origin.
  const isMainFrame = frame === window.webContents.mainFrame && frame.parent === null;
  return isTrustedSender(frame.url, isMainFrame);
}

const REFUSED = errorValue('forbidden', phrase('doors.forbidden'));

/** ipc.ts's whole handler: the sender first, then `dispatch`. */
export async function answer(
  engine: Engine,
  calls: CallRegistry,
  sender: { event: SenderEvent; window: AppWindow | null },
  request: { channel: unknown; args: unknown; callId: unknown },
  sendProgress: (message: ProgressMessage) => void,
  own: OwnCalls = {},
): Promise<Envelope> {
  if (!isFromAppWindow(sender.event, sender.window)) return { ok: false, error: { ...REFUSED } };
  return dispatch(engine, calls, request, sendProgress, own);
}

/** Runs one call: channel and arguments checked against the contract, then the engine, as an envelope. */
export async function dispatch(
  engine: Engine,
  calls: CallRegistry,
  request: { channel: unknown; args: unknown; callId: unknown },
  sendProgress: (message: ProgressMessage) => void,
  own: OwnCalls = {},
): Promise<Envelope> {
  try {
    const { channel } = request;
    if (typeof channel !== 'string' || !isChannel(channel)) {
      // Subtle: String() on a crafted object can throw or lie; only text is ever echoed back.
      const name = typeof channel === 'string' ? channel.slice(0, 100) : `(${channel === null ? 'null' : typeof channel})`;
      throw new ArchiveError('invalid-argument', phrase('doors.noSuchOperation', { name }));
    }
    const callId = readCallId(request.callId);
    const args = parseOrThrow(contract[channel].args as unknown as z.ZodType<unknown>, request.args ?? {});
    // calls.cancel is the door's own business: the engine cannot see the calls this door runs.
    if (channel === 'calls.cancel') {
      const { callId: target } = args as { callId: string };
      return { ok: true, value: { cancelled: calls.cancel(target) } };
    }
    const mine = own[channel] as ((args: unknown) => Promise<unknown>) | undefined;
    if (mine) return { ok: true, value: await mine(args) };
    const running = calls.begin(callId);
    try {
      const value = await engine.invoke(channel, args, {
        signal: running.signal,
        ...(callId === undefined ? {} : { onProgress: (event: string, payload: unknown) => sendProgress({ callId, event, payload }) }),
      });
      return { ok: true, value };
    } finally {
      running.end();
    }
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}
