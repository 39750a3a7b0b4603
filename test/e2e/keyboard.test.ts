// The app by keyboard and screen reader, in a real browser: dialogs start in their field and give
// focus back to what opened them, an Undo reached by Tab stays until it is used, shortcuts work
// with an Arabic keyboard layout, and rows and titles say what a screen reader needs.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { tmpDir } from '../support/tmp.ts';
import { callApi, chromiumAvailable, poll, type Session } from './support/browser.ts';
import { openLibrary } from './archives.ts';

const ARABIC_TITLE = 'شهادة عن اختطاف ناشط في الناصرية';

function seed(dir: string): void {
  const archive = Archive.open(dir);
  archive.createMany([
    { kind: 'note', fields: { title: 'Field note from Habboubi Square', body: 'Crowds at dusk.' } },
    { kind: 'article', fields: { title: ARABIC_TITLE, language: 'ar', publishedAt: '2020-07-03' } },
    { kind: 'note', fields: { title: 'Photos of the injured', body: 'Described only.', sensitivity: 'graphic' } },
    { kind: 'note', fields: { title: 'Checkpoint log', body: 'Three cars stopped.' } },
  ]);
  archive.close();
}

/** A description of the element that has focus: its tag and its accessible name or text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.trim() ?? '';
    return `${el.tagName.toLowerCase()} ${name || (el as HTMLInputElement).name || el.id}`.trim();
  });
}

function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

describe.skipIf(!chromiumAvailable())('keyboard and screen reader', () => {
  let s: Session;
  beforeAll(async () => {
    const dir = path.join(tmpDir('e2e-keyboard-'), 'archive');
    seed(dir);
    s = await openLibrary(dir);
  });
  afterAll(async () => {
    await s?.close();
  });

  const list = () => s.page.getByRole('listbox', { name: 'Library' });
  const count = () => s.page.locator('.screen-sub').textContent();

  it('starts a dialog in its field, so what is typed goes there, and gives focus back to its opener on close', async () => {
    const { page } = s;
    await list().getByRole('option', { name: /Checkpoint log/ }).click();
    const addTag = page.getByRole('button', { name: 'Add tag' });
    await addTag.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Typed at once, as a person does: it must land in the field, and Enter must add the tag.
    await poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await page.keyboard.type('checked at dusk');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('status').getByText('Tagged 1 item “checked at dusk”').isVisible()).toBe(true);
    await poll(() => dialog.count()).toBe(0);
    // The selection bar's buttons gave way to the progress while the tag was added: focus is on
    // the list, where the selection is, not lost.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');

    // New note: its title field first; Escape keeps the draft and gives focus back to the button.
    const newNote = page.getByRole('button', { name: 'New note…' });
    await newNote.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '')).toMatch(/^Title/);
    await page.keyboard.type('Notes on the vigil');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await focused(page)).toBe('button New note…');

    // Export: the whole dialog leaves the page when it closes, focus still comes back.
    await page.keyboard.press('Escape'); // the selection is cleared, and the toolbar's Export… shows
    const exportButton = page.getByRole('button', { name: 'Export…' }).last();
    await exportButton.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await exportButton.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('keeps an Undo that focus is on past its time, and gives focus back to the list after it', async () => {
    const { page } = s;
    await list().getByRole('option', { name: /Field note from Habboubi Square/ }).click();
    await list().focus();
    await page.keyboard.press('Delete');
    await poll(count).toBe('3 items');
    const undo = page.getByRole('status').getByRole('button', { name: 'Undo' });
    await undo.focus();
    // A toast leaves after 8 seconds on its own; one with focus in it stays.
    await page.waitForTimeout(9_000);
    expect(await undo.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await poll(count).toBe('4 items');
    await poll(() => page.getByRole('status').getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');
  });

  it('opens the quick switcher and selects all with an Arabic keyboard layout (Ctrl+ن, Ctrl+ش)', async () => {
    const { page } = s;
    // With an Arabic layout the key marked K types ن: the browser says key "ن", code "KeyK".
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ن', code: 'KeyK', ctrlKey: true, bubbles: true, cancelable: true })));
    const switcher = page.getByRole('dialog');
    await switcher.waitFor();
    await page.keyboard.press('Escape');
    await poll(() => switcher.count()).toBe(0);
    await list().focus();
    await list().evaluate((el) => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ش', code: 'KeyA', ctrlKey: true, bubbles: true, cancelable: true })));
    await poll(() => page.locator('.selection-count').textContent()).toBe('4 selected');
    await page.keyboard.press('Escape');
  });

  it('names a row by its title, sensitivity, kind and date, and marks titles with their language', async () => {
    const { page } = s;
    expect(await list().getByRole('option', { name: /^Photos of the injured/ }).getAttribute('aria-label')).toBe('Photos of the injured, Graphic, Note');
    expect(await list().getByRole('option', { name: ARABIC_TITLE }).getAttribute('aria-label')).toMatch(new RegExp(`^${ARABIC_TITLE}, Article, .*2020$`));
    // The interface is English: the Arabic title is marked Arabic, the English ones are not marked otherwise.
    expect(await list().getByText(ARABIC_TITLE).getAttribute('lang')).toBe('ar');
    expect(await list().getByText('Checkpoint log').getAttribute('lang')).toBe('en');
    await list().getByRole('option', { name: ARABIC_TITLE }).dblclick();
    const heading = page.getByRole('heading', { level: 1, name: ARABIC_TITLE });
    await heading.waitFor();
    expect(await heading.getAttribute('lang')).toBe('ar');
  });

  it('keeps focus in the item view as its buttons come and go: Edit, Save, Cancel, tags and links', async () => {
    const { page } = s;
    const items = await callApi<{ id: string; title: string }[]>(page, 'items.list', {});
    const note = items.find((i) => i.title === 'Checkpoint log')!;
    const other = items.find((i) => i.title === 'Field note from Habboubi Square')!;
    await callApi(page, 'items.link', { from: note.id, to: other.id, relation: 'related' });
    await page.evaluate((id) => (window.location.hash = `#/item/${id}`), note.id);
    await page.getByRole('heading', { level: 1, name: 'Checkpoint log' }).waitFor();

    // A tag added with Enter leaves the field ready for the next.
    const tagField = page.getByRole('combobox', { name: 'Add a tag' });
    await tagField.focus();
    await page.keyboard.type('dusk');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove dusk' }).waitFor();
    expect(await hasFocus(tagField)).toBe(true);
    await page.keyboard.type('convoy');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove convoy' }).waitFor();

    // A removed chip hands focus to the one that took its place, else the one before it, and the
    // last to the field. (The first test tagged this note "checked at dusk".)
    const chips = () => page.locator('.label-row').first().locator('.chip-text').allTextContents();
    expect(await chips()).toEqual(['checked at dusk', 'convoy', 'dusk']);
    await page.getByRole('button', { name: 'Remove checked at dusk' }).focus();
    await page.keyboard.press('Enter');
    await poll(chips).toEqual(['convoy', 'dusk']);
    await poll(() => focused(page)).toBe('button Remove convoy');
    await page.getByRole('button', { name: 'Remove dusk' }).focus();
    await page.keyboard.press('Enter');
    await poll(chips).toEqual(['convoy']);
    await poll(() => focused(page)).toBe('button Remove convoy');
    await page.keyboard.press('Enter');
    await poll(chips).toEqual([]);
    await poll(() => hasFocus(tagField)).toBe(true);

    // The tabs go by arrows, Home and End. The last link removed: focus goes to the button that adds one.
    await page.getByRole('tab', { name: 'Details' }).focus();
    await page.keyboard.press('End');
    await poll(() => focused(page)).toBe('button History');
    await page.keyboard.press('Home');
    await poll(() => focused(page)).toBe('button Details');
    await page.keyboard.press('ArrowRight');
    await poll(() => page.getByRole('tab', { name: /^Links/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Remove the link to Field note from Habboubi Square' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toBe('button Link…');

    // Edit opens the form at its first field; Cancel and Save give focus back to Edit.
    await page.getByRole('tab', { name: 'Details' }).click();
    const edit = page.getByRole('button', { name: 'Edit', exact: true });
    await edit.focus();
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toBe('input title');
    await page.getByRole('form', { name: 'Edit details' }).getByRole('button', { name: 'Cancel' }).first().focus();
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toBe('button Edit');
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toBe('input title');
    await page.keyboard.press('End');
    await page.keyboard.type(' (north gate)');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Checkpoint log (north gate)' }).waitFor();
    await poll(() => focused(page)).toBe('button Edit');
  });
});
