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

export function applyTheme(theme: Theme): void {
  unfollow?.();
  unfollow = null;
  const root = document.documentElement;
  if (theme !== 'system') {
    root.dataset.theme = theme;
    return;
  }
  const system = window.matchMedia(SYSTEM_DARK);
  const follow = () => {
    root.dataset.theme = system.matches ? 'dark' : 'light';
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
