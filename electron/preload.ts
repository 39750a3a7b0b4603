// The renderer's whole view of the desktop app: `window.sijil` with three functions and nothing
// else (no ipcRenderer, no Node, no process.env). It runs sandboxed, so the build bundles it to
// CommonJS with 'electron' as its only import (electron/build.ts).
import { contextBridge, ipcRenderer, webUtils } from 'electron';

// Kept in step with electron/security.ts (INVOKE_CHANNEL, PROGRESS_CHANNEL); not imported, so
// this file bundles to a few lines with no other module in it.
const INVOKE_CHANNEL = 'sijil:invoke';
const PROGRESS_CHANNEL = 'sijil:progress';

interface ProgressMessage {
  callId: string;
  event: string;
  payload: unknown;
}

const bridge = {
  /** Calls one channel of the contract; resolves to `{ ok: true, value }` or `{ ok: false, error: { code, message } }`. */
  invoke(channel: string, args: unknown, callId?: string): Promise<unknown> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, String(channel), args, callId === undefined ? undefined : String(callId));
  },
  /** Listens to progress of running calls; returns the function that stops listening. */
  on(event: 'progress', cb: (message: ProgressMessage) => void): () => void {
    if (event !== 'progress') throw new TypeError(`window.sijil.on: there is no event called ${String(event)}`);
    if (typeof cb !== 'function') throw new TypeError('window.sijil.on: the listener must be a function');
    // The IPC event object (which names the sender and could reach ipcRenderer) stays here.
    const listener = (_event: unknown, message: ProgressMessage) => cb({ callId: message.callId, event: message.event, payload: message.payload });
    ipcRenderer.on(PROGRESS_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(PROGRESS_CHANNEL, listener);
    };
  },
  /** The path on disk of a dropped or picked file (Electron no longer puts it on File.path). */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('sijil', bridge);
