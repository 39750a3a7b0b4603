// One item at a time in a real browser: the testimony's video plays and seeks (the server answers
// Range requests with 206), details are edited with the field's error shown and then saved,
// graphic material stays blurred until clicked, identifying details stay hidden until revealed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFromLibrary } from './archives.ts';
import { callApi, chromiumAvailable, openSession, poll, type Session } from './support/browser.ts';
import { mediaDuration, playAndSeek } from './support/media.ts';

describe.skipIf(!chromiumAvailable())('the item view', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession();
    await s.page.getByRole('button', { name: 'Open the demo archive' }).click();
    await s.page.getByRole('listbox', { name: 'Library' }).getByRole('option').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('plays the testimony video and seeks into it through Range requests', async () => {
    const { page } = s;
    await openFromLibrary(page, /Video appeal by the mother/);
    const video = page.locator('video[data-testid="media-player"]');
    await video.waitFor();
    await s.shot('testimony-en');
    expect(await mediaDuration(video)).toBeGreaterThan(10);
    await playAndSeek(video, 9.5);
    const media = s.responses.filter((r) => new URL(r.url()).pathname.startsWith('/media/'));
    expect(media.some((r) => r.status() === 206 && /^bytes \d+-\d+\/\d+$/.test(r.headers()['content-range'] ?? ''))).toBe(true);
  });

  it('keeps identifying details hidden until Reveal is clicked', async () => {
    const { page } = s;
    const protectedBox = page.getByTestId('protected-fields');
    await protectedBox.waitFor();
    const speakerName = page.getByText('Speaker\'s real name');
    expect(await speakerName.count()).toBe(0);
    await protectedBox.getByRole('button', { name: 'Reveal' }).click();
    await poll(() => protectedBox.getByText('Speaker\'s real name').isVisible()).toBe(true);
    await protectedBox.getByRole('button', { name: 'Hide' }).click();
    await poll(() => protectedBox.getByText('Speaker\'s real name').count()).toBe(0);
  });

  it('edits details: a bad date is refused at the field, a good one is saved and survives a reload', async () => {
    const { page } = s;
    await openFromLibrary(page, /Protest activist abducted/);
    await page.getByRole('button', { name: 'Edit' }).click();
    const place = page.getByLabel('Place');
    const eventDate = page.getByLabel('Date of the event');
    await eventDate.fill('3rd of July');
    await poll(() => page.getByRole('alert').filter({ hasText: 'Write a date like 2019' }).isVisible()).toBe(true);
    expect(await eventDate.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save' }).first().isDisabled()).toBe(true);
    await s.shot('item-edit-error-en');
    await eventDate.fill('2019-02-29');
    await poll(() => page.getByRole('alert').filter({ hasText: 'There is no such date' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).first().isDisabled()).toBe(true);
    await eventDate.fill('2020-07-02');
    await place.fill('Habboubi Square, Nasiriyah');
    // A look at another tab keeps what is being typed.
    await page.getByRole('tab', { name: 'History' }).click();
    await poll(() => place.isVisible()).toBe(false);
    await page.getByRole('tab', { name: 'Details' }).click();
    expect(await place.inputValue()).toBe('Habboubi Square, Nasiriyah');
    expect(await eventDate.inputValue()).toBe('2020-07-02');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await poll(() => page.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    await page.reload();
    await poll(() => page.getByText('Habboubi Square, Nasiriyah').first().isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'History' }).click();
    await poll(() => page.getByRole('tabpanel').getByText('place').first().isVisible()).toBe(true);
    await s.shot('item-history-en');
  });

  it('keeps edits not yet saved when the item is left, and sends only the fields changed', async () => {
    const { page } = s;
    await openFromLibrary(page, /Protest activist abducted/);
    const id = /#\/item\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Place').fill('Haboubi Square');
    // Meanwhile the description changes elsewhere (another window): the form never touched it.
    await callApi(page, 'items.edit', { id, set: { description: 'Changed in another window.' } });
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('listbox', { name: 'Library' }).waitFor();
    await openFromLibrary(page, /Protest activist abducted/);
    await poll(() => page.getByRole('status').filter({ hasText: 'You have changes from earlier that are not saved yet' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Place').inputValue()).toBe('Haboubi Square');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await poll(() => page.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    const saved = await callApi<{ place: string; description: string }>(page, 'items.get', { id });
    expect(saved).toMatchObject({ place: 'Haboubi Square', description: 'Changed in another window.' });
    // Saved, nothing is kept: the item opens on its details again.
    await page.getByRole('button', { name: 'Back' }).click();
    await openFromLibrary(page, /Protest activist abducted/);
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    // Edits kept from before the item went to the trash wait for it to come back: an item in the
    // trash shows no form.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Place').fill('Kept while in the trash');
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await poll(async () => (await callApi<{ deletedAt: string | null }>(page, 'items.get', { id })).deletedAt !== null).toBe(true);
    await page.evaluate((item) => (window.location.hash = `#/item/${item}`), id);
    await poll(() => page.getByRole('button', { name: 'Edit' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Place').count()).toBe(0);
    // Restored (here through the API, so the screen is opened again to see it).
    await callApi(page, 'items.restore', { id });
    await page.getByRole('button', { name: 'Back' }).click();
    await page.evaluate((item) => (window.location.hash = `#/item/${item}`), id);
    await poll(() => page.getByLabel('Place').isVisible()).toBe(true);
    expect(await page.getByLabel('Place').inputValue()).toBe('Kept while in the trash');
    await page.getByRole('button', { name: 'Cancel' }).first().click();
    expect((await callApi<{ place: string }>(page, 'items.get', { id })).place).toBe('Haboubi Square');
  });

  it('shows an article in a sandboxed, script-less frame', async () => {
    const { page } = s;
    const frame = page.locator('iframe.article-frame');
    await page.getByRole('tab', { name: 'Details' }).click();
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain("default-src 'none'");
    await poll(() => page.frameLocator('iframe.article-frame').locator('body').textContent()).toContain('Nasiriyah');
    await s.shot('article-en');
  });

  it('asks before handing the source address to the browser, and hands it over only when told', async () => {
    const { page } = s;
    // The browser's own window.open is stood in for, so that the test itself never goes online.
    await page.evaluate(() => {
      const w = window as unknown as { __opened: unknown[][]; __open: typeof window.open };
      w.__opened = [];
      w.__open = window.open;
      window.open = (...args: unknown[]) => {
        w.__opened.push(args);
        return null;
      };
    });
    const opened = () => page.evaluate(() => (window as unknown as { __opened: unknown[][] }).__opened);
    try {
      const source = (await page.locator('.item-source .mono').textContent()) ?? '';
      expect(source).toMatch(/^https:\/\//);
      await page.getByRole('button', { name: 'Open in browser…' }).click();
      const ask = page.getByRole('dialog', { name: 'Open this address on the internet?' });
      await ask.waitFor();
      expect(await ask.textContent()).toContain(source);
      await s.shot('open-source-en');
      await ask.getByRole('button', { name: 'Cancel' }).click();
      await poll(() => ask.count()).toBe(0);
      expect(await opened()).toEqual([]);
      await page.getByRole('button', { name: 'Open in browser…' }).click();
      await ask.getByRole('button', { name: 'Open the address' }).click();
      await poll(() => ask.count()).toBe(0);
      // Once, to a new window that cannot reach back into the app.
      expect(await opened()).toEqual([[source, '_blank', 'noopener,noreferrer']]);
    } finally {
      await page.evaluate(() => (window.open = (window as unknown as { __open: typeof window.open }).__open));
    }
  });

  it('tags the item and adds it to a collection from the item view, follows a tag to the library, and takes both off again', async () => {
    const { page } = s;
    const id = /#\/item\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(id).not.toBe('');
    const stored = () => callApi<{ tags: string[]; collections: string[] }>(page, 'items.get', { id });
    const before = await stored();
    expect(before.tags).not.toContain('abduction');
    const tagInput = page.getByRole('combobox', { name: 'Add a tag' });
    await tagInput.fill('abduction');
    await tagInput.press('Enter');
    await page.getByRole('button', { name: 'Remove abduction' }).waitFor();
    const collectionInput = page.getByRole('combobox', { name: 'Add to a collection' });
    await collectionInput.fill('Witness follow-up');
    await page.getByRole('button', { name: 'Add to a collection' }).click();
    await page.getByRole('button', { name: 'Remove Witness follow-up' }).waitFor();
    const after = await stored();
    expect(after.tags).toEqual(expect.arrayContaining([...before.tags, 'abduction']));
    expect(after.collections).toEqual(expect.arrayContaining([...before.collections, 'Witness follow-up']));
    await s.shot('item-labels-en');
    // A tag's chip shows everything with that tag.
    await page.locator('.labels .chip-link', { hasText: 'abduction' }).click();
    await page.getByRole('button', { name: 'Remove the filter abduction' }).waitFor();
    await poll(() => page.locator('.screen-sub').textContent()).toBe('1 item');
    await page.getByRole('button', { name: 'Remove the filter abduction' }).click();
    await openFromLibrary(page, /Protest activist abducted/);
    await page.getByRole('button', { name: 'Remove abduction' }).click();
    await page.getByRole('button', { name: 'Remove Witness follow-up' }).click();
    await poll(() => page.getByRole('button', { name: 'Remove abduction' }).count()).toBe(0);
    await poll(() => page.getByRole('button', { name: 'Remove Witness follow-up' }).count()).toBe(0);
    const end = await stored();
    expect([...end.tags].sort()).toEqual([...before.tags].sort());
    expect([...end.collections].sort()).toEqual([...before.collections].sort());
  });

  it('ends a long label in an ellipsis inside its chip, its remove button still there', async () => {
    const { page } = s;
    const long = 'Case: Abduction of Sajjad Nouri Jabbar, Nasiriyah, Dhi Qar province, July 2020 (joint documentation)';
    const collectionInput = page.getByRole('combobox', { name: 'Add to a collection' });
    await collectionInput.fill(long);
    await page.getByRole('button', { name: 'Add to a collection' }).click();
    const remove = page.getByRole('button', { name: `Remove ${long}` });
    await remove.waitFor();
    const chip = page.locator('.labels .chip', { has: remove });
    const side = await page.locator('.item-side').boundingBox();
    const box = await chip.boundingBox();
    const button = await remove.boundingBox();
    // The chip fits the side panel, and the button sits inside the chip, not pushed out of it.
    expect(box!.x).toBeGreaterThanOrEqual(side!.x - 1);
    expect(box!.x + box!.width).toBeLessThanOrEqual(side!.x + side!.width + 1);
    expect(button!.width).toBeGreaterThan(8);
    expect(button!.x).toBeGreaterThanOrEqual(box!.x);
    expect(button!.x + button!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
    // The name is cut with an ellipsis, and whole in its tooltip.
    const name = chip.locator('.chip-text');
    expect(await name.evaluate((el) => [el.scrollWidth > el.clientWidth, getComputedStyle(el).textOverflow])).toEqual([true, 'ellipsis']);
    await s.shot('item-long-label-en');
    await remove.click();
    await poll(() => remove.count()).toBe(0);
  });

  it('links the item to another found by search, shows the link from both sides, and removes it', async () => {
    const { page } = s;
    const id = /#\/item\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    type Stored = { links: { itemId: string; relation: string; direction: string }[] };
    const before = (await callApi<Stored>(page, 'items.get', { id })).links;
    await page.getByRole('tab', { name: 'Links' }).click();
    const rows = page.locator('.link-row');
    await poll(() => rows.count()).toBe(before.length);
    await page.getByRole('button', { name: 'Link…' }).click();
    const picker = page.getByRole('dialog', { name: 'Link to another item' });
    await picker.getByLabel('Relation').selectOption('reports-on');
    await picker.getByLabel('Find the item').fill('appeal mother');
    await picker.getByRole('button', { name: /Video appeal by the mother/ }).waitFor();
    // What was found is said, as the list appears.
    const found = await picker.locator('.pick-row').count();
    expect(await picker.getByRole('status').textContent()).toBe(`${found} ${found === 1 ? 'item' : 'items'} found.`);
    await picker.getByLabel('Find the item').fill('zzqqxx nothing');
    await poll(() => picker.getByRole('status').textContent()).toBe('0 items found.');
    await picker.getByLabel('Find the item').fill('appeal mother');
    await picker.getByRole('button', { name: /Video appeal by the mother/ }).click();
    await poll(() => picker.count()).toBe(0);
    await poll(() => rows.count()).toBe(before.length + 1);
    const added = rows.filter({ hasText: 'Reports on' });
    expect(await added.locator('.link-relation').textContent()).toBe('Reports on');
    expect(await page.getByRole('tab', { name: 'Links' }).locator('.tab-count').textContent()).toBe(String(before.length + 1));
    const stored = (await callApi<Stored>(page, 'items.get', { id })).links;
    expect(stored.filter((l) => l.relation === 'reports-on')).toEqual([expect.objectContaining({ relation: 'reports-on', direction: 'out' })]);
    // Followed, the other item shows where the link comes from.
    await added.locator('.link-title').click();
    await page.getByRole('heading', { level: 1, name: /Video appeal by the mother/ }).waitFor();
    await page.getByRole('tab', { name: 'Links' }).click();
    const incoming = page.locator('.link-row').filter({ hasText: 'Reports on (from the other item)' }).filter({ hasText: 'Protest activist abducted' });
    await poll(() => incoming.count()).toBe(1);
    await s.shot('item-links-en');
    // Taken off from the article's side, the link is gone; the article's other links stay.
    await openFromLibrary(page, /Protest activist abducted/);
    await page.getByRole('tab', { name: 'Links' }).click();
    await rows.filter({ hasText: 'Reports on' }).getByRole('button', { name: /Remove the link/ }).click();
    await poll(() => rows.count()).toBe(before.length);
    expect((await callApi<Stored>(page, 'items.get', { id })).links).toEqual(before);
    await page.getByRole('tab', { name: 'Details' }).click();
  });

  it('blurs graphic material until it is clicked', async () => {
    const { page } = s;
    await openFromLibrary(page, /Video appeal by the mother/);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Sensitivity').selectOption('graphic');
    await page.getByRole('button', { name: 'Save' }).first().click();
    const guard = page.getByTestId('graphic-guard');
    await guard.waitFor();
    const filter = await guard.locator('.graphic-blur').evaluate((el) => getComputedStyle(el).filter);
    expect(filter).toContain('blur');
    // The hidden player cannot be reached: it is inert.
    expect(await guard.locator('.graphic-blur').evaluate((el) => (el as HTMLElement).inert)).toBe(true);
    await s.shot('graphic-hidden-en');
    await guard.getByRole('button', { name: 'Show it' }).click();
    await poll(() => page.getByTestId('graphic-guard').count()).toBe(0);
    expect(await page.locator('video[data-testid="media-player"]').isVisible()).toBe(true);
    // In the library its thumbnail is veiled too.
    await page.getByRole('link', { name: 'Library' }).click();
    const row = page.getByRole('option', { name: /Video appeal by the mother/ });
    await row.waitFor();
    expect(await row.locator('.thumb-graphic').count()).toBe(1);
    await s.shot('library-graphic-en');
  });

  it('keeps thumbnails in memory only, and removes the store in the browser profile earlier versions kept', async () => {
    const { page } = s;
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    // A frame kept on disk by an earlier version, as it kept them.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('sijil-thumbnails', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('thumbs');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('thumbs', 'readwrite');
            tx.objectStore('thumbs').put(new Blob(['a frame of evidence']), 'item/1');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        }),
    );
    expect(await databases()).toContain('sijil-thumbnails');
    await page.reload();
    await page.evaluate(() => (window.location.hash = '#/library'));
    // Thumbnails are drawn (the demo's video and photos), and nothing is stored for them.
    await poll(() => page.locator('.thumb img').count()).toBeGreaterThan(0);
    await poll(databases).toEqual([]);
  });

  it('stayed on 127.0.0.1 and raised no page errors', () => {
    expect(s.external).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
