// The normalisation shared by indexing, querying and highlighting: table-driven cases, every verse
// of a fully vocalised Quran, canonical equivalence over all of Unicode, an independent reference
// implementation, and random strings for the properties the index relies on.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { quranChapters, rng, type QuranChapter } from '../support/corpora.ts';
import { FTS5_TOKENIZER, mapRange, normalizeText, normalizeWithMap, tokenize, tokenizeWithOffsets } from '../../shared/normalize.ts';


type Chapter = QuranChapter;
const quran: readonly Chapter[] = quranChapters();
const verses = quran.flatMap((c) => c.verses.map((v) => v.text));


describe('normalizeText: table', () => {
  const same: [string, string[]][] = [
    ['الكاظمي', ['الكاظِمي', 'الكَاظِمِيّ', 'ٱلْكَاظِمِيُّ', 'الكاظمى', 'الكاظمی']],
    ['ابراهيم', ['إبراهيم', 'إِبْرَاهِيمُ', 'أبراهيم']],
    ['مدرسه', ['مدرسة', 'مَدْرَسَةٌ']],
    ['علي', ['على', 'عَلَى']],
    ['كتاب', ['كـــتاب', 'كـتـاب', 'کتاب', 'ﻛﺘﺎﺏ']],
    ['ام سجاد', ['أمّ سجاد', 'أُمّ سَجّاد', 'آم سجاد']],
    ['2019', ['٢٠١٩', '۲۰۱۹', '２０１９']],
    ['cafe', ['Café', 'CAFÉ', 'cafe\u0301', 'Cafe\u0300', 'ｃａｆｅ']],
    ['file', ['ﬁle', 'FILE', 'ﬁ\u0301le']],
    ['dzemal', ['ǅemal', 'Džemal', 'DŽEMAL', 'ǄEMAL']],
    ['strasse', ['Straße', 'STRASSE', 'STRAẞE']],
    ['istanbul', ['İstanbul', 'ISTANBUL', 'ıstanbul']],
    ['kadikoy', ['Kadıköy', 'KADIKÖY']],
    ['οδοσ', ['ΟΔΟΣ', 'οδός', 'οδος']],
    ['lodz', ['Łódź', 'ŁÓDŹ']],
    ['encyclopaedia', ['Encyclopædia']],
    ['مرحبا', ['\u200fمرحبا\u200e', '\u202bمرحبا\u202c', '\u2067مرحبا\u2069', 'مر\u200cحبا', '\ufeffمرحبا', 'مرح\u061cبا']],
    ['document', ['docu\u00adment', 'docu\u200bment']],
    ['مسؤول', ['مسؤول', 'مسو\u0654ول']], // the carrier hamza is a letter, decomposed or not
    ['شيء', ['شيء', 'شَيْءٌ']],
    ['لا', ['ﻻ', 'ﻼ']],
    ['صلي الله عليه وسلم', ['ﷺ']],
    ['الله', ['ﷲ', 'ٱللَّهِ']],
    ['كوردستان', ['کوردستان']],
    ['هذا', ['ھذا', 'هَٰذَا']],
    ['가', ['가', '\u1100\u1161', '\u1100\u200d\u1161']],
  ];
  for (const [expected, forms] of same) {
    it(`${forms.join(' / ')} → ${expected}`, () => {
      expect(normalizeText(expected)).toBe(expected);
      for (const f of forms) expect(normalizeText(f), JSON.stringify(f)).toBe(expected);
    });
  }

  it('leaves whitespace and punctuation in place', () => {
    expect(normalizeText('  a\tb\nc  ')).toBe('  a\tb\nc  ');
    expect(normalizeText('قال، «نعم»؟')).toBe('قال، «نعم»؟');
    expect(normalizeText('a\u00a0b')).toBe('a b'); // NFKC: one space for one
  });

  it('keeps other scripts intact', () => {
    expect(normalizeText('कि ताब')).toBe('कि ताब');
    expect(normalizeText('東京 がっこう')).toBe('東京 がっこう');
    expect(normalizeText('か\u3099')).toBe('が');
    expect(normalizeText('Москва')).toBe('москва');
  });

  it('replaces lone surrogates and keeps pairs', () => {
    expect(normalizeText('a\ud800b\udc00')).toBe('a\ufffdb\ufffd');
    expect(normalizeText('😀👍🏽')).toBe('😀👍🏽');
    expect(normalizeText('👍\ufe0f')).toBe('👍');
    expect(normalizeText('𝐀𝐁𝐂')).toBe('abc');
  });

  it('handles empty and ASCII input', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText('Hello, World! 123')).toBe('hello, world! 123');
  });
});

