// Tagging rewrites only an item's words (indexer.ts reindexItemWords); the index it leaves must be
// the one a full rebuild makes, table by table, or search would drift from what the items hold.
import { describe, expect, it } from 'vitest';
import type { Archive } from '../../electron/archive/index.ts';
import { rebuildIndex } from '../../electron/archive/search/basic.ts';
import { tmpArchive } from '../support/tmp.ts';

// The FTS tables keep no copy of their text: what they hold is read through fts5vocab, every
// token of every row with its column and position.
const TABLES = [
  'SELECT term, doc, col, offset FROM temp.fts_tokens ORDER BY doc, col, offset',
  'SELECT term, doc, col, offset FROM temp.stem_tokens ORDER BY doc, col, offset',
  'SELECT term, doc, col, offset FROM temp.title_tokens ORDER BY doc, col, offset',
  'SELECT * FROM search_pieces ORDER BY seq, field, char',
  'SELECT * FROM search_docs ORDER BY seq',
];
// The vocabulary (for widening) only grows between rebuilds, on either path: what a rebuild finds
// must be in it.
const TERMS = 'SELECT term FROM search_terms ORDER BY term';

function dump(archive: Archive): string[] {
  for (const [name, table] of [['fts_tokens', 'search_fts'], ['stem_tokens', 'search_stem'], ['title_tokens', 'search_titles']])
    archive.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${name} USING fts5vocab(main, ${table}, instance)`);
  return TABLES.map((query) => JSON.stringify(archive.db.prepare(query).all()));
}

describe('re-indexing after a change of tags', () => {
  it('leaves every search table as a full rebuild does: tag, untag, trash, restore, bulk tag', () => {
    const archive = tmpArchive();
    const long = Array.from({ length: 4000 }, (_, i) => `word${i % 700} بالناصرية وقالت الكاظمي`).join(' ');
    const [first, second, third] = archive.createMany([
      { kind: 'note', fields: { title: 'Checkpoint الكاظمي', body: long, description: 'Dhi Qar' } },
      { kind: 'note', fields: { title: 'Statement of the family', body: 'The mother asked for news of her son.' } },
      { kind: 'note', fields: { title: 'بيان', body: 'نص قصير' } },
    ]);
    archive.tag(first!.id, ['Dhi Qar', 'kidnapping', 'اختطاف']);
    archive.tag(second!.id, ['testimony']);
    archive.tag(first!.id, [], ['kidnapping']);
    archive.trash(third!.id);
    archive.tag(third!.id, ['withdrawn']);
    archive.restore(third!.id);
    archive.bulk([first!.id, second!.id, third!.id], 'tag', 'Ninawa نينوى');
    const afterTags = dump(archive);
    const termsAfterTags = new Set(archive.db.prepare(TERMS).pluck().all());
    // The tags really are in the index (else the comparison below would prove little).
    const tokens = afterTags[0]!;
    expect(tokens).toContain('"ninawa"');
    expect(tokens).toContain('"withdrawn"');
    expect(tokens).toContain('"testimony"');
    expect(tokens).not.toContain('"kidnapping"');

    archive.db.transaction(() => rebuildIndex(archive.db))();
    const rebuilt = dump(archive);
    for (const [i, query] of TABLES.entries()) expect(afterTags[i], query).toBe(rebuilt[i]);
    const missing = archive.db.prepare(TERMS).pluck().all().filter((term) => !termsAfterTags.has(term));
    expect(missing).toEqual([]);
    archive.close();
  });
});
