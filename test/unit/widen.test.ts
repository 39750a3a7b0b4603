import { describe, expect, it } from 'vitest';
import { normalizeText, tokenize } from '../../shared/normalize.ts';
import { parseQuery } from '../../shared/query.ts';
import { sql } from '../../electron/archive/db/connection.ts';
import { editDistance, expansionsFor, isNear, widenableTerms, widenTerm } from '../../electron/archive/search/widen.ts';
import { namedAmongNoise } from '../support/corpora.ts';
import { tmpArchive } from '../support/tmp.ts';
import type { Archive } from '../../electron/archive/index.ts';

const NAMED = [
  { title: 'Kadhimi visits Basra', body: 'Prime Minister Mustafa al-Kadhimi met tribal leaders.' },
  { title: 'Statement from the Kadhimi government', body: 'The office of Kadhimi said an inquiry is under way.' },
  { title: 'Kadhimi on the protests', body: 'Kadhimi promised to find who shot protesters.' },
  { title: 'Protests in Nasiriyah', body: 'Thousands gathered in Nasiriyah, the capital of Dhi Qar province.' },
  { title: 'Nasiriyah hospital fire', body: 'A fire in a Nasiriyah hospital killed dozens; Dhi Qar officials resigned.' },
  { title: 'Dhi Qar governor', body: 'The governor of Dhi Qar resigned after the killings in Nasiriyah.' },
  { title: 'شهادة أم سجاد', body: 'أنا أمّ سجّاد. ابني سجاد خُطِف من ساحة الحبوبي' },
  { title: 'بيان مكتب الكاظمي', body: 'قال مكتب الكاظِمي إنَّ التحقيق مستمر' },
  { title: 'Appeal for Sajjad', body: 'His mother said the neighbours saved what they could; Sajjad has not been seen since.' },
  // Another spelling of the family name, and Kadhim: a first name, another person.
  { title: 'At the funeral', body: 'The victim’s brother, Kadhim Hassan, spoke to a reporter, Ali Kadhemi, at the gate.' },
  { title: 'وصول الشرطة', body: 'وصلت الشرطة إلى الساحة بعد ساعة.' },
  { title: 'خطبة', body: 'قال الخطيب إن الشيطن في التفاصيل وإن الشر لا يدوم، وذكر الشفعة في البيع.' },
];

function build(): Archive {
  const archive = tmpArchive();
  archive.createMany(namedAmongNoise(NAMED, 7));
  return archive;
}

const archive = build();
const near = (typed: string) => widenTerm(archive.db, normalizeText(typed)).map((w) => w.term);

