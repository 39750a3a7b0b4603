// Starts the real browser-mode server (electron/serve.ts) on a free port over an archive folder,
// and reads the address it prints: the token in it is the only way in.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.ts';

export interface RunningServer {
  /** http://127.0.0.1:PORT/?token=... */
  readonly url: string;
  readonly origin: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * `port` 0 (the default) takes a free one; a fixed port keeps the origin the same across restarts.
 * `entry` is the command to run: the sources by default, or a build's serve.js (the benchmark).
 */
export async function startServer(archiveDir: string, port = 0, entry = path.join(ROOT, 'electron', 'serve.ts')): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [entry, '--archive', archiveDir, '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: string) => {
      out += d;
      const m = /Sijil is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: string) => (out += more));
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The server exited (${String(code)}) before it was ready:\n${out}`)));
    child.once('error', reject);
  });
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
