import { describe, expect, it } from 'vitest';
import { makeSnippet, markSnippet } from '../../electron/archive/search/snippet.ts';
import { normalizeText, tokenize } from '../../shared/normalize.ts';
import { quranChapters } from '../support/corpora.ts';

const terms = (q: string) => tokenize(normalizeText(q)).map((text) => ({ text, prefix: false }));

describe('snippets on the original text', () => {
  it('highlights Arabic typed bare inside vocalised text, covering the marks', () => {
    const text = 'قال مكتب الكاظِمي إنَّ التحقيق مستمر';
    const snippet = makeSnippet([{ name: 'body', text }], terms('الكاظمي'));
    expect(snippet?.text).toBe(text);
    expect(snippet && markSnippet(snippet)).toBe('قال مكتب [الكاظِمي] إنَّ التحقيق مستمر');
  });

  it('highlights ام سجاد in أمّ سجّاد', () => {
    const snippet = makeSnippet([{ name: 'transcript', text: 'أنا أمّ سجّاد. ابني خُطِف' }], terms('ام سجاد'));
    expect(snippet && markSnippet(snippet)).toBe('أنا [أمّ] [سجّاد]. ابني خُطِف');
  });

  it('cuts a window around the first match in a long text, with ellipses, keeping ranges right', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    words[120] = 'Nasiriyah';
    const snippet = makeSnippet([{ name: 'body', text: words.join(' ') }], terms('nasiriyah'));
    expect(snippet?.text.startsWith('…word114 ')).toBe(true);
    expect(snippet?.text.endsWith('…')).toBe(true);
    const [range] = snippet?.ranges ?? [];
    expect(snippet?.text.slice(range?.[0], range?.[1])).toBe('Nasiriyah');
  });

  it('picks the field that matches the most terms', () => {
    const snippet = makeSnippet(
      [
        { name: 'title', text: 'Protest in Nasiriyah' },
        { name: 'body', text: 'Security forces fired on protesters in Nasiriyah near the Zaitoun bridge.' },
      ],
      terms('nasiriyah bridge'),
    );
    expect(snippet?.field).toBe('body');
    expect(snippet && markSnippet(snippet)).toContain('[Nasiriyah] near the Zaitoun [bridge]');
  });

  it('maps every word of real vocalised verses back to text that normalises to it', () => {
    for (const chapter of quranChapters().slice(0, 20)) {
      for (const verse of chapter.verses.slice(0, 10)) {
        const word = tokenize(normalizeText(verse.text))[2];
        if (!word) continue;
        const snippet = makeSnippet([{ name: 'body', text: verse.text }], [{ text: word, prefix: false }]);
        for (const [a, b] of snippet?.ranges ?? []) expect(normalizeText(snippet?.text.slice(a, b) ?? '')).toBe(word);
        expect(snippet?.ranges.length).toBeGreaterThan(0);
      }
    }
  });
});