// Everything normalisation must remove from Arabic (the marks, tatweel and alef forms).
const ARABIC_LEFTOVER = /[\u0610-\u061a\u061c\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u08ca-\u08ff\u0622\u0623\u0625\u0671-\u0673\u0629\u0649\u0660-\u0669\u06f0-\u06f9]/u;

/** "Typing the verse bare": a deliberately different method, category regexes and replaces. */
function bareTyped(s: string): string {
  return s
    .replace(/\p{Mn}/gu, '')
    .replace(/[\u0640\u06e5\u06e6\u06de\u06e9\u06dd]/gu, '')
    .replace(/[\u0622\u0623\u0625\u0671]/gu, '\u0627')
    .replace(/\u0629/gu, '\u0647')
    .replace(/\u0649/gu, '\u064a');
}

describe('normalizeText: the whole Quran', () => {
  it('leaves no tashkeel, tatweel or alef variant in any verse', () => {
    expect(verses.length).toBe(6236);
    for (const v of verses) {
      const n = normalizeText(v);
      const m = ARABIC_LEFTOVER.exec(n);
      expect(m, `${v} → ${n}`).toBeNull();
    }
  });

  it('normalises every verse as its bare-typed form', () => {
    for (const v of verses) {
      const bare = bareTyped(v);
      expect(normalizeText(bare), v).toBe(normalizeText(v));
      // and the bare form is already what normalisation produces, up to the marks it removes
      expect(normalizeText(v), v).toBe(bare.normalize('NFKC'));
    }
  });

  it('maps every token back to an original span that normalises to the token', () => {
    const rand = rng(42);
    let checked = 0;
    for (let k = 0; k < 2000; k++) {
      const v = verses[Math.floor(rand() * verses.length)] as string;
      const { text, map } = normalizeWithMap(v);
      expect(text).toBe(normalizeText(v));
      const tokens = tokenizeWithOffsets(text);
      const t = tokens[Math.floor(rand() * tokens.length)];
      if (!t) continue;
      const [a, b] = mapRange(map, t.start, t.end);
      const span = v.slice(a, b);
      expect(normalizeText(span), `${v} [${t.start},${t.end})`).toBe(t.token);
      // the span cuts the verse where normalisation cuts it: whole letters with all their marks
      expect(normalizeText(v.slice(0, a)) + normalizeText(v.slice(a)), v).toBe(text);
      expect(normalizeText(v.slice(0, b)) + normalizeText(v.slice(b)), v).toBe(text);
      expect(b === v.length || normalizeText(v.slice(b, b + 1)) !== '', v).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(1900);
  });
});

describe('normalizeWithMap and mapRange', () => {
  it('covers removed marks when highlighting', () => {
    const orig = 'قال الكاظِمي اليوم';
    const { text, map } = normalizeWithMap(orig);
    const at = text.indexOf('الكاظمي');
    const [a, b] = mapRange(map, at, at + 'الكاظمي'.length);
    expect(orig.slice(a, b)).toBe('الكاظِمي');
    const [c, d] = mapRange(map, at, at + 2); // a prefix match: ال
    expect(orig.slice(c, d)).toBe('ال');
  });

  it('includes trailing marks and invisible characters, not leading ones', () => {
    const orig = 'x \u200fكَتَبَ\u200f y';
    const { text, map } = normalizeWithMap(orig);
    expect(text).toBe('x كتب y');
    const [a, b] = mapRange(map, 2, 5);
    expect(orig.slice(a, b)).toBe('كَتَبَ\u200f');
  });

  it('maps NFKC expansions to the whole original character', () => {
    const cases: [string, string, string][] = [
      ['the ﬁle', 'file', 'ﬁle'],
      ['the ﬁle', 'i', 'ﬁ'],
      ['قال ﷺ ثم', 'الله', 'ﷺ'],
      ['ﻻ إله', 'لا', 'ﻻ'],
      ['ﻻ إله', 'اله', 'إله'],
      ['Straße', 'ss', 'ß'],
      ['Straße', 'strass', 'Straß'],
      ['İstanbul', 'ist', 'İst'],
      ['e\u0301te\u0301', 'ete', 'e\u0301te\u0301'],
      ['😀 x', 'x', 'x'],
      ['a😀b', '😀', '😀'],
    ];
    for (const [orig, needle, expected] of cases) {
      const { text, map } = normalizeWithMap(orig);
      const at = text.indexOf(needle);
      expect(at, `${needle} in ${text}`).toBeGreaterThanOrEqual(0);
      const [a, b] = mapRange(map, at, at + needle.length);
      expect(orig.slice(a, b), `${needle} in ${orig}`).toBe(expected);
    }
  });

  it('handles ASCII, empty strings and out-of-range ranges', () => {
    const { text, map } = normalizeWithMap('Hello World');
    expect(text).toBe('hello world');
    expect(mapRange(map, 6, 11)).toEqual([6, 11]);
    expect(mapRange(map, 6, 99)).toEqual([6, 11]);
    expect(mapRange(map, -3, 2)).toEqual([0, 2]);
    expect(mapRange(map, 4, 4)).toEqual([4, 4]);
    const empty = normalizeWithMap('');
    expect(empty.text).toBe('');
    expect(Array.from(empty.map)).toEqual([0]);
    expect(mapRange(empty.map, 0, 0)).toEqual([0, 0]);
    const gone = normalizeWithMap('\u064e\u200f');
    expect(gone.text).toBe('');
    expect(Array.from(gone.map)).toEqual([2]);
  });
});

describe('tokenize', () => {
  it('splits like unicode61 with marks as token characters', () => {
    expect(tokenize(normalizeText('Hello, world! It\'s 2019-10-25.'))).toEqual(['hello', 'world', 'it', 's', '2019', '10', '25']);
    expect(tokenize(normalizeText('قالت: «الكاظِمي» وصل'))).toEqual(['قالت', 'الكاظمي', 'وصل']);
    expect(tokenize('कि ताब a_b x²y 😀z')).toEqual(['कि', 'ताब', 'a', 'b', 'x²y', 'z']);
    expect(tokenize('𝐀b 𠀀x')).toEqual(['𝐀b', '𠀀x']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  ,.  ')).toEqual([]);
  });

  it('returns offsets into the normalised text', () => {
    const text = normalizeText('  قال الكاظِمي: نعم ');
    for (const t of tokenizeWithOffsets(text)) expect(text.slice(t.start, t.end)).toBe(t.token);
    expect(tokenizeWithOffsets('ab  cd')).toEqual([
      { token: 'ab', start: 0, end: 2 },
      { token: 'cd', start: 4, end: 6 },
    ]);
  });

  it('agrees with SQLite FTS5 unicode61 on real text', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize="${FTS5_TOKENIZER}");
             CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const docs = [
      ...verses.slice(0, 400),
      'The jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence".',
      'Café ﬁle Straße İstanbul — 2019-10-25, ٢٠١٩; कि ताब x²y a_b 東京',
    ].map(normalizeText);
    const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
    docs.forEach((d, i) => insert.run(i + 1, d));
    const rows = db.prepare('SELECT term, doc, offset FROM v ORDER BY doc, offset').all() as { term: string; doc: number; offset: number }[];
    const fromSqlite = new Map<number, string[]>();
    for (const r of rows) {
      const list = fromSqlite.get(r.doc) ?? [];
      list[r.offset] = r.term;
      fromSqlite.set(r.doc, list);
    }
    docs.forEach((d, i) => expect(tokenize(d), d).toEqual(fromSqlite.get(i + 1) ?? []));
    db.close();
  });
});

