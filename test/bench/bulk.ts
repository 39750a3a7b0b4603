// Suite 'bulk': changes to many items in one call, over the library's archive (libraryCorpus.ts,
// 100k items by default). --items of them, spread evenly through the archive as the results of a
// search are, and chosen newest first, are tagged (the library's multi-select), the tag renamed,
// then the items moved to the trash and restored. Each step re-indexes or removes every item it
// changes.
//
// Each rep works on a fresh copy of the archive. The raw reference, measured on the same copy in
// the same run: the same items' rows of the two word indexes (search_fts, search_stem) deleted and
// written again, words computed beforehand, in one transaction that is then rolled back: what
// re-indexing those items costs SQLite alone. Measured twice, with FTS5's stock settings and with
// its tombstone merges held off as the archive's bulk changes hold them (search/indexer.ts).
import fs from 'node:fs';
import path from 'node:path';
import { Archive } from '../../electron/archive/index.ts';
import { itemForms, searchableTexts, withMergesHeld } from '../../electron/archive/search/indexer.ts';
import type { Db } from '../../electron/archive/db/connection.ts';
import { libraryCorpus } from './libraryCorpus.ts';
import { fmt, fmtMs, fmtRatio, median, p95, table } from './stats.ts';
import type { Suite, SuiteContext } from './suite.ts';

export const suite: Suite = {
  description: 'bulk: tag, rename the tag, trash and restore many items at once, against raw FTS5 re-indexing the same rows',
  options: {
    docs: 'items in the archive (default 100000)',
    items: 'items changed in each step (default 20000)',
    reps: 'repetitions, each on a fresh copy of the archive (default 3)',
    seed: 'corpus seed (default 2026)',
    rebuild: 'build the corpus again even when a cached one fits',
  },
  run,
};

const STEPS = ['tag', 'rename', 'trash', 'restore'] as const;
type Step = (typeof STEPS)[number];
const REFERENCES = ['raw FTS5, stock', 'raw FTS5, merges held'] as const;
type Reference = (typeof REFERENCES)[number];

/** Every k-th live item, `count` in all. */
function spreadSample(db: Db, count: number): { seq: number; id: string }[] {
  const all = db.prepare('SELECT seq, id FROM items WHERE deleted_at IS NULL ORDER BY seq').all() as { seq: number; id: string }[];
  if (count > all.length) throw new Error(`--items ${count}: the archive has only ${all.length} items`);
  const step = all.length / count;
  return Array.from({ length: count }, (_, k) => all[Math.floor(k * step)]!);
}

/** The raw reference: the items' word rows rewritten in one transaction, then rolled back. */
function rawReindex(db: Db, rows: readonly { seq: number; words: string[]; stems: string[] }[], held: boolean): number {
  const del = ['search_fts', 'search_stem'].map((t) => db.prepare(`DELETE FROM ${t} WHERE rowid = ?`));
  const ins = ['search_fts', 'search_stem'].map((t) => db.prepare(`INSERT INTO ${t} (rowid, title, meta, body) VALUES (?, ?, ?, ?)`));
  const rewrite = () => {
    for (const r of rows) {
      for (const d of del) d.run(r.seq);
      ins[0]!.run(r.seq, ...r.words);
      ins[1]!.run(r.seq, ...r.stems);
    }
  };
  db.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  try {
    if (held) withMergesHeld(db, rewrite);
    else rewrite();
    return performance.now() - started;
  } finally {
    db.exec('ROLLBACK');
  }
}

async function run(ctx: SuiteContext): Promise<object> {
  const { options } = ctx;
  const docs = options.int('docs', 100_000);
  const count = Math.max(1, options.int('items', 20_000));
  const reps = Math.max(1, options.int('reps', 3));
  const { archiveDir } = libraryCorpus(ctx.outDir, docs, options.int('seed', 2026), options.flag('rebuild'));
  const work = path.join(ctx.outDir, 'bulk-work');
  const ours = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  const raw = new Map<Reference, number[]>(REFERENCES.map((r) => [r, []]));

  for (let rep = 0; rep < reps; rep++) {
    fs.rmSync(work, { recursive: true, force: true });
    fs.cpSync(archiveDir, work, { recursive: true });
    const archive = Archive.open(work);
    try {
      const sample = spreadSample(archive.db, count);
      const texts = searchableTexts(archive.db, sample.map((s) => s.seq));
      const rows = sample.map(({ seq }) => {
        const item = texts.get(seq)!;
        const { title, meta, body } = itemForms(item, undefined, []);
        return { seq, words: [title.words, meta.words, body.words], stems: [title.stems, meta.stems, body.stems] };
      });
      // Alternated, so that neither side always runs on the warmer cache.
      const order = rep % 2 === 0 ? REFERENCES : [...REFERENCES].reverse();
      for (const r of order) raw.get(r)!.push(rawReindex(archive.db, rows, r === 'raw FTS5, merges held'));

      // As the library lists and selects them: newest first.
      const ids = sample.map((s) => s.id).reverse();
      const timed = (step: Step, change: () => unknown) => {
        const started = performance.now();
        change();
        ours.get(step)!.push(performance.now() - started);
      };
      timed('tag', () => archive.bulk(ids, 'tag', 'bench bulk'));
      timed('rename', () => archive.renameLabel('tag', 'bench bulk', 'bench bulk renamed'));
      timed('trash', () => archive.bulk(ids, 'trash', undefined));
      timed('restore', () => archive.bulk(ids, 'restore', undefined));
      if (!archive.check().ok) throw new Error('the archive failed its check after the bulk changes');
    } finally {
      archive.close();
    }
    console.log(`  rep ${rep + 1}/${reps}: ${STEPS.map((s) => `${s} ${fmtMs(ours.get(s)!.at(-1)!)}`).join(', ')}; ${REFERENCES.map((r) => `${r} ${fmtMs(raw.get(r)!.at(-1)!)}`).join(', ')}`);
  }
  fs.rmSync(work, { recursive: true, force: true });

  const held = median(raw.get('raw FTS5, merges held')!);
  const line = (name: string, ms: readonly number[], reference: boolean) => [
    name,
    fmtMs(median(ms)),
    fmtMs(p95(ms)),
    `${fmt((count * 1000) / median(ms))}/s`,
    reference ? '' : fmtRatio(held / median(ms)),
  ];
  console.log(
    `\n${fmt(count)} of ${fmt(docs)} items, ${reps} reps; ratio = raw FTS5 (merges held) median / ours median (higher is better)\n\n` +
      table(
        ['step', 'median', 'p95', 'items', 'ratio'],
        [...STEPS.map((s) => line(`ours: ${s}`, ours.get(s)!, false)), ...REFERENCES.map((r) => line(r, raw.get(r)!, true))],
      ),
  );
  const summary = (ms: readonly number[]) => ({ medianMs: median(ms), p95Ms: p95(ms), runs: ms });
  return {
    docs,
    items: count,
    reps,
    ours: Object.fromEntries(STEPS.map((s) => [s, { ...summary(ours.get(s)!), ratioToRawHeld: held / median(ours.get(s)!) }])),
    raw: Object.fromEntries(REFERENCES.map((r) => [r, summary(raw.get(r)!)])),
  };
}
