// Where Debian's Chromium is and the flags it runs with here (ENVIRONMENT.md, "Browser for
// end-to-end tests"). Plain Node: the e2e tests and the ui benchmark both use it.
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.SIJIL_CHROMIUM ?? '/usr/bin/chromium';

// A port nothing listens on: services with no off switch are pointed here, so they fail at once on
// this computer instead of reaching Google.
const NOWHERE = 'http://127.0.0.1:9';

/**
 * Chromium itself must not reach the network either. Seen through the hostile e2e's trap (every
 * name resolved to a local server), Chromium 156 with only the switches before `--gaia-url` still
 * called accounts.google.com (sign-in's account checks), update.googleapis.com (an on-demand
 * component, the on-device model manifest, despite --disable-component-update) and
 * content-autofill.googleapis.com (field types of pages with forms). No switch turns those off,
 * so each is sent NOWHERE. Translation, cast discovery (MediaRouter), optimisation hints and
 * network-time queries are off through Playwright's own --disable-features.
 * Subtle: never add a --disable-features here; Chromium keeps only the last one, so Playwright's
 * list would be lost (network-time queries to clients2.google.com came back when it was).
 * Spell checking fetches a dictionary at the first keystroke; `chromiumProfile` turns that off.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--gaia-url=${NOWHERE}`,
  `--component-updater=url-source=${NOWHERE}/`,
  `--autofill-server-url=${NOWHERE}/`,
];

/**
 * Prepares a fresh profile folder for launchPersistentContext: no spell-check dictionaries, which
 * Chromium otherwise fetches from redirector.gvt1.com on the first keystroke in a text field.
 */
export function chromiumProfile(dir: string): string {
  fs.mkdirSync(path.join(dir, 'Default'), { recursive: true });
  const preferences = { browser: { enable_spellchecking: false }, spellcheck: { dictionaries: [], use_spelling_service: false } };
  fs.writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify(preferences));
  return dir;
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}
