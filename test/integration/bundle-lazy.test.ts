// A bundle import loads jsdom (the sanitiser of reading copies, some 80 MB of memory: most of what
// the 2 GiB import's peak memory once was above its floor) only when an item in the bundle has a
// reading copy. Run in a fresh Node process, which records every module it resolves: in this one,
// the test framework or another test may have loaded jsdom already.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { invoke } from '../../electron/archive/handlers.ts';
import { ageKeygen, fillSourceArchive, type SourceArchive } from '../support/bundles.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Imports the bundle into a new archive and prints the items added and whether jsdom was loaded.
const CHILD = `
import { registerHooks } from 'node:module';
let jsdom = false;
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (/\\/node_modules\\/jsdom\\//.test(resolved.url)) jsdom = true;
    return resolved;
  },
});
const [archiveDir, bundle, identity] = process.argv.slice(1);
const { Archive } = await import(${JSON.stringify(path.join(ROOT, 'electron/archive/index.ts'))});
const { invoke } = await import(${JSON.stringify(path.join(ROOT, 'electron/archive/handlers.ts'))});
const archive = Archive.open(archiveDir);
const result = await invoke(archive, 'bundle.import', { path: bundle, credentials: { identity } });
archive.close();
console.log(JSON.stringify({ added: result.added, jsdom }));
`;

let dir: string;
let key: ReturnType<typeof ageKeygen>;
let source: SourceArchive;

beforeAll(async () => {
  dir = tmpDir('sijil-bundle-lazy-');
  key = ageKeygen(dir);
  source = await fillSourceArchive(tmpArchive());
});

async function exportIds(name: string, ids: string[]): Promise<string> {
  const file = path.join(dir, name);
  await invoke(source.archive, 'bundle.export', { to: file, selection: { ids }, credentials: { recipients: [key.recipient] } });
  return file;
}

function importInChild(bundle: string, archiveName: string): { added: number; jsdom: boolean } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, path.join(dir, archiveName), bundle, key.identity], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as { added: number; jsdom: boolean };
}

it('imports a bundle of media and notes without loading jsdom', async () => {
  const bundle = await exportIds('media.sijil', [source.video, source.image, source.note, source.testimony]);
  expect(importInChild(bundle, 'media-archive')).toEqual({ added: 4, jsdom: false });
}, 60_000);

it('loads jsdom to sanitise a reading copy when the bundle has one', async () => {
  const bundle = await exportIds('article.sijil', [source.article]);
  expect(importInChild(bundle, 'article-archive')).toEqual({ added: 1, jsdom: true });
}, 60_000);
