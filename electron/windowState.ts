// The window comes back where the researcher left it: size, position and whether it was maximised,
// kept in a small JSON file in the app's userData folder. Plain Node (no Electron), so the rules
// are tested without the binary (test/unit/window-state.test.ts); main.ts feeds it the displays.
import fs from 'node:fs/promises';
import path from 'node:path';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly width: number;
  readonly height: number;
  /** Absent: let the system centre the window on the primary display. */
  readonly x?: number;
  readonly y?: number;
  readonly maximized: boolean;
}

export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
/** How much of a window must lie on some display before its saved position is trusted. */
const MIN_VISIBLE = { width: 160, height: 80 };
const FILE_NAME = 'window-state.json';

export function windowStateFile(userDataDir: string): string {
  return path.join(userDataDir, FILE_NAME);
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Reads what a file held, or null when it is not a window state (hand-edited, truncated, an older shape). */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!finite(v.width) || !finite(v.height) || v.width <= 0 || v.height <= 0) return null;
  // Anything past this is not a window size any display has; it would only come from a bad file.
  if (v.width > 100_000 || v.height > 100_000) return null;
  const maximized = v.maximized === true;
  const width = Math.round(v.width);
  const height = Math.round(v.height);
  if (finite(v.x) && finite(v.y) && Math.abs(v.x) < 1_000_000 && Math.abs(v.y) < 1_000_000) {
    return { width, height, x: Math.round(v.x), y: Math.round(v.y), maximized };
  }
  return { width, height, maximized };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Fits a saved state to the displays attached now (their work areas, primary first): a window
 * saved on a monitor that has since been unplugged would open off screen, so its position is
 * dropped unless enough of its top edge (where the title bar is) lies on some display; a size
 * larger than every display shrinks to the largest one; nothing is ever smaller than the minimum.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | null>((best, r) => (best === null || r.width * r.height > best.width * best.height ? r : best), null);
  let width = Math.max(MIN_WIDTH, state.width);
  let height = Math.max(MIN_HEIGHT, state.height);
  if (largest) {
    width = Math.max(Math.min(width, largest.width), Math.min(MIN_WIDTH, largest.width));
    height = Math.max(Math.min(height, largest.height), Math.min(MIN_HEIGHT, largest.height));
  }
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const titleBar: Rect = { x: state.x, y: state.y, width, height: Math.min(height, MIN_VISIBLE.height) };
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(MIN_VISIBLE.width, width) && o.height >= Math.min(MIN_VISIBLE.height, titleBar.height);
  });
  return visible ? { ...fitted, x: state.x, y: state.y } : fitted;
}

/** The state to open the window with: the saved one fitted to today's displays, or the default. */
export async function loadWindowState(file: string, workAreas: readonly Rect[]): Promise<WindowState> {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    // No file yet, or one that is not JSON: the first run and a damaged file both start fresh.
  }
  return fitToDisplays(saved ?? DEFAULT_STATE, workAreas);
}

/** Writes the state through a temp file and a rename, so a crash mid-write never leaves half a file. */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  const clean = parseWindowState(state);
  if (!clean) return;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(clean, null, 2)}\n`, 'utf8');
  await fs.rename(tmp, file);
}
