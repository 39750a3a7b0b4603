// The query parser (shared/query.ts): a table of what people type and the tree it must become,
// with the warnings that say what was dropped. Every operator, every filter, Arabic with tashkeel,
// curly quotes, RTL marks, emoji, control characters, broken syntax and 10,000-character input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_LEAVES,
  MAX_QUERY_LENGTH,
  QUERY_WARNING_CODES,
  describeQuery,
  labelWarning,
  parseDateValue,
  parseQuery,
  warningText,
  type Filter,
  type Node,
} from '../../shared/query.ts';

const T = (text: string): Node => ({ type: 'term', text, prefix: false });
const Tp = (text: string): Node => ({ type: 'term', text, prefix: true });
const P = (...words: string[]): Node => ({ type: 'phrase', words, prefix: false });
const Pp = (...words: string[]): Node => ({ type: 'phrase', words, prefix: true });
const F = (field: Filter['field'], value: string): Node => ({ type: 'filter', field, value }) as Filter;
const N = (child: Node): Node => ({ type: 'not', child });
const A = (...children: Node[]): Node => ({ type: 'and', children });
const O = (...children: Node[]): Node => ({ type: 'or', children });

/** [what is typed, the tree, a warning that must be given (none at all when absent)] */
type Case = readonly [string, Node | null, RegExp?];