/**
 * An independent, whole-string implementation of the documented pipeline, written with regexes
 * and String.prototype.normalize only, to check the segment-by-segment fast path against.
 */
const REF_DROP =
  /[\u00ad\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u061c\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u0898-\u089f\u08ca-\u08ff\u180e\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff\u{e0001}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
const REF_CARRIERS: [string, string][] = [
  ['\u0624', '\ue000'],
  ['\u0626', '\ue001'],
  ['\u06c0', '\ue002'],
  ['\u06c2', '\ue003'],
  ['\u06d3', '\ue004'],
];
function referenceOnce(s: string): string {
  let x = s.normalize('NFKC').toLowerCase();
  x = x.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  // protect hamza carriers from decomposition (the test's private-use stand-ins never occur in inputs)
  for (const [c, p] of REF_CARRIERS) x = x.replaceAll(c, p);
  x = x
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/þ/g, 'th')
    .replace(/[øđðłıħ]/g, (c) => ({ ø: 'o', đ: 'd', ð: 'd', ł: 'l', ı: 'i', ħ: 'h' })[c] as string)
    .replace(/[\u0622\u0623\u0625\u0671-\u0673]/g, '\u0627')
    .replace(/[\u0629\u06be]/g, '\u0647')
    .replace(/[\u0649\u06cc]/g, '\u064a')
    .replace(/\u06a9/g, '\u0643')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
  x = x.normalize('NFD').replace(REF_DROP, '');
  // a decomposition can expose a letter the folds above handle (Ǿ → Ø + ◌́ → ø)
  x = x.replace(/[øđðłıħ]/g, (c) => ({ ø: 'o', đ: 'd', ð: 'd', ł: 'l', ı: 'i', ħ: 'h' })[c] as string).replace(/æ/g, 'ae');
  for (const [c, p] of REF_CARRIERS) x = x.replaceAll(p, c);
  return x.normalize('NFC');
}
function reference(s: string): string {
  let y = referenceOnce(s);
  for (let k = 0; k < 4; k++) {
    const z = referenceOnce(y);
    if (z === y) break;
    y = z;
  }
  return y;
}

