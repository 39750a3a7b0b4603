// Light or dark, saved between sessions; "system" follows the operating system's choice. The page
// always carries a concrete data-theme (light or dark), so the stylesheet has one dark palette:
// for "system" it is the system's current choice, and it changes when the system's does.
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
const STORAGE_KEY = 'sijil.theme';
const SYSTEM_DARK = '(prefers-color-scheme: dark)';

export function savedTheme(): Theme {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (THEMES as readonly string[]).includes(saved)) return saved as Theme;
  } catch {
    // Storage unavailable: follow the system.
  }
  return 'system';
}

/** Stops following the system's changes (set while the theme is "system"). */
let unfollow: (() => void) | null = null;
let applied: Theme = 'system';
// Parts of the page that cannot take the stylesheet's colours (the article reader's frame has a
// document of its own) are told when the theme changes.
const listeners = new Set<() => void>();

/** The theme in force: "system", or the light or dark the person chose. */
export function appliedTheme(): Theme {
  return applied;
}

/**
 * Calls `listener` whenever the page's colours change: another theme chosen, or the system's
 * changing while "system" is. Returns the unsubscribe (the shape React's useSyncExternalStore takes).
 */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function changed(): void {
  for (const listener of [...listeners]) listener();
}

export function applyTheme(theme: Theme): void {
  unfollow?.();
  unfollow = null;
  applied = theme;
  const root = document.documentElement;
  if (theme !== 'system') {
    root.dataset.theme = theme;
    changed();
    return;
  }
  const system = window.matchMedia(SYSTEM_DARK);
  const follow = () => {
    root.dataset.theme = system.matches ? 'dark' : 'light';
    changed();
  };
  follow();
  system.addEventListener('change', follow);
  unfollow = () => system.removeEventListener('change', follow);
}

export function setTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not saved; it still applies now.
  }
  applyTheme(theme);
}

export function applySavedTheme(): void {
  applyTheme(savedTheme());
}
