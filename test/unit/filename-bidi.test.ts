// The rule for bidi controls in file names (shared/bidi.ts), and the places a name is written to
// disk or offered for saving. "evil\u202Efdp.exe" shows as "evilexe.pdf": wherever a name is shown
// or stored, no control may reorder it; an Arabic name keeps the marks it legitimately uses.
import { describe, expect, it } from 'vitest';
import { safeBagName } from '../../electron/archive/bundle/bagWriter.ts';
import { safeFileName } from '../../electron/downloads.ts';
import { contentDisposition } from '../../electron/media.ts';
import { nameParts, nameWithoutBidiControls, shownName } from '../../shared/bidi.ts';

const RLM = '\u200F';
const LRM = '\u200E';
const ALM = '\u061C';
const ARABIC_NAMES = [
  `شهادة أم سجّاد${RLM} (٢).mp4`,
  `تقرير Human Rights Watch${LRM} (HRW).pdf`,
  `نسبة ${ALM}١١% المعتقلين.txt`,
  'نص\u200Cمع فاصل.txt',
  `שם${RLM} ב.txt`,
];

// Marks in an Arabic (or Hebrew) name where only a spoof needs one: inside the extension, or among
// the neutrals between the last letter or digit and the extension's dot. There they can swap the
// Latin runs around the dot ("فاتورة-pdf\u200F.\u200Fexe" shows as "exe.pdf-فاتورة").
const EXTENSION_MARKS: [string, string][] = [
  [`فاتورة-pdf${RLM}.${RLM}exe`, 'فاتورة-pdf.exe'],
  [`فاتورة-pdf${RLM} ${RLM}.exe`, 'فاتورة-pdf .exe'],
  [`فاتورة-pdf.ex${LRM}e`, 'فاتورة-pdf.exe'],
  [`تقرير Human Rights Watch${LRM} (HRW)${RLM}.pdf`, `تقرير Human Rights Watch${LRM} (HRW).pdf`],
  [`نسبة المعتقلين ١١${ALM}%.txt`, 'نسبة المعتقلين ١١%.txt'],
  [`שם${RLM}.txt`, 'שם.txt'],
];

describe('nameWithoutBidiControls', () => {
  it.each([
    ['evil\u202Efdp.exe', 'evilfdp.exe'],
    ['a\u202Ab\u202Bc\u202Cd\u202De\u202Ef.txt', 'abcdef.txt'],
    ['a\u2066b\u2067c\u2068d\u2069e.txt', 'abcde.txt'],
    // In a name without right-to-left letters a mark has no use but to turn its direction.
    [`${RLM}pdf${RLM}.exe`, 'pdf.exe'],
    [`report${LRM}${ALM}.doc`, 'report.doc'],
    ['plain name.txt', 'plain name.txt'],
  ])('%j → %j', (name, stored) => {
    expect(nameWithoutBidiControls(name)).toBe(stored);
  });

  it.each(ARABIC_NAMES)('keeps an Arabic (or Hebrew) name with its marks intact: %s', (name) => {
    expect(nameWithoutBidiControls(name)).toBe(name);
  });

  it.each(EXTENSION_MARKS)('takes the marks in or next to the extension out of an Arabic name: %s', (name, clean) => {
    expect(nameWithoutBidiControls(name)).toBe(clean);
  });

  it('takes the override out of an Arabic name and keeps its marks', () => {
    expect(nameWithoutBidiControls(`صورة${RLM}\u202Egpj.exe`)).toBe(`صورة${RLM}gpj.exe`);
  });
});

describe('a name shown to a person', () => {
  it('shows each control that could reorder it as a marker, in stored order', () => {
    expect(nameParts('evil\u202Efdp.exe')).toEqual([{ text: 'evil' }, { control: 'U+202E' }, { text: 'fdp.exe' }]);
    expect(nameParts('\u2067x')).toEqual([{ control: 'U+2067' }, { text: 'x' }]);
    expect(shownName('evil\u202Efdp.exe')).toBe('evil[U+202E]fdp.exe');
    expect(shownName(`${RLM}pdf${RLM}.exe`)).toBe('[U+200F]pdf[U+200F].exe');
  });

  it('shows the marks that could move an Arabic name\'s extension as markers', () => {
    expect(shownName(`فاتورة-pdf${RLM}.${RLM}exe`)).toBe('فاتورة-pdf[U+200F].[U+200F]exe');
    expect(nameParts(`فاتورة-pdf${RLM}.exe`)).toEqual([{ text: 'فاتورة-pdf' }, { control: 'U+200F' }, { text: '.exe' }]);
    // Outside the extension the marks stay, and a surrogate pair next to a control is kept whole.
    expect(shownName(`😀 صورة${RLM} ١.gpj\u202E.exe`)).toBe(`😀 صورة${RLM} ١.gpj[U+202E].exe`);
  });

  it.each(ARABIC_NAMES)('shows an Arabic name as written: %s', (name) => {
    expect(nameParts(name)).toEqual([{ text: name }]);
    expect(shownName(name)).toBe(name);
  });
});

describe('names offered for saving', () => {
  it('a download keeps an Arabic name whole and loses every override', () => {
    for (const name of ARABIC_NAMES) expect(safeFileName(name)).toBe(name);
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName(`${RLM}pdf${RLM}.exe`)).toBe('pdf.exe');
  });

  it('a bag path (data/items/<id>/<name>) follows the same rule', () => {
    // "%" becomes its fullwidth look-alike in bags (bagNames.ts); the marks stay.
    for (const name of ARABIC_NAMES) expect(safeBagName(name)).toBe(name.replace('%', '\uFF05'));
    expect(safeBagName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeBagName(`${RLM}pdf${RLM}.exe`)).toBe('pdf.exe');
  });

  it('a Content-Disposition is made for any name: an emoji cut at the length limit, a lone surrogate', () => {
    const saved = (name: string) => decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(contentDisposition(name, true))![1]!);
    expect(saved(`${'a'.repeat(499)}😀😀.mp4`)).toBe(`${'a'.repeat(499)}😀`);
    expect(saved('clip\uD800.mp4')).toBe('clip\uFFFD.mp4');
  });

  it('the Content-Disposition a browser saves under has no override, and keeps Arabic marks', () => {
    const saved = (name: string) => decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(contentDisposition(name, false))![1]!);
    expect(saved('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(contentDisposition('invoice\u202Efdp.exe', true)).toContain('filename="invoicefdp.exe"');
    expect(saved(ARABIC_NAMES[0]!)).toBe(ARABIC_NAMES[0]);
  });
});