// Pools the random strings draw from: each entry is [first code point, last code point].
const POOLS: [number, number][] = [
  [0x20, 0x7e],
  [0x20, 0x20],
  [0xc0, 0x17f], // Latin-1 and Extended-A
  [0x300, 0x36f], // combining diacritics
  [0x370, 0x3ff], // Greek
  [0x400, 0x45f], // Cyrillic
  [0x591, 0x5f4], // Hebrew
  [0x600, 0x6ff], // Arabic, with every mark and digit
  [0x64b, 0x655], // tashkeel, hamza and madda marks, often
  [0x621, 0x64a], // Arabic letters, often
  [0x8d3, 0x8ff],
  [0x900, 0x9ff], // Devanagari, Bengali
  [0x1100, 0x11ff], // Hangul jamo
  [0x3131, 0x318e], // compatibility jamo
  [0xac00, 0xac40], // Hangul syllables
  [0x3040, 0x30ff], // kana with voicing marks
  [0x200b, 0x206f], // zero-width, bidi, general punctuation
  [0xfb00, 0xfb4f], // Latin and Hebrew ligatures/presentation forms
  [0xfb50, 0xfdff], // Arabic presentation forms A
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe70, 0xfeff], // Arabic presentation forms B
  [0xff00, 0xffef], // full width
  [0xd800, 0xdfff], // lone surrogates
  [0x1f300, 0x1f6ff], // emoji
  [0x1f3fb, 0x1f3ff], // skin tones
  [0x1d400, 0x1d7ff], // mathematical alphanumerics
  [0x20000, 0x2000f], // CJK extension B
  [0x1e9e, 0x1e9e], // ẞ
  [0x130, 0x131], // İ ı
  [0x3a3, 0x3a3], // Σ
];
function randomString(rand: () => number, maxLen: number): string {
  const len = Math.floor(rand() * maxLen);
  let s = '';
  for (let k = 0; k < len; k++) {
    const [lo, hi] = POOLS[Math.floor(rand() * POOLS.length)] as [number, number];
    s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
  }
  return s;
}

