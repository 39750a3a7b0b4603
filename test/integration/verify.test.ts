// Fixity on a real archive: blobs damaged on disk, stray files, and custody rows edited, deleted
// and swapped with the sqlite3 command-line tool, each reported exactly (position, item, file).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventHash, withholdItems, type ChainProblem } from '../../electron/archive/custody.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { Archive, DB_FILE } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { LAST_WHOLE_VERIFICATION } from '../../electron/archive/verify.ts';
import { VERIFY_FILE } from '../../electron/archive/verifySettings.ts';
import type { VerifyProgressEvent, VerifyReport } from '../../shared/api.ts';
import type { CustodyAction } from '../../shared/domain.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { say } from '../../shared/phrase.ts';
import { ageKeygen } from '../support/bundles.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface Fixture {
  dir: string;
  archive: Archive;
  items: { id: string; title: string; name: string; sha256: string }[];
}

/** Three imported text files, then an edit and a tag: events 1-5. */
async function fixture(): Promise<Fixture> {
  const dir = path.join(tmpDir(), 'archive');
  const archive = Archive.open(dir);
  let tick = 0;
  archive.now = () => new Date(Date.UTC(2026, 0, 1, 9, 0, tick++)).toISOString();
  const src = tmpDir();
  const bodies = ['First statement, Nasiriyah.\n', 'Second statement, Basra.\n', 'ثالث: شهادة من الناصرية.\n'];
  const names = ['first.txt', 'second.txt', 'third.txt'];
  const paths = names.map((n, i) => writeFile(src, n, bodies[i]!));
  const summary = await importPaths(archive, paths);
  const items = summary.outcomes.map((o, i) => ({ id: o.itemId!, title: o.title!, name: names[i]!, sha256: sha(bodies[i]!) }));
  archive.edit(items[0]!.id, { place: 'Nasiriyah' });
  archive.tag(items[1]!.id, ['Basra']);
  return { dir, archive, items };
}

/** Runs SQL against the closed archive with the sqlite3 CLI, as someone tampering by hand would, then reopens it. */
function tamper(f: Fixture, sqlText: string): void {
  f.archive.close();
  execFileSync('sqlite3', [path.join(f.dir, DB_FILE), sqlText]);
  const clock = f.archive.now;
  f.archive = Archive.open(f.dir);
  f.archive.now = clock;
}

function verifiedEvents(archive: Archive): number {
  return archive.db.prepare("SELECT count(*) FROM custody_events WHERE action = 'verified'").pluck().get() as number;
}

