// Typo and transliteration tolerance: a query term with few exact hits is widened to near terms
// from the index's own vocabulary (search_terms, kept by search/indexer.ts), so `kazimi`
// also finds `kadhimi` and `ساجد` finds `سجاد`, and the caller can say which terms it used.
//
// Why not fuse.js over the vocabulary: ENVIRONMENT.md measured ~110 ms per search over 100k terms
// (it scans the whole list) and its ranking is not edit distance (`wtih` put `growth` before
// `with`). Here SQL narrows the vocabulary (search_terms, every word the index has held) to a few
// first-letter ranges of plausible length, then every candidate is scored by a real edit distance
// with a cutoff, on the raw term and on a transliteration "skeleton" that makes spellings of the
// same name meet; only the few near enough have their documents counted, and counting stops
// early (fts5vocab would walk every candidate's postings: a large part of the index).
// The same name in the other script (Kadhimi, الكاظمي) is found by search/crossScript.ts, for a
// rare term, and for a common one written as a name: in an archive of Iraq a name is in both.
import type { Node } from '../../../shared/query.ts';
import { stemToken } from '../../../shared/stem.ts';
import { sql, type Db } from '../db/connection.ts';
import { ARABIC, crossScriptTerms, timesNamed } from './crossScript.ts';
import { termsStartingWith } from './vocabulary.ts';

export interface WidenedTerm {
  /** A term of the index (normalised, as search_fts holds it). */
  readonly term: string;
  /** How many documents contain it, counted up to DOCS_CAP. */
  readonly docs: number;
  /** Edit distance (Damerau, adjacent transpositions) between the typed term and this one. */
  readonly distance: number;
  /** Edit distance between their skeletons (see skeleton()), capped at 2; 0 for spellings of one name. */
  readonly skeletonDistance: number;
}

export interface WidenOptions {
  /** At most this many near terms (default 5). */
  readonly limit?: number;
  /** Read at most this many vocabulary terms before scoring (default 2,000). */
  readonly maxCandidates?: number;
  /** Only other spellings of the name typed (isSpellingOfName), not near words: for a common name. */
  readonly spellingsOnly?: boolean;
}

/** A term of the index to search as well as the one typed. */
export interface NearTerm {
  readonly term: string;
  /** How many documents contain it, counted up to DOCS_CAP. */
  readonly docs: number;
}

export interface Expansion {
  /** The term as typed (normalised). */
  readonly term: string;
  /** Documents that contain it exactly. */
  readonly docs: number;
  /** Near terms to OR in: near spellings best first, then the name in the other script; never empty. */
  readonly alternatives: readonly NearTerm[];
}

/** At most this many spellings of a name in the other script, those in most documents. */
export const CROSS_SCRIPT_LIMIT = 3;

/**
 * Whether most items that have this Latin word write it as a name (capitalised inside a sentence,
 * or in their people, place or source): Basra, Kadhimi; not between, would or water,
 * however many titles and headings capitalise them somewhere.
 */
export function writtenAsName(db: Db, term: string): boolean {
  const named = timesNamed(db, term);
  // Its documents counted only as far as the answer needs: twice the named ones, and one more.
  return named > 0 && termDocs(db, term, 2 * named + 1) <= 2 * named;
}

/**
 * Terms of the other script that sound like `term` (search/crossScript.ts), in most documents
 * first. With `namesOnly`, only through a Latin word written as a name (writtenAsName): the typed
 * word when it is Latin, else each Latin word found.
 */
