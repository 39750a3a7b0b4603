// main.ts and ipc.ts wired to a stand-in for the `electron` module (there is no Electron binary
// here): the test loads the real main.ts, lets it start, and then plays Chromium's part, asking
// the handlers main.ts installed what they do with a permission request, a navigation, a new
// window, a request that would leave the app, an outside link and an IPC call from a subframe. The
// rules themselves are tested in electron-security.test.ts; this shows main.ts (and preload.ts)
// apply them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as EngineHostModule from '../../electron/engineHost.ts';
import { rememberedArchive } from '../../electron/archiveChoice.ts';
import { APP_URL, CHROMIUM_SWITCHES, INVOKE_CHANNEL, webPreferences } from '../../electron/security.ts';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const on = (map: Map<string, Listener[]>) => (name: string, fn: Listener) => {
    map.set(name, [...(map.get(name) ?? []), fn]);
  };
  const appListeners = new Map<string, Listener[]>();
  const state = {
    appListeners,
    switches: [] as unknown[][],
    sandboxEnabled: false,
    privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
    windows: [] as { options: Record<string, unknown>; loaded: string[]; webContents: FakeContents }[],
    session: {} as Record<string, Listener>,
    sessionListeners: new Map<string, Listener[]>(),
    protocols: new Map<string, (request: Request) => Promise<Response> | Response>(),
    ipc: new Map<string, Listener>(),
    dialogs: [] as Record<string, unknown>[],
    dialogResponse: 0,
    folderPicks: [] as Record<string, unknown>[],
    folderPicked: null as string | null,
    relaunches: [] as unknown[],
    quits: 0,
    opened: [] as string[],
    engineCalls: [] as { channel: string; args: unknown }[],
    spellchecker: true as boolean,
    userData: '',
    exposed: [] as { name: string; api: unknown }[],
    rendererInvokes: [] as unknown[][],
    rendererListeners: [] as { channel: string; fn: Listener }[],
  };
  interface FakeContents {
    listeners: Map<string, Listener[]>;
    windowOpenHandler: Listener | null;
    mainFrame: { url: string; parent: null };
    on: (name: string, fn: Listener) => void;
    setWindowOpenHandler: (fn: Listener) => void;
    getURL: () => string;
    isDestroyed: () => boolean;
    send: () => void;
  }
  const contents = (): FakeContents => {
    const listeners = new Map<string, Listener[]>();
    const c: FakeContents = {
      listeners,
      windowOpenHandler: null,
      mainFrame: { url: 'sijil-app://app/', parent: null },
      on: on(listeners),
      setWindowOpenHandler: (fn) => {
        c.windowOpenHandler = fn;
      },
      getURL: () => c.mainFrame.url,
      isDestroyed: () => false,
      send: () => undefined,
    };
    return c;
  };
  class BrowserWindow {
    readonly webContents = contents();
    readonly record: (typeof state.windows)[number];
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], webContents: this.webContents };
      state.windows.push(this.record);
    }
    on() {}
    once() {}
    maximize() {}
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
    }
  }
  const electron = {
    app: {
      isPackaged: true,
      setName: () => undefined,
      setPath: () => undefined,
      getPath: () => state.userData,
      getLocale: () => 'en-US',
      getVersion: () => '0.1.0',
      commandLine: { appendSwitch: (...args: unknown[]) => state.switches.push(args) },
      enableSandbox: () => {
        state.sandboxEnabled = true;
      },
      whenReady: () => Promise.resolve(),
      on: on(appListeners),
      requestSingleInstanceLock: () => true,
      setAboutPanelOptions: () => undefined,
      relaunch: (options: unknown) => state.relaunches.push(options),
      quit: () => {
        state.quits++;
      },
      exit: (code: number) => {
        throw new Error(`app.exit(${code})`);
      },
    },
    BrowserWindow,
    dialog: {
      showMessageBox: async (_window: unknown, options: Record<string, unknown>) => {
        state.dialogs.push(options);
        return { response: state.dialogResponse };
      },
      showOpenDialog: async (_window: unknown, options: Record<string, unknown>) => {
        state.folderPicks.push(options);
        return state.folderPicked === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [state.folderPicked] };
      },
      showErrorBox: (title: string, message: string) => {
        throw new Error(`${title}: ${message}`);
      },
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    nativeTheme: { shouldUseDarkColors: false },
    protocol: { registerSchemesAsPrivileged: (list: typeof state.privileged) => state.privileged.push(...list) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (state.session.request = fn),
        setPermissionCheckHandler: (fn: Listener) => (state.session.check = fn),
        setDevicePermissionHandler: (fn: Listener) => (state.session.device = fn),
        setDisplayMediaRequestHandler: (fn: Listener) => (state.session.displayMedia = fn),
        setSpellCheckerEnabled: (on: boolean) => (state.spellchecker = on),
        webRequest: { onBeforeRequest: (fn: Listener) => (state.session.beforeRequest = fn) },
        on: (name: string, fn: Listener) => on(state.sessionListeners)(name, fn),
        protocol: { handle: (scheme: string, fn: (request: Request) => Promise<Response>) => state.protocols.set(scheme, fn) },
      },
    },
    shell: {
      openExternal: async (url: string) => {
        state.opened.push(url);
      },
      openPath: async () => '',
    },
    ipcMain: {
      handle: (channel: string, fn: Listener) => state.ipc.set(channel, fn),
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    webUtils: { getPathForFile: (file: { path: string }) => file.path },
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => state.exposed.push({ name, api }) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        state.rendererInvokes.push(args);
        return { ok: true, value: null };
      },
      on: (channel: string, fn: Listener) => state.rendererListeners.push({ channel, fn }),
      removeListener: (channel: string, fn: Listener) => {
        state.rendererListeners = state.rendererListeners.filter((l) => l.channel !== channel || l.fn !== fn);
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
// The engine is not what this test is about: a stand-in that records what reaches it.
vi.mock('../../electron/engineHost.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof EngineHostModule>()),
  EngineHost: {
    start: async () => ({
      invoke: async (channel: string, args: unknown) => {
        fake.state.engineCalls.push({ channel, args });
        return { answered: channel };
      },
      resolveMedia: async () => null,
      close: async () => undefined,
    }),
  },
}));

