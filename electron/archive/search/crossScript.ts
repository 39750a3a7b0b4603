// Names across scripts: a researcher types Kadhimi and the testimony says الكاظمي, or types
// الناصرية and the article says Nasiriyah. Both spellings are brought to one "sound key" made of
// the consonants as romanisations of Arabic write them (Kadhimi, Kazimi, الكاظمي → kzm;
// Nasiriyah, الناصرية → nsr; Baghdad, بغداد → bgz), and the index's vocabulary in the other script
// is searched for words with the same key that end alike (Kadhimi in a vowel, so not قدم).
//
// Why consonants first: Arabic leaves short vowels unwritten and writes long ones with letters that
// are also consonants (و w/u, ي y/i), so vowels are where the two spellings of a name disagree.
// Only a long vowel on one side with none at all on the other tells two names apart.
// Why classes, not letters: one Arabic letter has several romanisations (ظ: dh, z, d; ق: q, k, g),
// and the letters of one Iraqi sound are interchanged. Keys must match exactly and have three
// consonants or more: two (`ali`, `sa'ad`) meet common words (على "on", سعد) too often.
import { normalizeText, tokenize } from '../../../shared/normalize.ts';
import { withoutLatinArticle } from '../../../shared/query.ts';
import { sql, type Db } from '../db/connection.ts';

/** A term with an Arabic letter in it (the index's terms are of one script). */
export const ARABIC = /[\u0600-\u06ff]/;

/** The class each Arabic letter (as normalised: ة → ه, ى → ي, alef forms → ا) is romanised as; '' for a vowel or its carrier. */
const ARABIC_CLASS = new Map<string, string>([
  ...pairs('بپ', 'b'), ...pairs('تط', 't'), ...pairs('ثذظضدز', 'z'), ...pairs('سصش', 's'), ...pairs('جچ', 'j'),
  ...pairs('كقگ', 'k'), ['خ', 'x'], ['غ', 'g'], ...pairs('حه', 'h'), ...pairs('فڤ', 'f'),
  ['ل', 'l'], ['م', 'm'], ['ن', 'n'], ['ر', 'r'], ['و', 'w'], ['ي', 'y'], ...pairs('اعءئؤ', ''),
]);

/** Latin digraphs first (dh before d), then single letters; '' for a vowel. */
const LATIN_SOUNDS: readonly (readonly [string, string])[] = [
  ['dh', 'z'], ['th', 'z'], ['kh', 'x'], ['gh', 'g'], ['sh', 's'], ['ch', 'j'], ['dj', 'j'], ['ph', 'f'], ['ck', 'k'],
  ...pairs('bp', 'b'), ['t', 't'], ...pairs('dz', 'z'), ['s', 's'], ['j', 'j'], ...pairs('kqgc', 'k'), ['x', 'x'],
  ['h', 'h'], ...pairs('fv', 'f'), ['l', 'l'], ['m', 'm'], ['n', 'n'], ['r', 'r'], ['w', 'w'], ['y', 'y'],
  ...pairs('aeiou', ''),
];

function pairs(letters: string, sound: string): [string, string][] {
  return [...letters].map((l) => [l, sound]);
}

/** The Arabic article and the particles written onto it (والناصرية, بالناصرية, للناصرية), longest first. */
const ARTICLES = ['وبال', 'فبال', 'وال', 'فال', 'بال', 'كال', 'ولل', 'فلل', 'ال', 'لل'];
const ARTICLE = new RegExp(`^(?:${ARTICLES.join('|')})`, 'u');

/** Shortest key worth matching across scripts (see above). */
export const MIN_KEY_LENGTH = 3;

/**
 * How a word ends, as the letters a spelling of it may end with: i, u, a (vowels), c (a consonant)
 * and y, the -iya of place names and nisbas (Nasiriya, الناصرية, not نصيرا; Suriya, سوريا).
 */
function latinEnding(word: string): string {
  if (/(?:iy*|y+)a$|iy+e$/.test(word)) return 'y';
  const last = word.charAt(word.length - 1);
  if ('iy'.includes(last)) return 'i';
  if ('uow'.includes(last)) return 'u';
  if (last === 'a') return 'a';
  return last === 'e' ? 'iac' : 'c'; // Kadhime, Rabie: an e may be silent or a vowel
}