describe('archive.verify', () => {
  it('reports an intact archive as intact, with monotone progress, and records the run as an archive-level event', async () => {
    const f = await fixture();
    const events: VerifyProgressEvent[] = [];
    const report = await invoke(f.archive, 'archive.verify', {}, { progress: (name, p) => name === 'verify.progress' && events.push(p as VerifyProgressEvent) });
    expect(report).toMatchObject({
      ok: true,
      files: 3,
      blobs: 3,
      changed: [],
      missing: [],
      untracked: [],
      custody: { events: 5, problems: [] },
      database: { integrity: 'ok', foreignKeys: 0, searchIndex: 'ok' },
    });
    expect(report.bytes).toBe(f.items.reduce((n, i) => n + fs.statSync(f.archive.blobPath(i.sha256)).size, 0));

    const phases = ['files', 'custody', 'database', 'done'];
    expect([...new Set(events.map((e) => e.phase))]).toEqual(phases);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(phases.indexOf(b.phase)).toBeGreaterThanOrEqual(phases.indexOf(a.phase));
      expect(b.bytes).toBeGreaterThanOrEqual(a.bytes);
      if (a.phase === b.phase) expect(b.done).toBeGreaterThanOrEqual(a.done);
      expect(b.bytes).toBeLessThanOrEqual(b.totalBytes);
    }
    expect(events.filter((e) => e.phase === 'files').at(-1)).toMatchObject({ done: 3, total: 3, bytes: report.bytes, totalBytes: report.bytes });

    // The run is one event of the archive, no item's: histories are unchanged, and it links on.
    const last = f.archive.db.prepare('SELECT * FROM custody_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; action: string; item_id: string | null; details: string };
    expect(last).toMatchObject({ seq: 6, action: 'verified', item_id: null });
    expect(JSON.parse(last.details)).toMatchObject({ ok: true, files: 3, blobs: 3, changed: 0, missing: 0, untracked: 0, custodyEvents: 5, custodyProblems: 0 });
    expect(f.archive.history(f.items[0]!.id).map((e) => e.action)).toEqual(['import', 'edit']);
    expect(f.archive.check().ok).toBe(true);

    const status = await invoke(f.archive, 'verify.status', {});
    expect(status).toEqual({ every: 'off', due: false, last: { at: last.seq && (f.archive.db.prepare('SELECT at FROM custody_events WHERE seq = 6').pluck().get() as string), ok: true, changed: 0, missing: 0, untracked: 0, custodyProblems: 0 } });

    // A second run sees the first run's event as part of an intact chain.
    const again = await f.archive.verify();
    expect(again).toMatchObject({ ok: true, custody: { events: 6, problems: [] } });
    f.archive.close();
  });

  it('reports a blob with one byte flipped as changed, with its item, file and actual hash', async () => {
    const f = await fixture();
    const target = f.items[1]!;
    const file = f.archive.blobPath(target.sha256);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    bytes[3] = bytes[3]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    const report = await f.archive.verify();
    expect(report.ok).toBe(false);
    expect(report.changed).toEqual([{ itemId: target.id, itemTitle: target.title, fileName: target.name, role: 'original', sha256: target.sha256, actual: sha(bytes) }]);
    expect(report.missing).toEqual([]);
    expect(report.untracked).toEqual([]);
    expect(report.custody.problems).toEqual([]);
    expect((await invoke(f.archive, 'verify.status', {})).last).toMatchObject({ ok: false, changed: 1, missing: 0 });
    f.archive.close();
  });

  it('hashes a small blob that grew past the read buffer whole, and reports it changed', async () => {
    const f = await fixture();
    const target = f.items[0]!;
    const file = f.archive.blobPath(target.sha256);
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, Buffer.alloc(3 << 20, 1));
    const report = await f.archive.verify();
    expect(report.changed).toEqual([expect.objectContaining({ itemId: target.id, actual: sha(fs.readFileSync(file)) })]);
    f.archive.close();
  });

  it('reports a deleted blob as missing, and a stray file in the store as untracked', async () => {
    const f = await fixture();
    const gone = f.items[2]!;
    fs.rmSync(f.archive.blobPath(gone.sha256));
    const straySha = sha('nobody refers to me');
    const stray = f.archive.blobPath(straySha);
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'nobody refers to me');
    fs.writeFileSync(path.join(f.dir, 'blobs', 'notes.txt'), 'left here by hand');
    const report = await f.archive.verify();
    expect(report.missing).toEqual([{ itemId: gone.id, itemTitle: gone.title, fileName: gone.name, role: 'original', sha256: gone.sha256 }]);
    expect(report.changed).toEqual([]);
    expect(report.untracked).toEqual(
      [
        { path: `blobs/${straySha.slice(0, 2)}/${straySha.slice(2, 4)}/${straySha}`, bytes: 19 },
        { path: 'blobs/notes.txt', bytes: 17 },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    expect(report.ok).toBe(false);
    f.archive.close();
  });

  it('does not report temporary files a writer is using, but does report old leftovers', async () => {
    const f = await fixture();
    const fresh = path.join(f.dir, 'tmp', 'elsewhere-1-0123456789abcdef.part');
    fs.writeFileSync(fresh, 'being written');
    const old = path.join(f.dir, 'tmp', 'elsewhere-2-fedcba9876543210.part');
    fs.writeFileSync(old, 'abandoned');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    const report = await f.archive.verify();
    expect(report.untracked).toEqual([{ path: 'tmp/elsewhere-2-fedcba9876543210.part', bytes: 9 }]);
    f.archive.close();
  });

  it('reports an event row edited with sqlite3 as edited, at its position', async () => {
    const f = await fixture();
    tamper(f, "UPDATE custody_events SET details = json_set(details, '$.place', 'Basra') WHERE seq = 4;");
    const report = await f.archive.verify();
    expect(report.custody.problems).toEqual([
      {
        position: 4,
        seq: 4,
        problem: 'edited',
        detail: expect.stringMatching(/^Event 4 \(edit of item \w+ at 2026-01-01T09:00:0\d\.000Z\) was changed after it was written/),
        said: expect.objectContaining({ key: 'archive.custody.edited' }),
      },
    ]);
    expect(report.ok).toBe(false);
    expect(report.changed).toEqual([]);
    f.archive.close();
  });

  it('tells a chain problem in Arabic too, and a redacted bundle tells it without the withheld item', async () => {
    const f = await fixture();
    tamper(f, "UPDATE custody_events SET details = json_set(details, '$.place', 'Basra') WHERE seq = 4;");
    const problem = (await f.archive.verify()).custody.problems[0] as ChainProblem;
    const item = /of item (\w+)/.exec(problem.detail)?.[1] as string;
    expect(item).toMatch(/^[0-9a-z]{26}$/);
    const arabic = say(problem.said, 'ar');
    expect(arabic).toMatch(/^عُدِّل الحدث 4 \(تعديل للمادة \w+ في 2026-01-01T09:00:0\d\.000Z\) بعد كتابته/);
    const withheld = withholdItems(problem, new Set([item]));
    expect(JSON.stringify(withheld)).not.toContain(item);
    expect(withheld.detail).toMatch(/^Event 4 \(edit of item \(a withheld item\) at /);
    expect(say(withheld.said, 'ar')).toContain('(مادة محجوبة)');
    // An item not withheld keeps its id.
    expect(withholdItems(problem, new Set(['0'.repeat(26)]))).toEqual(problem);
    f.archive.close();
  });

  it('reports an event row deleted with sqlite3 as removed, between the events around it', async () => {
    const f = await fixture();
    tamper(f, 'DELETE FROM custody_events WHERE seq = 2;');
    const report = await f.archive.verify();
    expect(report.custody).toMatchObject({
      events: 4,
      problems: [{ position: 2, seq: 2, problem: 'removed', detail: 'Event 2 was removed from the log: it should stand between event 1 (position 1) and event 3 (position 2).' }],
    });
    f.archive.close();
  });

  it('reports two swapped events as reordered, each at its position', async () => {
    const f = await fixture();
    tamper(f, 'UPDATE custody_events SET seq = -1 WHERE seq = 2; UPDATE custody_events SET seq = 2 WHERE seq = 3; UPDATE custody_events SET seq = 3 WHERE seq = -1;');
    const report = await f.archive.verify();
    expect(report.custody.problems.map(({ position, seq, problem }) => ({ position, seq, problem }))).toEqual([
      { position: 2, seq: 2, problem: 'reordered' },
      { position: 3, seq: 3, problem: 'reordered' },
    ]);
    expect(report.custody.problems[0]!.detail).toMatch(/written as event 3 .* now stands at position 2/);
    expect(report.custody.problems[1]!.detail).toMatch(/written as event 2 .* now stands at position 3/);
    f.archive.close();
  });

  it('reports two events swapped further apart as reordered, without blaming the events between them', async () => {
    const f = await fixture();
    tamper(f, 'UPDATE custody_events SET seq = -1 WHERE seq = 2; UPDATE custody_events SET seq = 2 WHERE seq = 5; UPDATE custody_events SET seq = 5 WHERE seq = -1;');
    const report = await f.archive.verify();
    expect(report.custody.problems.map(({ position, seq, problem }) => ({ position, seq, problem }))).toEqual([
      { position: 2, seq: 2, problem: 'reordered' },
      { position: 5, seq: 5, problem: 'reordered' },
    ]);
    f.archive.close();
  });

  it('reports the last event deleted, and keeps reporting it after later events are appended', async () => {
    const f = await fixture();
    tamper(f, 'DELETE FROM custody_events WHERE seq = 5;');
    const first = await f.archive.verify();
    expect(first.custody.problems).toMatchObject([{ position: 5, seq: 5, problem: 'removed', detail: expect.stringContaining('removed from the end of the log') }]);
    // The verification event takes number 6, not the deleted 5: the gap stays visible.
    expect(f.archive.db.prepare("SELECT seq FROM custody_events WHERE action = 'verified'").pluck().all()).toEqual([6]);
    f.archive.tag(f.items[0]!.id, ['later']);
    const second = await f.archive.verify();
    expect(second.custody.problems.map(({ position, seq, problem }) => ({ position, seq, problem }))).toEqual([{ position: 5, seq: 5, problem: 'removed' }]);
    f.archive.close();
  });

  it('reports an event rewritten with a recomputed hash: the next event no longer follows it', async () => {
    const f = await fixture();
    const row = f.archive.db.prepare('SELECT * FROM custody_events WHERE seq = 3').get() as { seq: number; at: string; action: CustodyAction; item_id: string; sha256: string | null; prev_hash: string };
    const details = '{"forged":true}';
    const hash = eventHash({ seq: 3, at: row.at, action: row.action, itemId: row.item_id, sha256: row.sha256, prevHash: row.prev_hash }, details);
    tamper(f, `UPDATE custody_events SET details = '${details}', hash = '${hash}' WHERE seq = 3;`);
    const report = await f.archive.verify();
    expect(report.custody.problems).toMatchObject([{ position: 3, seq: 3, problem: 'edited', detail: expect.stringContaining('was rewritten') }]);
    f.archive.close();
  });

  it('reports an event inserted by hand between two others', async () => {
    const f = await fixture();
    // Renumber 3..5 to 4..6 (highest first), then put a well-formed forgery at 3 that follows event 2.
    const two = f.archive.db.prepare('SELECT hash FROM custody_events WHERE seq = 2').pluck().get() as string;
    const at = '2026-01-01T09:00:02.500Z';
    const forged = eventHash({ seq: 3, at, action: 'edit', itemId: f.items[0]!.id, sha256: null, prevHash: two }, '{}');
    tamper(
      f,
      `UPDATE custody_events SET seq = seq + 100 WHERE seq >= 3; UPDATE custody_events SET seq = seq - 99 WHERE seq >= 100;
       INSERT INTO custody_events (seq, at, action, item_id, sha256, details, prev_hash, hash) VALUES (3, '${at}', 'edit', '${f.items[0]!.id}', NULL, '{}', '${two}', '${forged}');`,
    );
    const report = await f.archive.verify();
    const problems = report.custody.problems.map(({ position, seq, problem }) => ({ position, seq, problem }));
    expect(problems).toContainEqual({ position: 3, seq: 3, problem: 'inserted' });
    // The events pushed along are intact but numbered one on: reported as moved, not as edited.
    expect(problems.filter((p) => p.problem === 'edited')).toEqual([]);
    expect(problems.filter((p) => p.problem === 'reordered').map((p) => p.position)).toEqual([4, 5, 6]);
    f.archive.close();
  });

  it('a damaged chain still takes the verification event correctly, and a second run finds the same problems', async () => {
    const f = await fixture();
    tamper(f, "UPDATE custody_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 5;");
    const first = await f.archive.verify();
    const second = await f.archive.verify();
    expect(second.custody.problems).toEqual(first.custody.problems);
    expect(first.custody.problems.map((p) => [p.position, p.problem])).toEqual([[5, 'edited']]);
    const rows = f.archive.db.prepare('SELECT seq, prev_hash, hash FROM custody_events WHERE seq >= 5 ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    f.archive.close();
  });

  it('catches the log rewritten from the start since the last verification (verify.json keeps the last event seen)', async () => {
    const f = await fixture();
    await f.archive.verify();
    // Rewrite every event with consistent hashes: the chain alone now looks whole.
    const rows = f.archive.db.prepare('SELECT * FROM custody_events ORDER BY seq').all() as { seq: number; at: string; action: CustodyAction; item_id: string | null; sha256: string | null; details: string }[];
    let prev = '0'.repeat(64);
    const updates: string[] = [];
    for (const r of rows) {
      const details = r.seq === 1 ? '{"rewritten":true}' : r.details;
      const hash = eventHash({ seq: r.seq, at: r.at, action: r.action, itemId: r.item_id, sha256: r.sha256, prevHash: prev }, details);
      updates.push(`UPDATE custody_events SET details = '${details.replace(/'/g, "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq};`);
      prev = hash;
    }
    tamper(f, updates.join('\n'));
    const report = await f.archive.verify();
    expect(report.custody.problems).toMatchObject([{ position: 6, seq: 6, problem: 'edited', detail: expect.stringContaining('the log up to it was rewritten') }]);
    f.archive.close();
  });

  it('verifies only the given items, still checking the chain and the store whole; such a run does not count for the schedule', async () => {
    const f = await fixture();
    await f.archive.verify();
    fs.chmodSync(f.archive.blobPath(f.items[0]!.sha256), 0o644);
    fs.appendFileSync(f.archive.blobPath(f.items[0]!.sha256), 'x');
    const one = await invoke(f.archive, 'archive.verify', { items: [f.items[1]!.id.slice(0, 8)] });
    expect(one).toMatchObject({ ok: true, files: 1, blobs: 1, changed: [], custody: { events: 6, problems: [] } });
    const other = await f.archive.verify({ items: [f.items[0]!.id] });
    expect(other.changed.map((c) => c.itemId)).toEqual([f.items[0]!.id]);
    expect(f.archive.verifyStatus().last).toMatchObject({ ok: true, changed: 0 });
    await expect(invoke(f.archive, 'archive.verify', { items: ['zzzzzzzz'] })).rejects.toMatchObject({ code: 'not-found' });
    await expect(invoke(f.archive, 'archive.verify', { items: [] })).rejects.toMatchObject({ code: 'invalid-argument' });
    f.archive.close();
  });

  it('cancels between and within files, recording nothing', async () => {
    const f = await fixture();
    const big = writeFile(tmpDir(), 'big.bin', Buffer.alloc(48 << 20, 7));
    const staged = await f.archive.store.stageFile(big);
    f.archive.create({ kind: 'document', fields: { title: 'Large scan' }, files: [{ staged, role: 'original', name: 'big.bin', mime: 'application/octet-stream' }] });
    const before = verifiedEvents(f.archive);
    const controller = new AbortController();
    const seen: VerifyProgressEvent[] = [];
    let abortedAt = -1;
    const run = f.archive.verify({
      signal: controller.signal,
      onProgress: (e) => {
        seen.push(e);
        // Past the small files, inside the 48 MiB one.
        if (abortedAt < 0 && e.phase === 'files' && e.bytes > 1 << 20) {
          abortedAt = seen.length;
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toSatisfy((e: unknown) => e instanceof ArchiveError && e.code === 'cancelled');
    // It stopped at the next chunk, not at the end of the file.
    expect(seen.length).toBe(abortedAt);
    expect(seen.at(-1)!.bytes).toBeLessThan(seen.at(-1)!.totalBytes);
    expect(verifiedEvents(f.archive)).toBe(before);
    // Aborted before it starts: refused at once.
    await expect(f.archive.verify({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
    f.archive.close();
  });
});

describe('verify.schedule and verify.status', () => {
  it('keeps the schedule in verify.json in the archive folder, and says when a verification is due', async () => {
    const f = await fixture();
    let now = Date.UTC(2026, 0, 1, 12);
    f.archive.now = () => new Date((now += 1000)).toISOString();
    expect(await invoke(f.archive, 'verify.status', {})).toEqual({ every: 'off', last: null, due: false });
    expect(await invoke(f.archive, 'verify.schedule', { every: 'weekly' })).toMatchObject({ every: 'weekly', last: null, due: true });
    await f.archive.verify();
    expect(f.archive.verifyStatus()).toMatchObject({ every: 'weekly', due: false, last: { ok: true } });
    now += 6 * 24 * 3600_000;
    expect(f.archive.verifyStatus().due).toBe(false);
    now += 2 * 24 * 3600_000;
    expect(f.archive.verifyStatus().due).toBe(true);
    expect((await invoke(f.archive, 'verify.schedule', { every: 'monthly' })).due).toBe(false);
    // Moves with the archive: a copy of the folder keeps it.
    const settings = JSON.parse(fs.readFileSync(path.join(f.dir, VERIFY_FILE), 'utf8')) as { every: string };
    expect(settings.every).toBe('monthly');
    expect(fs.readdirSync(f.dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    // A temporary file a killed writer left an hour ago goes with the next write.
    const stale = path.join(f.dir, `.${VERIFY_FILE}.999999-abcdef.tmp`);
    fs.writeFileSync(stale, '{');
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, old, old);
    await expect(invoke(f.archive, 'verify.schedule', { every: 'hourly' })).rejects.toMatchObject({ code: 'invalid-argument' });
    // A damaged settings file: status says what to do; a new schedule replaces it.
    fs.writeFileSync(path.join(f.dir, VERIFY_FILE), '{ not json');
    await expect(invoke(f.archive, 'verify.status', {})).rejects.toMatchObject({ code: 'archive-unreadable', message: expect.stringContaining('delete it') });
    expect((await invoke(f.archive, 'verify.schedule', { every: 'daily' })).every).toBe('daily');
    expect(fs.existsSync(stale)).toBe(false);
    f.archive.close();
  });

  it('finds the last whole verification in the custody log alone: none before any, and not a run over some items or a cancelled one', async () => {
    const f = await fixture();
    const last = () => f.archive.verifyStatus().last;
    const cancelled = async () => {
      const controller = new AbortController();
      const run = f.archive.verify({ signal: controller.signal, onProgress: (e) => e.phase === 'files' && controller.abort() });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    };
    expect(last()).toBeNull();
    await f.archive.verify({ items: [f.items[0]!.id] });
    await cancelled();
    expect(last()).toBeNull();
    // A damaged file, then repaired: the later run is the one that counts.
    const blob = f.archive.blobPath(f.items[0]!.sha256);
    fs.chmodSync(blob, 0o644);
    fs.appendFileSync(blob, 'x');
    await f.archive.verify();
    expect(last()).toMatchObject({ ok: false, changed: 1 });
    fs.writeFileSync(blob, 'First statement, Nasiriyah.\n');
    await f.archive.verify();
    const at = f.archive.db.prepare("SELECT at FROM custody_events WHERE action = 'verified' ORDER BY seq DESC LIMIT 1").pluck().get();
    const expected = { at, ok: true, changed: 0, missing: 0, untracked: 0, custodyProblems: 0 };
    expect(last()).toEqual(expected);
    await f.archive.verify({ items: [f.items[1]!.id] });
    await cancelled();
    f.archive.edit(f.items[2]!.id, { place: 'Basra' });
    expect(last()).toEqual(expected);
    // Without verify.json (deleted to reset the schedule, or not copied with the archive).
    fs.rmSync(path.join(f.dir, VERIFY_FILE));
    expect(f.archive.verifyStatus()).toEqual({ every: 'off', last: expected, due: false });
    // Read through the index of events by item, over archive-level events only.
    const plan = f.archive.db.prepare(`EXPLAIN QUERY PLAN ${LAST_WHOLE_VERIFICATION}`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual([expect.stringMatching(/^SEARCH custody_events USING INDEX custody_item \(item_id=\?\)$/)]);
    f.archive.close();
  });
});

describe('the verification event elsewhere', () => {
  it('the demo archive verifies intact, and its custody reports and bundles are unaffected by verification events', async () => {
    const dir = path.join(tmpDir(), 'archive');
    const archive = Archive.open(dir);
    await invoke(archive, 'archive.loadSample', {});
    const report: VerifyReport = await archive.verify();
    expect(report).toMatchObject({ ok: true, changed: [], missing: [], untracked: [] });
    expect(report.files).toBeGreaterThan(3);
    expect(await invoke(archive, 'archive.loadSample', {})).toEqual({ loaded: false });
    const [first] = archive.list({ limit: 1 });
    expect(archive.history(first!.id).some((e) => e.action === 'verified')).toBe(false);
    const out = path.join(tmpDir(), 'demo.sijil');
    const key = ageKeygen(tmpDir());
    await invoke(archive, 'bundle.export', { to: out, credentials: { recipients: [key.recipient] }, media: false });
    const target = Archive.open(path.join(tmpDir(), 'target'));
    const imported = await invoke(target, 'bundle.import', { path: out, credentials: { identity: key.identity } });
    expect(imported.added).toBe(archive.count().items);
    expect((await target.verify()).ok).toBe(true);
    target.close();
    archive.close();
  });
});
