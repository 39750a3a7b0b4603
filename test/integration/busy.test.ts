// An archive another program keeps writing to is `busy` at every door (CLI exit 75, HTTP 503, the
// app's sentence in its language), not "archive-unreadable" or "something went wrong inside Sijil":
// nothing is wrong with the archive, and trying again later works. The locks are real SQLite locks.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { toWireError } from '../../electron/engineHost.ts';
import { startServer } from '../../electron/server.ts';
import { ApiError } from '../../renderer/api.ts';
import { errorMessage, loadPhrases } from '../../renderer/errors.ts';
import { busyErrorValue, toErrorValue } from '../../shared/errors.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A second connection to the archive's database that holds the write lock until closed. */
function holdWriteLock(archiveDir: string): Database.Database {
  const db = new Database(path.join(archiveDir, 'sijil.db'));
  open.push(db);
  db.exec('BEGIN IMMEDIATE');
  return db;
}

function newArchive(): string {
  const dir = path.join(tmpDir('sijil-busy-'), 'archive');
  Archive.open(dir).close();
  return dir;
}

describe('a busy archive', () => {
  it('is `busy`, not an internal error, when SQLite gives up waiting for the lock', () => {
    const dir = newArchive();
    holdWriteLock(dir);
    const impatient = new Database(path.join(dir, 'sijil.db'));
    open.push(impatient);
    impatient.pragma('busy_timeout = 0');
    let thrown: unknown;
    try {
      impatient.exec('BEGIN IMMEDIATE');
    } catch (err) {
      thrown = err;
    }
    expect((thrown as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    expect(toWireError(thrown)).toEqual({ code: 'busy', message: expect.stringMatching(/^The archive is busy: .*try again/), phrase: { key: 'errors.busy' } });
    expect(toErrorValue(thrown)).toEqual(toWireError(thrown));
    // The one piece both doors use: busy for a lock wait, nothing for anything else.
    expect(busyErrorValue(thrown)).toEqual(toErrorValue(thrown));
    expect(busyErrorValue(new Error('database disk image is malformed'))).toBeUndefined();
    expect(toWireError(new Error('database disk image is malformed')).code).toBe('internal');
  });

  it('stops the command line with exit 75 and browser mode with 503, changing nothing; both work once it is free', { timeout: 120_000 }, async () => {
    const dir = newArchive();
    const rendererDir = tmpDir('sijil-busy-ui-');
    writeFile(rendererDir, 'index.html', '<!doctype html><title>Sijil</title>');
    const server = await startServer({ archiveDir: dir, rendererDir, port: 0, log: () => undefined });
    try {
      const post = (title: string) =>
        fetch(`http://127.0.0.1:${server.port}/api/items.addNote`, {
          method: 'POST',
          headers: { Cookie: `sijil-${server.port}=${server.token}`, 'X-Sijil': '1', 'Content-Type': 'application/json' },
          body: JSON.stringify({ args: { title, body: 'Checkpoint closed at dawn.' } }),
        });
      const cli = () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, '--archive', dir, 'add', 'note', '--title', 'from the CLI', '--text', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('exit', (code) => resolve({ code, out, err }));
        });

      const holder = holdWriteLock(dir);
      // Both wait SQLite's busy timeout (10 s) at once, then give up.
      const [reply, run] = await Promise.all([post('from the app'), cli()]);
      expect(reply.status).toBe(503);
      expect(await reply.json()).toEqual({ ok: false, error: { code: 'busy', message: expect.stringMatching(/^The archive is busy: /), phrase: { key: 'errors.busy' } } });
      expect(run.code).toBe(75);
      expect(run.out).toBe('');
      expect(run.err).toMatch(/^sijil: The archive is busy: .*What was done before is kept; try again once it has finished\.\n$/);

      holder.exec('ROLLBACK');
      expect(((await (await post('from the app')).json()) as { ok: boolean }).ok).toBe(true);
      const again = await cli();
      expect(again.code).toBe(0);
    } finally {
      await server.close();
    }
    const archive = Archive.open(dir);
    try {
      // Only the two calls made once the lock was free wrote anything.
      expect(archive.list().map((i) => i.title).sort()).toEqual(['from the CLI', 'from the app']);
    } finally {
      archive.close();
    }
  });

  it('is said in the interface language in the app, as is every error that comes with its phrase', async () => {
    await i18next.init({ resources: {}, lng: 'en' });
    await loadPhrases();
    const { code, message, phrase } = busyErrorValue(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))!;
    const busy = new ApiError(code, message, phrase);
    expect(errorMessage(busy)).toMatch(/^The archive is busy: another program/);
    await i18next.changeLanguage('ar');
    expect(errorMessage(busy)).toMatch(/^الأرشيف مشغول/);
    // Without a phrase (an error made with its words already chosen), as it came.
    expect(errorMessage(new ApiError('not-found', 'There is no item 01ABC.'))).toBe('There is no item 01ABC.');
  });
});
