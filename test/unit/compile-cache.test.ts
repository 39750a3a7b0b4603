// Where Node's compile cache goes (electron/compileCache.ts): a per-user folder, never the shared
// temporary folder whose code anyone on the computer could plant.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultArchiveDir } from '../../electron/archive/location.ts';
import { compileCacheDir, enableCompileCache } from '../../electron/compileCache.ts';

describe('compileCacheDir', () => {
  const home = os.homedir();
  it('follows XDG_CACHE_HOME on Linux, else ~/.cache', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe(path.join('/x/cache', 'sijil', 'compile-cache'));
    expect(compileCacheDir({}, 'linux')).toBe(path.join(home, '.cache', 'sijil', 'compile-cache'));
  });
  it('ignores a relative XDG_CACHE_HOME (the XDG spec says so): it would follow the folder Sijil started in', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: 'cache' }, 'linux')).toBe(path.join(home, '.cache', 'sijil', 'compile-cache'));
    expect(defaultArchiveDir({ XDG_DATA_HOME: './data' }, 'linux')).toBe(path.join(home, '.local', 'share', 'sijil', 'archive'));
  });
  it('uses the per-user cache folders of macOS and Windows', () => {
    expect(compileCacheDir({}, 'darwin')).toBe(path.join(home, 'Library', 'Caches', 'Sijil', 'compile-cache'));
    expect(compileCacheDir({ LOCALAPPDATA: 'C:\\Users\\r\\AppData\\Local' }, 'win32')).toBe(path.join('C:\\Users\\r\\AppData\\Local', 'Sijil', 'compile-cache'));
  });
  it('is never inside the shared temporary folder', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(compileCacheDir({}, platform).startsWith(os.tmpdir())).toBe(false);
  });
});

describe('enableCompileCache', () => {
  it('stays off when SIJIL_COMPILE_CACHE=0', () => {
    expect(enableCompileCache(path.join(os.tmpdir(), 'unused'), { SIJIL_COMPILE_CACHE: '0' })).toBeNull();
  });
});
