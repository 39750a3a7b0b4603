// The desktop app's security decisions (electron/security.ts), the renderer's file handler with its
// CSP header (electron/appProtocol.ts), the menu and the launch options, all without Electron. The
// CSP is also loaded into real Chromium to show that it blocks what it claims to block.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppHandler, resolveRendererPath, withAppCors } from '../../electron/appProtocol.ts';
import { CHOICE_FILE, relaunchArgs, rememberArchive, rememberedArchive } from '../../electron/archiveChoice.ts';
import { Archive } from '../../electron/archive/index.ts';
import { archiveToOpen, desktopOptions, flagValue } from '../../electron/desktopOptions.ts';
import { archiveAwayPrompt, archiveOpenFailure, externalLinkPrompt } from '../../electron/desktopText.ts';
import { menuRoles, menuTemplate } from '../../electron/menu.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import {
  APP_ORIGIN,
  APP_URL,
  CHROMIUM_SWITCHES,
  DESKTOP_CSP,
  externalUrlToOpen,
  isAllowedNavigation,
  isAllowedRequest,
  isAppUrl,
  isMediaUrl,
  isPermissionAllowed,
  isTrustedSender,
  mayNavigate,
  rendererCsp,
  rendererHeaders,
  webPreferences,
  windowOpenDecision,
} from '../../electron/security.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from '../e2e/support/chromium.ts';
import { tmpDir } from '../support/tmp.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('which URLs belong to the app', () => {
  it.each([
    ['sijil-app://app/', true],
    ['sijil-app://app/index.html', true],
    ['sijil-app://app/assets/index-abc.js?x=1#y', true],
    ['sijil-app://APP/', true],
    ['sijil-app://app.evil/', false],
    ['sijil-app://evil/', false],
    ['sijil-app://app@evil/', false],
    ['sijil-app://user:pw@app/', false],
    ['sijil-app://app:8080/', false],
    ['sijil-media://file/abc/1', false],
    ['https://app/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('which URLs are media', () => {
  it.each([
    ['sijil-media://file/01HXYZ/3', true],
    ['sijil-media://FILE/01HXYZ/3', true],
    ['sijil-media://evil/01HXYZ/3', false],
    ['sijil-media://file@evil/01HXYZ/3', false],
    ['sijil-media://file:1/01HXYZ/3', false],
    ['sijil-app://file/01HXYZ/3', false],
    ['https://file/01HXYZ/3', false],
  ])('%s → %s', (url, expected) => {
    expect(isMediaUrl(url)).toBe(expected);
  });
});

describe('the request filter lets only the app, its media and in-memory data through', () => {
  it.each([
    ['sijil-app://app/assets/x.js', true],
    ['sijil-media://file/01HXYZ/3', true],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['blob:sijil-app://app/2b1d7c52-8b0e-4c8e-9d6c-4f3e0f6e1a11', true],
    ['sijil-media://evil/01HXYZ/3', false],
    ['sijil-app://other/', false],
    ['http://127.0.0.1:8080/', false],
    ['https://tracker.example/pixel.gif', false],
    ['ws://127.0.0.1:9222/devtools', false],
    ['wss://example.org/', false],
    ['ftp://example.org/x', false],
    ['file:///home/researcher/archive/archive.db', false],
    ['chrome://settings', false],
    ['chrome-extension://abc/x.js', false],
    ['filesystem:sijil-app://app/temporary/x', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['javascript:void(0)', false],
    ['garbage', false],
  ])('%s → %s', (url, expected) => {
    expect(isAllowedRequest(url)).toBe(expected);
  });

  it('lets the developer tools load their own pages only where they exist', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { devTools: true })).toBe(true);
    expect(isAllowedRequest('https://chrome-devtools-frontend.appspot.com/x', { devTools: true })).toBe(false);
  });
});

