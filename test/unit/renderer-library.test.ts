// The renderer's pure parts behind the library and item screens: notes' Markdown read to plain
// data (never HTML), and dates and numbers written in the interface's language.
import i18next from 'i18next';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDuration, formatNumber } from '../../renderer/format.ts';
import { parseBlocks, parseInline } from '../../renderer/item/markdownParse.ts';

describe('notes in Markdown', () => {
  it('reads the blocks of a field note', () => {
    const blocks = parseBlocks(
      [
        '# Field note: appeal by Umm Sajjad (أم سجّاد)',
        '',
        '> Fictional demo data.',
        '> All names are invented.',
        '',
        '- **Researcher:** Noor Salman',
        '- **Case:** abduction of Sajjad',
        '  continued on the next line',
        '',
        '1. first',
        '2. second',
        '',
        'A paragraph',
        'over two lines.',
        '',
        '```',
        '<script>alert(1)</script>',
        '```',
        '---',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { type: 'heading', level: 1, text: 'Field note: appeal by Umm Sajjad (أم سجّاد)' },
      { type: 'quote', text: 'Fictional demo data. All names are invented.' },
      { type: 'list', ordered: false, items: ['**Researcher:** Noor Salman', '**Case:** abduction of Sajjad continued on the next line'] },
      { type: 'list', ordered: true, items: ['first', 'second'] },
      { type: 'paragraph', text: 'A paragraph over two lines.' },
      // Code stays text: it is drawn as a text node, so markup in a note is shown, never run.
      { type: 'code', text: '<script>alert(1)</script>' },
      { type: 'rule' },
    ]);
  });

  it('reads emphasis, code and links inside a line, links as their address', () => {
    expect(parseInline('The **mother** said *twice*: `appeal.mp4`, see [the report](https://example.org/r).')).toEqual([
      { type: 'text', text: 'The ' },
      { type: 'strong', children: [{ type: 'text', text: 'mother' }] },
      { type: 'text', text: ' said ' },
      { type: 'em', children: [{ type: 'text', text: 'twice' }] },
      { type: 'text', text: ': ' },
      { type: 'code', text: 'appeal.mp4' },
      { type: 'text', text: ', see ' },
      { type: 'link', children: [{ type: 'text', text: 'the report' }], url: 'https://example.org/r' },
      { type: 'text', text: '.' },
    ]);
    expect(parseInline('2 * 3 * 4 is not emphasis')).toEqual([{ type: 'text', text: '2 * 3 * 4 is not emphasis' }]);
  });
});

describe('dates and numbers in the interface language', () => {
  afterAll(() => i18next.changeLanguage('en'));

  it('keeps partial dates partial, in English', async () => {
    await i18next.init({ lng: 'en', resources: {} });
    expect(formatDate('2019')).toBe('2019');
    expect(formatDate('2019-10')).toBe('October 2019');
    expect(formatDate('2019-10-25')).toBe('Oct 25, 2019');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatNumber(100000)).toBe('100,000');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3675)).toBe('1:01:15');
  });

  it('writes them the Arabic way in Arabic', async () => {
    await i18next.changeLanguage('ar');
    const month = formatDate('2019-10');
    expect(month).toMatch(/أكتوبر|تشرين/);
    expect(month).toContain(new Intl.NumberFormat('ar', { useGrouping: false }).format(2019));
    expect(formatNumber(100000)).toBe(new Intl.NumberFormat('ar').format(100000));
  });
});
