// The desktop app's security decisions, as plain functions: main.ts and ipc.ts only wire them to
// Electron, so every rule here is tested in plain Node without the Electron binary
// (test/unit/electron-security.test.ts). DESIGN.md "Security": the app never touches the network,
// the renderer gets no Node, and nothing inside the window can leave it.

export const APP_SCHEME = 'sijil-app';
export const MEDIA_SCHEME = 'sijil-media';
/** The renderer's one origin. Standard schemes need a host; ours is always `app`. */
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/`;
/** Media URLs are `sijil-media://file/<itemId>/<fileId>` (renderer/api.ts mediaUrl). */
export const MEDIA_HOST = 'file';
export const MEDIA_ORIGIN = `${MEDIA_SCHEME}://${MEDIA_HOST}`;

/** The IPC channels between preload.ts and ipc.ts. */
export const INVOKE_CHANNEL = 'sijil:invoke';
export const PROGRESS_CHANNEL = 'sijil:progress';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

// Subtle: WHATWG URL keeps the host of a non-special scheme as written, while Chromium lowercases
// a standard scheme's host; compare lowercased so both agree. Userinfo (`sijil-app://app@evil/`)
// would make `app` a user name, not the host, and is refused outright.
function isOrigin(u: URL, scheme: string, host: string): boolean {
  return u.protocol === `${scheme}:` && u.hostname.toLowerCase() === host && u.port === '' && u.username === '' && u.password === '';
}

/** A page of the app itself: the only place the window may navigate to and the only IPC sender. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && isOrigin(u, APP_SCHEME, APP_HOST);
}

export function isMediaUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && isOrigin(u, MEDIA_SCHEME, MEDIA_HOST);
}

/**
 * Every request the window's session makes passes here (session.webRequest.onBeforeRequest):
 * the app's own pages and media, in-memory data (data:, blob: for thumbnails and PDF.js), and the
 * developer tools where they exist. Everything else (http, https, ws, file, ftp, ...) is cancelled:
 * a tracking pixel in an archived page must never reveal where a researcher is.
 */
export function isAllowedRequest(url: string, options: { devTools?: boolean } = {}): boolean {
  const u = parse(url);
  if (u === null) return false;
  switch (u.protocol) {
    case `${APP_SCHEME}:`:
      return isOrigin(u, APP_SCHEME, APP_HOST);
    case `${MEDIA_SCHEME}:`:
      return isOrigin(u, MEDIA_SCHEME, MEDIA_HOST);
    case 'data:':
    case 'blob:':
      return true;
    case 'devtools:':
      return options.devTools === true;
    default:
      return false;
  }
}

/**
 * Navigation (will-navigate, will-redirect, will-frame-navigate) stays inside the app. A subframe
 * may also hold an inline document: the article reader's sandboxed `srcdoc` iframe (about:srcdoc),
 * an empty one (about:blank), or a document the app made itself (blob:sijil-app://app/<uuid>).
 * None of them can load anything the CSP and the request filter refuse.
 */
export function isAllowedNavigation(url: string, isMainFrame = true): boolean {
  if (isAppUrl(url)) return true;
  if (isMainFrame) return false;
  if (url === 'about:srcdoc' || url === 'about:blank') return true;
  return url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length));
}

/**
 * The navigation guard main.ts puts on every web contents: `isAllowedNavigation`, except inside
 * the developer tools' own window (its pages navigate within devtools://), which exists only in
 * development builds.
 */
export function mayNavigate(url: string, isMainFrame: boolean, context: { devTools: boolean; currentUrl: string }): boolean {
  if (context.devTools && context.currentUrl.startsWith('devtools:')) return true;
  return isAllowedNavigation(url, isMainFrame);
}

/**
 * IPC is answered only for the top frame of our window showing our own page: a subframe (an
 * archived article in its sandboxed iframe) or a page that somehow got navigated elsewhere gets
 * nothing. ipc.ts also checks that the frame belongs to the app's window.
 */
export function isTrustedSender(frameUrl: string | null | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof frameUrl === 'string' && isAppUrl(frameUrl);
}

/**
 * What leaves for the browser once the external-link question is answered: the address only when
 * the person chose "Open in browser" (button 0 of desktopText.ts's externalLinkPrompt) and it is still an http(s)
 * address without credentials; null otherwise. Checked again here, next to shell.openExternal,
 * so no other path can hand it a file:, smb: or custom-scheme address.
 */
export function externalUrlToOpen(url: string, response: number): string | null {
  if (response !== 0) return null;
  const external = windowOpenDecision(url).external;
  return external !== null && external === url ? external : null;
}

