// The search benchmark's corpus: documents of real sentences (Brown corpus English, Qur'an verses
// with full tashkeel for about a fifth, e-mails from the SpamAssassin corpus), with the vocabulary
// a real archive grows: people's names and places in several transliterations and in Arabic,
// case numbers, dates and amounts, and misspellings. A corpus recombined from 51k sentences alone
// stops at ~43k distinct terms however many documents it has (ENVIRONMENT.md); real collections
// reach hundreds of thousands, and the costs that grow with the vocabulary (prefixes, widening,
// fuzzy matching) only show with one. Deterministic for a given seed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewItemInput } from '../../electron/archive/index.ts';
import type { ItemKind } from '../../shared/domain.ts';
import { arabicVerses, englishSentences, rng } from '../support/corpora.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPAM_DIR = path.join(ROOT, 'node_modules', '@stdlib', 'datasets-spam-assassin', 'data');

/** Bump when the generator changes: cached corpora of another version are rebuilt. */
export const CORPUS_VERSION = 1;

export interface BenchDoc {
  readonly kind: ItemKind;
  readonly language: 'en' | 'ar';
  readonly title: string;
  readonly body: string;
  readonly people: string;
  readonly place: string;
  readonly eventDate: string;
  readonly tags: readonly string[];
  readonly collections: readonly string[];
}

/** A corpus document as the archive takes it. */
export function itemInput(d: BenchDoc): NewItemInput {
  return {
    kind: d.kind,
    fields: { title: d.title, body: d.body, language: d.language, people: d.people, place: d.place, eventDate: d.eventDate },
    tags: d.tags,
    collections: d.collections,
  };
}

// Names and places as they are written in English-language reporting on Iraq: each line is one
// name in its usual spellings.
export const GIVEN_NAMES: readonly (readonly string[])[] = [
  ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Mohamad'], ['Ahmed', 'Ahmad'], ['Ali'], ['Hussein', 'Hussain', 'Husayn', 'Hussien'],
  ['Hassan', 'Hasan'], ['Abbas'], ['Mustafa', 'Mustapha', 'Moustafa'], ['Haider', 'Hayder', 'Haidar'], ['Karrar', 'Karar'],
  ['Sajjad', 'Sajad'], ['Zainab', 'Zaynab', 'Zeinab'], ['Fatima', 'Fatema', 'Fatimah'], ['Maryam', 'Mariam'], ['Noor', 'Nour', 'Nur'],
  ['Abdullah', 'Abdallah'], ['Omar', 'Umar'], ['Yousif', 'Yusuf', 'Yousef'], ['Qasim', 'Kassem', 'Qassim', 'Kasim'], ['Jaafar', 'Jafar'],
  ['Safaa', 'Safa'], ['Muntadhar', 'Muntazer', 'Muntathar'], ['Kadhim', 'Kazim', 'Kathem'], ['Dhiaa', 'Ziaa', 'Diaa'], ['Thaer', 'Thair'],
];
export const FAMILY_NAMES: readonly (readonly string[])[] = [
  ['Kadhimi', 'Kazimi', 'Kadhemi', 'al-Kadhimi'], ['Sadr', 'al-Sadr'], ['Maliki', 'al-Maliki'], ['Hakim', 'al-Hakim'],
  ['Jubouri', 'Jabouri', 'Juburi'], ['Dulaimi', 'Dulaymi'], ['Tamimi', 'al-Tamimi'], ['Zubaidi', 'Zubeidi'], ['Shammari', 'Shamari'],
  ['Khafaji', 'Khafagi'], ['Obaidi', 'Ubaidi'], ['Rubaie', 'Rubaiee', 'Rubai'], ['Saadi', 'al-Saadi'], ['Mousawi', 'Musawi', 'Moussawi'],
];
export const PLACES: readonly (readonly string[])[] = [
  ['Nasiriyah', 'Nassiriya', 'Nasiriya', 'Nasriya'], ['Dhi Qar', 'Thi Qar', 'Zi Qar'], ['Basra', 'Basrah'], ['Baghdad'], ['Najaf'],
  ['Karbala', 'Kerbala'], ['Mosul', 'Mousl'], ['Kirkuk'], ['Fallujah', 'Falluja'], ['Ramadi'], ['Samarra'], ['Amarah', 'Amara'],
  ['Kut'], ['Hillah', 'Hilla'], ['Diwaniyah', 'Diwaniya'], ['Sulaymaniyah', 'Sulaimaniya'], ['Erbil', 'Arbil', 'Irbil'], ['Tikrit'],
  ['Baqubah', 'Baquba'], ['Tahrir Square'], ['Habboubi Square', 'Haboubi Square'], ['Zaitoun Bridge', 'Zaytoun Bridge'],
];
const ARABIC_GIVEN = ['محمد', 'أحمد', 'علي', 'حسين', 'حسن', 'عباس', 'مصطفى', 'حيدر', 'كرار', 'سجاد', 'زينب', 'فاطمة', 'مريم', 'نور', 'عبدالله', 'عمر', 'يوسف', 'قاسم', 'جعفر', 'صفاء', 'منتظر', 'كاظم', 'ضياء', 'ثائر'];
const ARABIC_FAMILY = ['الكاظمي', 'الصدر', 'المالكي', 'الحكيم', 'الجبوري', 'الدليمي', 'التميمي', 'الزبيدي', 'الشمري', 'الخفاجي', 'العبيدي', 'الربيعي', 'الساعدي', 'الموسوي'];
const ARABIC_PLACES = ['الناصرية', 'ذي قار', 'البصرة', 'بغداد', 'النجف', 'كربلاء', 'الموصل', 'كركوك', 'الفلوجة', 'الرمادي', 'سامراء', 'العمارة', 'الكوت', 'الحلة', 'الديوانية', 'ساحة التحرير', 'ساحة الحبوبي', 'جسر الزيتون'];
const ARABIC_CLITICS = ['', '', '', 'و', 'ب', 'ل', 'ف'];

