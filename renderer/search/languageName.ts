// Language codes as names in the reader's language, for the language facet and the query help.
// One Intl.DisplayNames per language: building one costs far more than asking it (see format.ts).
const displayNames = new Map<string, Intl.DisplayNames | null>();

/** "ar" as "Arabic" (or "العربية"), from the browser's own locale data; the code if unknown. */
export function languageName(code: string, lang: string): string {
  let names = displayNames.get(lang);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([lang], { type: 'language' });
    } catch {
      names = null;
    }
    displayNames.set(lang, names);
  }
  try {
    return names?.of(code) ?? code;
  } catch {
    // A malformed code (facet values are archive data) is shown as it is.
    return code;
  }
}
