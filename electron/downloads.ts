// Downloads from the window, decided without Electron (main.ts wires this to `will-download`):
// the custody report (a blob the page made) and an item's files (sijil-media://file/...). Left to
// itself Electron may save straight into a folder; here the person is always asked where, under a
// name that cannot climb out of that folder or disguise what the file is, and only what the app
// itself serves may be saved at all.
import path from 'node:path';
import { nameWithoutBidiControls } from '../shared/bidi.ts';
import { isAppUrl, isMediaUrl } from './security.ts';

export type DownloadDecision = { action: 'cancel' } | { action: 'ask'; defaultPath: string };

/** The app's own page, its media, or a blob the app's page made (blob:sijil-app://app/<uuid>). */
export function isAppDownload(url: string): boolean {
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  return isAppUrl(url) || isMediaUrl(url);
}

const FALLBACK_NAME = 'Sijil download';
const MAX_NAME = 180;

/**
 * A file name to offer: the last path part only, without control characters or bidi embeddings,
 * overrides and isolates (U+202E can make "evil‮txt.exe" read as "evilexe.txt"; an Arabic name
 * keeps the marks it uses, LRM, RLM and ALM: shared/bidi.ts), without characters Windows refuses, not
 * hidden (no leading dot) and not absurdly long; the extension survives shortening.
 */
export function safeFileName(suggested: string): string {
  const base = suggested.split(/[/\\]/).pop() ?? '';
  const cleaned = nameWithoutBidiControls(base.normalize('NFC'))
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned === '') return FALLBACK_NAME;
  if ([...cleaned].length <= MAX_NAME) return cleaned;
  const ext = path.extname(cleaned).slice(0, 20);
  return [...cleaned.slice(0, cleaned.length - path.extname(cleaned).length)].slice(0, MAX_NAME - ext.length).join('') + ext;
}

/**
 * What to do with a download: every address it went through (redirects included) must be the
 * app's, else it is cancelled; if so, the save dialog opens in `downloadsDir` with the name offered.
 */
export function downloadDecision(urlChain: readonly string[], suggestedName: string, downloadsDir: string): DownloadDecision {
  if (urlChain.length === 0 || !urlChain.every(isAppDownload)) return { action: 'cancel' };
  return { action: 'ask', defaultPath: path.join(downloadsDir, safeFileName(suggestedName)) };
}