describe('navigation stays inside the app', () => {
  it.each([
    ['sijil-app://app/#/item/1', true, true],
    ['https://example.org/', true, false],
    ['http://localhost/', true, false],
    ['javascript:alert(1)', true, false],
    ['file:///etc/passwd', true, false],
    ['data:text/html,<script>1</script>', true, false],
    ['about:blank', true, false],
    ['about:srcdoc', false, true],
    ['about:blank', false, true],
    ['https://example.org/', false, false],
    ['data:text/html,x', false, false],
    ['sijil-media://file/a/1', false, false],
    ['blob:sijil-app://app/2b1d7c52-8b0e-4c8e-9d6c-4f3e0f6e1a11', false, true],
    ['blob:sijil-app://app/2b1d7c52-8b0e-4c8e-9d6c-4f3e0f6e1a11', true, false],
    ['blob:https://example.org/2b1d7c52', false, false],
    ['blob:null/2b1d7c52', false, false],
    // Every other way out, in the main frame and in a subframe alike.
    ...[
      'http://127.0.0.1:8080/',
      'https://sijil-app.example/',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'vbscript:msgbox(1)',
      'file:///C:/Users/researcher/archive/sijil.db',
      'file://server/share/x.html',
      'data:text/html;base64,PHNjcmlwdD4xPC9zY3JpcHQ+',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'ftp://example.org/',
      'ws://127.0.0.1:9222/',
      'chrome://settings',
      'chrome-extension://abc/x.html',
      'view-source:sijil-app://app/',
      'filesystem:sijil-app://app/temporary/x.html',
      'devtools://devtools/bundled/inspector.html',
      'mailto:someone@example.org',
      'smb://server/share',
      'sijil-app://app.evil/',
      'sijil-app://app@evil/',
      'sijil-media://file/a/1',
      'about:blank#x',
      'about:srcdoc?x',
      '',
    ].flatMap((url) => [
      [url, true, false] as [string, boolean, boolean],
      [url, false, false] as [string, boolean, boolean],
    ]),
  ])('%s (main frame: %s) → %s', (url, mainFrame, expected) => {
    expect(isAllowedNavigation(url, mainFrame)).toBe(expected);
  });

  it('lets the developer tools move within their own window only, and only where they exist', () => {
    const inDevTools = { devTools: true, currentUrl: 'devtools://devtools/bundled/inspector.html' };
    expect(mayNavigate('devtools://devtools/bundled/other.html', true, inDevTools)).toBe(true);
    expect(mayNavigate('https://example.org/', true, { ...inDevTools, devTools: false })).toBe(false);
    expect(mayNavigate('https://example.org/', true, { devTools: true, currentUrl: APP_URL })).toBe(false);
    expect(mayNavigate('sijil-app://app/#/search', true, { devTools: false, currentUrl: APP_URL })).toBe(true);
    expect(mayNavigate('file:///etc/passwd', false, { devTools: false, currentUrl: APP_URL })).toBe(false);
  });
});

