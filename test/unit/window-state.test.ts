// The window comes back where it was, unless the display it was on has gone (electron/windowState.ts),
// on real files in a temporary folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE,
  MIN_HEIGHT,
  MIN_WIDTH,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  windowStateFile,
  type Rect,
} from '../../electron/windowState.ts';
import { tmpDir } from '../support/tmp.ts';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('reading a saved state', () => {
  it('accepts a well-formed state and rounds it', () => {
    expect(parseWindowState({ width: 1000.4, height: 700.6, x: 10.2, y: 20.7, maximized: true })).toEqual({ width: 1000, height: 701, x: 10, y: 21, maximized: true });
    expect(parseWindowState({ width: 1000, height: 700 })).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it.each([
    ['null', null],
    ['a string', 'big'],
    ['an array', [1000, 700]],
    ['no height', { width: 1000 }],
    ['text sizes', { width: '1000', height: '700' }],
    ['zero width', { width: 0, height: 700 }],
    ['negative height', { width: 1000, height: -5 }],
    ['NaN', { width: Number.NaN, height: 700 }],
    ['infinite', { width: Number.POSITIVE_INFINITY, height: 700 }],
    ['absurd size', { width: 1e9, height: 700 }],
  ])('refuses %s', (_name, value) => {
    expect(parseWindowState(value)).toBeNull();
  });

  it('keeps the size but drops a position that is not two finite numbers', () => {
    expect(parseWindowState({ width: 1000, height: 700, x: 5 })).toEqual({ width: 1000, height: 700, maximized: false });
    expect(parseWindowState({ width: 1000, height: 700, x: 'a', y: 3 })).toEqual({ width: 1000, height: 700, maximized: false });
    expect(parseWindowState({ width: 1000, height: 700, x: 1e12, y: 0 })).toEqual({ width: 1000, height: 700, maximized: false });
  });
});

describe('fitting to the displays attached now', () => {
  it('keeps a window that is on a display', () => {
    const state = { width: 1200, height: 800, x: 100, y: 50, maximized: false };
    expect(fitToDisplays(state, [laptop])).toEqual(state);
    const onRight = { width: 1600, height: 900, x: 2200, y: 100, maximized: true };
    expect(fitToDisplays(onRight, [laptop, rightMonitor])).toEqual(onRight);
  });

  it('drops the position of a window whose monitor was unplugged, keeping size and maximised', () => {
    const onRight = { width: 1600, height: 900, x: 2200, y: 100, maximized: true };
    expect(fitToDisplays(onRight, [laptop])).toEqual({ width: 1600, height: 900, maximized: true });
  });

  it('drops a position whose title bar is above or beside every display', () => {
    expect(fitToDisplays({ width: 1000, height: 700, x: 100, y: -690, maximized: false }, [laptop]).x).toBeUndefined();
    expect(fitToDisplays({ width: 1000, height: 700, x: 1900, y: 100, maximized: false }, [laptop]).x).toBeUndefined();
    expect(fitToDisplays({ width: 1000, height: 700, x: -990, y: 100, maximized: false }, [laptop]).x).toBeUndefined();
  });

  it('keeps a window that hangs partly off a display, as long as enough of its top edge shows', () => {
    expect(fitToDisplays({ width: 1000, height: 700, x: 1500, y: 600, maximized: false }, [laptop])).toMatchObject({ x: 1500, y: 600 });
  });

  it('shrinks a window larger than every display and never goes below the minimum', () => {
    expect(fitToDisplays({ width: 5000, height: 3000, maximized: false }, [laptop, rightMonitor])).toEqual({ width: 2560, height: 1400, maximized: false });
    expect(fitToDisplays({ width: 100, height: 100, maximized: false }, [laptop])).toEqual({ width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false });
    // A display smaller than the minimum still gets a window that fits it.
    expect(fitToDisplays({ width: 1000, height: 700, maximized: false }, [{ x: 0, y: 0, width: 640, height: 400 }])).toEqual({ width: 640, height: 400, maximized: false });
  });
});

describe('the file in userData', () => {
  it('round-trips through the file, and opens with the default the first time', async () => {
    const dir = tmpDir('window-state-');
    const file = windowStateFile(dir);
    expect(await loadWindowState(file, [laptop])).toEqual(DEFAULT_STATE);
    await saveWindowState(file, { width: 1400, height: 900, x: 40, y: 30, maximized: true });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ width: 1400, height: 900, x: 40, y: 30, maximized: true });
    expect(await loadWindowState(file, [laptop])).toEqual({ width: 1400, height: 900, x: 40, y: 30, maximized: true });
    // The same file with the monitor gone: the size survives, the position does not.
    expect(await loadWindowState(file, [{ x: 3000, y: 0, width: 1920, height: 1080 }])).toEqual({ width: 1400, height: 900, maximized: true });
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });

  it('starts fresh from a damaged or foreign file', async () => {
    const dir = tmpDir('window-state-');
    const file = windowStateFile(dir);
    for (const content of ['{"width": 1400, "hei', '[]', '"x"', '{"width": -1, "height": 2}', '']) {
      fs.writeFileSync(file, content);
      expect(await loadWindowState(file, [laptop]), content).toEqual(DEFAULT_STATE);
    }
  });

  it('creates the folder and refuses to write nonsense', async () => {
    const dir = path.join(tmpDir('window-state-'), 'new', 'userData');
    const file = windowStateFile(dir);
    await saveWindowState(file, { width: Number.NaN, height: 3, maximized: false });
    expect(fs.existsSync(file)).toBe(false);
    await saveWindowState(file, { width: 900, height: 600, maximized: false });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ width: 900, height: 600, maximized: false });
  });
});
