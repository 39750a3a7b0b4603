// The archive the library benchmarks run over (suites 'ui' and 'bulk'): --docs items of real
// sentences (searchCorpus.ts) in both scripts, with tags and collections, built once per size and
// seed and kept in test-output/bench/ui-corpus/<size>-seed<seed>.
import fs from 'node:fs';
import path from 'node:path';
import { Archive } from '../../electron/archive/index.ts';
import { corpusSource, itemInput, type BenchDoc } from './searchCorpus.ts';
import { fmt, progress } from './stats.ts';

const CORPUS_VERSION = 1;
const BATCH = 1000;

/** The archive of `docs` items, built once per size and seed. Also returns words to search for. */
export function libraryCorpus(outDir: string, docs: number, seed: number, rebuild: boolean): { archiveDir: string; words: string[] } {
  const dir = path.join(outDir, 'ui-corpus', `${docs}-seed${seed}`);
  const archiveDir = path.join(dir, 'archive');
  const stamp = path.join(dir, 'build.json');
  if (!rebuild && fs.existsSync(stamp)) {
    const built = JSON.parse(fs.readFileSync(stamp, 'utf8')) as { version: number; docs: number; words: string[] };
    if (built.version === CORPUS_VERSION && built.docs === docs) {
      console.log(`  using the corpus built earlier in ${path.relative(process.cwd(), dir)} (--rebuild to build it again)`);
      return { archiveDir, words: built.words };
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`  building ${fmt(docs)} items in ${path.relative(process.cwd(), dir)} ...`);
  const archive = Archive.open(archiveDir);
  const source = corpusSource(seed);
  const words = new Set<string>();
  for (let done = 0; done < docs; ) {
    const batch: BenchDoc[] = [];
    for (let k = 0; k < BATCH && done + k < docs; k++) batch.push(source.next());
    archive.createMany(batch.map(itemInput));
    // Words people type: from titles, names and places, in both scripts.
    for (const d of batch.slice(0, 3)) for (const w of `${d.title} ${d.place}`.split(/[\s,.;:()"'«»؛،]+/)) if (w.length >= 4 && words.size < 400) words.add(w);
    done += batch.length;
    progress(`  ${fmt(done)} / ${fmt(docs)}`);
  }
  progress('');
  archive.db.pragma('wal_checkpoint(TRUNCATE)');
  archive.close();
  const list = [...words];
  fs.writeFileSync(stamp, JSON.stringify({ version: CORPUS_VERSION, docs, words: list }));
  return { archiveDir, words: list };
}