/** What window.open and target=_blank links do: never a new window; http(s) may go to the browser once the user agrees. */
export function windowOpenDecision(url: string): { action: 'deny'; external: string | null } {
  const u = parse(url);
  const external = u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' ? u.href : null;
  return { action: 'deny', external };
}

/**
 * Permissions (camera, microphone, geolocation, notifications, MIDI, USB, ...) are refused, both
 * when a page asks and when it merely checks. Two harmless ones are granted to the app's own page
 * only: fullscreen (the video player's button) and writing plain text to the clipboard (copy an
 * item id or a citation). Neither reaches the network or reads anything.
 */
const GRANTED_TO_APP = new Set(['fullscreen', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, isMainFrame = true): boolean {
  return GRANTED_TO_APP.has(permission) && isMainFrame && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}

/**
 * The renderer's Content-Security-Policy, sent as a response header with every page (not a
 * <meta>, which an injected document could precede). `media` names where media comes from:
 * the sijil-media scheme in the desktop app, 'self' (/media/) in browser mode.
 * - script-src 'self': only the bundled files; no inline script, no eval. 'wasm-unsafe-eval'
 *   lets PDF.js compile its WebAssembly image decoders (JPEG 2000, JBIG2); it does not allow eval.
 * - style-src 'unsafe-inline': styles cannot run script, and every directive that could load
 *   something (img, font, media, connect) stays closed to the outside, so inline CSS cannot
 *   reach the network either. A sanitised article keeps its own formatting this way.
 * - frame-src 'self' blob:: archived articles render in sandboxed srcdoc iframes, which inherit
 *   this policy whole, so a saved page can load nothing remote; blob: frames are documents the
 *   renderer builds itself (as browser mode's server.ts allows).
 */
export function rendererCsp(options: { media?: string | null } = {}): string {
  const media = options.media === undefined ? ` ${MEDIA_SCHEME}:` : options.media === null ? '' : ` ${options.media}`;
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self'${media} data: blob:`,
    `media-src 'self'${media} blob:`,
    // data: fonts: the article reader's srcdoc frame embeds the bundled reading fonts inline.
    "font-src 'self' data:",
    `connect-src 'self'${media}`,
    "worker-src 'self'",
    "frame-src 'self' blob:",
    "child-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The desktop policy: media from the sijil-media scheme. */
export const DESKTOP_CSP = rendererCsp();

/** Headers sent with every page of the renderer, in both doors. */
export function rendererHeaders(csp: string = DESKTOP_CSP): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), midi=(), payment=()',
  };
}

/**
 * The window's web preferences (a subset of Electron's WebPreferences, spelled out so this
 * module needs no Electron types). Node stays out of every renderer; the preload is sandboxed
 * and talks to main only through contextBridge.
 */
export interface HardenedWebPreferences {
  readonly preload: string;
  readonly sandbox: true;
  readonly contextIsolation: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly webviewTag: false;
  readonly experimentalFeatures: false;
  readonly navigateOnDragDrop: false;
  readonly spellcheck: false;
  readonly safeDialogs: true;
  readonly devTools: boolean;
  readonly autoplayPolicy: 'user-gesture-required';
  readonly disableBlinkFeatures: string;
}

export function webPreferences(preload: string, options: { devTools: boolean }): HardenedWebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped anywhere is imported (renderer), never opened as a page.
    navigateOnDragDrop: false,
    // Chromium's spellchecker downloads dictionaries from Google on first use.
    spellcheck: false,
    safeDialogs: true,
    devTools: options.devTools,
    autoplayPolicy: 'user-gesture-required',
    // A middle click (auxclick) on a link is one more way to ask for a new window; with it off,
    // only the paths the window-open handler guards remain.
    disableBlinkFeatures: 'Auxclick',
  };
}

/**
 * Chromium switches that keep it from reaching out on its own: no background networking
 * (variations, domain reliability), no component updates, no DNS prefetch (where this Chromium
 * still knows the switch), no hyperlink auditing pings, no QUIC, and none of the features that
 * talk to Google (translation, cast discovery, optimisation hints, autofill servers). The request
 * filter above cancels what a page asks for; these stop what Chromium would do unasked.
 */
export const CHROMIUM_SWITCHES: readonly (readonly [string, string?])[] = [
  ['disable-background-networking'],
  ['disable-component-update'],
  ['disable-domain-reliability'],
  ['dns-prefetch-disable'],
  ['no-pings'],
  ['disable-quic'],
  ['disable-features', 'Translate,MediaRouter,OptimizationHints,AutofillServerCommunication'],
];