export function otherScriptTerms(db: Db, term: string, namesOnly = false, typedIsName?: boolean): NearTerm[] {
  if (namesOnly && !ARABIC.test(term) && !(typedIsName ?? writtenAsName(db, term))) return [];
  const counted = crossScriptTerms(db, term)
    .filter((t) => !namesOnly || ARABIC.test(t) || writtenAsName(db, t))
    .map((t) => ({ term: t, docs: termDocs(db, t) }))
    .filter((t) => t.docs > 0)
    .sort((x, y) => y.docs - x.docs || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  // One form per stem, the one in most documents: the search matches by stem, so والموصل adds
  // nothing to الموصل.
  const byStem = new Map<string, NearTerm>();
  for (const t of counted) {
    const stem = stemToken(t.term);
    if (!byStem.has(stem)) byStem.set(stem, t);
  }
  return [...byStem.values()].slice(0, CROSS_SCRIPT_LIMIT);
}

/** Shortest term worth widening: a two-letter word is one edit from dozens of others. */
export const MIN_WIDEN_LENGTH = 3;

/**
 * The letters a term's edits are counted against. An Arabic word's article is not what anyone
 * misspells: الشرطة is a word of four letters, and with six it was allowed two edits, which made
 * الشيطن and الشر "near" it.
 */
function spelledLength(term: string): number {
  return ARABIC.test(term) && term.startsWith('ال') && term.length > 4 ? term.length - 2 : term.length;
}

/**
 * How many edits a term may be from what was typed. Short words get one edit: more and `cat`
 * becomes `dog`. Arabic writes no short vowels, so each letter carries more of the word: two
 * edits at most, and one up to five letters (حكومه is one edit from حكمه already).
 */
export function maxDistance(term: string): number {
  const length = spelledLength(term);
  if (ARABIC.test(term)) return length <= 5 ? 1 : 2;
  return length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * Is a candidate near enough to the typed term to be offered? Either close as typed, or a spelling
 * with the same skeleton at most one edit further (Kadhemi → Kazimi is three edits). Short terms
 * must be close as typed: their skeletons are a letter or two and meet too much (teh → t).
 * Skeletons merely close do not count either: dropping vowels lets `nassiriya` meet `nasser`.
 */
export function isNear(distance: number, skeletonDistance: number, term: string): boolean {
  const max = maxDistance(term);
  return distance <= max || (spelledLength(term) >= 4 && skeletonDistance === 0 && distance <= max + 1);
}

/**
 * Is a candidate another spelling of the name typed, close enough to search for whenever the name
 * is searched, however common: the same skeleton and within the edits a typo gets (Kadhimi and
 * Kazimi, Nasiriyah and Nassiriya; not Basra and Bashir, three edits apart).
 */
function isSpellingOfName(distance: number, skeletonDistance: number, term: string): boolean {
  return spelledLength(term) >= 4 && skeletonDistance === 0 && distance <= maxDistance(term);
}

/**
 * Letters one sound is written with, in romanisations of Arabic and Persian names and in Arabic
 * misspellings: a term starting with one may be meant as starting with any other. ذ/ز/ظ/ض/د
 * are one sound in Iraqi speech and often confused in writing; ق is said g and written ك or گ.
 */
const FIRST_LETTER_CLASSES: readonly string[] = [
  'kqgc', 'dtz', 'sc', 'aeiou', 'jg', 'wvuo', 'fp', 'bp',
  'سصث', 'تط', 'دذزظض', 'هحخ', 'كقگ', 'جچ', 'اع', 'يئ', 'وؤ', 'فڤ', 'بپ',
];

function firstLetterVariants(letter: string): string[] {
  const out = new Set<string>([letter]);
  for (const group of FIRST_LETTER_CLASSES) if (group.includes(letter)) for (const ch of group) out.add(ch);
  return [...out];
}

/**
 * A transliteration-blind form of a normalised term: spellings of one name meet here (Kadhimi,
 * Kazimi, Kadhemi → kzm; Nasiriyah, Nassiriya → nsry; Dhi, Thi → z; ساجد, سجاد → سجد).
 * Only ever compared with other skeletons.
 */
export function skeleton(term: string): string {
  if (ARABIC.test(term)) {
    // Long vowels are where Arabic spellings of a name differ (ساجد/سجاد), and the letters of one
    // Iraqi sound are interchanged; the first letter keeps its vowel (it may be the word's start).
    const folded = term.replace(/[صث]/g, 'س').replace(/ط/g, 'ت').replace(/[ذظضد]/g, 'ز').replace(/[قگ]/g, 'ك').replace(/ئ/g, 'ي').replace(/ؤ/g, 'و').replace(/چ/g, 'ج');
    return collapse(folded.slice(0, 1) + folded.slice(1).replace(/[اوي]/g, ''));
  }
  let s = term
    .replace(/([aeiou])h$/, '$1') // -ah/-eh: Nasiriyah, Nasiriya
    .replace(/dh|th|ḏ/g, 'z') // ذ is written dh, th, z, d
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/sh/g, 's')
    .replace(/ph/g, 'f')
    .replace(/ck|q|c/g, 'k');
  s = collapse(s);
  const first = /[aeiou]/.test(s.charAt(0)) ? 'a' : s.charAt(0); // Osama, Usama
  // A final -i or -y is the nisba ending, which makes a family name of a first name or a place:
  // Kadhimi and Kazimi are one name, Kadhim another; al-Baghdadi is not Baghdad.
  const nisba = s.length > 3 && /[iy]$/.test(s) ? 'i' : '';
  const body = nisba ? s.slice(1, -1) : s.slice(1);
  return collapse(first + body.replace(/[aeiou]/g, '')) + nisba;
}

function collapse(s: string): string {
  return s.replace(/(.)\1+/gu, '$1');
}

// Reused between calls: widenTerm scores thousands of candidates per call.
let rowPrev2 = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions cost one),
 * or cutoff + 1 as soon as it must exceed cutoff. UTF-16 units: the scripts this widens are BMP.
 */