const cases: Record<string, readonly Case[]> = {
  'empty and words': [
    ['', null],
    ['   \t\n ', null],
    ['kadhimi', T('kadhimi')],
    ['Kadhimi  BASRA', A(T('kadhimi'), T('basra'))],
    ['Café Łódź', A(T('cafe'), T('lodz'))],
    ['kadhimi,basra; nasiriyah', A(T('kadhimi'), T('basra'), T('nasiriyah'))],
    ['a or b', A(T('a'), T('or'), T('b'))], // lower-case "or" is a word
  ],
  'Arabic': [
    ['الكاظِمي', T('الكاظمي')],
    ['ٱلْكَاظِمِيُّ بالناصرية', A(T('الكاظمي'), T('بالناصريه'))],
    ['أحمد إبراهيم آمنة', A(T('احمد'), T('ابراهيم'), T('امنه'))],
    // Two spellings of one word are one word: a repetition is dropped.
    ['كـــتاب کتاب', T('كتاب')],
    ['٢٠١٩ ۲۰۱۹', T('2019')],
    ['the the the', T('the')],
    ['kadhimi OR kadhimi', T('kadhimi')],
    ['(a OR b) (b OR a) (a OR b)', A(O(T('a'), T('b')), O(T('b'), T('a')))],
    ['"dhi qar" x "dhi qar"', A(P('dhi', 'qar'), T('x'))],
    ['كاظمي،بصرة؛ذي قار', A(T('كاظمي'), T('بصره'), T('ذي'), T('قار'))],
    ['حشد - شعبي', A(T('حشد'), T('شعبي'))], // a dash between words is punctuation
    ['مسؤول*', Tp('مسؤول')],
  ],
  'phrases and quotes': [
    ['"al sadr city"', P('al', 'sadr', 'city')],
    ['"single"', P('single')], // a quoted word is taken as typed: no other forms, no near spellings
    // The Latin article and the possessive are no part of a name; quoted, they stay.
    ['al-Kazimi', T('kazimi')],
    ['an\u2011Nasiriyah', T('nasiriyah')],
    ['as-Sadr', T('sadr')],
    ['ash-Shaab', T('shaab')],
    // Not an article: these repeat no letter.
    ['at-risk', P('at', 'risk')],
    ['ad-hoc', P('ad', 'hoc')],
    ['as-is', P('as', 'is')],
    ["Kadhimi's", T('kadhimi')],
    ['Kadhimi\u2019s', T('kadhimi')],
    ["al-Kadhimi's visit", A(T('kadhimi'), T('visit'))],
    ['"al-Kazimi"', P('al', 'kazimi')],
    ['Dhi-Qar', P('dhi', 'qar')],
    ['al-', T('al')],
    ["'s", T('s')],
    ['“حشد شعبي”', P('حشد', 'شعبي')],
    ['«حشد شعبي»', P('حشد', 'شعبي')],
    ['»حشد شعبي«', P('حشد', 'شعبي')],
    ['„low quote“ x', A(P('low', 'quote'), T('x'))],
    ['＂ab cd＂', P('ab', 'cd')],
    ['"mixed style”', P('mixed', 'style')],
    ['"al kad"*', Pp('al', 'kad')],
    ['"al k"*', P('al', 'k'), /at least 2 letters/],
    ['"OR -x (y) kind:video"', P('or', 'x', 'y', 'kind', 'video')], // operators are literal inside quotes
    ['"al sadr', P('al', 'sadr'), /closing quote/],
    ['"', null, /closing quote/],
    ['""', null, /Empty quotes/],
    ['"" kadhimi', T('kadhimi'), /Empty quotes/],
    ['"🔥"', null, /nothing searchable/],
    ['a"b c"d', A(T('a'), P('b', 'c'), T('d'))],
  ],
  'prefixes': [
    ['nasir*', Tp('nasir')],
    ['ab*', Tp('ab')],
    ['a*', T('a'), /at least 2 letters/],
    ['*', null, /nothing searchable/],
    ['**ab**', Tp('ab')],
    ['ن*', T('ن'), /at least 2 letters/],
    ['نا*', Tp('نا')],
    ['a*b', P('a', 'b')],
    ['al-Kadhimi*', Tp('kadhimi')],
    ['Dhi-Qa*', Pp('dhi', 'qa')],
  ],
  'punctuated words become phrases': [
    ['Dhi-Qar', P('dhi', 'qar')],
    ['U.N.', P('u', 'n')],
    ["O'Brien", P('o', 'brien')],
    ['2019-10-25', P('2019', '10', '25')],
    ['http://example.com/x', P('http', 'example', 'com', 'x')],
    ['10:30', P('10', '30')],
    ['foo:bar', P('foo', 'bar')],
    ['col:kadhimi', P('col', 'kadhimi')],
    ['col:', T('col')],
    ['a\ud800b', P('a', 'b')], // a lone surrogate becomes U+FFFD, a separator
  ],
  'exclusion': [
    ['-graphic', N(T('graphic'))],
    ['kadhimi -graphic', A(T('kadhimi'), N(T('graphic')))],
    ['-"mass grave"', N(P('mass', 'grave'))],
    ['-(a b)', N(A(T('a'), T('b')))],
    ['--a', N(T('a'))],
    ['NOT a', N(T('a'))],
    ['NOT -a', T('a')],
    ['- kadhimi', T('kadhimi')],
    ['-', null, /"-" has nothing searchable/],
    ['a -', T('a')],
    ['a - b', A(T('a'), T('b'))],
    ['NOT', null, /nothing after it/],
    ['-()', null, /"-\(\)" has nothing searchable/],
    ['a-b', P('a', 'b')],
  ],
  'OR and AND': [
    ['a OR b', O(T('a'), T('b'))],
    ['a | b', O(T('a'), T('b'))],
    ['a || b|c', O(T('a'), T('b'), T('c'))],
    ['a OR b c', A(O(T('a'), T('b')), T('c'))],
    ['a b OR c d', A(T('a'), O(T('b'), T('c')), T('d'))],
    ['a OR b OR c', O(T('a'), T('b'), T('c'))],
    ['a OR -b', O(T('a'), N(T('b')))],
    ['OR', null, /both sides/],
    ['a OR', T('a'), /both sides/],
    ['OR b', T('b'), /both sides/],
    ['a OR OR b', O(T('a'), T('b'))],
    ['a OR AND b', O(T('a'), T('b'))],
    ['|', null, /both sides/],
    ['a AND b', A(T('a'), T('b'))],
    ['AND', null, /"AND" has nothing searchable/],
    ['a OR 🔥', T('a'), /nothing searchable/],
  ],
  'parentheses': [
    ['(a OR b) c', A(O(T('a'), T('b')), T('c'))],
    ['((a OR b) (c OR -d))', A(O(T('a'), T('b')), O(T('c'), N(T('d'))))],
    ['(((a b)))', A(T('a'), T('b'))],
    ['a (b (c OR d))', A(T('a'), T('b'), O(T('c'), T('d')))],
    ['(a', T('a'), /closing parenthesis was missing/],
    ['a)', T('a'), /without an opening one/],
    [')(', null, /without an opening one/],
    ['()', null, /"\(\)" has nothing searchable/],
    ['(((', null, /closing parenthesis was missing/],
    ['NEAR(a b)', A(T('near'), T('a'), T('b'))],
    ['NEAR(', T('near'), /closing parenthesis was missing/],
    ['NEAR(a, b, 2)', A(T('near'), T('a'), T('b'), T('2'))],
    [`${'('.repeat(MAX_DEPTH + 8)}a OR b${')'.repeat(MAX_DEPTH + 8)} c`, A(O(T('a'), T('b')), T('c')), /deeper than 32/],
    [`${'('.repeat(MAX_DEPTH + 8)}a) OR b`, O(T('a'), T('b')), /deeper than 32|missing/],
  ],
  'FTS5 syntax is just text': [
    ['^kadhimi', T('kadhimi')],
    ['^', null, /nothing searchable/],
    ['title:kadhimi', P('title', 'kadhimi')],
    ['{title body}:x', A(T('title'), P('body', 'x'))],
    ['a + b', A(T('a'), T('b')), /nothing searchable/],
    ['"a""b"', A(P('a'), P('b'))],
  ],
  'filters': [
    ['kind:video', F('kind', 'video')],
    ['KIND:Video', F('kind', 'video')],
    ['kind:videos', F('kind', 'video')],
    ['kind:vid', F('kind', 'video')],
    ['kind:photo', F('kind', 'image')],
    ['kind:فيديو', F('kind', 'video')],
    ['kind:شهادة', F('kind', 'testimony')],
    ['kind:a', null, /a kind is one of/],
    ['kind:movie', null, /a kind is one of/],
    ['kind:', null, /needs a value/],
    ['kind: video', T('video'), /needs a value/],
    ['kind:video,audio', O(F('kind', 'video'), F('kind', 'audio'))],
    ['kind:video,movie', F('kind', 'video'), /a kind is one of/],
    ['-kind:video', N(F('kind', 'video'))],
    ['kind:video)', F('kind', 'video'), /without an opening one/],
    ['tag:protest', F('tag', 'protest')],
    ['tag:"Dhi Qar"', F('tag', 'Dhi Qar')],
    ['tag:“ذي  قار”', F('tag', 'ذي قار')],
    ['tag:a,b', O(F('tag', 'a'), F('tag', 'b'))],
    ['tag:"a, b"', F('tag', 'a, b')],
    ['tag:🔥', F('tag', '🔥')],
    ['tag:"', null, /closing quote|needs a value/],
    ['tag:"\u200f"', null, /needs a value/],
    ['collection:"Tishreen 2019"', F('collection', 'Tishreen 2019')],
    ['lang:ar', F('lang', 'ar')],
    ['lang:en-US', F('lang', 'en')],
    ['lang:AR', F('lang', 'ar')],
    ['lang:العربية', F('lang', 'ar')],
    ['lang:english', F('lang', 'en')],
    ['lang:x', null, /a language is a code/],
    ['from:2019', F('from', '2019')],
    ['from:2019-10', F('from', '2019-10')],
    ['to:2019-10-25', F('to', '2019-10-25')],
    ['from:2019/1/5', F('from', '2019-01-05')],
    ['from:٢٠١٩-١٠', F('from', '2019-10')],
    ['from:2019-13', null, /a date looks like/],
    ['from:2019-02-30', null, /a date looks like/],
    ['to:2020-02-29', F('to', '2020-02-29')],
    ['to:yesterday', null, /a date looks like/],
    ['from:2019,2020', null, /a date looks like/],
    ['has:transcript', F('has', 'transcript')],
    ['has:videos', F('has', 'video')],
    ['has:ترجمة', F('has', 'translation')],
    ['has:attachment', F('has', 'file')],
    ['has:t', null, /has: takes/],
    ['Has:Image', F('has', 'image')],
  ],
  'filters mixed with words': [
    ['kind:video -tag:graphic from:2019 الكاظمي', A(F('kind', 'video'), N(F('tag', 'graphic')), F('from', '2019'), T('الكاظمي'))],
    ['(kind:video OR has:transcript) basra', A(O(F('kind', 'video'), F('has', 'transcript')), T('basra'))],
    ['kadhimi OR kind:video', O(T('kadhimi'), F('kind', 'video'))],
    ['kind:video -tag:graphic', A(F('kind', 'video'), N(F('tag', 'graphic')))],
    ['-(kind:video OR -tag:x)', N(O(F('kind', 'video'), N(F('tag', 'x'))))],
    ['basra kind:movie', T('basra'), /a kind is one of/],
  ],
  'invisible and control characters': [
    ['\u200f-داعش', N(T('داعش'))],
    ['\u202bكلمة\u202c', T('كلمه')],
    ['"\u200fحشد\u200f"', P('حشد')],
    ['\u2067«حشد شعبي»\u2069', P('حشد', 'شعبي')],
    ['a\u200bb', T('ab')],
    ['O\u200eR', null, /both sides/], // invisible marks cannot hide an operator either
    ['a\u0000b\tc\nd\u007fe\u0085f', A(T('a'), T('b'), T('c'), T('d'), T('e'), T('f'))],
    ['\u0000', null],
    ['kind:\u200fvideo', F('kind', 'video')],
  ],
  'emoji': [
    ['🔥', null, /nothing searchable/],
    ['kadhimi 🔥', T('kadhimi'), /nothing searchable/],
    ['👨‍👩‍👧 protest', T('protest'), /nothing searchable/],
    ['protest🔥basra', P('protest', 'basra')],
  ],
};

