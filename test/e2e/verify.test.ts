// Fixity through the app, in Chromium over browser mode: the Verify screen finds an intact demo
// archive intact; a byte flipped in a blob on disk is reported under the item that holds it (in
// English and in Arabic), as are a deleted blob, a stray file and an edited custody row; a
// verification of a large archive is cancelled at once and records nothing; the schedule set in
// Settings survives a reload and a restart, and a due verification runs in the background at
// launch and leaves a notice; an item's custody report is shown and saved as a .txt file.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyReport, VerifyStatus } from '../../shared/api.ts';
import type { Item, ItemSummary } from '../../shared/domain.ts';
import { tmpDir } from '../support/tmp.ts';
import { demoArchive, emptyArchive, openDemoSession, switchLanguage } from './archives.ts';
import { ROOT } from './support/paths.ts';
import { callApi as call, chromiumAvailable, firstSight, openSession, poll, type Session } from './support/browser.ts';


function blobPath(archiveDir: string, sha256: string): string {
  return path.join(archiveDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Flips one bit in the middle of a stored file, as bit rot or a careless hand would. */
function flipByte(file: string): void {
  const bytes = fs.readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(file, bytes);
}

async function openVerify(page: Page, linkName = 'Verify'): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: linkName }).click();
  await page.waitForURL(/#\/verify$/);
  await page.getByTestId('verify-last').waitFor();
}

async function runVerify(page: Page): Promise<void> {
  // The button is reached and pressed from the keyboard, as someone without a mouse would.
  const start = page.getByTestId('verify-start');
  await poll(() => start.isEnabled()).toBe(true);
  await start.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('verify-report').waitFor({ timeout: 60_000 });
}

