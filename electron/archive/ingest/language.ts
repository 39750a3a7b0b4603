// Language of a text, from its script. Good enough to pick the search stemmer and the reading
// direction; a person corrects it where it is wrong.

// The first few thousand characters tell the script; scanning more only costs time on every import.
const SAMPLE = 8_000;
const ARABIC_LETTER = /(?=\p{L})\p{Script=Arabic}/gu;
const LATIN_LETTER = /(?=\p{L})\p{Script=Latin}/gu;
const LETTER = /\p{L}/gu;

function count(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/**
 * 'ar' when most letters are Arabic-script, 'en' when most are Latin, otherwise null.
 * Latin is taken as English and every Arabic-script text as Arabic: the archive's two search
 * languages. Persian or Kurdish text therefore comes out as 'ar'.
 */
export function guessLanguage(text: string | null | undefined): 'ar' | 'en' | null {
  if (!text) return null;
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const letters = count(sample, LETTER);
  if (letters === 0) return null;
  if (count(sample, ARABIC_LETTER) * 2 > letters) return 'ar';
  if (count(sample, LATIN_LETTER) * 2 > letters) return 'en';
  return null;
}

/** 'ar-IQ', 'EN_us', ' en ' -> 'ar', 'en'; anything that is not a language tag -> null. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}