const KINDS: readonly [ItemKind, number][] = [['article', 0.6], ['note', 0.15], ['video', 0.1], ['testimony', 0.05], ['document', 0.05], ['image', 0.03], ['audio', 0.02]];
const SYLLABLES = ['ka', 'dha', 'mi', 'ri', 'ya', 'na', 'si', 'ba', 'sra', 'qa', 'ru', 'hu', 'sein', 'al', 'ja', 'bu', 'zai', 'tun', 'wa', 'di', 'fa', 'lu', 'jah', 'kir', 'kuk', 'sha', 'mar', 'tam', 'ub', 'aid', 'hel', 'dou', 'ghr', 'kh', 'ou', 'ei'];
const ARABIC_LETTERS = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';

/** Typos people make: one letter dropped, doubled, swapped with the next or replaced. */
export function misspell(word: string, random: () => number): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const r = random();
  if (r < 0.25) return word.slice(0, at) + word.slice(at + 1);
  if (r < 0.5) return word.slice(0, at) + word.charAt(at) + word.slice(at);
  if (r < 0.75) return word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2);
  const letters = /[\u0600-\u06ff]/.test(word) ? ARABIC_LETTERS : 'abcdefghijklmnopqrstuvwxyz';
  return word.slice(0, at) + letters.charAt(Math.floor(random() * letters.length)) + word.slice(at + 1);
}

