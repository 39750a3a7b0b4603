// The renderer's formatters keep one Intl formatter per language and options (building one per
// call was most of a search results render): what they return must still follow the language the
// reader switched to and the options each kind of date asks for.
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from '../../renderer/format.ts';
import { languageName } from '../../renderer/search/languageName.ts';

describe('formatters kept per language and options', () => {
  beforeAll(async () => {
    await i18next.init({ lng: 'en', resources: {} });
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('gives each kind of date its own options, in any order', () => {
    for (let round = 0; round < 2; round++) {
      expect(formatDate('2019-10-25')).toBe('Oct 25, 2019');
      expect(formatDate('2019-10')).toBe('October 2019');
      expect(formatDate('2019')).toBe('2019');
      expect(formatNumber(100000)).toBe('100,000');
    }
  });

  it('follows a change of language', async () => {
    const english = [formatDate('2019-10-25'), formatDate('2019-10'), formatNumber(1234567), formatDateTime('2020-01-02T03:04:05Z')];
    await i18next.changeLanguage('ar');
    const arabic = [formatDate('2019-10-25'), formatDate('2019-10'), formatNumber(1234567), formatDateTime('2020-01-02T03:04:05Z')];
    expect(arabic[1]).toContain('أكتوبر');
    // Dates change script; numbers may keep Latin digits (the ICU data decides), never Latin letters.
    for (const i of [0, 1, 3]) expect(arabic[i], `item ${i}`).not.toBe(english[i]);
    for (const text of arabic) expect(text).not.toMatch(/[A-Za-z]/);
    await i18next.changeLanguage('en');
    expect([formatDate('2019-10-25'), formatDate('2019-10'), formatNumber(1234567), formatDateTime('2020-01-02T03:04:05Z')]).toEqual(english);
  });

  it('names languages in the reader’s language, and leaves a malformed code as it is', () => {
    expect(languageName('ar', 'en')).toBe('Arabic');
    expect(languageName('ar', 'ar')).toBe('العربية');
    expect(languageName('en', 'en')).toBe('English');
    expect(languageName('not a code!', 'en')).toBe('not a code!');
    expect(languageName('ar', 'not a locale!')).toBe('ar');
  });
});
