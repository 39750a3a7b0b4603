// The search screen's pure parts: facet clicks written as query text the parser reads back as the
// same filter, highlight pieces, latest-wins calls, parser warnings in the reader's language, and
// the query read back as a sentence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelWarning, parseQuery, type Node, type QueryWarning } from '../../shared/query.ts';
import { highlightPieces } from '../../renderer/search/highlight.ts';
import { addToQuery, facetFilter, filterToken } from '../../renderer/search/queryEdit.ts';
import { LatestRunner } from '../../renderer/search/latest.ts';
import { WARNING_KEYS, warningKeyOf } from '../../renderer/search/warnings.ts';
import { explainQuery } from '../../renderer/search/explain.ts';

function filtersOf(node: Node | null): { field: string; value: string }[] {
  if (node === null) return [];
  switch (node.type) {
    case 'filter':
      return [{ field: node.field, value: node.value }];
    case 'and':
    case 'or':
      return node.children.flatMap(filtersOf);
    case 'not':
      return filtersOf(node.child);
    default:
      return [];
  }
}

describe('facet clicks become query text', () => {
  it.each([
    ['kind', 'video', 'kind:video'],
    ['language', 'ar', 'lang:ar'],
    ['year', '2019', 'from:2019 to:2019'],
    ['tag', 'protest', 'tag:protest'],
    ['tag', 'Dhi Qar', 'tag:"Dhi Qar"'],
    ['tag', 'ذي قار', 'tag:"ذي قار"'],
    ['tag', 'a,b', 'tag:"a,b"'],
    ['tag', 'x(y)', 'tag:"x(y)"'],
    ['tag', 'a|b', 'tag:"a|b"'],
  ] as const)('%s %s → %s', (facet, value, expected) => {
    expect(facetFilter(facet, value)).toBe(expected);
  });

  it.each(['Dhi Qar', 'ذي قار', 'a,b', 'x(y)', 'Umm "Sajjad"', '«guillemets»', 'kidnapping', 'tag: with colon', '  padded  ', 'a|b', 'العراق، البصرة'])(
    'the parser reads tag %j back as one tag filter with no warning',
    (tag) => {
      const q = parseQuery(addToQuery('kadhimi', filterToken('tag', tag)));
      expect(q.warnings).toEqual([]);
      const filters = filtersOf(q.root);
      expect(filters).toHaveLength(1);
      expect(filters[0]?.field).toBe('tag');
      // Quote characters cannot live inside a quoted value; they become spaces (tags match by normalised key).
      expect(filters[0]?.value).toBe(tag.replace(/["«»]/g, ' ').replace(/\s+/g, ' ').trim());
    },
  );

  it('a year is read back as a from and to filter on that year', () => {
    const filters = filtersOf(parseQuery(addToQuery('protest', facetFilter('year', '2019'))).root);
    expect(filters).toEqual([
      { field: 'from', value: '2019' },
      { field: 'to', value: '2019' },
    ]);
  });

  it('adds a filter once, and to an empty query without a leading space', () => {
    expect(addToQuery('', 'kind:video')).toBe('kind:video');
    expect(addToQuery('  kadhimi  ', 'kind:video')).toBe('kadhimi kind:video');
    expect(addToQuery('kadhimi kind:video', 'kind:video')).toBe('kadhimi kind:video');
    expect(addToQuery('kind:videos', 'kind:video')).toBe('kind:videos kind:video');
  });
});

describe('highlight pieces', () => {
  it('marks the ranges and keeps the text whole', () => {
    const text = 'قال الكاظِمي في بغداد';
    const pieces = highlightPieces(text, [[4, 12]]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.mark).map((p) => p.text)).toEqual(['الكاظِمي']);
  });

  it('merges overlapping and unsorted ranges, clamps those outside the text, drops empty ones', () => {
    const text = 'abcdefghij';
    const pieces = highlightPieces(text, [
      [6, 8],
      [1, 3],
      [2, 4],
      [8, 9],
      [5, 5],
      [-4, 0],
      [9, 40],
    ]);
    expect(pieces).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'ef', mark: false },
      { text: 'ghij', mark: true },
    ]);
  });

  it('never splits a surrogate pair', () => {
    const text = 'a😀b';
    const pieces = highlightPieces(text, [[2, 3]]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.find((p) => p.mark)?.text).toBe('😀');
  });

  it('shows markup as text: pieces are plain strings', () => {
    const pieces = highlightPieces('<img src=x onerror=alert(1)>', [[1, 4]]);
    expect(pieces.map((p) => p.text).join('')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('latest-wins calls', () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('delivers only the newest answer, one call at a time, and skips queries superseded while waiting', async () => {
    const calls: string[] = [];
    const pending = new Map<string, ReturnType<typeof deferred<string>>>();
    const delivered: string[] = [];
    const runner = new LatestRunner<string, string>(
      {
        run: (q) => {
          calls.push(q);
          const d = deferred<string>();
          pending.set(q, d);
          return d.promise;
        },
        onResult: (q, r) => delivered.push(`${q}=${r}`),
        onError: () => undefined,
      },
      0,
    );
    const tick = () => new Promise((r) => setTimeout(r, 5));
    runner.request('k');
    await tick();
    expect(calls).toEqual(['k']);
    runner.request('ka');
    runner.request('kad');
    await tick();
    expect(calls).toEqual(['k']); // one call at a time
    pending.get('k')?.resolve('old');
    await tick();
    expect(delivered).toEqual([]); // 'k' was superseded: its answer is dropped
    expect(calls).toEqual(['k', 'kad']); // 'ka' was superseded before it ran
    pending.get('kad')?.resolve('new');
    await tick();
    expect(delivered).toEqual(['kad=new']);
    runner.dispose();
  });

  it('without a delay, starts the call at once and runs the newest request when it ends', async () => {
    const calls: string[] = [];
    const pending: ReturnType<typeof deferred<string>>[] = [];
    const delivered: string[] = [];
    const runner = new LatestRunner<string, string>(
      {
        run: (q) => {
          calls.push(q);
          const d = deferred<string>();
          pending.push(d);
          return d.promise;
        },
        onResult: (q, r) => delivered.push(`${q}=${r}`),
        onError: () => undefined,
      },
      0,
    );
    runner.request('a');
    expect(calls).toEqual(['a']); // in the same task: no timer in between
    runner.request('ab');
    runner.request('abc');
    expect(calls).toEqual(['a']);
    pending[0]?.resolve('1');
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['a', 'abc']);
    pending[1]?.resolve('2');
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual(['abc=2']);
    runner.dispose();
  });

  it('with a delay, waits it out before calling', async () => {
    const calls: string[] = [];
    const runner = new LatestRunner<string, string>({ run: (q) => (calls.push(q), Promise.resolve(q)), onResult: () => undefined, onError: () => undefined }, 30);
    runner.request('x');
    runner.request('xy');
    expect(calls).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual(['xy']);
    runner.dispose();
  });

  it('cancel drops the running call’s answer', async () => {
    const d = deferred<string>();
    const delivered: string[] = [];
    const runner = new LatestRunner<string, string>({ run: () => d.promise, onResult: (_q, r) => delivered.push(r), onError: () => undefined }, 0);
    runner.request('x');
    await new Promise((r) => setTimeout(r, 5));
    runner.cancel();
    d.resolve('late');
    await new Promise((r) => setTimeout(r, 5));
    expect(delivered).toEqual([]);
  });
});

const en = JSON.parse(readFileSync(new URL('../../renderer/locales/en/search.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ar = JSON.parse(readFileSync(new URL('../../renderer/locales/ar/search.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function lookup(dict: Record<string, unknown>, key: string): string | undefined {
  let at: unknown = dict;
  for (const part of key.split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
  return typeof at === 'string' ? at : undefined;
}

describe('parser warnings in the reader’s language', () => {
  // Inputs that make the parser give each of its warnings.
  const inputs = [
    'x'.repeat(10_001),
    '"open phrase',
    'a "" b',
    'a 🙂 b',
    'a*',
    'kind: b',
    'kind:movie',
    'has:smell',
    'lang:12',
    'from:2019-13',
    'tag:\u0640\u0640',
    'a ) b',
    'OR a',
    `${'('.repeat(40)}a`,
    'a NOT',
    '(a b',
    Array.from({ length: 130 }, (_, i) => `w${i}`).join(' '),
  ];

  it('every warning the parser or the search gives has a translation, with every placeholder filled', () => {
    const seen = new Set<string>();
    const check = (code: QueryWarning) => {
      const known = warningKeyOf(code);
      seen.add(known.key);
      for (const dict of [en, ar]) {
        const template = lookup(dict, known.key);
        expect(template, known.key).toBeTypeOf('string');
        for (const [, name] of template!.matchAll(/\{\{(\w+)\}\}/g)) expect(known.params, `${known.key} {{${name}}}`).toHaveProperty(name as string);
      }
    };
    for (const input of inputs) {
      const parsed = parseQuery(input);
      expect(parsed.warningCodes).toHaveLength(parsed.warnings.length);
      parsed.warningCodes.forEach(check);
    }
    // The search's own, which knows the archive's labels: a tag: or collection: that names none.
    for (const field of ['tag', 'collection'] as const) {
      check(labelWarning(field, 'Case: Sajjad', null));
      check(labelWarning(field, 'Case: Sajjad', 'Case: Sajjad Nouri Jabbar'));
    }
    expect([...seen].sort()).toEqual([...WARNING_KEYS].sort());
  });

  it('isolates the Latin names and filters in the Arabic label warnings, so their quotes stay in order', () => {
    for (const code of ['noSuchTag', 'noSuchCollection', 'tagMeant', 'collectionMeant']) {
      const template = lookup(ar, `warning.${code}`) as string;
      expect(template, code).toContain('«\u2068{{name}}\u2069»');
      if (code.endsWith('Meant')) expect(template, code).toMatch(/«\u2068(tag|collection):"\{\{meant\}\}"\u2069»/);
    }
  });
});

describe('the query read back as a sentence', () => {
  const t = (key: string, options: Record<string, unknown> = {}) => {
    const template = lookup(en, key) ?? key;
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  };
  const explain = (q: string) => explainQuery(q, t, (c) => (c === 'ar' ? 'Arabic' : c), (d) => d);

  it.each([
    ['kadhimi protest', 'items with “kadhimi” and “protest”.'],
    ['"Dhi Qar" kind:video', 'items with the phrase “dhi qar” and kind Video.'],
    ['nasir* -graphic', 'items with a word beginning with “nasir” and not “graphic”.'],
    ['protest OR demonstration lang:ar', 'items with (“protest” or “demonstration”) and language Arabic.'],
    ['-kind:video', 'everything except kind Video.'],
    ['tag:"Dhi Qar" from:2019', 'items with the tag “Dhi Qar” and dated 2019 or later.'],
    ['has:transcript', 'items with a transcript.'],
  ])('%s', (query, sentence) => {
    expect(explain(query)).toBe(sentence);
  });

  it('nothing searchable gives null', () => {
    expect(explain('   🙂 ')).toBeNull();
  });
});
