// The desktop door: one IPC handler for every channel of the contract. It answers only the top
// frame of the app's own window showing the app's own page; that check and everything after it
// (channel and argument validation, cancellation, progress, the error envelope) is
// electron/ipcDispatch.ts, tested without Electron.
import { ipcMain, type BrowserWindow } from 'electron';
import { CallRegistry } from './calls.ts';
import { answer, type Engine, type Envelope, type OwnCalls } from './ipcDispatch.ts';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL } from './security.ts';

export interface IpcBridge {
  /** Stops every running call (the window is closing) and removes the handler. */
  dispose(): void;
}

export function registerIpc(engine: Engine, getWindow: () => BrowserWindow | null, own: OwnCalls = {}): IpcBridge {
  const calls = new CallRegistry();
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, args: unknown, callId: unknown): Promise<Envelope> => {
    return answer(engine, calls, { event, window: getWindow() }, { channel, args, callId }, (message) => {
      // The window may have closed while a long import was still reporting.
      if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, message);
    }, own);
  });
  return {
    dispose() {
      calls.cancelAll();
      ipcMain.removeHandler(INVOKE_CHANNEL);
    },
  };
}