describe('IPC is answered only for the app page in the top frame', () => {
  it('trusts the app page in the main frame', () => {
    expect(isTrustedSender(APP_URL, true)).toBe(true);
    expect(isTrustedSender('sijil-app://app/index.html#/search', true)).toBe(true);
  });

  it('refuses subframes, other origins and frames without a URL', () => {
    expect(isTrustedSender(APP_URL, false)).toBe(false);
    expect(isTrustedSender('about:srcdoc', false)).toBe(false);
    expect(isTrustedSender('https://example.org/', true)).toBe(false);
    expect(isTrustedSender('sijil-media://file/x/1', true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender('', true)).toBe(false);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'clipboard-read', 'display-capture', 'openExternal', 'hid', 'serial', 'usb', 'idle-detection', 'local-fonts', 'storage-access', 'unknown'])(
    'refuses %s even to the app',
    (permission) => {
      expect(isPermissionAllowed(permission, APP_URL, true)).toBe(false);
    },
  );

  // Every permission Electron 45 can ask about, read from its own type definitions, so one added
  // in a later Electron is covered (and refused) without touching this test.
  const electronTypes = fs.readFileSync(path.resolve('node_modules/electron/electron.d.ts'), 'utf8');
  const permissionsOf = (method: string): string[] => {
    const line = electronTypes.split('\n').find((l) => l.trimStart().startsWith(`${method}(handler:`)) ?? '';
    const union = /permission: ((?:'[^']+'(?: \| )?)+)/.exec(line)?.[1] ?? '';
    return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  };
  const requested = permissionsOf('setPermissionRequestHandler');
  const checked = permissionsOf('setPermissionCheckHandler');

  it('knows Electron’s permissions', () => {
    expect(requested.length).toBeGreaterThan(30);
    expect(checked.length).toBeGreaterThan(30);
    expect(requested).toEqual(expect.arrayContaining(['media', 'geolocation', 'openExternal', 'fullscreen', 'clipboard-sanitized-write']));
  });

  it('refuses every permission a page asks for or checks, but the two harmless ones for the app page', () => {
    for (const permission of new Set([...requested, ...checked])) {
      const harmless = permission === 'fullscreen' || permission === 'clipboard-sanitized-write';
      expect(isPermissionAllowed(permission, APP_URL, true), permission).toBe(harmless);
      // The permission check handler is given an origin, not a URL.
      expect(isPermissionAllowed(permission, APP_ORIGIN, true), permission).toBe(harmless);
      for (const [url, mainFrame] of [
        [APP_URL, false],
        ['about:srcdoc', false],
        ['about:blank', false],
        ['null', false],
        ['https://example.org/', true],
        ['http://127.0.0.1:4000/', true],
        ['file:///', true],
        ['sijil-media://file/a/1', true],
        ['', true],
      ] as const) {
        expect(isPermissionAllowed(permission, url, mainFrame), `${permission} ${url} ${mainFrame}`).toBe(false);
      }
    }
  });

  it('grants fullscreen and clipboard writing to the app page only', () => {
    for (const permission of ['fullscreen', 'clipboard-sanitized-write']) {
      expect(isPermissionAllowed(permission, APP_URL, true)).toBe(true);
      expect(isPermissionAllowed(permission, APP_URL, false)).toBe(false);
      expect(isPermissionAllowed(permission, 'about:srcdoc', false)).toBe(false);
      expect(isPermissionAllowed(permission, 'https://example.org/', true)).toBe(false);
      expect(isPermissionAllowed(permission, null, true)).toBe(false);
    }
  });
});

describe('new windows', () => {
  it('never opens one, and offers only http(s) addresses to the browser', () => {
    expect(windowOpenDecision('https://example.org/a?b=c')).toEqual({ action: 'deny', external: 'https://example.org/a?b=c' });
    expect(windowOpenDecision('http://example.org')).toEqual({ action: 'deny', external: 'http://example.org/' });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'sijil-app://app/', 'data:text/html,x', 'mailto:a@b.c', 'smb://host/share', 'https://user:pw@example.org/', 'nonsense']) {
      expect(windowOpenDecision(url)).toEqual({ action: 'deny', external: null });
    }
  });

  it('opens an address outside only after the person chose to, and only an http(s) one', () => {
    const url = 'https://example.org/report?id=7';
    const prompt = externalLinkPrompt(url);
    // Button 0 opens; the default and the cancel button (Escape, closing the dialog) are the other.
    expect(prompt.buttons[0]).toMatch(/open/i);
    expect(externalUrlToOpen(url, 0)).toBe(url);
    expect(externalUrlToOpen(url, prompt.cancelId)).toBeNull();
    expect(externalUrlToOpen(url, prompt.defaultId)).toBeNull();
    expect(externalUrlToOpen(url, -1)).toBeNull();
    expect(externalUrlToOpen(url, 2)).toBeNull();
    // Even with a "yes", nothing but a plain http(s) address goes to the operating system.
    for (const other of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'ms-msdt:/id', 'data:text/html,x', 'sijil-app://app/', 'mailto:a@b.c', 'https://user:pw@example.org/', 'not a url', 'http://example.org']) {
      expect(externalUrlToOpen(other, 0), other).toBeNull();
    }
    // The address shown is the one opened: windowOpenDecision's normal form.
    const decided = windowOpenDecision('http://example.org').external!;
    expect(externalUrlToOpen(decided, 0)).toBe('http://example.org/');
  });

  it('shows the whole address before it leaves, in English or Arabic', () => {
    const url = 'https://example.org/a-very/long/path?with=query';
    const en = externalLinkPrompt(url, 'en-GB');
    expect(en.detail).toContain(url);
    expect(en.buttons).toHaveLength(2);
    expect(en.cancelId).toBe(1);
    expect(en.defaultId).toBe(1);
    const ar = externalLinkPrompt(url, 'ar-IQ');
    expect(ar.detail.startsWith(`${url}\n\n`)).toBe(true);
    expect(ar.message).toBe('أتفتح هذا العنوان في متصفح الويب؟');
    expect(ar.buttons).toEqual(['افتح في المتصفح', 'إلغاء']);
    expect([ar.cancelId, ar.defaultId]).toEqual([1, 1]);
  });

  it('says why the archive cannot be opened, in the system language, the folder isolated in Arabic', () => {
    const err = new ArchiveError('archive-unreadable', phrase('archive.open.isFile', { path: '/home/r/notes.txt' }));
    const en = archiveOpenFailure(err, '/home/r/notes.txt', 'en-US');
    expect(en.title).toBe('Sijil cannot open its archive');
    expect(en.content).toBe('/home/r/notes.txt is a file, not an archive folder.\n\nArchive folder: /home/r/notes.txt');
    const ar = archiveOpenFailure(err, '/home/r/notes.txt', 'ar');
    expect(ar.title).toBe('لا يستطيع سِجِل فتح أرشيفه');
    expect(ar.content.endsWith('\n\nمجلد الأرشيف: \u2068/home/r/notes.txt\u2069')).toBe(true);
    expect(ar.content).not.toContain('is a file');
    // An error without a phrase (the system's own) is shown as it came, isolated in the Arabic sentence.
    expect(archiveOpenFailure(new Error('EACCES: permission denied'), '/a', 'ar-IQ').content).toBe('\u2068EACCES: permission denied\u2069\n\nمجلد الأرشيف: \u2068/a\u2069');
  });
});

