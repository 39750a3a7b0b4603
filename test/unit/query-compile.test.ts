// The query compiler (electron/archive/search/compile.ts), run for real: queries are parsed,
// compiled and executed against an archive made through the public API (which indexes what it
// stores), and each must bring back exactly the right items. Then 100,000 random strings, heavy in
// quotes, parentheses, stars, colons, minus signs, Arabic, emoji, control characters and RTL marks,
// must all parse, compile and run without an error, and no user text may reach MATCH as syntax.
import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery, type CompiledQuery } from '../../electron/archive/search/compile.ts';
import type { Archive } from '../../electron/archive/index.ts';
import { MAX_DEPTH, parseQuery } from '../../shared/query.ts';
import { rng } from '../support/corpora.ts';
import { tmpArchive } from '../support/tmp.ts';

const ARTICLE = 'Protesters killed in Nasiriyah';
const VIDEO = 'مظاهرات الناصرية';
const TESTIMONY = 'Testimony of a medic';
const IMAGE = 'Photo of the bridge';
const NOTE = 'Field notes';
const REPORT = 'Report on Basra';
const RADIO = 'Radio interview';
const ALL = [ARTICLE, VIDEO, TESTIMONY, IMAGE, NOTE, REPORT, RADIO].sort();

let archive: Archive;

beforeAll(async () => {
  archive = tmpArchive();
  const stage = (text: string) => archive.store.stageBytes(new TextEncoder().encode(text), { sync: false });
  archive.create({
    kind: 'article',
    fields: {
      title: ARTICLE,
      body: 'Prime minister al-Kadhimi promised an inquiry into the shootings.',
      language: 'en',
      eventDate: '2019-11-28',
    },
    tags: ['protest', 'Dhi Qar'],
    collections: ['Tishreen 2019'],
  });
  archive.create({
    kind: 'video',
    fields: { title: VIDEO, description: 'الكاظِمي يعد بالتحقيق', language: 'ar', eventDate: '2019-10' },
    tags: ['protest', 'graphic'],
    files: [{ staged: await stage('video bytes'), role: 'original', name: 'clip.mp4', mime: 'video/mp4' }],
    texts: [{ role: 'transcript', language: 'ar', text: 'قال المتظاهرون إن الشرطة أطلقت النار' }],
  });
  archive.create({
    kind: 'testimony',
    fields: { title: TESTIMONY, body: 'I treated the wounded at the bridge.', language: 'ar-IQ', eventDate: '2020-01-05' },
    collections: ['tishreen 2019'],
    texts: [{ role: 'translation', language: 'en', text: 'Translated statement of the medic' }],
  });
  archive.create({
    kind: 'image',
    fields: { title: IMAGE, publishedAt: '2021-03-01T10:00:00Z' },
    files: [{ staged: await stage('jpeg bytes'), role: 'original', name: 'bridge.jpg', mime: 'image/jpeg' }],
  });
  archive.create({ kind: 'note', fields: { title: NOTE, body: 'nasiriyah, nasir and nasr' }, tags: ['graphic'] });
  archive.create({
    kind: 'document',
    fields: { title: REPORT, body: 'A U.N. report on detentions.', eventDate: '2019' },
    files: [{ staged: await stage('%PDF'), role: 'attachment', name: 'report.pdf', mime: 'application/pdf' }],
  });
  archive.create({
    kind: 'article',
    fields: { title: RADIO },
    files: [
      { staged: await stage('mp3 bytes'), role: 'attachment', name: 'interview.mp3', mime: 'audio/mpeg' },
      { staged: await stage('thumb bytes'), role: 'thumbnail', name: 'thumb.jpg', mime: 'image/jpeg' },
    ],
  });
});

/** Prepared once per SQL text: only the parameters vary between most queries. */
const statements = new Map<string, Database.Statement>();
function statement(db: Database.Database, text: string): Database.Statement {
  let s = statements.get(text);
  if (!s) {
    if (statements.size > 5000) statements.clear();
    statements.set(text, (s = db.prepare(text)));
  }
  return s;
}