export function editDistance(a: string, b: string, cutoff: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > cutoff) return cutoff + 1;
  if (m + 1 > rowCur.length) {
    rowPrev2 = new Int32Array(m + 1);
    rowPrev = new Int32Array(m + 1);
    rowCur = new Int32Array(m + 1);
  }
  let p2 = rowPrev2;
  let p1 = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= m; j++) p1[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((p1[j] as number) + 1, (cur[j - 1] as number) + 1, (p1[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, (p2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cutoff) return cutoff + 1;
    const t = p2;
    p2 = p1;
    p1 = cur;
    cur = t;
  }
  const d = p1[m] as number;
  return d > cutoff ? cutoff + 1 : d;
}

/** Counting a term's documents stops here: beyond it, the order among candidates does not matter. */
export const DOCS_CAP = 1000;

/** Documents containing exactly this term (0 when the index does not have it), counted up to `cap`. */
export function termDocs(db: Db, term: string, cap = DOCS_CAP): number {
  return sql(db, 'SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?)')
    .pluck()
    .get(`"${term.replaceAll('"', '""')}"`, cap) as number;
}

/**
 * Up to `limit` terms of the index near `term` (a normalised token), closest first, then those
 * in more documents; never the term itself. Empty for terms too short to widen or with digits
 * (2019 is not a typo of 2018).
 */
export function widenTerm(db: Db, term: string, options: WidenOptions = {}): WidenedTerm[] {
  const limit = options.limit ?? 5;
  const maxCandidates = options.maxCandidates ?? 2000;
  if (term.length < MIN_WIDEN_LENGTH || /\p{N}/u.test(term)) return [];
  const max = maxDistance(term);
  const accepts = options.spellingsOnly ? isSpellingOfName : isNear;
  const termSkeleton = skeleton(term);
  // Skeleton matches may be one edit further as typed (isNear), so lengths within max + 1.
  const minLength = Math.max(2, term.length - max - 1);
  const maxLength = term.length + max + 1;
  const seen = new Set<string>([term]);
  const near: Omit<WidenedTerm & { key: number }, 'docs'>[] = [];
  // The budget bounds the latency: a range of search_terms costs well under a microsecond a row.
  const scan = (prefix: string, budget: number): number => {
    const rows = termsStartingWith(db, prefix, minLength, maxLength, budget);
    for (const candidate of rows) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      const distance = editDistance(term, candidate, max + 1);
      if (distance > max + 1) continue;
      const skeletonDistance = editDistance(termSkeleton, skeleton(candidate), 1);
      if (!accepts(distance, skeletonDistance, term)) continue;
      // A shared skeleton counts like one edit: Kazimi → Kadhimi (two edits) is as good a guess as
      // a one-letter typo.
      near.push({ term: candidate, distance, skeletonDistance, key: Math.min(distance, skeletonDistance + 1) });
    }
    return rows.length;
  };
  // A leading ال is the article, not the first letter of the name: vary the letter after it.
  const arabic = ARABIC.test(term);
  const article = arabic && term.startsWith('ال') && term.length > 4 ? 'ال' : '';
  const first = term.charAt(article.length);
  const second = term.charAt(article.length + 1);
  const third = term.charAt(article.length + 2);
  const firsts = firstLetterVariants(first);
  // First, small slices scanned whole: the first letter or its variants followed by the typed
  // second letter, any vowel in its place (Kazimi/Kezimi; in Arabic a long vowel added or moved,
  // ساجد/سجاد), or the typed third letter.
  // The third letter in second place covers a swap (teh/the, wtih/with) or a dropped letter.
  const seconds = new Set<string>([second, third]);
  if (!arabic && 'aeiou'.includes(second)) for (const v of 'aeiou') seconds.add(v);
  if (arabic) for (const v of 'اوي') seconds.add(v);
  let tight = maxCandidates;
  // The slice of the three letters as typed comes first: a typo after them is the usual kind,
  // and a two-letter slice of a large vocabulary (co…, al…) can fill the budget before its
  // alphabetical turn to what was meant comes.
  if (term.length - article.length >= 5) tight -= scan(article + term.slice(article.length, article.length + 3), tight);
  for (const f of firsts) for (const s2 of seconds) if (tight > 0) tight -= scan(article + f + s2, tight);
  // Then the typed first letter's whole range, for a typo in the second letter (wtih, teh), as
  // far as the budget goes: in a large vocabulary one letter's range can exceed it. A variant
  // first letter AND a wrong second letter is too far a guess to pay for.
  // Skipped when the slices already gave a one-edit guess: the range is most of the cost (at 100k
  // documents a letter's range holds tens of thousands of words), and a typo past the second
  // letter, the usual kind, is in the slices.
  if (!near.some((c) => c.key <= 1)) scan(article + first, maxCandidates);
  // Documents are counted (an index lookup each) only for the closest candidates: those as close
  // as the limit-th, a few times the limit at most; the count orders them within a distance.
  near.sort((x, y) => x.key - y.key || x.distance - y.distance || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  const scored: (WidenedTerm & { key: number })[] = [];
  const cutoff = near[limit - 1]?.key ?? Number.POSITIVE_INFINITY;
  for (const c of near) {
    if (scored.length >= 4 * limit || (c.key > cutoff && scored.length >= limit)) break;
    // A word whose every document was deleted or edited away stays in search_terms.
    const docs = termDocs(db, c.term);
    if (docs > 0) scored.push({ ...c, docs });
  }
  scored.sort((x, y) => x.key - y.key || y.docs - x.docs || x.distance - y.distance || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  // Once a spelling of the same name is found (Sajad → Sajjad), words that are merely two letters
  // off and sound different (said, saved) are other words, not what was meant: in a large archive
  // they would bury the name's few documents under common ones.
  const sameName = scored.some((c) => c.skeletonDistance === 0);
  return scored
    .filter((c) => !sameName || c.skeletonDistance === 0 || c.distance < 2)
    .slice(0, limit)
    .map(({ term: t, docs, distance, skeletonDistance }) => ({ term: t, docs, distance, skeletonDistance }));
}

/**
 * For each term, the near terms to search as well: for a term in fewer than `minHits` documents
 * that `rare` also calls rare (the search counts its other forms too), its near spellings and the
 * same name in the other script. A common word is widened only as a name (writtenAsName): to its
 * other Latin spellings (Kadhimi, Kazimi) and the same name in the other script (one lookup,
 * search/crossScript.ts); "between" gets neither بطون nor "betwixt".
 * Terms with nothing near are left out, so an empty result means "search as typed".
 */
export function expansionsFor(db: Db, terms: readonly string[], minHits = 3, options: WidenOptions = {}, rare: (term: string) => boolean = () => true): Expansion[] {
  const out: Expansion[] = [];
  for (const term of new Set(terms)) {
    const docs = termDocs(db, term, minHits);
    const few = docs < minHits && rare(term);
    const name = !few && !ARABIC.test(term) && writtenAsName(db, term);
    const spellings = few ? widenTerm(db, term, options) : name ? widenTerm(db, term, { ...options, spellingsOnly: true }) : [];
    const alternatives: NearTerm[] = [...spellings, ...otherScriptTerms(db, term, !few, name)];
    if (alternatives.length > 0) out.push({ term, docs, alternatives });
  }
  return out;
}

/**
 * The terms of a query tree that may be widened: whole words the hits must contain. Prefix terms
 * already match many words, excluded words would exclude more than asked, and phrase words are
 * left as typed (a phrase is a quoted, deliberate spelling).
 */
export function widenableTerms(node: Node | null): string[] {
  if (node === null) return [];
  switch (node.type) {
    case 'term':
      return node.prefix ? [] : [node.text];
    case 'and':
    case 'or':
      return node.children.flatMap(widenableTerms);
    case 'phrase':
    case 'not':
    case 'filter':
      return [];
  }
}
