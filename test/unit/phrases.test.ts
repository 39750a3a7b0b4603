// What the engine says (shared/phrase.ts, shared/phrases/) exists in English and in Arabic: the same
// keys, no empty sentence, the same {{holes}} (a plural form may leave out the count it is chosen
// by: "حرف واحد"), each area's keys under its own prefix so that no two files claim one; and a
// phrase is said with its values, its plural form and its numbers in the language asked for.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveError, codedErrorValue, toErrorValue } from '../../shared/errors.ts';
import { isPhrase, phrase, say } from '../../shared/phrase.ts';
import type { Entry } from '../../shared/phrases/types.ts';
import { parseOrThrow } from '../../shared/validation.ts';
import { z } from 'zod';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'phrases');
const AREA_FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts');
// The prefix each area's keys carry (import.ts: 'import.', common.ts: 'errors.' and 'validation.').
const PREFIXES: Record<string, readonly string[]> = { 'common.ts': ['errors.', 'validation.'] };

const holes = (text: string) => new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));
const forms = (entry: Entry): string[] => (typeof entry === 'string' ? [entry] : Object.values(entry).filter((v): v is string => typeof v === 'string'));

describe('the phrase catalogues', async () => {
  const areas = await Promise.all(
    AREA_FILES.map(async (file) => ({ file, ...((await import(path.join(DIR, file))) as { en: Record<string, Entry>; ar: Record<string, Entry> }) })),
  );

  it('has a file for each part of the engine', () => {
    expect(AREA_FILES.length).toBeGreaterThanOrEqual(7);
  });

  for (const { file, en, ar } of areas) {
    describe(file, () => {
      it('has the same keys in English and Arabic', () => {
        expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
      });

      it('keeps its keys under its own prefix', () => {
        const prefixes = PREFIXES[file] ?? [`${file.slice(0, -3)}.`];
        expect(Object.keys(en).filter((k) => !prefixes.some((p) => k.startsWith(p)))).toEqual([]);
      });

      it('has no empty sentence and no stray braces', () => {
        for (const [key, entry] of [...Object.entries(en), ...Object.entries(ar)])
          for (const text of forms(entry)) {
            expect(text.trim(), key).not.toBe('');
            expect(text.replace(/\{\{\w+\}\}/g, ''), key).not.toMatch(/\{\{|\}\}/);
          }
      });

      it('fills the same holes in both languages', () => {
        for (const [key, entry] of Object.entries(en)) {
          const wanted = new Set(forms(entry).flatMap((t) => [...holes(t)]));
          const translation = ar[key];
          if (translation === undefined) continue; // the key test above says so
          const plural = typeof entry !== 'string';
          expect(typeof translation === 'string', `${key}: plural in one language only`).toBe(!plural);
          const got = new Set(forms(translation).flatMap((t) => [...holes(t)]));
          if (plural) {
            got.add('count');
            wanted.add('count');
          }
          expect([...got].sort(), key).toEqual([...wanted].sort());
          // Each form fills every hole but the count.
          for (const text of forms(translation)) for (const h of wanted) if (h !== 'count') expect(holes(text).has(h), `${key}: ${text}`).toBe(true);
          if (plural) expect((translation as { other?: string }).other, key).toBeTruthy();
        }
      });
    });
  }
});

describe('say', () => {
  it('fills holes, formats numbers per language and says nested phrases in the same language', () => {
    const p = phrase('validation.field', { field: 'title', rule: phrase('validation.atMostCharacters', { count: 2000 }) });
    expect(say(p)).toBe('title: at most 2,000 characters.');
    expect(say(p, 'ar')).toBe(`title: ${new Intl.NumberFormat('ar').format(2000)} حرف على الأكثر.`);
  });

  it('chooses the plural form the language needs', () => {
    const of = (count: number, lang: 'en' | 'ar') => say(phrase('validation.atLeastCharacters', { count }), lang);
    expect(of(1, 'en')).toBe('at least 1 character');
    expect(of(12, 'en')).toBe('at least 12 characters');
    expect(of(1, 'ar')).toBe('حرف واحد على الأقل');
    expect(of(2, 'ar')).toBe('حرفان على الأقل');
    expect(of(5, 'ar')).toBe(`${new Intl.NumberFormat('ar').format(5)} أحرف على الأقل`);
    expect(of(12, 'ar')).toBe(`${new Intl.NumberFormat('ar').format(12)} حرفًا على الأقل`);
  });

  it('isolates text values for screens only', () => {
    const p = phrase('validation.field', { field: 'title', rule: phrase('validation.empty') });
    expect(say(p, 'en', { isolate: true })).toBe('\u2068title\u2069: cannot be empty.');
    expect(say(p, 'en')).toBe('title: cannot be empty.');
  });

  it('falls back to the key for a phrase this build does not know, and leaves an unfilled hole visible', () => {
    expect(say({ key: 'no.such.key' } as never)).toBe('no.such.key');
    expect(say({ key: 'validation.oneOf' })).toBe('must be one of: {{values}}');
  });

  it('recognises a phrase as it arrives from another process', () => {
    expect(isPhrase(JSON.parse(JSON.stringify(phrase('validation.empty'))))).toBe(true);
    for (const v of [null, 'x', 3, {}, { key: 3 }, { key: 'a', values: null }]) expect(isPhrase(v)).toBe(false);
  });
});

describe('errors carry their phrase', () => {
  it('an ArchiveError made from a phrase has its English as the message and the phrase beside it', () => {
    const err = new ArchiveError('invalid-argument', phrase('validation.sentence', { rule: phrase('validation.required') }));
    expect(err.message).toBe('is required.');
    expect(codedErrorValue(err)).toEqual({ code: 'invalid-argument', message: 'is required.', phrase: err.phrase });
    expect(toErrorValue(err).phrase?.key).toBe('validation.sentence');
  });

  it('an error with a plain message stays plain', () => {
    expect(codedErrorValue(new ArchiveError('not-found', 'gone'))).toEqual({ code: 'not-found', message: 'gone' });
  });

  it('a broken argument is said with the field and the rule, in either language', () => {
    let thrown: unknown;
    try {
      parseOrThrow(z.object({ title: z.string().max(3) }).strict(), { title: 'abcd' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ArchiveError);
    const err = thrown as ArchiveError;
    expect(err.message).toBe('title: at most 3 characters.');
    expect(say(err.phrase!, 'ar')).toBe(`title: ${new Intl.NumberFormat('ar').format(3)} أحرف على الأكثر.`);
  });

  it('says a string check in words, not as the name zod gives it (starts_with, regex)', () => {
    const message = (schema: z.ZodType, value: unknown) => {
      try {
        parseOrThrow(schema, value);
      } catch (err) {
        return (err as ArchiveError).message;
      }
      return null;
    };
    expect(message(z.object({ path: z.string().startsWith('data/') }), { path: 'x/y' })).toBe('path: must begin with “data/”.');
    expect(message(z.object({ name: z.string().endsWith('.txt') }), { name: 'y' })).toBe('name: must end with “.txt”.');
    expect(message(z.object({ code: z.string().regex(/^\d+$/) }), { code: 'x' })).toBe('code: is not valid.');
    expect(message(z.object({ mail: z.email() }), { mail: 'x' })).toBe('mail: is not a valid email.');
  });
});