const userData = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'sijil-main-'));
const contentsOf = () => fake.state.windows[0]!.webContents;

beforeAll(async () => {
  fake.state.userData = userData;
  process.env.SIJIL_ARCHIVE = path.join(userData, 'archive');
  await import('../../electron/main.ts');
  await vi.waitFor(() => expect(fake.state.windows[0]?.loaded).toEqual([APP_URL]), { timeout: 10_000 });
  // Chromium announces every web contents it makes; main.ts locks each one down then.
  for (const listener of fake.state.appListeners.get('web-contents-created') ?? []) listener({}, contentsOf());
});
afterAll(() => fs.rmSync(userData, { recursive: true, force: true }));

function emit(name: string, event: Record<string, unknown>): { prevented: boolean } {
  const result = { prevented: false };
  for (const listener of contentsOf().listeners.get(name) ?? []) listener({ ...event, preventDefault: () => (result.prevented = true) });
  return result;
}

describe('before the app is ready', () => {
  it('sandboxes every renderer and turns off what Chromium would fetch on its own', () => {
    expect(fake.state.sandboxEnabled).toBe(true);
    expect(fake.state.switches.map((args) => args.filter((a) => a !== undefined))).toEqual(CHROMIUM_SWITCHES.map((s) => [...s]));
  });

  it('registers the app and media schemes without bypassing the CSP or enabling service workers', () => {
    expect(fake.state.privileged.map((p) => p.scheme)).toEqual(['sijil-app', 'sijil-media']);
    for (const { privileges } of fake.state.privileged) {
      expect(privileges.bypassCSP).toBeUndefined();
      expect(privileges.allowServiceWorkers).toBeUndefined();
    }
  });
});

