// Language of a text, from its script. Good enough to pick the search stemmer and the reading
// direction; a person corrects it where it is wrong.

// The first few thousand characters tell the script; scanning more only costs time on every import.
const SAMPLE = 8_000;
const LETTER = /\p{L}/u;

/** Arabic-script letters and marks (the marks ride on letters, so they never tip the balance alone). */
function isArabicLetter(c: number): boolean {
  if (c >= 0x0600 && c <= 0x06ff) {
    // Signs, punctuation and the two sets of digits in the Arabic block are not letters.
    return !(c <= 0x060f || (c >= 0x061b && c <= 0x061f) || (c >= 0x0660 && c <= 0x066d) || c === 0x06d4 || (c >= 0x06f0 && c <= 0x06f9));
  }
  return (c >= 0x0750 && c <= 0x077f) || (c >= 0x08a0 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
}

/**
 * 'ar' when most letters are Arabic-script, 'en' when most are Latin, otherwise null.
 * Latin is taken as English and every Arabic-script text as Arabic: the archive's two search
 * languages. Persian or Kurdish text therefore comes out as 'ar'. One pass over char codes: this
 * runs on every imported text.
 */
export function guessLanguage(text: string | null | undefined): 'ar' | 'en' | null {
  if (!text) return null;
  const end = Math.min(text.length, SAMPLE);
  let arabic = 0;
  let latin = 0;
  let other = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const lower = c | 0x20;
      if (lower >= 0x61 && lower <= 0x7a) latin++;
    } else if (isArabicLetter(c)) arabic++;
    else if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff)) latin++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      if (LETTER.test(text.slice(i, i + 2))) other++;
      i++;
    } else if (LETTER.test(text[i] as string)) other++;
  }
  const letters = arabic + latin + other;
  if (letters === 0) return null;
  if (arabic * 2 > letters) return 'ar';
  if (latin * 2 > letters) return 'en';
  return null;
}

/** 'ar-IQ', 'EN_us', ' en ' -> 'ar', 'en'; anything that is not a language tag -> null. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}