describe('properties over random strings', () => {
  const rand = rng(20240601);
  const samples = Array.from({ length: 6000 }, () => randomString(rand, 40));

  it('never throws, is idempotent, and equals normalizeWithMap(...).text', () => {
    for (const s of samples) {
      const n = normalizeText(s);
      expect(normalizeText(n), JSON.stringify(s)).toBe(n);
      expect(normalizeWithMap(s).text, JSON.stringify(s)).toBe(n);
    }
  });

  it('matches the whole-string reference implementation', () => {
    for (const s of samples) expect(normalizeText(s), JSON.stringify(s)).toBe(reference(s));
  });

  it('gives a monotonic, in-range map whose token spans normalise to text containing the token', () => {
    for (const s of samples) {
      const { text, map } = normalizeWithMap(s);
      expect(map.length).toBe(text.length + 1);
      expect(map[text.length]).toBe(s.length);
      for (let i = 0; i < text.length; i++) {
        const m = map[i] as number;
        expect(m >= 0 && m < s.length && m <= (map[i + 1] as number), JSON.stringify(s)).toBe(true);
      }
      for (const t of tokenizeWithOffsets(text)) {
        const [a, b] = mapRange(map, t.start, t.end);
        expect(a < b && b <= s.length).toBe(true);
        expect(normalizeText(s.slice(a, b)).includes(t.token), JSON.stringify(s)).toBe(true);
      }
    }
  });

  it('holds on long real text with random characters spliced in', () => {
    const r = rng(7);
    const english = 'The Jury said Friday an investigation of Atlanta\'s recent primary ELECTION produced “no evidence” that any irregularities took place. ';
    for (let k = 0; k < 300; k++) {
      let s = '';
      for (let p = 0; p < 6; p++) {
        s += r() < 0.5 ? (verses[Math.floor(r() * verses.length)] as string) : english;
        s += randomString(r, 6);
      }
      const n = normalizeText(s);
      expect(n, JSON.stringify(s)).toBe(reference(s));
      expect(normalizeText(n)).toBe(n);
      const { text, map } = normalizeWithMap(s);
      expect(text).toBe(n);
      for (let i = 0; i < text.length; i++) expect((map[i] as number) <= (map[i + 1] as number)).toBe(true);
      for (const t of tokenizeWithOffsets(text)) {
        const [a, b] = mapRange(map, t.start, t.end);
        expect(normalizeText(s.slice(a, b)).includes(t.token), JSON.stringify(s)).toBe(true);
      }
    }
  });

  it('agrees with itself when text is split at spaces and joined', () => {
    for (const s of samples.slice(0, 1000)) {
      const parts = s.split(' ');
      expect(parts.map(normalizeText).join(' '), JSON.stringify(s)).toBe(normalizeText(s));
    }
  });
});

const UNASSIGNED_OR_PRIVATE = /[\p{Cn}\p{Co}]/u;

describe('every code point', () => {
  it('is canonically (and compatibly) equivalent to its decompositions, and idempotent', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (UNASSIGNED_OR_PRIVATE.test(ch)) continue; // nothing decomposes there; saves 85% of the time
      const n = normalizeText(ch);
      if (normalizeText(n) !== n) expect(normalizeText(n), `U+${cp.toString(16)}`).toBe(n);
      const nfd = ch.normalize('NFD');
      if (nfd !== ch && normalizeText(nfd) !== n) expect(normalizeText(nfd), `NFD U+${cp.toString(16)}`).toBe(n);
      const nfkd = ch.normalize('NFKD');
      if (nfkd !== ch && normalizeText(nfkd) !== n) expect(normalizeText(nfkd), `NFKD U+${cp.toString(16)}`).toBe(n);
    }
  });

  it('never lets a removed mark survive after a character, except a hamza on its carrier', () => {
    const marks = [0x301, 0x327, 0x64e, 0x651, 0x670, 0x6e1, 0x653, 0x654, 0x655, 0x200f, 0x640, 0xfe0f];
    const carriers = new Map([[0x648, 'ؤ'], [0x64a, 'ئ'], [0x6d5, 'ۀ'], [0x6c1, 'ۂ'], [0x6d2, 'ۓ']]);
    for (let cp = 0x20; cp < 0x3000; cp++) {
      const ch = String.fromCodePoint(cp);
      const base = normalizeText(ch);
      for (const m of marks) {
        const carrier = m === 0x654 ? carriers.get(cp) : undefined;
        expect(normalizeText(ch + String.fromCodePoint(m)), `U+${cp.toString(16)} U+${m.toString(16)}`).toBe(carrier ?? base);
      }
    }
  });
});
