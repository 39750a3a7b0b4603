#!/usr/bin/env node
// Browser mode's command. `npm run serve` builds the app and runs this file's build
// (dist/electron/serve.js); `node electron/serve.ts` runs it from the sources. The server itself is
// server.ts.
//
// A launch waits for two threads to load their code: the engine's worker (the archive engine, the
// contract) and this one (the HTTP server, the contract). So this file loads almost nothing: it
// turns Node's compile cache on, so that every module after it is read already compiled, starts
// the engine (engineHost.ts and what this file imports load no schemas, a dozen small modules),
// and only then loads the server, while the worker loads the engine on the other core. The
// address is printed once the archive is open, so an archive that cannot be opened is still one
// sentence and no address.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CodedError } from '../shared/errors.ts';
import { defaultArchiveDir } from './archive/location.ts';
import { enableCompileCache, flushCompileCache } from './compileCache.ts';
import { EngineHost, defaultLog, describe } from './engineHost.ts';
import type { SijilServer } from './server.ts';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

const USAGE = `Usage: npm run serve -- [--archive DIR] [--port N]   (or: node electron/serve.ts [--archive DIR] [--port N])
Serves Sijil to a browser on this computer only (127.0.0.1). --port 0 (the default) picks a free port.
Default archive: $SIJIL_ARCHIVE or ${defaultArchiveDir()}`;

export async function main(argv: string[]): Promise<number> {
  let values: { archive?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { archive: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    process.stderr.write(`--port takes a number from 0 to 65535.\n${USAGE}\n`);
    return 2;
  }
  // SIJIL_RENDERER_DIR: a renderer built elsewhere (the tests' small stand-in, a packaged build).
  const rendererDir = process.env.SIJIL_RENDERER_DIR ? path.resolve(process.env.SIJIL_RENDERER_DIR) : DEFAULT_RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write('The browser app is not built: run npm run build:renderer first (npm run serve builds it and starts Sijil).\n');
    return 1;
  }
  const archiveDir = values.archive ? path.resolve(values.archive) : defaultArchiveDir();
  enableCompileCache();
  const opening = EngineHost.start(archiveDir);
  opening.catch(() => undefined); // answered below, once the server's code is loaded
  let server: SijilServer;
  try {
    const { startServer } = await import('./server.ts');
    server = await startServer({ archiveDir, port, rendererDir, engine: await opening });
  } catch (err) {
    // Closing twice is harmless: startServer closes the engine itself when it fails to listen.
    await (await opening.catch(() => null))?.close();
    process.stderr.write(`${err instanceof CodedError ? err.message : `Sijil could not start: ${(err as Error).message}`}\n`);
    return 1;
  }
  process.stdout.write(`Sijil is running at ${server.url}\n`);
  setTimeout(flushCompileCache, 1000).unref();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write('Stopping at once.\n');
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`Stopping Sijil (${signal})…\n`);
      void server.close().then(
        () => resolve(0),
        (err: unknown) => {
          defaultLog('error', 'Sijil did not stop cleanly', { error: describe(err) });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

// Compared through realpath: run through a symlinked checkout, argv[1] is the link.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
