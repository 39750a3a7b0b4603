// Whatever Sijil exports, Sijil imports. An archive of 100,000 notes is an ordinary archivist's
// archive (archive.json accepts up to 1,000,000 items). Its bag holds an item.json and a
// custody.txt per item (no folder entries): about 200,000 tar entries, within the bag reader's
// DEFAULT_MAX_ENTRIES (500,000); a selection past that limit is refused by the export, up front,
// with a message that says so. Both outcomes are accepted below; calling Sijil's own bundle
// untrustworthy is not. Slow (minutes: filling the archive dominates), so it runs only with
// SIJIL_TEST_LARGE=1.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ENTRIES } from '../../electron/archive/bundle/bagReader.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { snapshotArchive } from '../support/archiveSnapshot.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const large = process.env.SIJIL_TEST_LARGE === '1';

describe.runIf(large)('bundles as large as an archive gets', () => {
  it('a whole archive of 100,000 notes exports, and that bundle imports', async () => {
    const notes = 100_000;
    expect(2 * notes).toBeLessThan(DEFAULT_MAX_ENTRIES);
    const source = tmpArchive();
    // Batches in one transaction each: the archive's own write path, without a commit per note.
    const batch = source.db.transaction((from: number) => {
      for (let i = from; i < Math.min(notes, from + 5_000); i++) source.create({ kind: 'note', fields: { title: `Call log ${i}`, body: `Called the family, day ${i}.` } });
    });
    for (let i = 0; i < notes; i += 5_000) batch(i);
    const bundle = path.join(tmpDir(), 'everything.sijil');
    const exported = await invoke(source, 'bundle.export', { to: bundle, credentials: { passphrase: 'a long passphrase' } }).then(
      (result) => result,
      (error: unknown) => error as ArchiveError,
    );
    if (exported instanceof ArchiveError) {
      // One acceptable fix: the export refuses, before writing anything, saying why and what to do.
      expect(exported.message).toMatch(/too many|more than/i);
      expect(fs.existsSync(bundle)).toBe(false);
      return;
    }
    expect(exported.items).toBe(notes);

    // The other: the import takes it. What it must not do is call Sijil's own bundle untrustworthy.
    const target = tmpArchive();
    const before = snapshotArchive(target);
    const outcome = await invoke(target, 'bundle.import', { path: bundle, credentials: { passphrase: 'a long passphrase' } }).then(
      (result) => ({ added: result.added, error: null }),
      (error: unknown) => ({ added: 0, error: error as Error }),
    );
    expect(outcome.error?.message ?? null).toBeNull();
    expect(outcome.added).toBe(notes);
    expect(snapshotArchive(target).tmp).toEqual(before.tmp);
  }, 1_800_000);
});
