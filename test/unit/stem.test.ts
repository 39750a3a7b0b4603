// Light stemming (shared/stem.ts): the light10 rules for Arabic, Porter for English, on tokens as
// the index holds them (normalised). Words from the Qur'an as quran-json writes them (full
// tashkeel, Uthmani spelling) and from news, typed as people type them.
import { describe, expect, it } from 'vitest';
import { normalizeText, tokenize } from '../../shared/normalize.ts';
import { stemArabic, stemEnglish, stemPrefix, stemToken } from '../../shared/stem.ts';
import { arabicVerses, englishSentences } from '../support/corpora.ts';

/** The stem of a word as typed: normalised, one token, stemmed. */
function stemOf(word: string): string {
  const tokens = tokenize(normalizeText(word));
  expect(tokens).toHaveLength(1);
  return stemToken(tokens[0] as string);
}

describe('light10 on Arabic', () => {
  const table: [string, string][] = [
    // News: one place in its attached forms meets one stem.
    ['بالناصرية', 'ناصر'],
    ['الناصرية', 'ناصر'],
    ['ناصرية', 'ناصر'],
    ['الناصري', 'ناصر'],
    ['للناصرية', 'ناصر'],
    ['والناصرية', 'ناصر'],
    ['المظاهرات', 'مظاهر'],
    ['مظاهرة', 'مظاهر'],
    ['والمظاهرات', 'مظاهر'],
    ['المتظاهرين', 'متظاهر'],
    ['متظاهرون', 'متظاهر'],
    ['بالمتظاهرين', 'متظاهر'],
    ['الحكومة', 'حكوم'],
    ['حكومات', 'حكوم'],
    ['كالحكومة', 'حكوم'],
    ['فالحكومة', 'حكوم'],
    ['الشهداء', 'شهداء'],
    ['وقالت', 'قالت'],
    ['المفوضية', 'مفوض'],
    // Quranic words with full tashkeel, as quran-json has them.
    ['ٱلرَّحۡمَٰنِ', 'رحمن'],
    ['ٱلرَّحِيمِ', 'رحيم'],
    ['لِّلۡمُتَّقِينَ', 'متق'],
    ['بِٱلۡغَيۡبِ', 'غيب'],
    ['وَيُقِيمُونَ', 'يقيم'],
    ['يُنفِقُونَ', 'ينفق'],
    ['يُؤۡمِنُونَ', 'يؤمن'],
    ['ٱلۡفِتۡنَةِ', 'فتن'],
    ['وَٱلرَّٰسِخُونَ', 'رسخ'],
    ['ٱلۡحَمۡدُ', 'حمد'],
  ];
  it.each(table)('%s → %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });

  it('keeps the published length guards', () => {
    // و goes only when 3 letters remain; an article only when 2 remain; a suffix only when 2 remain.
    expect(stemArabic('ولد')).toBe('ولد');
    expect(stemArabic('وزير')).toBe('زير');
    expect(stemArabic('الم')).toBe('الم');
    expect(stemArabic('الحق')).toBe('حق');
    expect(stemArabic('بالم')).toBe('بالم');
    expect(stemArabic('فيه')).toBe('في');
    expect(stemArabic('به')).toBe('به');
    expect(stemArabic('ان')).toBe('ان');
    // One article, once; suffixes each at most once, in the published order (ات before ه, ي).
    expect(stemArabic('الالبب')).toBe('البب');
    expect(stemArabic('سياراتها')).toBe('سيار');
  });

  it('turns prefixes typed in a query into prefixes of stems, never touching their ending', () => {
    expect(stemPrefix('الناصر')).toBe('ناصر');
    expect(stemPrefix('بالناصري')).toBe('ناصري');
    expect(stemPrefix('وال')).toBe('وال');
    expect(stemPrefix('nasir')).toBe('nasir');
  });
});

describe('Porter on English', () => {
  const table: [string, string][] = [
    ['protests', 'protest'],
    ['protesting', 'protest'],
    ['protested', 'protest'],
    ['protesters', 'protest'],
    ['killings', 'kill'],
    ['killed', 'kill'],
    ['governments', 'govern'],
    ['demonstrations', 'demonstr'],
    ['detained', 'detain'],
    ['detentions', 'detent'],
    ['witnesses', 'wit'],
    ['investigation', 'investig'],
    ['Nasiriyah', 'nasiriyah'],
  ];
  it.each(table)('%s → %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });

  it('leaves short words, numbers, mixed and other scripts as they are', () => {
    expect(stemEnglish('is')).toBe('is');
    expect(stemToken('2019')).toBe('2019');
    expect(stemToken('covid19')).toBe('covid19');
    expect(stemToken('москва')).toBe('москва');
    expect(stemToken('ab12ب')).toBe('ab12ب');
  });
});

describe('every stem of real text', () => {
  it('is one non-empty token, a fixed point of normalisation, for every word of the Qur’an and of the Brown corpus', () => {
    const words = new Set<string>();
    for (const verse of arabicVerses()) for (const t of tokenize(normalizeText(verse.text))) words.add(t);
    for (const sentence of englishSentences().slice(0, 20_000)) for (const t of tokenize(normalizeText(sentence))) words.add(t);
    expect(words.size).toBeGreaterThan(20_000);
    const bad: string[] = [];
    for (const word of words) {
      const stem = stemToken(word);
      if (stem.length === 0 || tokenize(normalizeText(stem)).join(' ') !== stem) bad.push(`${word} → ${stem}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('where a stem sits in its word', () => {
  it('is inside the word, but for the last two letters at most (snippets look for a stem’s core before stemming)', () => {
    const words = new Set<string>();
    for (const verse of arabicVerses()) for (const t of tokenize(normalizeText(verse.text))) words.add(t);
    for (const sentence of englishSentences()) for (const t of tokenize(normalizeText(sentence))) words.add(t);
    const bad: string[] = [];
    for (const word of words) {
      const stem = stemToken(word);
      const core = stem.length > 3 ? stem.slice(0, stem.length - 2) : stem.slice(0, 1);
      if (!word.includes(core)) bad.push(`${word} → ${stem}`);
    }
    expect(bad).toEqual([]);
  });
});