describe('widening a term to near terms of the vocabulary', () => {
  it('meets transliterations of a name', () => {
    expect(near('Kazimi')).toContain('kadhimi');
    expect(near('Kadhemi')[0]).toBe('kadhimi');
    expect(near('Nassiriya')[0]).toBe('nasiriyah');
    expect(near('Nasiriya')).toContain('nasiriyah');
    expect(near('Thi')).toContain('dhi');
  });

  it('offers a spelling of the name, not the ordinary words two letters off it', () => {
    // said and saved are two edits from sajad, as sajjad is one; they sound nothing like it.
    expect(near('Sajad')).toContain('sajjad');
    expect(near('Sajad')).not.toContain('said');
    expect(near('Sajad')).not.toContain('saved');
    // With no spelling of the same name in the archive, words two letters off are still offered.
    expect(near('Saivd')).toContain('saved');
  });

  it('meets Arabic misspellings: a moved alef, tashkeel and alef forms already folded', () => {
    expect(near('ساجد')).toContain('سجاد');
    expect(near('الكاضمي')).toContain('الكاظمي');
    expect(near('الشرطا')).toContain('الشرطه');
  });

  it('counts an Arabic word’s edits without its article, so other words are not offered as typos', () => {
    // الشرطة is four letters after ال: one edit, where six letters allowed two.
    expect(near('الشرطة')).toEqual([]);
    expect(near('الشيطن')).not.toContain('الشرطه');
  });

  it('keeps a family name apart from the first name it is made from (the nisba ending)', () => {
    // Kazimi and Kadhim are three edits apart, as Kazimi and Kadhemi are: only the skeleton
    // told them apart from a typo, and without the ending it was the same.
    expect(near('Kazimi')).toContain('kadhemi');
    expect(near('Kazimi')).not.toContain('kadhim');
  });

  it('never returns the term itself, and reports document counts from the index', () => {
    const widened = widenTerm(archive.db, 'kazimi');
    const kadhimi = widened.find((w) => w.term === 'kadhimi');
    expect(kadhimi?.docs).toBe(3);
    expect(widenTerm(archive.db, 'kadhimi').map((w) => w.term)).not.toContain('kadhimi');
  });

  it('offers nothing beyond the distance rule for nonsense, digits or very short words', () => {
    for (const typed of ['qwzxvbn', 'zzyzx', 'blorptastic', 'فقثصض', 'xq']) {
      for (const w of widenTerm(archive.db, typed)) {
        expect(isNear(w.distance, w.skeletonDistance, typed), `${typed} → ${w.term}`).toBe(true);
        expect(editDistance(typed, w.term, 99)).toBe(w.distance);
      }
    }
    expect(widenTerm(archive.db, '2019')).toEqual([]);
    expect(widenTerm(archive.db, 'of')).toEqual([]);
  });
});

describe('expansionsFor', () => {
  it('leaves common words alone and widens rare ones', () => {
    const terms = tokenize(normalizeText('the Kazimi government'));
    const expansions = expansionsFor(archive.db, terms);
    expect(expansions.map((e) => e.term)).toEqual(['kazimi']);
    expect(expansions[0]?.docs).toBe(0);
    expect(expansions[0]?.alternatives.map((a) => a.term)).toContain('kadhimi');
  });

  it('widens a common name to its other spellings and the other script, and a common word not at all', () => {
    const [kadhimi] = expansionsFor(archive.db, ['kadhimi']);
    expect(kadhimi?.docs).toBe(3);
    const alternatives = kadhimi?.alternatives.map((a) => a.term) ?? [];
    expect(alternatives).toContain('kadhemi');
    expect(alternatives).toContain('الكاظمي');
    // Not a near word, however close: the first name, or words a letter or two off.
    expect(alternatives).not.toContain('kadhim');
    expect(alternatives.filter((a) => !/^kadhemi$|\p{Script=Arabic}/u.test(a))).toEqual([]);
    // Common and not a name: as typed.
    const common = sql(archive.db, "SELECT term FROM search_vocab WHERE doc >= 20 AND term GLOB '[a-z][a-z][a-z][a-z]*' ORDER BY doc DESC LIMIT 30").pluck().all() as string[];
    expect(common.length).toBe(30);
    expect(expansionsFor(archive.db, common)).toEqual([]);
  });

  it('widens the whole words of a query, not prefixes, phrases or exclusions', () => {
    expect(widenableTerms(parseQuery('kazimi nasir* -basra "dhi qar" OR thi').root)).toEqual(['kazimi', 'thi']);
  });
});

describe('search_vocab (migration 2)', () => {
  it('lists the terms of the index and follows inserts and deletes', () => {
    const vocab = (term: string) => sql(archive.db, 'SELECT doc FROM search_vocab WHERE term = ?').pluck().get(term) as number | undefined;
    expect(vocab('nasiriyah')).toBe(3);
    expect(vocab('zanzibarite')).toBeUndefined();
    const item = archive.create({ kind: 'note', fields: { title: 'Zanzibarite', body: 'a zanzibarite note' } });
    expect(vocab('zanzibarite')).toBe(1);
    archive.db.prepare('DELETE FROM search_fts WHERE rowid = (SELECT seq FROM items WHERE id = ?)').run(item.id);
    expect(vocab('zanzibarite')).toBeUndefined();
  });
});
