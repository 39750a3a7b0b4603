// Languages: English and Arabic, one JSON file per namespace and language (renderer/locales/<lang>/<ns>.json).
// Arabic turns the whole document right to left; dates and numbers follow the chosen language.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'sijil.language';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

// Every locale file is bundled: the app is offline and a language switch must be instant.
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

function collect(): Resources {
  const resources: Resources = {};
  for (const [path, data] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, lang, ns] = match as unknown as [string, string, string];
    (resources[lang] ??= {})[ns] = data;
  }
  return resources;
}

export function savedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  } catch {
    // Storage can be unavailable (a locked-down profile); the browser's language is the fallback.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

export function isRtl(lang: string): boolean {
  return /^(ar|fa|ur|he|ckb|ps|yi|dv|sd|ug)(-|$)/i.test(lang);
}

function applyToDocument(lang: string): void {
  const html = document.documentElement;
  const dir = isRtl(lang) ? 'rtl' : 'ltr';
  // Set only when it changes (index.html has them at launch): Chromium restyles the whole page on
  // any set of either, even to the value it has.
  if (html.lang !== lang) html.lang = lang;
  if (html.dir !== dir) html.dir = dir;
}

const resources = collect();

void i18next.use(initReactI18next).init({
  resources,
  lng: savedLanguage(),
  fallbackLng: 'en',
  ns: Object.keys(resources.en ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes every text node already
  returnNull: false,
  react: { useSuspense: false },
});
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not saved; the choice still holds for this session.
  }
  void i18next.changeLanguage(lang);
}

export default i18next;
