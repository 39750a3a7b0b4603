import { describe, expect, it } from 'vitest';
import { guessLanguage, primaryLanguage } from '../../electron/archive/ingest/language.ts';
import { extractText } from '../../electron/archive/ingest/text.ts';
import { utf16 } from '../fixtures/ingest/make.ts';
import { brownDocument, quranChapters, type QuranChapter } from '../support/corpora.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

type Chapter = QuranChapter;
const quran = (file: string): readonly Chapter[] => quranChapters(file);
const brown = brownDocument;

describe('extractText: Markdown', () => {
  it('takes the title from the first heading, without Markdown marks, and keeps the whole text', () => {
    const md = 'Some preamble line\n\n## Visit to **Nasiriyah** [map](https://example.org/map)\n\n- met the family\n\n# Later heading\n';
    const note = extractText(utf8(md), 'markdown', 'visit.md');
    expect(note).toMatchObject({ kind: 'note', title: 'Visit to Nasiriyah map', body: md, language: 'en' });
    expect(note.extra).toEqual({ format: 'markdown', encoding: 'utf-8' });
  });

  it('prefers a front-matter title, and reads setext headings', () => {
    expect(extractText(utf8('---\ntitle: "Field notes, July"\ndate: 2020-07-09\n---\n# Other\n'), 'markdown', 'a.md').title).toBe(
      'Field notes, July',
    );
    expect(extractText(utf8('Interview with the lawyer\n=========================\n\nText.\n'), 'markdown', 'a.md').title).toBe(
      'Interview with the lawyer',
    );
  });

  it('ignores headings inside code fences', () => {
    const md = '```sh\n# not a title\n```\nFirst real line\n';
    expect(extractText(utf8(md), 'markdown', 'a.md').title).toBe('First real line');
    expect(extractText(utf8('```\n# not a title\n```\n\n# Real title\n'), 'markdown', 'a.md').title).toBe('Real title');
  });

  it('an Arabic note', () => {
    const md = '# زيارة عائلة سجاد\n\nقابلنا والدته في الناصرية يوم الخميس.\n';
    expect(extractText(utf8(md), 'markdown', 'زيارة.md')).toMatchObject({ title: 'زيارة عائلة سجاد', language: 'ar' });
  });
});

describe('extractText: plain text', () => {
  it('takes the first non-empty line as title, trimmed', () => {
    const text = '\n\n   Meeting with the lawyer, 9 July   \nHe said the petition was filed.\n';
    expect(extractText(utf8(text), 'text', 'meeting.txt')).toMatchObject({
      kind: 'note',
      title: 'Meeting with the lawyer, 9 July',
      body: text,
    });
  });

  it('clips a long first line to 200 characters', () => {
    const line = 'word '.repeat(100);
    const title = extractText(utf8(line), 'text', 'long.txt').title!;
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title.startsWith('word word')).toBe(true);
  });

  it('falls back to the file name without extension when there is no text', () => {
    expect(extractText(utf8(' \n\t\n'), 'text', '/notes/2020-07-09 call.txt')).toMatchObject({
      title: '2020-07-09 call',
      body: null,
      language: null,
    });
    expect(extractText(new Uint8Array(0), 'markdown', 'empty.md').title).toBe('empty');
  });

  it('decodes UTF-16 with a BOM (both orders) and UTF-8 with a BOM', () => {
    const text = 'ملاحظة: الاتصال بالمحامي\r\nغداً صباحاً\r\n';
    for (const bytes of [utf16(`\ufeff${text}`, 'le'), utf16(`\ufeff${text}`, 'be'), utf8(`\ufeff${text}`)]) {
      const note = extractText(bytes, 'text', 'n.txt');
      expect(note.title).toBe('ملاحظة: الاتصال بالمحامي');
      // Line ends normalised, BOM gone.
      expect(note.body).toBe('ملاحظة: الاتصال بالمحامي\nغداً صباحاً\n');
      expect(note.language).toBe('ar');
    }
    expect(extractText(utf16(`\ufeff${text}`, 'be'), 'text', 'n.txt').extra).toMatchObject({ encoding: 'utf-16be' });
  });

  it('NFC-normalises title and body', () => {
    // "آ" written as alef + combining madda, "é" as e + combining acute.
    const decomposed = 'ا\u0653خر خبر\nCafe\u0301\n';
    const note = extractText(utf8(decomposed), 'text', 'n.txt');
    expect(note.title).toBe('آخر خبر');
    expect(note.body).toBe('آخر خبر\nCafé\n');
  });
});

describe('guessLanguage', () => {
  it('Arabic with full diacritics (a Quran chapter) is ar', () => {
    const chapter = quran('quran.json')[17]!; // Al-Kahf
    const text = chapter.verses.map((v) => v.text).join(' ');
    expect(text).toMatch(/[\u064b-\u0652]/); // it really carries tashkeel
    expect(guessLanguage(text)).toBe('ar');
  });

  it('English prose (Brown corpus, Quran translation) is en', () => {
    expect(guessLanguage(brown('ca01'))).toBe('en');
    const translation = quran('quran_en.json')[17]!.verses.map((v) => v.translation).join(' ');
    expect(guessLanguage(translation)).toBe('en');
  });

  it('mixed text follows the majority of letters, not of characters', () => {
    expect(guessLanguage('Protest in Nasiriyah — تظاهرة في الناصرية اليوم ضد الاختطاف')).toBe('ar');
    expect(guessLanguage('The banner read الحرية and the crowd chanted for an hour in the square')).toBe('en');
    // Digits and punctuation are not letters.
    expect(guessLanguage('2020-07-09 12:30 — 11 / 0 !!! ok')).toBe('en');
  });

  it('another script, or no letters at all, is null', () => {
    const chinese = quran('quran_zh.json')[0]!.verses.map((v) => v.translation).join('');
    expect(guessLanguage(chinese)).toBeNull();
    expect(guessLanguage('12345 — 678')).toBeNull();
    expect(guessLanguage('')).toBeNull();
    expect(guessLanguage(null)).toBeNull();
  });
});

describe('primaryLanguage', () => {
  it.each([
    ['ar-IQ', 'ar'],
    ['EN_us', 'en'],
    [' ckb ', 'ckb'],
    ['x-klingon', null],
    ['', null],
    [null, null],
  ])('%s -> %s', (tag, code) => {
    expect(primaryLanguage(tag)).toBe(code);
  });
});