describe.skipIf(!chromiumAvailable())('the Verify screen', () => {
  let s: Session;
  let target: Item;

  beforeAll(async () => {
    s = await openDemoSession();
    const articles = await call<ItemSummary[]>(s.page, 'items.list', { kind: 'article', limit: 20 });
    const summary = articles.find((i) => i.title.startsWith('Protest activist abducted')) ?? articles[0]!;
    target = await call<Item>(s.page, 'items.get', { id: summary.id });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('verifies the untouched demo archive as intact, from the keyboard', async () => {
    const { page } = s;
    await openVerify(page);
    await poll(() => page.getByTestId('verify-last').textContent()).toContain('never been verified');
    await runVerify(page);
    const summary = page.getByTestId('verify-summary');
    expect(await summary.textContent()).toContain('The archive is intact.');
    expect(await page.getByTestId('verify-changed').count()).toBe(0);
    expect(await page.getByTestId('verify-missing').count()).toBe(0);
    expect(await page.getByTestId('verify-custody').textContent()).toContain('present, in order, and unaltered');
    expect(await page.getByTestId('verify-database').textContent()).toContain('Integrity check: ok');
    // Focus returns to the button that runs it again.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('verify-start');
    // The run is recorded: the last verification now shows, and survives a reload.
    await poll(() => page.getByTestId('verify-last').textContent()).toMatch(/Last verified .*: intact\./);
    const status = await call<VerifyStatus>(page, 'verify.status', {});
    expect(status.last?.ok).toBe(true);
    await s.shot('verify-intact-en');
  });

  it('reports a byte flipped in a blob on disk under the item that holds it, with a link to it', async () => {
    const { page } = s;
    const file = target.files.find((f) => f.role === 'original') ?? target.files[0]!;
    flipByte(blobPath(s.archiveDir, file.sha256));
    await runVerify(page);
    expect(await page.getByTestId('verify-summary').textContent()).toContain('The archive is not intact');
    const changed = page.getByTestId('verify-changed');
    expect(await changed.getByRole('heading').textContent()).toBe('Changed files: 1');
    const group = changed.locator(`[data-testid="verify-item"][data-item-id="${target.id}"]`);
    const link = group.getByRole('link', { name: target.title });
    expect(await link.getAttribute('href')).toBe(`#/item/${target.id}`);
    expect(await group.getByTestId('verify-file').textContent()).toContain(file.name);
    expect(await group.getByTestId('verify-file').textContent()).toContain(file.sha256.slice(0, 16));
    expect(await page.getByTestId('verify-missing').count()).toBe(0);
    await s.shot('verify-damaged-en');
    await link.click();
    await page.waitForURL(new RegExp(`#/item/${target.id}$`));
    await page.getByRole('heading', { level: 1, name: target.title }).waitFor();
  });

  it('shows the same report in Arabic, right to left', async () => {
    const { page } = s;
    await switchLanguage(page, 'ar', '#/library');
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await openVerify(page, 'التحقق');
    // The search index loses one item's stem row behind the app's back: the report says so in Arabic.
    const db = new Database(path.join(s.archiveDir, 'sijil.db'));
    try {
      db.prepare('DELETE FROM search_stem WHERE rowid = (SELECT seq FROM items WHERE id = ?)').run(target.id);
    } finally {
      db.close();
    }
    await runVerify(page);
    expect(await page.getByTestId('verify-summary').textContent()).toContain('الأرشيف ليس سليمًا');
    // (Names inside an Arabic sentence are isolated, so a Latin table name keeps its order.)
    const database = (await page.getByTestId('verify-database').textContent())?.replace(/[\u2066-\u2069]/g, '');
    expect(database).toContain('فحص السلامة: سليم');
    expect(database).toContain('فهرس البحث: جدوله search_stem يضم');
    expect(database).not.toMatch(/[a-z]{3,} [a-z]{3,}/);
    expect(await page.getByTestId('verify-changed').getByRole('heading').textContent()).toBe('ملفات متغيرة: 1');
    expect(await page.getByTestId('verify-changed').getByRole('link', { name: target.title }).count()).toBe(1);
    await s.shot('verify-damaged-ar');
    // The report sends the index problem to Settings, where a rebuild mends it (no backup needed).
    expect(database).toContain('فهرس البحث وحده لا يطابق الأرشيف');
    await page.getByTestId('verify-database').getByRole('link', { name: 'أعد بناءه من الإعدادات.' }).click();
    await page.waitForURL(/#\/settings$/);
    await page.getByRole('button', { name: 'فحص الأرشيف' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'فهرس البحث لا يطابق الأرشيف' }).count()).toBe(1);
    await page.getByTestId('rebuild-index').click();
    const items = (await call<ItemSummary[]>(page, 'items.list', { limit: 100 })).length;
    const count = await page.evaluate((n) => new Intl.NumberFormat('ar').format(n), items);
    await poll(() => page.getByTestId('index-rebuilt').textContent()).toBe(`أُعيد بناء فهرس البحث؛ المواد المفهرسة: ${count}.`);
    await poll(() => page.getByRole('status').filter({ hasText: 'الأرشيف سليم.' }).count()).toBe(1);
    await s.shot('settings-index-rebuilt-ar');
    expect(await call(page, 'index.check', {})).toEqual({ ok: true, problem: null });
    await switchLanguage(page, 'en', '#/library');
  });

  it('shows an item’s custody report and saves it as a text file', async () => {
    const { page } = s;
    await page.evaluate((id) => (window.location.hash = `#/item/${id}`), target.id);
    await page.getByRole('heading', { level: 1, name: target.title }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    // Keep what the page hands to the download, to compare it with what the dialog shows.
    await page.evaluate(() => {
      const w = window as unknown as { savedBlobs: Blob[] };
      w.savedBlobs = [];
      const original = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (obj: Blob | MediaSource) => {
        if (obj instanceof Blob) w.savedBlobs.push(obj);
        return original(obj);
      };
    });
    await page.getByTestId('custody-report-open').click();
    const dialog = page.getByRole('dialog', { name: 'Custody report' });
    const text = dialog.getByTestId('custody-report-text');
    await text.waitFor();
    const shown = (await text.textContent()) ?? '';
    const expected = await call<CustodyReport>(page, 'items.custodyReport', { id: target.id });
    // The report names the moment it was made; otherwise a second one is the same text.
    const undated = (report: string) => report.replace(/^(Generated:\s+)\S+$/m, '$1<time>').replace(/checked on \S+/g, 'checked on <time>');
    expect(undated(shown)).toBe(undated(expected.text));
    expect(undated(shown)).not.toBe(shown);
    expect(shown).toContain(target.id);
    expect(shown).toContain(target.title);
    await s.shot('custody-report-en');
    const download = page.waitForEvent('download');
    await dialog.getByTestId('custody-report-save').click();
    expect((await download).suggestedFilename()).toBe(expected.fileName);
    expect(expected.fileName).toMatch(/\.txt$/);
    await poll(() => dialog.getByTestId('custody-report-saved').isVisible()).toBe(true);
    const saved = await page.evaluate(async () => {
      const blobs = (window as unknown as { savedBlobs: Blob[] }).savedBlobs;
      const last = blobs[blobs.length - 1];
      return last ? { type: last.type, text: await last.text() } : null;
    });
    expect(saved).toEqual({ type: 'text/plain;charset=utf-8', text: shown });
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);

    // Opened again after a change, it shows the report as it is now from the moment it shows, and
    // never the one from before (which Save would have written).
    await call(page, 'items.tag', { id: target.id, add: ['reopened-report'] });
    const reopened = await firstSight(page, '[data-testid=custody-report-text]');
    await page.getByTestId('custody-report-open').click();
    expect(await reopened()).toContain('reopened-report');
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);

    // In Arabic the dialog speaks Arabic; the report keeps each line in its own direction.
    await switchLanguage(page, 'ar', `#/item/${target.id}`);
    await page.getByRole('heading', { level: 1, name: target.title }).waitFor();
    await page.getByRole('tab', { name: 'السجل' }).click();
    await page.getByRole('button', { name: 'تقرير الحيازة…' }).click();
    const arabic = page.getByRole('dialog', { name: 'تقرير الحيازة' });
    await poll(() => arabic.getByTestId('custody-report-text').textContent()).toContain(target.id);
    expect(await arabic.getByTestId('custody-report-save').textContent()).toBe('حفظ كملف نصي…');
    await s.shot('custody-report-ar');
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'en', '#/library');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('a tampered archive', () => {
  let s: Session;
  afterAll(async () => {
    await s?.close();
  });

  it('reports a deleted file, a stray file and an edited custody event, each where it belongs', async () => {
    const archiveDir = demoArchive();
    // Done while nothing has the archive open, with ordinary tools, as someone with the disk would.
    const db = path.join(archiveDir, 'sijil.db');
    const sqlite = (statement: string) => {
      const run = spawnSync('sqlite3', [db, statement], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr}`);
      return run.stdout.trim();
    };
    const [itemId, title, fileName, sha256] = sqlite(
      "SELECT i.id, i.title, f.name, f.sha256 FROM files f JOIN items i ON i.seq = f.item_seq WHERE i.kind = 'testimony' AND f.role = 'original' LIMIT 1",
    ).split('|') as [string, string, string, string];
    fs.rmSync(blobPath(archiveDir, sha256));
    const stray = path.join(archiveDir, 'blobs', 'stray-notes.txt');
    fs.writeFileSync(stray, 'not from Sijil');
    sqlite("UPDATE custody_events SET details = json_set(details, '$.note', 'rewritten') WHERE seq = 3");

    process.env.SIJIL_TEST_VERIFY_PACE_MS = '30';
    try {
      s = await openSession({ archiveDir });
    } finally {
      delete process.env.SIJIL_TEST_VERIFY_PACE_MS;
    }
    const { page } = s;
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    await openVerify(page);
    await runVerify(page);
    expect(await page.getByTestId('verify-summary').textContent()).toContain('The archive is not intact');
    const missing = page.getByTestId('verify-missing');
    expect(await missing.getByRole('heading').textContent()).toBe('Missing files: 1');
    const group = missing.locator(`[data-testid="verify-item"][data-item-id="${itemId}"]`);
    expect(await group.getByRole('link').textContent()).toBe(title);
    expect(await group.getByTestId('verify-file').textContent()).toContain(fileName);
    expect(await page.getByTestId('verify-changed').count()).toBe(0);
    expect(await page.getByTestId('verify-untracked').textContent()).toContain('blobs/stray-notes.txt');
    const problems = page.getByTestId('verify-custody-problem');
    expect(await problems.count()).toBe(1);
    expect(await problems.first().locator('strong').textContent()).toBe('Event #3 at position 3 was altered after it was written.');
    await s.shot('verify-tampered-en');

    await switchLanguage(page, 'ar', '#/verify');
    await page.getByTestId('verify-report').waitFor();
    expect(await page.getByTestId('verify-missing').getByRole('heading').textContent()).toBe('ملفات مفقودة: 1');
    expect(await problems.first().locator('strong').textContent()).toBe('عُدِّل الحدث #3 في الموضع 3 بعد كتابته.');
    await s.shot('verify-tampered-ar');
    await switchLanguage(page, 'en', '#/library');
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('the verification schedule', () => {
  let archiveDir: string;
  let s: Session;
  beforeAll(() => {
    archiveDir = demoArchive();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is set in Settings, survives a reload, and a due verification runs in the background at launch', async () => {
    s = await openSession({ archiveDir });
    const { page } = s;
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    // Off by default: nothing runs at launch.
    expect((await call<VerifyStatus>(page, 'verify.status', {})).every).toBe('off');
    expect(await page.getByTestId('verify-notice').count()).toBe(0);

    await page.evaluate(() => (window.location.hash = '#/settings'));
    // Browser mode cannot switch folders from the page: it says how, and offers no button that would fail.
    expect(await page.getByTestId('choose-archive-browser').textContent()).toContain('start it again with --archive FOLDER');
    expect(await page.getByTestId('choose-archive').count()).toBe(0);
    const schedule = page.getByTestId('verify-schedule');
    await schedule.getByRole('radio', { name: 'Weekly' }).check();
    await poll(async () => (await call<VerifyStatus>(page, 'verify.status', {})).every).toBe('weekly');
    await schedule.scrollIntoViewIfNeeded();
    await s.shot('verify-schedule-en');

    // Never verified and a schedule set: due. The next launch verifies in the background.
    await page.reload();
    const notice = page.getByTestId('verify-notice');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toContain('Scheduled verification:');
    expect(await notice.textContent()).toContain('the archive is intact');
    // It did not take over the screen: Settings is still where the person was, and usable.
    expect(await page.evaluate(() => window.location.hash)).toBe('#/settings');
    await poll(() => page.getByTestId('verify-schedule').getByRole('radio', { name: 'Weekly' }).isChecked()).toBe(true);
    await s.shot('verify-notice-en');
    await notice.getByTestId('verify-notice-open').click();
    await page.waitForURL(/#\/verify$/);
    expect(await page.getByTestId('verify-summary').textContent()).toContain('The archive is intact.');
    await poll(() => page.getByTestId('verify-notice').count()).toBe(0);
    const status = await call<VerifyStatus>(page, 'verify.status', {});
    expect(status.last?.ok).toBe(true);
    expect(status.due).toBe(false);
  });

  it('is kept in the archive folder: a new server over it has the same schedule', async () => {
    await s.close();
    s = await openSession({ archiveDir });
    const { page } = s;
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await poll(() => page.getByTestId('verify-schedule').getByRole('radio', { name: 'Weekly' }).isChecked()).toBe(true);
    const status = await call<VerifyStatus>(page, 'verify.status', {});
    expect(status).toMatchObject({ every: 'weekly', due: false });
    await switchLanguage(page, 'ar', '#/settings');
    await poll(() => page.getByTestId('verify-schedule').getByRole('radio', { name: 'أسبوعيًا' }).isChecked()).toBe(true);
    await page.getByTestId('verify-schedule').getByRole('radio', { name: 'معطّل' }).check();
    await poll(async () => (await call<VerifyStatus>(page, 'verify.status', {})).every).toBe('off');
    await page.getByTestId('verify-schedule').scrollIntoViewIfNeeded();
    await s.shot('verify-schedule-ar');
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('cancelling a verification', () => {
  let s: Session;
  afterAll(async () => {
    await s?.close();
  });

  it('stops a running verification of a large archive and records nothing', async () => {
    // 300 MB re-hashed with a pause after each MiB (a test hook of the engine): the run lasts at
    // least 9 s whatever the machine, so the cancel surely reaches it while it is going.
    const archiveDir = emptyArchive();
    const folder = tmpDir('e2e-large-');
    const chunk = Buffer.alloc(1 << 20);
    for (let f = 0; f < 6; f++) {
      const fd = fs.openSync(path.join(folder, `recording-${f}.bin`), 'w');
      for (let i = 0; i < 50; i++) {
        chunk.writeUInt32LE(f * 1000 + i, 0);
        fs.writeSync(fd, chunk);
      }
      fs.closeSync(fd);
    }
    const run = spawnSync(process.execPath, [path.join(ROOT, 'electron', 'cli.ts'), '--archive', archiveDir, 'import', '--kind', 'document', folder], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);

    process.env.SIJIL_TEST_VERIFY_PACE_MS = '30';
    try {
      s = await openSession({ archiveDir });
    } finally {
      delete process.env.SIJIL_TEST_VERIFY_PACE_MS;
    }
    const { page } = s;
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    await openVerify(page);
    // Cancel at once, from the keyboard: starting moves focus to Cancel, so Enter presses it. The
    // progress stream is held from opening until after the cancel, as a busy machine may hold it:
    // a cancel while it opens must still stop the run.
    let releaseEvents = () => undefined as void;
    const eventsHeld = new Promise<void>((resolve) => (releaseEvents = resolve));
    await page.route('**/api/events', async (route) => {
      await eventsHeld;
      await route.continue();
    });
    await page.getByTestId('verify-start').click();
    await page.keyboard.press('Enter');
    releaseEvents();
    await page.getByTestId('verify-cancelled').waitFor();
    expect(await page.getByTestId('verify-report').count()).toBe(0);
    // The engine stopped too: no verification is recorded, then or in the seconds a finished
    // re-hash of these files would have taken (about 9 s at this pace).
    for (let i = 0; i < 40; i++) {
      expect((await call<VerifyStatus>(page, 'verify.status', {})).last).toBeNull();
      await new Promise((r) => setTimeout(r, 250));
    }
    // And it can be run again to the end, every byte re-hashed.
    await page.getByTestId('verify-start').click();
    await s.shot('verify-progress-en');
    await page.getByTestId('verify-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verify-summary').textContent()).toContain('The archive is intact.');
    expect(await page.getByTestId('verify-summary').textContent()).toContain('6 files (6 stored files, 300 MB)');
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