describe('the window', () => {
  it('gets the hardened web preferences and opens the app page', () => {
    const { options, loaded } = fake.state.windows[0]!;
    const prefs = options.webPreferences as Record<string, unknown>;
    expect(prefs).toEqual(webPreferences(prefs.preload as string, { devTools: false }));
    expect(prefs.preload).toMatch(/preload\.cjs$/);
    expect(loaded).toEqual([APP_URL]);
  });

  it('refuses to attach a <webview>', () => {
    expect(emit('will-attach-webview', {}).prevented).toBe(true);
  });

  it.each([
    ['will-navigate', 'https://example.org/', true, true],
    ['will-navigate', 'http://127.0.0.1:8080/', true, true],
    ['will-navigate', 'javascript:alert(1)', true, true],
    ['will-navigate', 'file:///etc/passwd', true, true],
    ['will-navigate', 'data:text/html,x', true, true],
    ['will-navigate', 'sijil-app://app/#/search', true, false],
    ['will-redirect', 'https://example.org/', true, true],
    ['will-frame-navigate', 'https://example.org/', false, true],
    ['will-frame-navigate', 'about:srcdoc', false, false],
  ])('%s to %s (main frame %s) is refused: %s', (event, url, isMainFrame, refused) => {
    expect(emit(event, { url, isMainFrame }).prevented).toBe(refused);
  });

  it('never opens a window; an outside address goes to the browser only after the person agrees', async () => {
    const open = contentsOf().windowOpenHandler!;
    fake.state.dialogResponse = 1;
    expect(open({ url: 'https://example.org/a' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(fake.state.dialogs).toHaveLength(1));
    expect(String(fake.state.dialogs[0]!.detail)).toContain('https://example.org/a');
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.state.opened).toEqual([]);

    fake.state.dialogResponse = 0;
    expect(open({ url: 'https://example.org/b' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(fake.state.opened).toEqual(['https://example.org/b']));

    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'sijil-app://app/']) expect(open({ url })).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.state.dialogs).toHaveLength(2);
    expect(fake.state.opened).toEqual(['https://example.org/b']);
  });
});

