// Bundles between two archives, each behind its own browser-mode server, driven through the UI:
// a researcher's archive exports the demo items with a passphrase; the archivist's archive looks
// inside first (who, when, what, redacted), refuses a wrong passphrase, then imports. Then keys:
// the archivist makes the archive's key, the researcher adds it to the address book, both sides
// change the same item, and the second bundle (to the archivist's key) brings a conflict that is
// compared field by field and resolved.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phrase, say } from '../../shared/phrase.ts';
import { tmpDir } from '../support/tmp.ts';
import { emptyArchive, openDemoSession, switchLanguage } from './archives.ts';
import { callApi as call, chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';


const PASSPHRASE = 'olive tram window seventeen';
const KEY_PASSPHRASE = 'harbour lantern quiet mosaic';

describe.skipIf(!chromiumAvailable())('export a bundle and import it into a second archive', () => {
  let researcher: Session;
  let archivist: Session;
  const out = tmpDir('e2e-bundles-');
  const first = path.join(out, 'case-for-archivist.sijil');
  const second = path.join(out, 'case-update.sijil');

  beforeAll(async () => {
    researcher = await openDemoSession();
    archivist = await openSession({ archiveDir: emptyArchive() });
  });
  afterAll(async () => {
    await researcher?.close();
    await archivist?.close();
  });

  it('exports the whole archive with a passphrase, redacted, and says where the file is', async () => {
    const { page } = researcher;
    await page.locator('main').getByRole('button', { name: 'Export…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Export a bundle' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('export-what').textContent()).toContain('The whole archive');
    // The address book is empty and there is no key: a passphrase is the way offered.
    await poll(() => dialog.getByTestId('export-method-passphrase').isChecked()).toBe(true);
    expect(await dialog.getByTestId('export-redact').isChecked()).toBe(true);
    await poll(() => dialog.getByTestId('export-to').inputValue()).toMatch(/sijil-\d{4}-\d{2}-\d{2}\.sijil$/);
    await dialog.getByTestId('export-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('export-passphrase-again').fill(`${PASSPHRASE}!`);
    await dialog.getByLabel('Made by (optional)').fill('Field team, Nasiriyah');
    await dialog.getByTestId('export-to').fill(first);
    await dialog.getByTestId('export-start').click();
    await poll(() => dialog.getByText('The two passphrases are not the same.').isVisible()).toBe(true);
    await dialog.getByTestId('export-passphrase-again').fill(PASSPHRASE);
    await researcher.shot('export-dialog-en');
    await dialog.getByTestId('export-start').click();
    await poll(() => dialog.getByTestId('export-done').isVisible()).toBe(true);
    expect(await dialog.getByTestId('export-path').textContent()).toBe(first);
    // The demo's field note is marked protected: a redacted bundle leaves it out, and says so.
    expect(await dialog.getByTestId('export-done').textContent()).toContain('Items: 4');
    expect(await dialog.getByTestId('export-done').textContent()).toContain('Protected items left out: 1');
    expect(await dialog.getByTestId('export-done').textContent()).toContain('Redacted');
    await researcher.shot('export-done-en');
    // A real age file, on disk where the dialog said.
    expect(fs.readFileSync(first).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    // The next export offers the same maker again.
    await page.locator('main').getByRole('button', { name: 'Export…' }).first().click();
    await poll(() => dialog.getByLabel('Made by (optional)').inputValue()).toBe('Field team, Nasiriyah');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.count()).toBe(0);
  });

  it('refuses a wrong passphrase, then shows what the bundle holds before importing anything', async () => {
    const { page } = archivist;
    await page.getByRole('button', { name: 'Open a bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a bundle' });
    await dialog.getByTestId('bundle-file-input').setInputFiles(first);
    await poll(() => dialog.getByTestId('bundle-file-name').textContent()).toBe('case-for-archivist.sijil');
    await dialog.getByTestId('bundle-secret').fill('not the passphrase');
    await dialog.getByTestId('bundle-inspect').click();
    await poll(() => dialog.getByText('This passphrase does not open the bundle.').isVisible()).toBe(true);
    expect(await dialog.getByTestId('bundle-secret').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByTestId('bundle-secret').fill(PASSPHRASE);
    await dialog.getByTestId('bundle-inspect').click();
    const summary = dialog.getByTestId('bundle-summary');
    await poll(() => summary.isVisible()).toBe(true);
    expect(await dialog.getByTestId('bundle-organization').textContent()).toBe('Field team, Nasiriyah');
    expect(await dialog.getByTestId('bundle-items').textContent()).toMatch(/^4 /);
    expect(await dialog.getByTestId('bundle-redacted').textContent()).toContain('Yes');
    await archivist.shot('bundle-inspect-en');
    // Inspecting changed nothing.
    expect((await call<{ items: number }>(page, 'archive.info', {})).items).toBe(0);
  });

  it('imports it', async () => {
    const { page } = archivist;
    const dialog = page.getByRole('dialog', { name: 'Import a bundle' });
    await dialog.getByTestId('bundle-import').click();
    await poll(() => dialog.getByTestId('bundle-result').isVisible()).toBe(true);
    expect(await dialog.getByTestId('bundle-added').textContent()).toBe('Added: 4');
    expect(await dialog.getByTestId('bundle-conflicts').textContent()).toBe('Versions to decide: 0');
    await archivist.shot('bundle-imported-en');
    await dialog.getByTestId('bundle-close').click();
    expect((await call<{ items: number }>(page, 'archive.info', {})).items).toBe(4);
    // An imported item's history shows what the researcher's archive recorded before it came.
    const [imported] = await call<{ id: string; title: string }[]>(page, 'items.list', { kind: 'testimony', limit: 1 });
    await page.evaluate((id) => (window.location.hash = `#/item/${id}`), imported!.id);
    await page.getByRole('heading', { level: 1, name: imported!.title }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const received = page.getByTestId('custody-received');
    await poll(() => received.getByRole('heading').textContent()).toBe('Before it came here');
    expect(await received.locator('.custody-row').first().textContent()).toMatch(/^(Created|Imported)/);
    expect(await received.locator('.custody-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('custody-own').locator('.custody-row').first().textContent()).toMatch(/^Imported from a bundle/);
    await archivist.shot('item-history-received-en');
  });

  it('makes the archivist’s key and puts it in the researcher’s address book', async () => {
    const a = archivist.page;
    await a.evaluate(() => (window.location.hash = '#/settings'));
    const keys = a.getByTestId('key-manager');
    await keys.getByTestId('key-passphrase').fill('short');
    await keys.getByTestId('key-passphrase-again').fill('short');
    await keys.getByTestId('key-create-submit').click();
    await poll(() => keys.getByText(/needs at least 12 characters/).isVisible()).toBe(true);
    await keys.getByTestId('key-passphrase').fill(KEY_PASSPHRASE);
    await keys.getByTestId('key-passphrase-again').fill(KEY_PASSPHRASE);
    await keys.getByTestId('key-create-submit').click();
    const own = keys.getByTestId('own-recipient');
    await poll(() => own.textContent()).toMatch(/^age1[0-9a-z]{58}$/);
    const recipient = (await own.textContent())!;
    await archivist.shot('keys-en');

    const r = researcher.page;
    await r.evaluate(() => (window.location.hash = '#/settings'));
    const book = r.getByTestId('key-manager');
    await book.getByTestId('recipient-name').fill('Archivist');
    await book.getByTestId('recipient-key').fill(recipient.slice(0, 40));
    await book.getByTestId('recipient-add').click();
    await poll(() => book.getByText('This does not look like a whole age1 key').isVisible()).toBe(true);
    await book.getByTestId('recipient-key').fill(recipient);
    await book.getByTestId('recipient-add').click();
    await poll(() => book.getByTestId('address-book').textContent()).toContain('Archivist');
  });

  it('brings a change made on both sides as a conflict, compared field by field and resolved', async () => {
    const r = researcher.page;
    const a = archivist.page;
    const items = await call<{ id: string; title: string }[]>(r, 'items.list', { kind: 'article', limit: 10 });
    const target = items.find((i) => i.title.startsWith('Protest activist abducted'))!;
    await call(r, 'items.edit', { id: target.id, set: { place: 'Nasiriyah, Habboubi Square' } });
    await call(a, 'items.edit', { id: target.id, set: { place: 'الناصرية' } });

    await r.evaluate(() => (window.location.hash = '#/library'));
    await r.locator('main').getByRole('button', { name: 'Export…' }).first().click();
    const dialog = r.getByRole('dialog', { name: 'Export a bundle' });
    await dialog.getByTestId('export-method-keys').check();
    await dialog.getByTestId('export-to').fill(second);
    // Nobody chosen: the first box takes the focus and says why.
    await dialog.getByTestId('export-start').click();
    const archivistBox = dialog.getByRole('checkbox', { name: /Archivist/ });
    await poll(() => archivistBox.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await archivistBox.getAttribute('aria-invalid')).toBe('true');
    expect(await r.evaluate((id) => document.getElementById(id!)?.textContent, await archivistBox.getAttribute('aria-describedby'))).toBe(
      "Choose at least one person (or this archive's own key).",
    );
    await archivistBox.check();
    await dialog.getByTestId('export-start').click();
    await poll(() => dialog.getByTestId('export-done').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await a.getByRole('button', { name: 'Open a bundle…' }).click();
    const open = a.getByRole('dialog', { name: 'Import a bundle' });
    await open.getByTestId('bundle-path').fill(second);
    // The archive has a key now: opening with it is what the dialog offers first.
    await poll(() => open.getByTestId('bundle-opener-archiveKey').isChecked()).toBe(true);
    await open.getByTestId('bundle-secret').fill(KEY_PASSPHRASE);
    await open.getByTestId('bundle-inspect').click();
    await poll(() => open.getByTestId('bundle-summary').isVisible()).toBe(true);
    await open.getByTestId('bundle-import').click();
    await poll(() => open.getByTestId('bundle-result').isVisible()).toBe(true);
    expect(await open.getByTestId('bundle-conflicts').textContent()).toBe('Versions to decide: 1');
    const conflict = open.getByTestId('conflict');
    await conflict.getByRole('button', { name: 'Compare' }).click();
    const diff = conflict.getByTestId('conflict-diff');
    await poll(() => diff.isVisible()).toBe(true);
    const row = diff.getByRole('row', { name: /Place/ });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['الناصرية', 'Nasiriyah, Habboubi Square']);
    await archivist.shot('bundle-conflict-en');
    await conflict.getByTestId('conflict-keep-incoming').click();
    await poll(() => conflict.textContent()).toContain('Kept theirs; ours is in the trash.');
    const open2 = await call<{ resolvedAt: string | null; resolution: string | null }[]>(a, 'conflicts.list', { includeResolved: true });
    expect(open2.map((c) => c.resolution)).toEqual(['incoming']);
    await open.getByTestId('bundle-close').click();
  });

  it('shows the bundle dialogs in Arabic', async () => {
    const { page } = archivist;
    await switchLanguage(page, 'ar', '#/library');
    await poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('button', { name: 'فتح حزمة…' }).click();
    const open = page.getByRole('dialog', { name: 'استيراد حزمة' });
    // The engine's refusal of a file that is no bundle is said in Arabic, the path kept in its own direction.
    const notBundle = path.join(out, 'notes.sijil');
    fs.writeFileSync(notBundle, 'plain notes, not an age file\n');
    await open.getByTestId('bundle-path').fill(notBundle);
    await open.getByTestId('bundle-opener-passphrase').check();
    await open.getByTestId('bundle-secret').fill(PASSPHRASE);
    await open.getByTestId('bundle-inspect').click();
    const refusal = open.getByRole('alert');
    await poll(() => refusal.textContent()).toBe(say(phrase('bundle.notAgeFile', { file: notBundle }), 'ar', { isolate: true }));
    expect(await refusal.textContent()).not.toMatch(/not a Sijil bundle/);
    await open.getByTestId('bundle-path').fill(first);
    await open.getByTestId('bundle-opener-passphrase').check();
    await open.getByTestId('bundle-secret').fill(PASSPHRASE);
    await open.getByTestId('bundle-inspect').click();
    await poll(() => open.getByTestId('bundle-summary').isVisible()).toBe(true);
    // This very bundle was imported before: the dialog says so.
    expect(await open.textContent()).toContain('استورد هذا الأرشيف هذه الحزمة');
    await archivist.shot('bundle-inspect-ar');
    await page.keyboard.press('Escape');
    await page.locator('main').getByRole('button', { name: /تصدير/ }).first().click();
    await poll(() => page.getByRole('dialog', { name: 'تصدير حزمة' }).isVisible()).toBe(true);
    await archivist.shot('export-dialog-ar');
    await page.keyboard.press('Escape');
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByTestId('key-manager').scrollIntoViewIfNeeded();
    await archivist.shot('keys-ar');
    await switchLanguage(page, 'en', '#/library');
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    for (const s of [researcher, archivist]) {
      expect(s.external).toEqual([]);
      expect(s.pageErrors).toEqual([]);
    }
  });
});
