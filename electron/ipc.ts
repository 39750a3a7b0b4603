// The desktop door: one IPC handler for every channel of the contract. It answers only the top
// frame of the app's own window showing the app's own page; everything after that check (channel
// and argument validation, cancellation, progress, the error envelope) is electron/ipcDispatch.ts.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CallRegistry } from './calls.ts';
import { dispatch, type Engine, type Envelope } from './ipcDispatch.ts';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL, isTrustedSender } from './security.ts';

export interface IpcBridge {
  /** Stops every running call (the window is closing) and removes the handler. */
  dispose(): void;
}

function refused(): Envelope {
  return { ok: false, error: { code: 'forbidden', message: 'This page may not use Sijil’s archive.' } };
}

/** Is this call from the main frame of `window`, showing sijil-app://app/? */
export function isFromAppWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== window.webContents) return false;
  // Subtle: comparing with webContents.mainFrame rules out a subframe even if it were same-origin.
  const isMainFrame = frame === window.webContents.mainFrame && frame.parent === null;
  return isTrustedSender(frame.url, isMainFrame);
}

export function registerIpc(engine: Engine, getWindow: () => BrowserWindow | null): IpcBridge {
  const calls = new CallRegistry();
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, args: unknown, callId: unknown): Promise<Envelope> => {
    const window = getWindow();
    if (!isFromAppWindow(event, window)) return refused();
    return dispatch(engine, calls, { channel, args, callId }, (message) => {
      // The window may have closed while a long import was still reporting.
      if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, message);
    });
  });
  return {
    dispose() {
      calls.cancelAll();
      ipcMain.removeHandler(INVOKE_CHANNEL);
    },
  };
}