describe('parseQuery: table', () => {
  for (const [group, rows] of Object.entries(cases)) {
    describe(group, () => {
      for (const [input, root, warning] of rows) {
        it(JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input), () => {
          const q = parseQuery(input);
          expect(q.root).toEqual(root);
          if (warning) expect(q.warnings.some((w) => warning.test(w)), q.warnings.join(' | ')).toBe(true);
          else expect(q.warnings).toEqual([]);
        });
      }
    });
  }
});

describe('parseQuery: limits', () => {
  it(`reads exactly ${MAX_QUERY_LENGTH} characters without a warning`, () => {
    const q = parseQuery('x'.repeat(MAX_QUERY_LENGTH));
    expect(q.root).toEqual(T('x'.repeat(MAX_QUERY_LENGTH)));
    expect(q.warnings).toEqual([]);
  });

  it('cuts longer input, with a warning', () => {
    const q = parseQuery('x'.repeat(MAX_QUERY_LENGTH + 1));
    expect(q.root).toEqual(T('x'.repeat(MAX_QUERY_LENGTH)));
    expect(q.warnings).toEqual(['The query was cut to its first 10,000 characters.']);
  });

  it('never cuts a surrogate pair in half', () => {
    const q = parseQuery(`${'a'.repeat(MAX_QUERY_LENGTH - 1)}😀`);
    expect(q.root).toEqual(T('a'.repeat(MAX_QUERY_LENGTH - 1)));
  });

  it(`uses the first ${MAX_LEAVES} words of a long query`, () => {
    const words = Array.from({ length: 3000 }, (_, k) => `w${k}`);
    const q = parseQuery(words.join(' '));
    expect(q.root).toEqual(A(...words.slice(0, MAX_LEAVES).map(T)));
    expect(q.warnings).toContain(`Only the first ${MAX_LEAVES} words, phrases and filters are used.`);
  });

  it('parses 10,000 characters of Arabic with tashkeel inside one unclosed quote as one phrase', () => {
    const word = 'الْكَاظِمِيُّ ';
    const q = parseQuery(`"${word.repeat(MAX_QUERY_LENGTH)}`);
    expect(q.root?.type).toBe('phrase');
    const words = q.root?.type === 'phrase' ? q.root.words : [];
    expect(words.length).toBeGreaterThan(600);
    expect(words.slice(0, -1).every((w) => w === 'الكاظمي')).toBe(true); // the cut may end mid-word
  });

  it('survives 10,000 characters of operators and parentheses', () => {
    for (const unit of ['(', ')', '-', '"', '*', 'OR ', '-(', '(a OR ', ':', 'kind:', '\u200f', '🔥']) {
      const q = parseQuery(unit.repeat(Math.ceil(MAX_QUERY_LENGTH / unit.length)));
      expect(q.warnings.length).toBeLessThan(10);
    }
  });
});

