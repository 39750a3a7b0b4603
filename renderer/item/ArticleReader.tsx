// An archived article: its sanitised HTML in an iframe that is sandboxed with no permissions at
// all (no script, no same origin, no forms, no top navigation) and whose own CSP lets it load
// nothing but inline data: images and fonts. A tracking pixel in a saved page never calls home.
import naskhUrl from '@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2?url';
import interUrl from '@fontsource/inter/files/inter-latin-400-normal.woff2?url';
import DOMPurify from 'dompurify';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../shared/domain.ts';
import { readingSanitizer } from '../../shared/readingHtml.ts';
import { isRtl } from '../i18n.ts';
import { appliedTheme, onThemeChange, type Theme } from '../theme.ts';
import { TextBody } from './TextBody.tsx';

export const ARTICLE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

// A second pass over the reading copy before it is shown, with the importer's own allowlist
// (shared/readingHtml.ts): a copy can also arrive from a bundle made elsewhere or an archive edited
// behind the app's back, and the sandbox alone still lets a <a ping> or a self-navigating link try
// the network. For a copy the importer made, this pass changes nothing.
let clean: ((input: Node | string) => DocumentFragment) | null = null;

/** The reading copy with nothing left that could run, load or navigate by itself. */
export function readerHtml(html: string): string {
  clean ??= readingSanitizer(DOMPurify(window));
  const holder = document.createElement('div');
  holder.append(clean(html));
  return holder.innerHTML;
}

// The fonts go in as data: URLs: the sandboxed document has an opaque origin and may fetch nothing.
let fontFaces: Promise<string> | null = null;
function loadFontFaces(): Promise<string> {
  const asDataUrl = async (url: string) => {
    const blob = await (await fetch(url)).blob();
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error ?? new Error('font unreadable'));
      reader.readAsDataURL(blob);
    });
  };
  fontFaces ??= Promise.all([asDataUrl(naskhUrl), asDataUrl(interUrl)]).then(
    ([naskh, inter]) =>
      `@font-face{font-family:'Reader Naskh';src:url(${naskh}) format('woff2');unicode-range:U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF;}` +
      `@font-face{font-family:'Reader Inter';src:url(${inter}) format('woff2');}`,
    // Without them the article still reads, in the system's fonts.
    () => '',
  );
  return fontFaces;
}

interface Palette {
  readonly text: string;
  readonly bg: string;
  readonly muted: string;
  readonly accent: string;
  readonly border: string;
}
const PALETTE_VARS: Readonly<Record<keyof Palette, string>> = { text: '--text', bg: '--surface', muted: '--muted', accent: '--accent', border: '--border' };
type Scheme = 'light' | 'dark';
// Only if the stylesheet could not be read: the article still reads in the right scheme.
const FALLBACK: Readonly<Record<Scheme, Palette>> = {
  light: { text: '#1d2126', bg: '#ffffff', muted: '#5d646d', accent: '#0d6b5c', border: '#dedfda' },
  dark: { text: '#e5e6e3', bg: '#1c1f23', muted: '#a3a9b0', accent: '#4cb6a0', border: '#2e3238' },
};
// base.css's rule for each palette, as the CSSOM spells its selector.
const SCHEME_RULE: Readonly<Record<Scheme, string>> = { light: ':root', dark: ':root[data-theme="dark"]' };

/**
 * The app's colours for one scheme. The scheme on screen is read from the page; the other, which
 * the page is not showing, from the stylesheet's own rule for it.
 */
function paletteOf(scheme: Scheme): Palette {
  const shown: Scheme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  let read: (name: string) => string;
  if (scheme === shown) {
    const style = getComputedStyle(document.documentElement);
    read = (name) => style.getPropertyValue(name).trim();
  } else {
    const found = new Map<string, string>();
    for (const sheet of Array.from(document.styleSheets)) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      for (const rule of Array.from(rules)) {
        if (!(rule instanceof CSSStyleRule) || rule.selectorText !== SCHEME_RULE[scheme]) continue;
        for (const name of Object.values(PALETTE_VARS)) {
          const value = rule.style.getPropertyValue(name).trim();
          if (value) found.set(name, value);
        }
      }
    }
    read = (name) => found.get(name) ?? '';
  }
  const fallback = FALLBACK[scheme];
  const pick = (key: keyof Palette) => read(PALETTE_VARS[key]) || fallback[key];
  return { text: pick('text'), bg: pick('bg'), muted: pick('muted'), accent: pick('accent'), border: pick('border') };
}

