// The desktop app's main process: one instance, one window, the archive engine in a worker thread,
// the renderer served from sijil-app://app/ and media from sijil-media://file/, and every way out
// of the window closed (DESIGN.md "Security"). The decisions live in plain modules that are tested
// without Electron (security.ts, windowState.ts, menu.ts, appProtocol.ts, ipcDispatch.ts); this file
// wires them to Electron. Built to dist/electron/main.js by electron/build.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { createAppHandler, withAppCors } from './appProtocol.ts';
import { relaunchArgs, rememberArchive, rememberedArchive } from './archiveChoice.ts';
import { archiveFolderProblem, isInside } from './archive/location.ts';
import { phrase } from '../shared/phrase.ts';
import { ArchiveError } from '../shared/errors.ts';
import { archiveToOpen, desktopOptions } from './desktopOptions.ts';
import { downloadDecision } from './downloads.ts';
import { EngineHost } from './engineHost.ts';
import { registerIpc, type IpcBridge } from './ipc.ts';
import { createMediaHandler } from './media.ts';
import { archiveAwayPrompt, archiveFolderPrompt, archiveOpenFailure, externalLinkPrompt } from './desktopText.ts';
import { menuTemplate, type MenuEntry } from './menu.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  APP_URL,
  CHROMIUM_SWITCHES,
  MEDIA_SCHEME,
  externalUrlToOpen,
  isAllowedRequest,
  isMediaUrl,
  isPermissionAllowed,
  mayNavigate,
  webPreferences,
  windowOpenDecision,
} from './security.ts';
import { MIN_HEIGHT, MIN_WIDTH, loadWindowState, saveWindowState, windowStateFile, type WindowState } from './windowState.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Subtle: this name is the build's output (electron/build.ts), beside this file once bundled (the
// engine's worker, engineWorker.js, is found the same way by EngineHost).
const PRELOAD_FILE = 'preload.cjs';
const rendererDir = path.resolve(here, '..', 'renderer');
const devTools = !app.isPackaged;

const options = desktopOptions(process.argv);
app.setName('Sijil');
if (options.userDataDir) app.setPath('userData', options.userDataDir);
const launch = archiveToOpen(options, rememberedArchive(app.getPath('userData')));
let archiveDir = launch.dir;

for (const [name, value] of CHROMIUM_SWITCHES) app.commandLine.appendSwitch(name, value);
app.enableSandbox();

// Must happen before `ready`. Standard + secure: the app gets a real origin (sijil-app://app) that
// counts as a secure context, so modules, fetch and workers behave as on https. `stream` lets a
// video be read piece by piece with Range.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
]);

let mainWindow: BrowserWindow | null = null;
let engine: EngineHost | null = null;
let ipc: IpcBridge | null = null;
let pendingSave: Promise<void> = Promise.resolve();
/** Saves the window's place now; set while the window exists. */
let saveWindowNow: (() => void) | null = null;
let shuttingDown = false;
let promptOpen = false;

