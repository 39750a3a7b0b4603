// Files dropped on the desktop app are imported from where they are on disk. One dragged from
// another program has no path there: the drop is refused, naming it, in the interface's language.
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, desktopPaths } from '../../renderer/api.ts';
import { errorMessage, loadPhrases } from '../../renderer/errors.ts';

const file = (name: string) => new File(['x'], name, { type: 'text/plain' });

describe('dropped files in the desktop app', () => {
  beforeAll(loadPhrases);

  it('gives every file as its path on disk, in the order dropped', () => {
    const where = new Map([
      ['a.txt', '/home/layla/field/a.txt'],
      ['شهادة.txt', '/home/layla/field/شهادة.txt'],
    ]);
    expect(desktopPaths([file('شهادة.txt'), file('a.txt')], (f) => where.get(f.name) ?? '')).toEqual(['/home/layla/field/شهادة.txt', '/home/layla/field/a.txt']);
  });

  it('refuses the whole drop when one file is not on disk, naming it, in English and Arabic', async () => {
    const dropped = [file('a.txt'), file('photo-from-browser.jpg')];
    let refusal: unknown;
    try {
      desktopPaths(dropped, (f) => (f.name === 'a.txt' ? '/home/layla/a.txt' : ''));
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).code).toBe('invalid-argument');
    expect(errorMessage(refusal)).toBe(
      'Nothing was imported: \u2068photo-from-browser.jpg\u2069 was dragged from another program (such as a web browser) and is not a file on this computer. Save it to a folder first, then import it from there.',
    );
    await i18next.init({ lng: 'ar', resources: {} });
    try {
      expect(errorMessage(refusal)).toBe('لم يُستورد شيء: سُحب \u2068photo-from-browser.jpg\u2069 من برنامج آخر (كمتصفح الويب) وليس ملفًا على هذا الحاسوب. احفظه في مجلد أولًا، ثم استورده من هناك.');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});