function titlesSql(c: CompiledQuery): string {
  return c.match === null
    ? `SELECT i.title FROM items i WHERE ${c.where} AND i.deleted_at IS NULL`
    : `SELECT i.title FROM search_fts JOIN items i ON i.seq = search_fts.rowid
       WHERE search_fts MATCH ? AND ${c.where} AND i.deleted_at IS NULL`;
}

function search(query: string): string[] {
  const c = compileQuery(parseQuery(query));
  const params = c.match === null ? c.params : [c.match, ...c.params];
  return (statement(archive.db, titlesSql(c)).pluck().all(...params) as string[]).sort();
}

const except = (...titles: string[]): string[] => ALL.filter((t) => !titles.includes(t));

describe('compileQuery: results', () => {
  const rows: [string, string[]][] = [
    ['', ALL],
    ['🔥 ^ *', ALL],
    ['nasiriyah', [ARTICLE, NOTE]],
    ['NASIRIYAH', [ARTICLE, NOTE]],
    ['الكاظمي', [VIDEO]],
    ['ٱلْكَاظِمِيّ', [VIDEO]],
    ['الناصريه', [VIDEO]],
    ['al-Kadhimi', [ARTICLE]],
    ['"kadhimi promised"', [ARTICLE]],
    ['"promised kadhimi"', []],
    ['kadhimi al', [ARTICLE]],
    ['nasir*', [ARTICLE, NOTE]],
    ['nasr', [NOTE]],
    ['n*', [REPORT]], // the star is dropped: the single-letter token "n" of U.N.
    ['U.N.', [REPORT]],
    ['"al kad"*', [ARTICLE]],
    ['medic OR photo', [IMAGE, TESTIMONY]],
    ['medic | photo', [IMAGE, TESTIMONY]],
    ['bridge', [IMAGE, TESTIMONY]],
    ['bridge -photo', [TESTIMONY]],
    ['bridge -"of the"', []],
    ['bridge -(photo OR wounded)', []],
    ['-graphic', except(VIDEO, NOTE)], // tags are indexed text too
    ['-graphic -protest', except(VIDEO, NOTE, ARTICLE)],
    ['-nosuchword', ALL],
    ['nosuchword', []],
    ['kind:video', [VIDEO]],
    ['kind:video,image', [IMAGE, VIDEO]],
    ['kind:video OR kind:image', [IMAGE, VIDEO]],
    ['-kind:article', except(ARTICLE, RADIO)],
    ['kind:movie', ALL], // dropped, with a warning
    ['tag:protest', [ARTICLE, VIDEO]],
    ['tag:"dhi  QAR"', [ARTICLE]],
    ['tag:ذي', []],
    ['tag:protest -tag:graphic', [ARTICLE]],
    ['kind:video -tag:graphic', []],
    ['-tag:graphic', except(VIDEO, NOTE)],
    ['collection:"TISHREEN 2019"', [ARTICLE, TESTIMONY]],
    ['collection:nothing', []],
    ['lang:ar', [TESTIMONY, VIDEO]],
    ['lang:العربية', [TESTIMONY, VIDEO]],
    ['lang:en', [ARTICLE]],
    ['-lang:ar', except(TESTIMONY, VIDEO)],
    ['from:2019-11', [ARTICLE, IMAGE, REPORT, TESTIMONY]], // REPORT is dated 2019: its year overlaps
    ['to:2019-10', [REPORT, VIDEO]],
    ['from:2019-10 to:2019-10', [REPORT, VIDEO]],
    ['from:2019-10-31 to:2019-11-28', [ARTICLE, REPORT, VIDEO]], // VIDEO is dated 2019-10: the 31st is in it
    ['from:2020 to:2020', [TESTIMONY]],
    ['to:2021-03-01', [ARTICLE, IMAGE, REPORT, TESTIMONY, VIDEO]],
    ['to:2021-02', [ARTICLE, REPORT, TESTIMONY, VIDEO]],
    ['-from:2019-11', [NOTE, RADIO, VIDEO]],
    ['has:transcript', [VIDEO]],
    ['has:translation', [TESTIMONY]],
    ['has:video', [VIDEO]],
    ['has:audio', [RADIO]],
    ['has:image', [IMAGE]], // the radio piece's thumbnail does not count
    ['has:file', [IMAGE, RADIO, REPORT, VIDEO]],
    ['-has:file', [ARTICLE, NOTE, TESTIMONY]],
    ['kadhimi OR kind:image', [ARTICLE, IMAGE]],
    ['(kind:video OR has:translation) -graphic', [TESTIMONY]],
    ['medic OR -graphic', except(VIDEO, NOTE)],
    ['-(kind:video OR bridge)', except(VIDEO, IMAGE, TESTIMONY)],
    ['-(-bridge)', [IMAGE, TESTIMONY]],
    ['bridge -(photo -wounded)', [TESTIMONY]],
    ['"bridge', [IMAGE, TESTIMONY]],
    ['(bridge', [IMAGE, TESTIMONY]],
    ['bridge)', [IMAGE, TESTIMONY]],
    ['OR bridge OR', [IMAGE, TESTIMONY]],
    ['NEAR(bridge', []],
    ['\u200f-graphic \u202bkind:video\u202c', []],
    [`${'('.repeat(MAX_DEPTH + 10)}bridge${')'.repeat(MAX_DEPTH + 10)}`, [IMAGE, TESTIMONY]],
  ];
  for (const [query, titles] of rows) {
    it(JSON.stringify(query.length > 60 ? `${query.slice(0, 57)}...` : query), () => expect(search(query)).toEqual([...titles].sort()));
  }

  it('splits text nested deeper than FTS5 can parse into separate MATCH subqueries', () => {
    // bridge (zz OR (bridge (zz OR (...)))): zz matches nothing, so this is just "bridge".
    let q = 'bridge';
    for (let k = 0; k < MAX_DEPTH - 1; k++) q = `bridge (zz OR (${q}))`;
    expect(search(q)).toEqual([IMAGE, TESTIMONY]);
    const c = compileQuery(parseQuery(q));
    expect(c.match).not.toBeNull();
    expect(c.where).toMatch(/MATCH/);
    let n = 'bridge';
    for (let k = 0; k < MAX_DEPTH - 1; k++) n = `bridge -(zz -(${n}))`;
    expect(search(n)).toEqual([IMAGE, TESTIMONY]);
    // The costliest shape for FTS5's parser stack: x OR y AND z NOT ( ... at every level.
    let w = 'bridge';
    for (let k = 0; k < MAX_DEPTH - 1; k++) {
      w = `photo OR (bridge medic -(${w} OR zz))`;
      expect(() => search(w)).not.toThrow();
    }
    let o = 'bridge';
    for (let k = 0; k < MAX_DEPTH - 1; k++) o = `(photo OR ${o} kind:${k % 2 ? 'image' : 'testimony,image'}) OR zz`;
    expect(() => search(o)).not.toThrow();
  });
});

