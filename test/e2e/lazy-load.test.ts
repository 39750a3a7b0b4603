// Screens and dialogs load their code when first opened. If that code cannot be fetched (the app
// was rebuilt or its server stopped while a window stayed open), the window must say so and keep
// the rest of the app, not go blank.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoSession } from './archives.ts';
import { chromiumAvailable, poll, type Session } from './support/browser.ts';

describe.skipIf(!chromiumAvailable())('a screen whose code cannot be loaded', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openDemoSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says so with a way to reload, and the sidebar and the other screens still work', async () => {
    const { page } = s;
    let refused = 0;
    await page.route('**/assets/Settings-*.js', async (route) => {
      refused++;
      await route.fulfill({ status: 404, body: 'Not found.' });
    });
    await page.getByRole('link', { name: 'Settings' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await poll(() => alert.isVisible()).toBe(true);
    expect(refused).toBeGreaterThan(0);
    expect(await alert.getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
    // The shell is still there, and going to the library shows it again.
    await page.getByRole('link', { name: 'Library' }).click();
    await poll(() => page.getByRole('listbox', { name: 'Library' }).getByRole('option').count()).toBeGreaterThan(0);
    expect(await alert.count()).toBe(0);
    await page.unroute('**/assets/Settings-*.js');
  });
});