describe('parseDateValue', () => {
  it('accepts years, months and days and refuses impossible dates', () => {
    expect(parseDateValue('2019')).toBe('2019');
    expect(parseDateValue('2019-1')).toBe('2019-01');
    expect(parseDateValue('2019.12.31')).toBe('2019-12-31');
    expect(parseDateValue('2019-02-29')).toBeNull();
    expect(parseDateValue('2019-00')).toBeNull();
    expect(parseDateValue('19')).toBeNull();
    expect(parseDateValue('2019-10-25T10:00')).toBeNull();
  });
});

describe('describeQuery', () => {
  const rows: [string, string][] = [
    ['', 'everything (no search words)'],
    ['kadhimi nasir*', 'items matching "kadhimi" and words starting with "nasir"'],
    ['"al sadr" OR kind:video', 'items matching the phrase "al sadr" or kind is video'],
    ['-graphic', 'everything except "graphic"'],
    ['-graphic -tag:x', 'everything except "graphic" and except tagged "x"'],
    ['has:image from:2019 to:2020-06 lang:ar collection:c', 'items matching has an image and dated 2019 or later and dated 2020-06 or earlier and language is ar and in collection "c"'],
    ['a -(b OR c)', 'items matching "a" and not ("b" or "c")'],
  ];
  for (const [input, text] of rows) {
    it(JSON.stringify(input), () => expect(describeQuery(parseQuery(input))).toBe(text));
  }
});

