// The renderer's entry, kept small: fonts and styles (bundled, never fetched), the theme, and the
// launch's calls to the engine (launch.ts), which go out before the app's own code is even
// loaded. That code (boot.tsx: React, the languages, the shell) comes as a second script the page
// fetches beside this one (vite.config.ts preloads it) and runs while the engine answers.
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/inter/600.css';
import '@fontsource/ibm-plex-sans-arabic/400.css';
import '@fontsource/ibm-plex-sans-arabic/500.css';
import '@fontsource/ibm-plex-sans-arabic/600.css';
import '@fontsource/noto-naskh-arabic/400.css';
import '@fontsource/noto-naskh-arabic/600.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './launch.ts';
import { applySavedTheme } from './theme.ts';

applySavedTheme();

void import('./boot.tsx');

// A page's first Intl formatter costs tens of milliseconds (ICU's set-up, paid again by every page
// load); the next ones cost almost nothing, in any language. The library's first rows need one
// for their dates and counts: made here, that set-up runs while the app's code loads and the
// engine answers, not in the render that draws the rows.
setTimeout(() => {
  new Intl.NumberFormat().format(0);
  new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(0);
});