function log(level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...details })}\n`);
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.setSpellCheckerEnabled(false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, { devTools });
    if (!allowed) log('warn', 'refused a request that would leave the app', { url: details.url.slice(0, 200), type: details.resourceType });
    callback({ cancel: !allowed });
  });
  ses.on('will-download', (event, item) => {
    const decision = downloadDecision(item.getURLChain(), item.getFilename(), app.getPath('downloads'));
    if (decision.action === 'cancel') {
      event.preventDefault();
      log('warn', 'refused a download from outside the app', { url: item.getURL().slice(0, 200) });
      return;
    }
    // No save path is set, so Electron asks where to save, starting from this folder and name.
    item.setSaveDialogOptions({ defaultPath: decision.defaultPath });
  });
}

/**
 * Settings' "Use another archive folder…": the system's folder picker, then, for a folder that is
 * an archive or can become one, the app starts again on it and opens it from then on. A folder
 * holding other things is refused with the engine's own sentence (the page says it).
 */
async function chooseArchive(): Promise<{ chosen: false } | { chosen: true; dir: string }> {
  if (!mainWindow) return { chosen: false };
  const picked = await dialog.showOpenDialog(mainWindow, { ...archiveFolderPrompt(app.getLocale()), defaultPath: archiveDir, properties: ['openDirectory', 'createDirectory'] });
  const first = picked.canceled ? undefined : picked.filePaths[0];
  const dir = first === undefined ? undefined : path.resolve(first);
  if (dir === undefined || dir === path.resolve(archiveDir)) return { chosen: false };
  // Never one archive inside another: its files would be walked, counted and exported as the outer one's.
  if (isInside(archiveDir, dir)) throw new ArchiveError('archive-unreadable', phrase('doors.desktop.insideArchive', { path: dir }));
  const problem = archiveFolderProblem(dir);
  if (problem) throw new ArchiveError('archive-unreadable', problem);
  rememberArchive(app.getPath('userData'), dir);
  log('info', 'restarting on another archive folder', { dir });
  // After the answer has reached the page; quitting closes the archive as every quit does.
  setTimeout(() => {
    // An AppImage restarts through its own file, not the binary it unpacked (electron-builder#1727).
    app.relaunch({ args: relaunchArgs(process.argv.slice(1), dir), ...(process.env.APPIMAGE ? { execPath: process.env.APPIMAGE } : {}) });
    app.quit();
  }, 300);
  return { chosen: true, dir };
}

/** Asks before an outside link goes to the browser; one question at a time, however often a page asks. */
async function offerExternal(url: string): Promise<void> {
  if (promptOpen || !mainWindow) return;
  promptOpen = true;
  try {
    const prompt = externalLinkPrompt(url, app.getLocale());
    const { response } = await dialog.showMessageBox(mainWindow, { type: 'question', noLink: true, ...prompt });
    const confirmed = externalUrlToOpen(url, response);
    if (confirmed !== null) await shell.openExternal(confirmed);
  } finally {
    promptOpen = false;
  }
}

function lockDown(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.external) void offerExternal(decision.external);
    return { action: decision.action };
  });
  const guard = (event: { preventDefault(): void; url: string; isMainFrame: boolean }) => {
    if (!mayNavigate(event.url, event.isMainFrame, { devTools, currentUrl: contents.getURL() })) {
      event.preventDefault();
      log('warn', 'refused a navigation out of the app', { url: event.url.slice(0, 200), mainFrame: event.isMainFrame });
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
}

function toMenu(entries: readonly MenuEntry[]): MenuItemConstructorOptions[] {
  return entries.map((entry) => {
    const item = { ...entry, submenu: entry.submenu ? toMenu(entry.submenu) : undefined } as MenuItemConstructorOptions;
    if (entry.id === 'show-archive') item.click = () => void shell.openPath(archiveDir);
    return item;
  });
}

function workAreas() {
  return screen.getAllDisplays().map((d) => d.workArea);
}

async function createWindow(): Promise<void> {
  const stateFile = windowStateFile(app.getPath('userData'));
  const state = await loadWindowState(stateFile, workAreas());
  const window = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Sijil',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18191b' : '#ffffff',
    webPreferences: webPreferences(path.join(here, PRELOAD_FILE), { devTools }),
  });
  mainWindow = window;
  if (state.maximized) window.maximize();

  let timer: NodeJS.Timeout | undefined;
  const current = (): WindowState => ({ ...window.getNormalBounds(), maximized: window.isMaximized() });
  const save = (state: WindowState) => {
    pendingSave = pendingSave.then(() => saveWindowState(stateFile, state)).catch((err: unknown) => log('warn', 'the window state was not saved', { error: String(err) }));
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => !window.isDestroyed() && save(current()), 1000);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', saveSoon);
  saveWindowNow = () => {
    clearTimeout(timer);
    if (!window.isDestroyed()) save(current());
  };
  window.on('close', saveWindowNow);
  window.on('closed', () => {
    if (mainWindow === window) {
      mainWindow = null;
      saveWindowNow = null;
    }
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => log('error', 'the window stopped', { reason: details.reason }));
  await window.loadURL(APP_URL);
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * The folder chosen in Settings holds no archive now (an encrypted drive not connected): asks
 * whether to try again, open the default archive this time, or quit. Null: quit.
 */
async function whereIsTheArchive(away: string): Promise<string | null> {
  for (;;) {
    const { response } = await dialog.showMessageBox({ type: 'warning', noLink: true, ...archiveAwayPrompt(away, app.getLocale()) });
    if (response === 0 && archiveToOpen(options, away).away === null) return away;
    if (response === 1) return launch.dir;
    if (response === 2) return null;
  }
}

async function start(): Promise<void> {
  if (launch.away !== null) {
    await app.whenReady();
    const dir = await whereIsTheArchive(launch.away);
    if (dir === null) {
      app.exit(0);
      return;
    }
    archiveDir = dir;
  }
  // The engine's worker opens the archive while Electron gets ready, not after: launch waits for
  // the slower of the two instead of both in turn.
  const opening = EngineHost.start(archiveDir);
  opening.catch(() => undefined); // answered below, once a dialog can be shown
  await app.whenReady();
  const ses = session.defaultSession;
  hardenSession(ses);
  app.on('web-contents-created', (_event, contents) => lockDown(contents));

  try {
    engine = await opening;
  } catch (err) {
    const { title, content } = archiveOpenFailure(err, archiveDir, app.getLocale());
    dialog.showErrorBox(title, content);
    app.exit(1);
    return;
  }
  const host = engine;

  ses.protocol.handle(APP_SCHEME, createAppHandler(rendererDir));
  const media = withAppCors(
    createMediaHandler((itemId, fileId) => host.resolveMedia(itemId, fileId), { prefix: '/', crossOriginResourcePolicy: 'cross-origin' }),
    APP_ORIGIN,
  );
  ses.protocol.handle(MEDIA_SCHEME, (request) => {
    if (!isMediaUrl(request.url)) return new Response('Not found.', { status: 404 });
    return media(request);
  });

  ipc = registerIpc(host, () => mainWindow, { 'archive.choose': chooseArchive });
  app.setAboutPanelOptions({ applicationName: 'Sijil', applicationVersion: app.getVersion(), copyright: 'AGPL-3.0-or-later' });
  Menu.setApplicationMenu(Menu.buildFromTemplate(toMenu(menuTemplate({ platform: process.platform, packaged: app.isPackaged, locale: app.getLocale() }))));

  app.on('activate', () => {
    if (!mainWindow) void createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  await createWindow();
}

// Quitting waits for running calls to stop, the archive to close and the window's place to be saved.
app.on('before-quit', (event) => {
  if (shuttingDown) return;
  event.preventDefault();
  shuttingDown = true;
  // Subtle: before-quit comes before the window's own close event, so its place is saved here.
  saveWindowNow?.();
  ipc?.dispose();
  void Promise.allSettled([pendingSave, engine?.close()]).then(() => app.quit());
});

if (!app.requestSingleInstanceLock()) {
  // Another Sijil already has this archive open; it comes to the front instead (second-instance).
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  start().catch((err: unknown) => {
    log('error', 'Sijil could not start', { error: err instanceof Error ? err.stack : String(err) });
    app.exit(1);
  });
}
