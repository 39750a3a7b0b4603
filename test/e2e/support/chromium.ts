// Where Debian's Chromium is and the flags it runs with here (ENVIRONMENT.md, "Browser for
// end-to-end tests"). Plain Node: the e2e tests and the ui benchmark both use it.
import fs from 'node:fs';

export const CHROMIUM = process.env.SIJIL_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}