describe('web preferences', () => {
  it('are exactly these: nothing added without this test changing', () => {
    expect(webPreferences('/p.cjs', { devTools: false })).toEqual({
      preload: '/p.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
      autoplayPolicy: 'user-gesture-required',
      // Middle-click (auxclick) is one more way to open a window; Electronegativity's AUXCLICK check.
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('open developer tools only when asked', () => {
    expect(webPreferences('/p.cjs', { devTools: true }).devTools).toBe(true);
  });

  it('switch off what Chromium would fetch on its own', () => {
    const names = CHROMIUM_SWITCHES.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['disable-background-networking', 'disable-component-update', 'no-pings', 'dns-prefetch-disable']));
  });
});

describe('the content security policy', () => {
  const csp = directives(DESKTOP_CSP);

  it('loads script only from the app, never inline or eval', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(DESKTOP_CSP).not.toContain("'unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('names no network source anywhere', () => {
    for (const [name, values] of csp) {
      for (const value of values) {
        expect(value, `${name} ${value}`).not.toMatch(/^(\*|https?:|wss?:|ftp:|file:|filesystem:)/);
        expect(value, `${name} ${value}`).not.toMatch(/\./);
      }
    }
  });

  it('takes media from the sijil-media scheme in the app and from the page itself in browser mode', () => {
    expect(csp.get('media-src')).toContain('sijil-media:');
    expect(csp.get('img-src')).toContain('sijil-media:');
    const browser = directives(rendererCsp({ media: "'self'" }));
    expect(browser.get('media-src')).not.toContain('sijil-media:');
    expect(browser.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });

  it('travels with the other defensive headers', () => {
    const headers = rendererHeaders();
    expect(headers['Content-Security-Policy']).toBe(DESKTOP_CSP);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
  });
});

describe('sijil-app://app/ serves the built renderer', () => {
  let dir: string;
  let handler: (request: Request) => Promise<Response>;
  beforeAll(() => {
    const base = tmpDir('renderer-');
    dir = path.join(base, 'renderer');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Sijil</title><script type="module" src="./assets/app.js"></script>');
    fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'document.title = "ready";');
    fs.writeFileSync(path.join(dir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
    fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
    handler = createAppHandler(dir);
  });

  it('answers / with index.html and the CSP as a header', async () => {
    const res = await handler(new Request('sijil-app://app/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Sijil</title>');
  });

  it('serves assets with their types and the same headers', async () => {
    const js = await handler(new Request('sijil-app://app/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(await js.text()).toBe('document.title = "ready";');
    const font = await handler(new Request('sijil-app://app/assets/font.woff2'));
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(new Uint8Array(await font.arrayBuffer())).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32]));
  });

  it('lets the browser keep the content-named assets, and asks again for index.html and routes', async () => {
    expect((await handler(new Request('sijil-app://app/assets/app.js'))).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await handler(new Request('sijil-app://app/'))).headers.get('cache-control')).toBe('no-cache');
    expect((await handler(new Request('sijil-app://app/index.html'))).headers.get('cache-control')).toBe('no-cache');
    // An in-app route is index.html under another name: never kept.
    expect((await handler(new Request('sijil-app://app/library'))).headers.get('cache-control')).toBe('no-cache');
  });

  it('gives in-app routes the app, and missing assets a 404', async () => {
    expect(await (await handler(new Request('sijil-app://app/library'))).text()).toContain('<title>Sijil</title>');
    expect((await handler(new Request('sijil-app://app/assets/missing.js'))).status).toBe(404);
  });

  it('never leaves the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const res = await handler(new Request(`sijil-app://app${p}`));
      const body = await res.text();
      expect(body, p).not.toContain('outside the renderer');
    }
    expect(resolveRendererPath(dir, '/../secret.txt')).toBeNull();
    expect(resolveRendererPath(dir, '/%2e%2e/secret.txt')).toBeNull();
    expect(resolveRendererPath(dir, '/a%00b')).toBeNull();
    expect(resolveRendererPath(dir, '/assets/app.js')).toBe(path.join(dir, 'assets', 'app.js'));
  });

  it('sends the CSP with every answer, errors included', async () => {
    const empty = createAppHandler(path.join(tmpDir('renderer-empty-'), 'none'));
    const answers = [
      await handler(new Request('sijil-app://app/')),
      await handler(new Request('sijil-app://app/assets/app.js')),
      await handler(new Request('sijil-app://app/assets/missing.js')),
      await handler(new Request('sijil-app://app/%2e%2e/secret.txt')),
      await handler(new Request('sijil-app://other/')),
      await handler(new Request('sijil-app://app/', { method: 'POST', body: 'x' })),
      await handler(new Request('sijil-app://app/', { method: 'HEAD' })),
      await empty(new Request('sijil-app://app/library')),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 404, 404, 405, 200, 500]);
    for (const res of answers) {
      expect(res.headers.get('content-security-policy'), String(res.status)).toBe(DESKTOP_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers only the app host and only reads', async () => {
    expect((await handler(new Request('sijil-app://other/index.html'))).status).toBe(404);
    expect((await handler(new Request('sijil-app://app/', { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handler(new Request('sijil-app://app/assets/app.js', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('media CORS is granted to the app origin alone', () => {
  const inner = async () => new Response('bytes', { status: 206, headers: { 'Content-Range': 'bytes 0-4/10', 'Content-Type': 'video/mp4' } });
  const handler = withAppCors(inner, APP_ORIGIN);

  it('adds the headers PDF.js and canvas thumbnails need for the app', async () => {
    const res = await handler(new Request('sijil-media://file/a/1', { headers: { Origin: APP_ORIGIN, Range: 'bytes=0-4' } }));
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Range');
    expect(res.headers.get('content-range')).toBe('bytes 0-4/10');
    expect(await res.text()).toBe('bytes');
  });

  it('gives any other origin (an archived page in its opaque iframe) nothing', async () => {
    for (const origin of ['null', 'https://example.org', 'sijil-app://evil']) {
      const res = await handler(new Request('sijil-media://file/a/1', { headers: { Origin: origin } }));
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await handler(new Request('sijil-media://file/a/1', { method: 'OPTIONS', headers: { Origin: origin } }));
      expect(pre.status).toBe(403);
    }
    const pre = await handler(new Request('sijil-media://file/a/1', { method: 'OPTIONS', headers: { Origin: APP_ORIGIN } }));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toBe('Range');
  });
});

describe('the application menu', () => {
  it('has the usual menus and no developer tools in a packaged app', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const packaged = menuRoles(menuTemplate({ platform, packaged: true }));
      expect(packaged).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help', 'about']));
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).not.toContain('reload');
      expect(packaged.includes('appMenu')).toBe(platform === 'darwin');
      expect(menuRoles(menuTemplate({ platform, packaged: false }))).toContain('toggleDevTools');
    }
  });

  it('labels its own entry in the system language (the roles label themselves)', () => {
    const label = (locale?: string) => menuTemplate({ platform: 'linux', packaged: true, locale }).flatMap((e) => e.submenu ?? []).find((e) => e.id === 'show-archive')?.label;
    expect(label()).toBe('Show Archive Folder');
    expect(label('en-GB')).toBe('Show Archive Folder');
    expect(label('ar-IQ')).toBe('إظهار مجلد الأرشيف');
  });
});

describe('launch options', () => {
  it('opens --archive DIR, else $SIJIL_ARCHIVE, else the per-OS folder', () => {
    expect(desktopOptions(['electron', 'main.js', '--archive', 'a/b'], {}, 'linux', '/home/r').archiveDir).toBe('/home/r/a/b');
    expect(desktopOptions(['x', '--archive=/data/arch'], {}, 'linux', '/').archiveDir).toBe('/data/arch');
    expect(desktopOptions(['x'], { SIJIL_ARCHIVE: '/env/arch' }, 'linux', '/').archiveDir).toBe('/env/arch');
    expect(desktopOptions(['x'], { XDG_DATA_HOME: '/xdg' }, 'linux', '/').archiveDir).toBe('/xdg/sijil/archive');
    expect(desktopOptions(['x'], { SIJIL_USER_DATA: 'ud' }, 'linux', '/tmp').userDataDir).toBe('/tmp/ud');
    expect(desktopOptions(['x'], {}, 'linux', '/').userDataDir).toBeNull();
    expect(flagValue(['--archive'], 'archive')).toBeUndefined();
    expect(flagValue(['--archive='], 'archive')).toBeUndefined();
  });

  it('opens the folder chosen in Settings only when the launch names none', () => {
    const plain = desktopOptions(['x'], { XDG_DATA_HOME: '/xdg' }, 'linux', '/');
    expect(plain.archiveFrom).toBe('default');
    const there = () => true;
    expect(archiveToOpen(plain, '/media/usb/archive', there)).toEqual({ dir: '/media/usb/archive', away: null });
    expect(archiveToOpen(plain, null, there)).toEqual({ dir: '/xdg/sijil/archive', away: null });
    expect(archiveToOpen(desktopOptions(['x', '--archive', '/a'], {}, 'linux', '/'), '/media/usb/archive', there)).toEqual({ dir: '/a', away: null });
    expect(archiveToOpen(desktopOptions(['x'], { SIJIL_ARCHIVE: '/env/arch' }, 'linux', '/'), '/media/usb/archive', there)).toEqual({ dir: '/env/arch', away: null });
    // Its drive not connected: not made anew on whatever disk is there; the launch asks what to do.
    expect(archiveToOpen(plain, '/media/usb/archive', () => false)).toEqual({ dir: '/xdg/sijil/archive', away: '/media/usb/archive' });
    const real = tmpDir('sijil-real-');
    expect(archiveToOpen(plain, real).away).toBe(real);
    Archive.open(real).close();
    expect(archiveToOpen(plain, real)).toEqual({ dir: real, away: null });
  });

  it('remembers the chosen folder whole, and ignores a file it did not write', () => {
    const dir = tmpDir('sijil-choice-');
    expect(rememberedArchive(dir)).toBeNull();
    rememberArchive(dir, '/media/usb/archive');
    expect(rememberedArchive(dir)).toBe('/media/usb/archive');
    expect(fs.readdirSync(dir)).toEqual([CHOICE_FILE]);
    for (const text of ['not json', '{"dir": "relative/folder"}', '{"dir": 7}', '[]', 'null']) {
      fs.writeFileSync(path.join(dir, CHOICE_FILE), text);
      expect(rememberedArchive(dir), text).toBeNull();
    }
  });

  it('asks, in the system language, what to do when the chosen folder is not there', () => {
    const en = archiveAwayPrompt('/media/usb/archive', 'en-GB');
    expect(en.message).toBe('The archive folder chosen in Settings is not there.');
    expect(en.detail.startsWith('/media/usb/archive\n\n')).toBe(true);
    expect(en.buttons).toEqual(['Try again', 'Open the default archive', 'Quit']);
    expect([en.defaultId, en.cancelId]).toEqual([0, 2]);
    const ar = archiveAwayPrompt('/media/usb/archive', 'ar');
    expect(ar.detail.startsWith('\u2068/media/usb/archive\u2069\n\n')).toBe(true);
    expect(ar.buttons).toEqual(['أعد المحاولة', 'افتح الأرشيف الافتراضي', 'إنهاء']);
  });

  it('starts again with the chosen folder, whatever --archive the first launch had', () => {
    expect(relaunchArgs(['main.js', '--archive', '/old', '--inspect=0', '--archive=/older'], '/new')).toEqual(['main.js', '--inspect=0', '--archive', '/new']);
    expect(relaunchArgs([], '/new')).toEqual(['--archive', '/new']);
  });
});

// The policy as real Chromium applies it: a page served with the header tries inline script, eval,
// a remote image, a remote stylesheet, a remote font and fetch. Nothing may run and no request may
// leave; only the page's own module script runs.
describe('the CSP in Chromium', () => {
  const executablePath = CHROMIUM;
  const available = chromiumAvailable();

  it.skipIf(!available)('blocks inline script, eval and every remote load', async () => {
    const browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_FLAGS,
    });
    try {
      const page = await browser.newPage();
      const leaked: string[] = [];
      const origin = 'https://sijil.test';
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url === `${origin}/`) {
          await route.fulfill({
            status: 200,
            headers: { 'Content-Type': 'text/html; charset=utf-8', ...rendererHeaders(rendererCsp({ media: "'self'" })) },
            body: `<!doctype html><html><head>
              <link rel="stylesheet" href="https://remote.test/style.css">
              <style>@font-face { font-family: x; src: url(https://remote.test/font.woff2); } body { font-family: x; }</style>
              <script>window.inlineRan = true;</script>
              <script type="module" src="/app.js"></script>
              </head><body>text<img src="https://remote.test/pixel.gif"><img src="http://127.0.0.1:9/pixel.gif"></body></html>`,
          });
        } else if (url === `${origin}/app.js`) {
          await route.fulfill({
            status: 200,
            headers: { 'Content-Type': 'text/javascript', ...rendererHeaders(rendererCsp({ media: "'self'" })) },
            body: `window.moduleRan = true;
              try { eval('window.evalRan = true'); } catch { window.evalBlocked = true; }
              try { new Function('window.fnRan = true')(); } catch { window.fnBlocked = true; }
              fetch('https://remote.test/beacon').catch(() => { window.fetchBlocked = true; });`,
          });
        } else {
          leaked.push(url);
          await route.abort();
        }
      });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (window as unknown as { fetchBlocked?: boolean }).fetchBlocked === true);
      const state = await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return { inline: w.inlineRan, module: w.moduleRan, evalRan: w.evalRan, evalBlocked: w.evalBlocked, fnRan: w.fnRan, fnBlocked: w.fnBlocked };
      });
      expect(state).toEqual({ inline: undefined, module: true, evalRan: undefined, evalBlocked: true, fnRan: undefined, fnBlocked: true });
      expect(leaked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
