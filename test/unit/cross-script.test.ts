import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../shared/normalize.ts';
import { crossScriptTerms, nameWords, sameSound, soundOf } from '../../electron/archive/search/crossScript.ts';
import { expansionsFor, otherScriptTerms } from '../../electron/archive/search/widen.ts';
import { namedAmongNoise } from '../support/corpora.ts';
import { tmpArchive } from '../support/tmp.ts';

const sound = (word: string) => soundOf(normalizeText(word));
const meet = (a: string, b: string): boolean => {
  const [x, y] = [sound(a), sound(b)];
  return x !== null && y !== null && sameSound(x, y) && sameSound(y, x);
};

describe('the sound of a name in either script', () => {
  it.each([
    ['Kadhimi', 'الكاظمي'],
    ['Kazimi', 'الكاظِمي'],
    ['Kadhemi', 'كاظمي'],
    ['Kadhim', 'كاظم'],
    ['Nasiriyah', 'الناصرية'],
    ['Nasriya', 'بالناصرية'],
    ['Baghdad', 'بغداد'],
    ['Hussein', 'حسين'],
    ['Husayn', 'الحسين'],
    ['Hasan', 'حسن'],
    ['Osama', 'أسامة'],
    ['Usama', 'اسامه'],
    ['Abbas', 'عباس'],
    ['Saddam', 'صدّام'],
    ['Moqtada', 'مقتدى'],
    ['Muqtada', 'مقتدى'],
    ['Mustafa', 'مصطفى'],
    ['Karbala', 'كربلاء'],
    ['Fallujah', 'الفلوجة'],
    ['Mosul', 'والموصل'],
    ['Basra', 'البصرة'],
    ['Sistani', 'السيستاني'],
    ['Youssef', 'يوسف'],
    ['Mohammed', 'محمد'],
    ['Muhammad', 'محمّد'],
    ['Tahrir', 'التحرير'],
    ['Kadhimiya', 'الكاظمية'],
    ['Suriya', 'سوريا'],
    ['Hasan', 'حسان'],
  ])('%s and %s meet', (latin, arabic) => {
    expect(meet(latin, arabic)).toBe(true);
  });

  it.each([
    ['Kadhimi', 'قدم', 'a vowel at the end where the other ends in a consonant'],
    ['Kadhim', 'الكاظمي', 'Kadhim is not al-Kadhimi'],
    ['Hussein', 'حسن', 'a long vowel (ei) where the other has none'],
    ['Nasiriya', 'نصيرا', 'the -iya of a place name'],
    ['Kadhimiya', 'الكاظمي', 'the -iya of a place name'],
    ['Baghdad', 'بغدادي', 'the ending'],
    ['Nasiriyah', 'الناصر', 'a consonant less'],
    ['Basra', 'البصيرة', 'a long vowel the other does not write'],
  ])('%s and %s do not (%s)', (latin, arabic) => {
    expect(meet(latin, arabic)).toBe(false);
  });

  it('has no sound for digits or mixed scripts, and keeps an article that is the whole word', () => {
    expect(sound('2019')).toBeNull();
    expect(sound('abc123')).toBeNull();
    expect(sound('الكاظمي٢٠٢٠')).toBeNull();
    expect(soundOf('kadhimiالكاظمي')).toBeNull();
    expect(sound('ال')?.key).toBe('al');
  });
});

const NAMED = [
  { title: 'Kadhimi visits Basra', body: 'Prime Minister Mustafa al-Kadhimi met tribal leaders.' },
  { title: 'بيان مكتب الكاظمي', body: 'قال مكتب الكاظِمي إنَّ التحقيق مستمر في بغداد' },
  { title: 'زيارة الكاظمي إلى البصرة', body: 'وصل الكاظمي إلى البصرة صباح اليوم' },
  { title: 'Protests in Nasiriyah', body: 'Thousands gathered in Nasiriyah and Baghdad.' },
  { title: 'الاحتجاجات في الناصرية', body: 'تظاهر الآلاف في الناصرية ووصلت قوات للناصرية ليلا' },
  { title: 'قدم استقالته', body: 'قدم المحافظ استقالته' },
];

