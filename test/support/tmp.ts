// Real archives in real temporary folders, removed after each test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';

const made: string[] = [];
const opened: Archive[] = [];

afterAll(() => {
  for (const a of opened) if (a.db.open) a.close();
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tmpDir(prefix = 'sijil-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function tmpArchive(): Archive {
  const archive = Archive.open(path.join(tmpDir(), 'archive'));
  opened.push(archive);
  return archive;
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** The folder of a new, empty archive, closed again: for tests that drive the CLI or a server on it. */
export function tmpArchiveDir(): string {
  const dir = path.join(tmpDir(), 'archive');
  Archive.open(dir).close();
  return dir;
}
