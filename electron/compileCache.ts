// Node's compile cache: the V8 code of every module this process loads, kept on disk so that the
// next launch skips parsing and compiling them (and stripping their types). Measured here, it
// halves the CPU time of loading the archive engine (about 1.2 s to 0.6 s). Browser mode's server
// turns it on before it starts the engine. The desktop app does not: its code is checked against
// the signed asar archive, and V8 code read from a writable folder beside it would run unchecked.
import module from 'node:module';
import path from 'node:path';
import { userFolder } from './archive/location.ts';

/**
 * The per-user cache folder. Never the shared temporary folder (Node's default): code read from
 * there runs in this process, and on a shared computer anyone can write to /tmp.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(userFolder('cache', env, platform), 'compile-cache');
}

/**
 * Turns the cache on for modules loaded from now on, in this thread and in the engine's worker
 * (EngineHost passes the folder on). Returns the folder, or null where the cache is unavailable or
 * SIJIL_COMPILE_CACHE=0; a cache that cannot be written only makes the launch slower, never fail.
 */
export function enableCompileCache(dir: string = compileCacheDir(), env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SIJIL_COMPILE_CACHE === '0' || typeof module.enableCompileCache !== 'function') return null;
  try {
    const result = module.enableCompileCache(dir);
    return result.directory ?? null;
  } catch {
    return null;
  }
}

/** The folder the cache is on in this thread, if any: what a worker started now should use too. */
export function activeCompileCacheDir(): string | null {
  return typeof module.getCompileCacheDir === 'function' ? (module.getCompileCacheDir() ?? null) : null;
}

/** Writes what was compiled so far, so that a launch ended by a kill still leaves its cache. */
export function flushCompileCache(): void {
  try {
    module.flushCompileCache?.();
  } catch {
    // Only the next launch's speed depends on it.
  }
}