describe('parseQuery: warnings as codes', () => {
  // Inputs that make the parser give each of its warnings.
  const inputs = [
    'x'.repeat(MAX_QUERY_LENGTH + 1), '"open phrase', 'a "" b', 'a 🙂 b', '"🙂"', 'a*', 'kind: b', 'Kind:', 'kind:movie', 'has:smell',
    'lang:12', 'from:2019-13', 'tag:\u0640\u0640', 'a ) b', 'OR a', `${'('.repeat(MAX_DEPTH + 8)}a`, 'a NOT', '(a b',
    Array.from({ length: MAX_LEAVES + 10 }, (_, i) => `w${i}`).join(' '),
  ];
  const locale = (lang: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, `../../renderer/locales/${lang}/search.json`), 'utf8')) as { warning: Record<string, string> };

  it('gives every code, each beside its English sentence, with the parts the translations name', () => {
    const seen = new Set<string>();
    const dictionaries = [locale('en'), locale('ar')];
    for (const input of inputs) {
      const q = parseQuery(input);
      expect(q.warnings.length, input).toBeGreaterThan(0);
      expect(q.warningCodes.map(warningText), input).toEqual(q.warnings);
      for (const w of q.warningCodes) {
        seen.add(w.code);
        for (const dict of dictionaries) {
          const template = dict.warning[w.code];
          expect(template, w.code).toBeTypeOf('string');
          for (const [, name] of (template as string).matchAll(/\{\{(\w+)\}\}/g)) expect(w.params, `${w.code} {{${name}}}`).toHaveProperty(name as string);
        }
      }
    }
    // The search's own, for a tag: or collection: that names no label (labelWarning).
    for (const field of ['tag', 'collection'] as const) {
      for (const w of [labelWarning(field, 'x', null), labelWarning(field, 'x', 'xs')]) {
        seen.add(w.code);
        for (const dict of dictionaries) expect(dict.warning[w.code], w.code).toBeTypeOf('string');
      }
    }
    expect([...seen].sort()).toEqual([...QUERY_WARNING_CODES].sort());
  });

  it('keeps the English sentences the CLI prints', () => {
    expect(parseQuery('Kind: kind:movie').warnings).toEqual([
      '"Kind:" needs a value, such as kind:video; it was ignored.',
      '"kind:movie" was ignored: a kind is one of ' + parseQuery('kind:x').warningCodes[0]?.params.list + '.',
    ]);
    expect(parseQuery('a 🙂 b 🙂').warningCodes).toEqual([{ code: 'nothingSearchable', params: { text: '🙂' } }]);
  });
});