function colourRules(c: Palette): string {
  return `body{color:${c.text};background:${c.bg}}figcaption{color:${c.muted}}a{color:${c.accent}}blockquote{border-inline-start-color:${c.border};color:${c.muted}}td,th{border-color:${c.border}}`;
}

/**
 * The colours of the article's document. A chosen light or dark is written in; for "system" both
 * palettes go in, picked by the frame's own prefers-color-scheme, which is the system's: the frame
 * follows a change of the system's theme by itself, without being reloaded (so the reader keeps
 * their place) and without any script in it.
 */
function themeStyle(theme: Theme): string {
  if (theme !== 'system') return `html{color-scheme:${theme}}${colourRules(paletteOf(theme))}`;
  return `html{color-scheme:light dark}${colourRules(paletteOf('light'))}@media (prefers-color-scheme: dark){${colourRules(paletteOf('dark'))}}`;
}

/** The whole document the iframe shows. Exported for tests of what goes in. */
export function articleDocument(html: string, language: string | null, fonts: string, theme: Theme = appliedTheme()): string {
  const lang = language ?? '';
  const dir = lang ? (isRtl(lang) ? 'rtl' : 'ltr') : 'auto';
  const escAttr = (s: string) => s.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="${escAttr(lang)}" dir="${dir}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${ARTICLE_CSP}">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>${fonts}
body{margin:0 auto;padding:28px 32px 64px;max-width:44em;font:17px/1.7 'Reader Inter','Reader Naskh',Georgia,serif;overflow-wrap:anywhere}
:lang(ar) body, body:lang(ar){font-family:'Reader Naskh','Reader Inter',serif;font-size:19px;line-height:1.95}
h1,h2,h3,h4{line-height:1.3;margin:1.4em 0 .5em}
img,video,figure{max-width:100%;height:auto}
figure{margin:1.2em 0}figcaption{font-size:.88em}
a{pointer-events:none;text-decoration:underline dotted}
blockquote{margin:1em 0;padding-inline-start:1em;border-inline-start:3px solid}
table{border-collapse:collapse;max-width:100%}td,th{border:1px solid;padding:.3em .5em}
pre{white-space:pre-wrap}
${themeStyle(theme)}
</style></head><body>${html}</body></html>`;
}

export function ArticleReader({ item }: { item: Item }) {
  const { t } = useTranslation('item');
  const [fonts, setFonts] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadFontFaces().then((f) => live && setFonts(f));
    return () => {
      live = false;
    };
  }, []);
  // A light or dark chosen in Settings is written into the document, which is made again when
  // the choice changes; "system" is followed inside the frame (themeStyle).
  const theme = useSyncExternalStore(onThemeChange, appliedTheme);
  const doc = useMemo(
    () => (item.html && fonts !== null ? articleDocument(readerHtml(item.html), item.language, fonts, theme) : null),
    [item.html, item.language, fonts, theme],
  );

  if (!item.html) return <TextBody text={item.body ?? ''} language={item.language} />;
  if (doc === null) return <div className="viewer-loading" />;
  // Links inside cannot be followed: pointer events are off, and a link activated from the
  // keyboard targets a new window (the <base> above), which the sandbox refuses. Without that, the
  // frame itself would navigate: a sandbox does not stop a frame from leaving its own document.
  // The source link is shown outside.
  return <iframe className="article-frame" sandbox="" srcDoc={doc} title={t('article.frameTitle', { title: item.title })} referrerPolicy="no-referrer" />;
}
