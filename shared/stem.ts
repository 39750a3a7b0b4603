// Light stemming of normalised tokens, so that a word finds its other forms: Arabic attaches
// clitics and endings to words (بالناصرية "in Nasiriyah", والمظاهرات "and the protests"), English
// inflects (protests, protesting, protested). Search indexes the stem of every token beside the
// token itself; exact surface matches still rank first (electron/archive/search/basic.ts).
// Runs in the browser too: no Node imports.
//
// Arabic: the "light10" rules of Larkey, Ballesteros and Connell ("Light Stemming for Arabic
// Information Retrieval", 2007; the rules behind Lucene's ArabicStemmer), written here from the
// published description, applied once each, in this order:
//   1. a leading و ("and") goes if at least 3 letters remain: many words start with و, hence the
//      stricter guard than for the articles;
//   2. one definite article (ال وال بال كال فال لل) goes if at least 2 letters remain;
//   3. the suffixes ها ان ات ون ين يه ية ه ة ي are tried once each, in that order, each removed
//      when the word ends with it and at least 2 letters remain.
// The algorithm's own normalisation (no tashkeel or tatweel, one alef, ى → ي, ة → ه) is what
// shared/normalize.ts already did to the token, so ية and ة never occur here; they stay in the
// list as published. بالناصرية, الناصرية, ناصرية and الناصري all become ناصر.
//
// English: Porter's algorithm (1980), from the npm package `stemmer`, for tokens of a-z only.
// Other tokens (digits, other scripts, mixed) are their own stem.
import { stemmer as porter } from 'stemmer';

/** Stored with the index: changing what a stem is changes the stem index, so bump it to rebuild. */
export const STEM_VERSION = 1;

const WAW = 'و';
const ARTICLES = ['ال', 'وال', 'بال', 'كال', 'فال', 'لل'] as const;
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ية', 'ه', 'ة', 'ي'] as const;

/** Letters of the Arabic block (hamza to yeh, and the extended letters): a token of these is stemmed. */
const ARABIC_WORD = /^[\u0621-\u064a\u066e-\u06d3]+$/;
const LATIN_WORD = /^[a-z]+$/;

/** light10 on a normalised Arabic word (see the top of this file). */
export function stemArabic(word: string): string {
  let w = word;
  if (w.length >= 4 && w.startsWith(WAW)) w = w.slice(1);
  for (const article of ARTICLES) {
    if (w.length >= article.length + 2 && w.startsWith(article)) {
      w = w.slice(article.length);
      break;
    }
  }
  for (const suffix of SUFFIXES) {
    if (w.length >= suffix.length + 2 && w.endsWith(suffix)) w = w.slice(0, -suffix.length);
  }
  return w;
}

/** Porter's stem of a lower-case English word. */
export function stemEnglish(word: string): string {
  return word.length <= 2 ? word : porter(word);
}

// Stemming runs for every token indexed; text repeats its words (Zipf), so a cache pays.
const cache = new Map<string, string>();
const CACHE_MAX = 200_000;

/**
 * The stem of one normalised token (as tokenize(normalizeText(...)) gives it): Arabic by light10,
 * a-z by Porter, anything else unchanged. Never empty, and always a single token again.
 */
export function stemToken(token: string): string {
  let stem = cache.get(token);
  if (stem !== undefined) return stem;
  if (LATIN_WORD.test(token)) stem = stemEnglish(token);
  else if (ARABIC_WORD.test(token)) stem = stemArabic(token);
  else stem = token;
  if (stem.length === 0) stem = token;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(token, stem);
  return stem;
}

/**
 * What a prefix typed in a query (nasir*, الناصر*) becomes in the stem index: Arabic loses its
 * leading و and article, so الناصر* also finds بالناصرية (stem ناصر); endings are not touched
 * (the word is unfinished). Latin prefixes stay as typed: Porter changes endings, not beginnings.
 */
export function stemPrefix(prefix: string): string {
  if (!ARABIC_WORD.test(prefix)) return prefix;
  let w = prefix;
  if (w.length >= 4 && w.startsWith(WAW)) w = w.slice(1);
  for (const article of ARTICLES) {
    if (w.length >= article.length + 2 && w.startsWith(article)) return w.slice(article.length);
  }
  return w;
}