describe('the session', () => {
  it('denies permission requests and checks, but fullscreen for the app page', () => {
    const decide = (permission: string, requestingUrl: string, isMainFrame: boolean) => {
      let granted: boolean | null = null;
      fake.state.session.request!({}, permission, (g: boolean) => (granted = g), { requestingUrl, isMainFrame });
      return granted;
    };
    expect(decide('media', APP_URL, true)).toBe(false);
    expect(decide('geolocation', APP_URL, true)).toBe(false);
    expect(decide('openExternal', APP_URL, true)).toBe(false);
    expect(decide('fullscreen', APP_URL, true)).toBe(true);
    expect(decide('fullscreen', APP_URL, false)).toBe(false);
    expect(decide('fullscreen', 'https://example.org/', true)).toBe(false);
    expect(fake.state.session.check!({}, 'notifications', 'sijil-app://app', { requestingUrl: APP_URL, isMainFrame: true })).toBe(false);
    expect(fake.state.session.check!({}, 'fullscreen', 'null', { isMainFrame: false })).toBe(false);
    expect(fake.state.session.device!({})).toBe(false);
    let shared: unknown = 'unset';
    fake.state.session.displayMedia!({}, (s: unknown) => (shared = s));
    expect(shared).toBeNull();
    expect(fake.state.spellchecker).toBe(false);
  });

  it('cancels every request that would leave the app', () => {
    const cancel = (url: string) => {
      let answer: { cancel: boolean } | null = null;
      fake.state.session.beforeRequest!({ url, resourceType: 'image' }, (a: { cancel: boolean }) => (answer = a));
      return answer!.cancel;
    };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const url of ['https://tracker.example/p.gif', 'http://127.0.0.1:9/', 'file:///etc/passwd', 'ws://x/', 'devtools://devtools/x']) expect(cancel(url), url).toBe(true);
      for (const url of ['sijil-app://app/assets/x.js', 'sijil-media://file/a/1', 'data:image/png;base64,AA==']) expect(cancel(url), url).toBe(false);
    } finally {
      stderr.mockRestore();
    }
  });

  // Electron's part: a download announces itself with its item; without a save path set by the
  // handler, Electron then shows the save dialog with the options the handler gave.
  function download(urlChain: string[], filename: string) {
    const item = {
      dialog: null as null | Record<string, unknown>,
      savePath: null as null | string,
      getURL: () => urlChain.at(-1) ?? '',
      getURLChain: () => urlChain,
      getFilename: () => filename,
      setSaveDialogOptions: (options: Record<string, unknown>) => (item.dialog = options),
      setSavePath: (p: string) => (item.savePath = p),
    };
    const result = { prevented: false, item };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const listener of fake.state.sessionListeners.get('will-download') ?? []) listener({ preventDefault: () => (result.prevented = true) }, item, contentsOf());
    } finally {
      stderr.mockRestore();
    }
    return result;
  }

  it('asks where to save the custody report and an item’s file, offering a safe name in the downloads folder', () => {
    expect(fake.state.sessionListeners.get('will-download')).toHaveLength(1);
    const report = download(['blob:sijil-app://app/0b3c7d52-5f0e-4c43-9d0e-6f1f2a3b4c5d'], 'custody-kehk41kx9jeknxk1rq53y4wctm.txt');
    expect(report.prevented).toBe(false);
    expect(report.item.dialog).toEqual({ defaultPath: path.join(userData, 'custody-kehk41kx9jeknxk1rq53y4wctm.txt') });
    // No save path: Electron asks; the handler never picks the place itself.
    expect(report.item.savePath).toBeNull();

    const file = download(['sijil-media://file/item1/file1'], '../../.bashrc\u202Etxt.exe');
    expect(file.prevented).toBe(false);
    expect(file.item.dialog).toEqual({ defaultPath: path.join(userData, 'bashrctxt.exe') });
    expect(download(['sijil-media://file/item1/file2'], 'شهادة أم سجاد.mp4').item.dialog).toEqual({ defaultPath: path.join(userData, 'شهادة أم سجاد.mp4') });
  });

  it.each([
    [['https://evil.example/payload.exe']],
    [['http://127.0.0.1:8080/x']],
    [['file:///etc/passwd']],
    [['data:text/plain,hello']],
    [['blob:https://evil.example/0b3c7d52']],
    [['sijil-media://file/a/1', 'https://evil.example/redirected']],
    [['sijil-app://app@evil/x']],
    [[]],
  ])('cancels a download from outside the app: %j', (urlChain) => {
    const d = download(urlChain, 'x.txt');
    expect(d.prevented).toBe(true);
    expect(d.item.dialog).toBeNull();
    expect(d.item.savePath).toBeNull();
  });

  it('serves the app with its CSP, and media only at its own host', async () => {
    const app = await fake.state.protocols.get('sijil-app')!(new Request('sijil-app://app/'));
    expect(app.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
    const media = await fake.state.protocols.get('sijil-media')!(new Request('sijil-media://evil/a/1'));
    expect(media.status).toBe(404);
  });
});