describe('finding the name in the index in the other script', () => {
  const archive = tmpArchive();
  archive.createMany(namedAmongNoise(NAMED, 11));
  const other = (typed: string) => otherScriptTerms(archive.db, normalizeText(typed)).map((t) => t.term);

  it('finds the Arabic spelling of a Latin name and the Latin spelling of an Arabic one', () => {
    expect(other('Kadhimi')).toEqual([normalizeText('الكاظمي')]);
    expect(other('Kazimi')).toEqual([normalizeText('الكاظمي')]);
    expect(other('الكاظمي')).toEqual(['kadhimi']);
    expect(other('Nasiriya')).toEqual([normalizeText('الناصرية')]);
    expect(other('الناصرية')).toEqual(['nasiriyah']);
    expect(other('Baghdad')).toEqual(['بغداد']);
  });

  it('counts documents and gives one form per stem, the one in most documents', () => {
    const nasiriya = otherScriptTerms(archive.db, 'nasiriya');
    expect(nasiriya).toEqual([{ term: normalizeText('الناصرية'), docs: 1 }]);
    // للناصرية is in the index too, with the same stem.
    expect(crossScriptTerms(archive.db, 'nasiriya').sort()).toEqual([normalizeText('الناصرية'), normalizeText('للناصرية')].sort());
  });

  it('returns only terms of the other script, and nothing for short keys or words with no sound', () => {
    for (const typed of ['Kadhimi', 'Nasiriya', 'الكاظمي', 'بغداد']) {
      const arabic = /[\u0600-\u06ff]/.test(typed);
      for (const t of crossScriptTerms(archive.db, normalizeText(typed))) expect(/[\u0600-\u06ff]/.test(t), `${typed} → ${t}`).toBe(!arabic);
    }
    expect(crossScriptTerms(archive.db, 'ali')).toEqual([]);
    expect(crossScriptTerms(archive.db, 'sad')).toEqual([]);
    expect(otherScriptTerms(archive.db, '2019')).toEqual([]);
  });

  it('widens a rare name to its other script along with its near spellings', () => {
    const [expansion] = expansionsFor(archive.db, ['kazimi']);
    expect(expansion?.alternatives.map((a) => a.term)).toEqual(['kadhimi', normalizeText('الكاظمي')]);
  });
});

describe('nameWords', () => {
  const words = (body: string, meta: { name: string; text: string }[] = []) => [...nameWords({ meta, body: [{ text: body }] })].sort();

  it('takes words capitalised inside a sentence, not at its start', () => {
    expect(words('He met Kadhimi in Basra. The talks ended. People left.')).toEqual(['basra', 'kadhimi']);
    expect(words('a visit by al-Kadhimi, then Mosul')).toEqual(['kadhimi', 'mosul']);
    expect(words('Protests began on 25 October in Nasiriyah')).toEqual(['nasiriyah', 'october']);
    // A hyphen makes a name only after the article: not Anti-Corruption.
    expect(words('their anti-Corruption body met as-Sadr')).toEqual(['sadr']);
  });

  it('takes every word of the people, place and source, none of the tags or the speaker', () => {
    expect(words('', [
      { name: 'people', text: 'sajjad nouri jabbar; Mustafa al-Kadhimi' },
      { name: 'place', text: 'Nasiriyah, Dhi Qar' },
      { name: 'tags', text: 'kidnapping, protests' },
      // The speaker's field holds the relation to the case too.
      { name: 'speaker', text: 'Umm Sajjad · brother of the victim' },
    ])).toEqual(['jabbar', 'kadhimi', 'mustafa', 'nasiriyah', 'sajjad']); // nouri: two consonants, no sound worth matching
  });

  it('leaves out Arabic, short words and words with no sound', () => {
    expect(words('قال الكاظمي في Al Amarah, then UN and Ali left')).toEqual(['amarah']);
  });
});