function arabicEnding(word: string): string {
  const last = word.charAt(word.length - 1);
  if (word.length > 2 && word.charAt(word.length - 2) === 'ي' && (last === 'ه' || last === 'ا')) return 'y';
  if (last === 'ي') return 'ia'; // also ى (folded to ي), said a: مصطفى, Mustafa
  if (last === 'و') return 'uc';
  if ('اءه'.includes(last)) return 'a'; // final ه is ة, said a or ah: البصرة, Basra
  return last === 'ع' ? 'ac' : 'c';
}

export interface Sound {
  /** The consonants, as classes; a first vowel as 'a'. */
  readonly key: string;
  /**
   * After each consonant of the key, the vowels before the next: '' none, 'v' one Latin vowel
   * letter, 'L' a long vowel (an Arabic long vowel letter; two Latin vowel letters, as in Hussein).
   */
  readonly gaps: readonly string[];
  /** The ways the word can end (see latinEnding): Kadhimi ends in a vowel, قدم in a consonant. */
  readonly ends: string;
}

const LATIN_DIGRAPHS = new Map(LATIN_SOUNDS.filter(([letters]) => letters.length === 2));
const LATIN_LETTERS = new Map(LATIN_SOUNDS.filter(([letters]) => letters.length === 1));

/**
 * The sound of a normalised term, or null when it has none: digits or letters of neither script.
 * An article is left on a word that would be one letter without it (ال, الف). A first vowel counts (as 'a': Osama, Usama, أسامة;
 * Abbas, عباس); w and y after the first letter count as vowels (Hussein, Husayn, حسين).
 * With `wanted`, also null as soon as the key cannot be that one.
 */
export function soundOf(term: string, wanted?: string): Sound | null {
  let key = '';
  const gaps: string[] = [];
  let vowels = 0;
  let long = false;
  const closeGap = () => {
    if (key.length > 0) gaps.push(long || vowels >= 2 ? 'L' : vowels === 1 ? 'v' : '');
    vowels = 0;
    long = false;
  };
  // One letter's sound: a consonant class, or '' with a vowel ('v' a Latin vowel letter, 'L' an
  // Arabic long vowel). False once the key can no longer be `wanted`.
  const add = (consonant: string, vowel: '' | 'v' | 'L'): boolean => {
    if (vowel !== '') {
      if (key.length === 0) key = 'a';
      else if (vowel === 'L') long = true;
      else vowels++;
    } else {
      // A letter written twice is one sound (Hussein, Saddam); Arabic does not write it twice.
      if (vowels === 0 && !long && key.endsWith(consonant)) return true;
      closeGap();
      key += consonant;
    }
    return wanted === undefined || wanted.startsWith(key);
  };
  let ends: () => string;
  if (ARABIC.test(term)) {
    const bare = term.length - (ARTICLE.exec(term)?.[0].length ?? 0) >= 2 ? term.replace(ARTICLE, '') : term;
    for (let i = 0; i < bare.length; i++) {
      const letter = bare.charAt(i);
      const sound = ARABIC_CLASS.get(letter);
      if (sound === undefined) return null;
      // A final ه is almost always ة, which romanisations write as a vowel or leave out.
      if (i > 0 && i === bare.length - 1 && letter === 'ه') continue;
      const vowel = sound === '' || (i > 0 && (sound === 'w' || sound === 'y'));
      if (!add(vowel ? '' : sound, vowel ? 'L' : '')) return null;
    }
    ends = () => arabicEnding(bare);
  } else {
    if (!/^[a-z]+$/.test(term)) return null;
    // -ah, -eh: Nasiriyah as Nasiriya.
    const word = term.length > 2 && term.endsWith('h') && 'aeiou'.includes(term.charAt(term.length - 2)) ? term.slice(0, -1) : term;
    for (let i = 0; i < word.length; ) {
      const digraph = LATIN_DIGRAPHS.get(word.slice(i, i + 2));
      const letter = word.charAt(i);
      // A c before e, i or y is said s (police); elsewhere k (Qasim, Casim).
      const sound = digraph ?? (letter === 'c' && 'eiy'.includes(word.charAt(i + 1)) ? 's' : (LATIN_LETTERS.get(letter) as string));
      const vowel = sound === '' || (i > 0 && (sound === 'w' || sound === 'y'));
      if (!add(vowel ? '' : sound, vowel ? 'v' : '')) return null;
      i += digraph === undefined ? 1 : 2;
    }
    ends = () => latinEnding(word);
  }
  closeGap();
  if (wanted !== undefined && key !== wanted) return null;
  return { key, gaps, ends: ends() };
}