/** The text of each SpamAssassin message without its headers, tags or entities, at most 3,000 characters. */
export function spamMessages(): string[] {
  const out: string[] = [];
  for (const group of fs.readdirSync(SPAM_DIR).sort()) {
    const dir = path.join(SPAM_DIR, group);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.txt')) continue;
      const raw = fs.readFileSync(path.join(dir, name), 'latin1');
      const split = raw.search(/\r?\n\r?\n/);
      const headers = split > 0 ? raw.slice(0, split) : '';
      const subject = /^Subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
      const body = (split > 0 ? raw.slice(split) : raw)
        .replace(/<[^>]*>/g, ' ')
        .replace(/&[a-z#0-9]+;/gi, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 3000);
      if (body.length > 80) out.push(`${subject}\n${body}`);
    }
  }
  return out;
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** Zipf-like pick: index k with weight 1/(k+1). */
function zipf<T>(list: readonly T[], random: () => number): T {
  const n = list.length;
  const h = Math.log(n + 1);
  return list[Math.min(n - 1, Math.floor(Math.exp(random() * h) - 1))] as T;
}

export interface CorpusSource {
  next(): BenchDoc;
}

/** An endless, deterministic stream of benchmark documents. */
export function corpusSource(seed: number): CorpusSource {
  const random = rng(seed);
  const english = englishSentences();
  const arabic = arabicVerses();
  const spam = spamMessages();
  // Pools that grow the vocabulary: invented family names and villages (as transliterated), in
  // the tens of thousands; Arabic names made of real letters.
  const inventedFamilies = Array.from({ length: 20_000 }, () => {
    const n = 2 + Math.floor(random() * 2);
    let s = '';
    for (let k = 0; k < n; k++) s += pick(SYLLABLES, random);
    return s.charAt(0).toUpperCase() + s.slice(1);
  });
  const villages = Array.from({ length: 10_000 }, () => {
    let s = '';
    for (let k = 0; k < 3; k++) s += pick(SYLLABLES, random);
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
  });
  const arabicFamilies = Array.from({ length: 8_000 }, () => {
    let s = 'ال';
    for (let k = 0; k < 3 + Math.floor(random() * 3); k++) s += ARABIC_LETTERS.charAt(Math.floor(random() * ARABIC_LETTERS.length));
    return s + 'ي';
  });
  const tags = [
    'protests', 'killings', 'kidnapping', 'detention', 'torture', 'graphic', 'Dhi Qar', 'Basra', 'Baghdad', 'Tishreen', 'militias',
    'journalists', 'students', 'water', 'electricity', 'elections', 'corruption', 'displacement', 'ISIS', 'mass graves',
    'مظاهرات', 'اغتيالات', 'خطف', 'اعتقال', 'تعذيب', 'ساحة التحرير', 'الناصرية', 'شهداء', 'صحفيون', 'انتخابات',
    ...Array.from({ length: 270 }, (_, k) => `topic ${k + 1}`),
  ];
  const collections = Array.from({ length: 60 }, (_, k) => (k % 3 === 2 ? `مجموعة ${k + 1}` : `Case file ${k + 1}`));

  const person = (lang: 'en' | 'ar'): string => {
    if (lang === 'ar') {
      const family = random() < 0.6 ? pick(ARABIC_FAMILY, random) : pick(arabicFamilies, random);
      return `${pick(ARABIC_GIVEN, random)} ${family}`;
    }
    const given = pick(pick(GIVEN_NAMES, random), random);
    const family = random() < 0.5 ? pick(pick(FAMILY_NAMES, random), random) : pick(inventedFamilies, random);
    return `${given} ${family}`;
  };
  const place = (lang: 'en' | 'ar'): string => {
    if (lang === 'ar') return random() < 0.7 ? pick(ARABIC_PLACES, random) : `قرية ${pick(arabicFamilies, random).slice(2)}`;
    return random() < 0.6 ? pick(pick(PLACES, random), random) : pick(villages, random);
  };
  const numberBits = (): string => {
    const r = random();
    const year = 2003 + Math.floor(random() * 22);
    if (r < 0.4) return `Case IQ-${year}-${String(Math.floor(random() * 100_000)).padStart(5, '0')}`;
    if (r < 0.7) return `${1 + Math.floor(random() * 28)}/${1 + Math.floor(random() * 12)}/${year}`;
    return `${Math.floor(random() * 5000)},${String(Math.floor(random() * 1000)).padStart(3, '0')} dinars`;
  };
  const withTypos = (sentence: string): string =>
    sentence.replace(/[\p{L}]{5,}/gu, (w) => (random() < 0.006 ? misspell(w, random) : w));

  return {
    next(): BenchDoc {
      const r = random();
      const language: 'en' | 'ar' = r < 0.2 ? 'ar' : 'en';
      const fromSpam = language === 'en' && r > 0.85;
      let title: string;
      let body: string;
      if (fromSpam) {
        const message = pick(spam, random);
        const nl = message.indexOf('\n');
        title = message.slice(0, nl).trim().slice(0, 120) || 'No subject';
        body = withTypos(message.slice(nl + 1));
      } else {
        const length = 5 + Math.floor(random() * 26);
        const pool = language === 'ar' ? arabic.length : english.length;
        const start = Math.floor(random() * (pool - length));
        const sentences = language === 'ar' ? arabic.slice(start, start + length).map((v) => v.text) : english.slice(start, start + length).map(withTypos);
        const words = (sentences[0] ?? '').split(/\s+/).slice(0, 4 + Math.floor(random() * 6)).join(' ').replace(/[.,;:"']+$/, '');
        title = words || 'Untitled';
        body = sentences.join(' ');
      }
      const people = Array.from({ length: 1 + Math.floor(random() * 3) }, () => person(language));
      const places = Array.from({ length: 1 + Math.floor(random() * 2) }, () => place(language));
      // Names, places and numbers also run through the text, as in reporting.
      const extra =
        language === 'ar'
          ? ` قال ${pick(ARABIC_CLITICS, random)}${people[0]} في ${pick(ARABIC_CLITICS, random)}${places[0]} إن ${numberBits()}.`
          : ` ${people[0]} said in ${places[0]} that ${numberBits()} was recorded. ${people[people.length - 1]} confirmed it.`;
      body += extra;
      if (random() < 0.2) title = language === 'ar' ? `${people[0]} في ${places[0]}` : `${people[0]} visits ${places[0]}`;
      let u = random();
      let kind: ItemKind = 'article';
      for (const [k, p] of KINDS) {
        if (u < p) {
          kind = k;
          break;
        }
        u -= p;
      }
      const year = 2003 + Math.floor(random() * 22);
      const eventDate = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const tagList = Array.from({ length: Math.floor(random() * 4) }, () => zipf(tags, random));
      const collectionList = random() < 0.3 ? [zipf(collections, random)] : [];
      return { kind, language, title: title.slice(0, 200), body, people: people.join('; '), place: places.join('; '), eventDate, tags: [...new Set(tagList)], collections: collectionList };
    },
  };
}