describe('IPC', () => {
  const invoke = (senderFrame: { url: string; parent: unknown } | null, sender: unknown = contentsOf()) =>
    fake.state.ipc.get(INVOKE_CHANNEL)!({ sender, senderFrame }, 'archive.info', {}, undefined);

  it('answers the app page in the window’s main frame', async () => {
    const before = fake.state.engineCalls.length;
    expect(await invoke(contentsOf().mainFrame)).toEqual({ ok: true, value: { answered: 'archive.info' } });
    expect(fake.state.engineCalls).toHaveLength(before + 1);
  });

  it('refuses a subframe, another page and another origin before the engine', async () => {
    const before = fake.state.engineCalls.length;
    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String), phrase: { key: 'doors.forbidden' } } };
    expect(await invoke({ url: 'about:srcdoc', parent: contentsOf().mainFrame })).toEqual(forbidden);
    expect(await invoke({ url: APP_URL, parent: contentsOf().mainFrame })).toEqual(forbidden);
    expect(await invoke(contentsOf().mainFrame, { other: true })).toEqual(forbidden);
    expect(await invoke(null)).toEqual(forbidden);
    contentsOf().mainFrame.url = 'https://example.org/';
    try {
      expect(await invoke(contentsOf().mainFrame)).toEqual(forbidden);
    } finally {
      contentsOf().mainFrame.url = APP_URL;
    }
    expect(fake.state.engineCalls).toHaveLength(before);
  });

  it('answers archive.choose itself: a folder picker, the folder remembered, and a restart on it', async () => {
    const choose = () => fake.state.ipc.get(INVOKE_CHANNEL)!({ sender: contentsOf(), senderFrame: contentsOf().mainFrame }, 'archive.choose', {}, undefined);
    const before = fake.state.engineCalls.length;
    // Cancelled: nothing chosen, nothing remembered.
    fake.state.folderPicked = null;
    expect(await choose()).toEqual({ ok: true, value: { chosen: false } });
    expect(fake.state.folderPicks.at(-1)).toMatchObject({ title: 'Choose the archive folder', properties: ['openDirectory', 'createDirectory'] });
    // A folder holding someone else's files is refused with the engine's sentence, and not remembered.
    const busy = path.join(userData, 'photos');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'holiday.jpg'), 'x');
    fake.state.folderPicked = busy;
    expect(await choose()).toMatchObject({ ok: false, error: { code: 'archive-unreadable', phrase: { key: 'archive.open.notAnArchive' } } });
    expect(rememberedArchive(userData)).toBeNull();
    // Nor one inside the archive that is open.
    fake.state.folderPicked = path.join(process.env.SIJIL_ARCHIVE as string, 'blobs', 'nested');
    expect(await choose()).toMatchObject({ ok: false, error: { code: 'archive-unreadable', phrase: { key: 'doors.desktop.insideArchive' } } });
    // A new folder (on an encrypted drive, say): remembered, and the app starts again on it.
    const chosen = path.join(userData, 'encrypted-drive', 'archive');
    fake.state.folderPicked = chosen;
    expect(await choose()).toEqual({ ok: true, value: { chosen: true, dir: chosen } });
    expect(rememberedArchive(userData)).toBe(chosen);
    await vi.waitFor(() => expect(fake.state.relaunches).toHaveLength(1));
    const { args } = fake.state.relaunches[0] as { args: string[] };
    expect(args.slice(-2)).toEqual(['--archive', chosen]);
    expect(fake.state.quits).toBe(1);
    expect(fake.state.engineCalls).toHaveLength(before);
  });
});

// The preload, loaded against the same stand-in: what the page gets is window.sijil with three
// functions, and nothing of ipcRenderer or the IPC event leaks through them.
describe('the preload', () => {
  type Bridge = {
    invoke(channel: unknown, args: unknown, callId?: unknown): Promise<unknown>;
    on(event: string, cb: unknown): () => void;
    pathForFile(file: unknown): string;
  };
  let bridge: Bridge;
  beforeAll(async () => {
    await import('../../electron/preload.ts');
    expect(fake.state.exposed.map((e) => e.name)).toEqual(['sijil']);
    bridge = fake.state.exposed[0]!.api as Bridge;
  });

  it('exposes invoke, on and pathForFile, and nothing else', () => {
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('sends every call on the one invoke channel, with the channel and call id as text', async () => {
    await bridge.invoke({ toString: () => 'items.get' }, { id: 'x' }, 7);
    await bridge.invoke('archive.info', {});
    expect(fake.state.rendererInvokes).toEqual([
      [INVOKE_CHANNEL, 'items.get', { id: 'x' }, '7'],
      [INVOKE_CHANNEL, 'archive.info', {}, undefined],
    ]);
  });

  it('passes progress on without the IPC event, and stops when asked', () => {
    const seen: unknown[] = [];
    const stop = bridge.on('progress', (m: unknown) => seen.push(m));
    expect(fake.state.rendererListeners).toHaveLength(1);
    const { channel, fn } = fake.state.rendererListeners[0]!;
    expect(channel).toBe('sijil:progress');
    fn({ sender: 'the ipcRenderer', senderFrame: {} }, { callId: 'c1', event: 'import.progress', payload: { done: 1 }, extra: 'dropped' });
    expect(seen).toEqual([{ callId: 'c1', event: 'import.progress', payload: { done: 1 } }]);
    stop();
    expect(fake.state.rendererListeners).toHaveLength(0);
    expect(() => bridge.on('message', () => undefined)).toThrow(/no event called message/);
    expect(() => bridge.on('progress', 'not a function')).toThrow(/must be a function/);
  });
});