/**
 * Whether two sounds can be one name: the same consonants, endings that agree, and no long vowel
 * one spelling has where the other has none (Hussein is not حسن; Kadhimi may write كاظمي's ا as a).
 */
export function sameSound(a: Sound, b: Sound): boolean {
  if (a.key !== b.key || ![...a.ends].some((e) => b.ends.includes(e))) return false;
  return a.gaps.every((gap, i) => {
    const other = b.gaps[i] ?? '';
    return !(gap === 'L' && other === '') && !(other === 'L' && gap === '');
  });
}

/** The version of soundOf's rules: the keys in search_sounds were made by them (indexer SEARCH_FORMAT). */
export const SOUND_VERSION = 1;

/**
 * The key a term of the vocabulary is filed under in search_sounds (migration 9), or null when it
 * has no sound worth matching: its script ('a:' Arabic, 'l:' Latin) and its sound key, so the
 * lookup reads only words of the other script.
 */
export function soundKey(term: string): string | null {
  const sound = matchableSound(term);
  return sound === null ? null : filedAs(ARABIC.test(term), sound.key);
}

/** The sound of a term, or null when it has none or one too short to match across scripts. */
function matchableSound(term: string): Sound | null {
  const sound = soundOf(term);
  return sound !== null && sound.key.length >= MIN_KEY_LENGTH ? sound : null;
}

function filedAs(arabic: boolean, key: string): string {
  return `${arabic ? 'a' : 'l'}:${key}`;
}

/**
 * Terms of the index in the other script with the same sound as `term` (a normalised token),
 * unordered: one lookup of its key in search_sounds, then sameSound on each word found there.
 * Empty when its key is too short or it has none.
 */
export function crossScriptTerms(db: Db, term: string): string[] {
  const sound = matchableSound(term);
  if (sound === null) return [];
  const other = filedAs(!ARABIC.test(term), sound.key);
  const found: string[] = [];
  for (const candidate of sql(db, 'SELECT term FROM search_sounds WHERE sound = ?').pluck().all(other) as string[]) {
    const theirs = soundOf(candidate, sound.key);
    if (theirs !== null && sameSound(sound, theirs)) found.push(candidate);
  }
  return found;
}

/** How many items write this word as a name (search_names, kept by the indexer with nameWords). */
export function timesNamed(db: Db, term: string): number {
  return sql(db, 'SELECT count(*) FROM search_names WHERE term = ?').pluck().get(term) as number;
}

/**
 * Fields of an item whose every word is a name: who, where, which outlet or author. (Not the
 * speaker's: it holds the relation to the case too, "brother of the victim".)
 */
const NAME_FIELDS = new Set(['people', 'place', 'source']);

/**
 * A capitalised word inside a sentence (after a lower-case letter, a digit or a comma and spaces:
 * the first word of a sentence or a title says nothing), or one joined by a hyphen to a short
 * lower-case word, which is kept when that word is the article (al-Kadhimi, as-Sadr; not
 * anti-Corruption). One pass over the text for both.
 */
const WRITTEN_AS_NAME = /\p{Lu}(?<=[\p{Ll}\p{N},;:)]\s+\p{Lu})[\p{L}\p{M}]*|(?<![\p{L}\p{M}])\p{Ll}{2,3}[-\u2010\u2011]\p{Lu}[\p{L}\p{M}]*/gu;

/**
 * The Latin words an item writes as names, as the index holds them (normalised tokens with a
 * sound key): every word of its people, place and source, and every word capitalised inside a
 * sentence of its texts. Arabic has no capitals; a name in it is found from its Latin side.
 */
export function nameWords(item: { readonly meta: readonly { name: string; text: string | null }[]; readonly body: readonly { text: string | null }[] }): Set<string> {
  // A transcript says the same few names thousands of times: each spelling is normalised once.
  const written = new Set<string>();
  for (const f of item.meta) if (f.text && NAME_FIELDS.has(f.name)) written.add(f.text);
  for (const f of item.body) {
    if (!f.text) continue;
    for (const [word] of f.text.matchAll(WRITTEN_AS_NAME)) {
      if (!/\p{Ll}/u.test(word.charAt(0))) written.add(word);
      else {
        // The search's own rule of what an article is (shared/query.ts).
        const name = withoutLatinArticle(word);
        if (name !== word) written.add(name);
      }
    }
  }
  const out = new Set<string>();
  for (const text of written) for (const t of tokenize(normalizeText(text))) if (!ARABIC.test(t) && soundKey(t) !== null) out.add(t);
  return out;
}