describe('compileQuery: output', () => {
  it('puts positive text in match, negative text beside it, filters in where', () => {
    expect(compileQuery(parseQuery('kadhimi -graphic'))).toEqual({ match: '"kadhimi" NOT "graphic"', where: '1', params: [] });
    expect(compileQuery(parseQuery('a b OR c -d -e'))).toEqual({ match: '"a" AND ("b" OR "c") NOT ("d" OR "e")', where: '1', params: [] });
    expect(compileQuery(parseQuery('nasir* "al sadr"* -"x y"'))).toEqual({ match: '"nasir"* AND "al sadr"* NOT "x y"', where: '1', params: [] });
    expect(compileQuery(parseQuery('a OR b'))).toEqual({ match: '"a" OR "b"', where: '1', params: [] });
    expect(compileQuery(parseQuery('a -(b OR c d)'))).toEqual({ match: '"a" NOT (("b" OR "c") AND "d")', where: '1', params: [] });
    expect(compileQuery(parseQuery('(a b) OR (c -d)'))).toEqual({ match: '"a" AND "b" OR "c" NOT "d"', where: '1', params: [] });
  });

  it('relies on FTS5 precedence NOT > AND > OR, as this SQLite has it', () => {
    const count = (m: string): number => archive.db.prepare('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck().get(m) as number;
    expect(count('"zz" AND "bridge" OR "photo"')).toBe(1); // (zz AND bridge) OR photo, not zz AND (...)
    expect(count('"photo" OR "bridge" NOT "photo"')).toBe(2); // photo OR (bridge NOT photo)
    expect(count('"zz" NOT "photo" OR "medic"')).toBe(1); // (zz NOT photo) OR medic
  });

  it('moves a query without positive text out of MATCH', () => {
    expect(compileQuery(parseQuery('-graphic -"x y"'))).toEqual({
      match: null,
      where: 'i.seq NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)',
      params: ['"graphic" OR "x y"'],
    });
    expect(compileQuery(parseQuery(''))).toEqual({ match: null, where: '1', params: [] });
  });

  it('passes filter values as parameters, tag and collection names by their key', () => {
    const c = compileQuery(parseQuery('tag:"Dhi  Qár" collection:Tishreen kind:video lang:ar from:2019 to:2020-01 kadhimi'));
    expect(c.match).toBe('"kadhimi"');
    expect(c.params).toEqual(['dhi qar', 'tishreen', 'video', 'ar', 'ar-%', '2019', '2020-01~']);
    expect(c.where).not.toMatch(/Dhi|Tishreen|video'|2019/);
  });

  it('quotes every word, doubling quotes, and never emits NEAR, columns or ^ from user text', () => {
    const c = compileQuery(parseQuery('NEAR(a b, 3) ^title col:x {title}:y title:z "q""r"'));
    expect(c.match).toBe('"near" AND "a" AND "b" AND "3" AND "title" AND "col x" AND "title y" AND "title z" AND "q" AND "r"');
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any string parses, compiles and runs.

const PIECES = [
  ' ', ' ', ' ', '  ', '"', '"', '“', '”', '«', '»', '„', '＂', "'", '(', '(', ')', ')', '*', '*', ':', '-', '-', '--', '|', '||',
  '^', ',', '،', '؛', '.', '/', '\\', '{', '}', '+', '@', '#', '%', '_', '?', 'OR', 'OR', 'AND', 'NOT', 'or', 'NEAR(', 'NEAR',
  'kind:', 'tag:', 'lang:', 'from:', 'to:', 'collection:', 'has:', 'col:', 'title:', 'KIND:', 'video', 'audio,image',
  'kind:video', '-tag:graphic', 'tag:protest', 'has:file', 'lang:ar', 'from:2019', 'to:2020-02', 'collection:"Tishreen',
  'transcript', 'vid', '2019', '2019-10', '2019-02-30', '٢٠١٩-١٠', 'bridge', 'nasir', 'al-Kadhimi', 'U.N.', 'a', 'ab',
  'x', 'الكاظِمي', 'بالناصرية', 'ٱلْكَاظِمِيُّ', 'شَهادة', 'مسؤول', 'ﻻ', 'ﷺ', 'ß', 'İ', 'ǅ', '🔥', '👨‍👩‍👧', '🫨', '❤️',
  '\u200f', '\u200e', '\u202b', '\u202c', '\u2067', '\u2069', '\u200b', '\u200d', '\u00ad', '\ufeff', '\u0000', '\u0007',
  '\n', '\t', '\r', '\u0085', '\u2028', '\u3000', '\ud800', '\udc00', '\u0301', '\u0651', '\u0640', '\uffff',
];

function randomPiece(r: () => number): string {
  const k = r();
  if (k < 0.85) return PIECES[Math.floor(r() * PIECES.length)] as string;
  if (k < 0.95) return String.fromCharCode(Math.floor(r() * 0x10000)); // any unit, lone surrogates included
  return String.fromCodePoint(0x10000 + Math.floor(r() * 0x100000));
}

function randomQuery(r: () => number): string {
  const mode = r();
  if (mode < 0.005) {
    // Long: past the 10,000-character cap, or deep parentheses.
    const unit = Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomPiece(r)).join('');
    return unit.repeat(Math.ceil((8000 + r() * 6000) / Math.max(unit.length, 1)));
  }
  if (mode < 0.01) return `${'('.repeat(Math.floor(r() * 80))}${randomPiece(r)} ${'-('.repeat(Math.floor(r() * 40))}bridge`;
  const n = mode < 0.9 ? Math.floor(r() * 16) : 16 + Math.floor(r() * 300);
  let s = '';
  for (let k = 0; k < n; k++) s += randomPiece(r);
  return s;
}

/** What is left of an FTS5 expression once its quoted strings are removed: only our syntax. */
function ftsSyntax(expr: string): string {
  return expr.replace(/"(?:[^"]|"")*"/g, '').replace(/\b(?:AND|OR|NOT)\b|[()*\s]/g, '');
}

describe('compileQuery: property', () => {
  it('100,000 random strings parse, compile and run, and no user text reaches MATCH as syntax', () => {
    const r = rng(20260418);
    const db = archive.db;
    const matchOnly = db.prepare('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck();
    const failures: string[] = [];
    const started = performance.now();
    let withMatch = 0;
    let withWhere = 0;
    const RUNS = 100_000;
    for (let k = 0; k < RUNS; k++) {
      const input = randomQuery(r);
      try {
        const c = compileQuery(parseQuery(input));
        if (/[^\x20-\x7e\n]/.test(c.where)) throw new Error(`non-ASCII in where: ${c.where}`);
        // Every MATCH text, in match or in a subquery, is valid FTS5 made only of quoted strings
        // and our operators. (Checked one by one: a subquery behind a false condition never runs.)
        const pieces = c.where.split('?');
        const fts = c.params.filter((_, j) => pieces[j]?.endsWith('MATCH ')) as string[];
        if (c.match !== null) fts.push(c.match);
        for (const expr of fts) {
          if (ftsSyntax(expr) !== '') throw new Error(`raw syntax in MATCH: ${expr}`);
          matchOnly.get(expr);
        }
        const params = c.match === null ? c.params : [c.match, ...c.params];
        const sql =
          c.match === null
            ? `SELECT count(*) FROM items i WHERE ${c.where}`
            : `SELECT count(*) FROM search_fts JOIN items i ON i.seq = search_fts.rowid WHERE search_fts MATCH ? AND ${c.where}`;
        statement(db, sql).pluck().get(...params);
        if (c.match !== null) withMatch++;
        if (c.where !== '1') withWhere++;
      } catch (err) {
        if (failures.length < 10) failures.push(`${JSON.stringify(input.slice(0, 300))}: ${(err as Error).message}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`property: ${RUNS} queries in ${seconds.toFixed(1)} s (${withMatch} with MATCH, ${withWhere} with a WHERE condition)`);
    expect(failures).toEqual([]);
    // The generator must exercise both halves of the compiler.
    expect(withMatch).toBeGreaterThan(RUNS / 2);
    expect(withWhere).toBeGreaterThan(RUNS / 20);
  });
});

describe('compileSearch for the stem index', () => {
  it('matches stems in search_stem and keeps phrases, prefixes and exclusions as typed in search_fts', async () => {
    const { compileSearch } = await import('../../electron/archive/search/compile.ts');
    const { stemTree } = await import('../../electron/archive/search/basic.ts');
    const compile = (q: string) => compileSearch({ root: stemTree(parseQuery(q).root as never), warnings: [] }, { index: 'search_stem', seq: 'search_stem.rowid', docs: 'search_docs' });
    expect(compile('protests بالناصرية')).toMatchObject({ match: '"protest" AND "ناصر"', where: '1', params: [], needsDocs: false });
    const mixed = compile('protests "al sadr" nasir* -graphic kind:video');
    expect(mixed.match).toBe('"protest"');
    // (The plus keeps SQLite from looking search_stem's rows up by the list, where FTS5 could not take its MATCH.)
    expect(mixed.where).toContain('+search_stem.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
    expect(mixed.where).toContain('NOT +search_stem.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
    expect(mixed.where).toContain('(i.kind = ?)');
    expect(mixed.params).toEqual(expect.arrayContaining(['"al sadr"', '"nasir"*', '"graphic"', 'video']));
    expect(mixed.needsDocs).toBe(true);
    // An Arabic prefix is also looked for without و and the article, among stems.
    expect(compile('الناصر*')).toMatchObject({
      match: null,
      where: '(+search_stem.rowid IN (SELECT rowid FROM search_stem WHERE search_stem MATCH ?) OR +search_stem.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?))',
      params: ['"ناصر"*', '"الناصر"*'],
    });
    // A date filter reads search_docs' date column.
    expect(compile('protests from:2019').where).toBe("IFNULL(i.date || '~' >= ?, 0)");
  });
});
