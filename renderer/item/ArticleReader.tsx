// An archived article: its sanitised HTML in an iframe that is sandboxed with no permissions at
// all (no script, no same origin, no forms, no top navigation) and whose own CSP lets it load
// nothing but inline data: images and fonts. A tracking pixel in a saved page never calls home.
import naskhUrl from '@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2?url';
import interUrl from '@fontsource/inter/files/inter-latin-400-normal.woff2?url';
import DOMPurify from 'dompurify';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../shared/domain.ts';
import { readingSanitizer } from '../../shared/readingHtml.ts';
import { isRtl } from '../i18n.ts';
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

function themeColours(): { text: string; bg: string; muted: string; accent: string; border: string } {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#1d2126'), bg: v('--surface', '#ffffff'), muted: v('--muted', '#5d646d'), accent: v('--accent', '#0d6b5c'), border: v('--border', '#dedfda') };
}

/** The whole document the iframe shows. Exported for tests of what goes in. */
export function articleDocument(html: string, language: string | null, fonts: string): string {
  const c = themeColours();
  const lang = language ?? '';
  const dir = lang ? (isRtl(lang) ? 'rtl' : 'ltr') : 'auto';
  const escAttr = (s: string) => s.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="${escAttr(lang)}" dir="${dir}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${ARTICLE_CSP}">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>${fonts}
html{color-scheme:light dark}
body{margin:0 auto;padding:28px 32px 64px;max-width:44em;font:17px/1.7 'Reader Inter','Reader Naskh',Georgia,serif;color:${c.text};background:${c.bg};overflow-wrap:anywhere}
:lang(ar) body, body:lang(ar){font-family:'Reader Naskh','Reader Inter',serif;font-size:19px;line-height:1.95}
h1,h2,h3,h4{line-height:1.3;margin:1.4em 0 .5em}
img,video,figure{max-width:100%;height:auto}
figure{margin:1.2em 0}figcaption{color:${c.muted};font-size:.88em}
a{color:${c.accent};pointer-events:none;text-decoration:underline dotted}
blockquote{margin:1em 0;padding-inline-start:1em;border-inline-start:3px solid ${c.border};color:${c.muted}}
table{border-collapse:collapse;max-width:100%}td,th{border:1px solid ${c.border};padding:.3em .5em}
pre{white-space:pre-wrap}
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
  const doc = useMemo(
    () => (item.html && fonts !== null ? articleDocument(readerHtml(item.html), item.language, fonts) : null),
    [item.html, item.language, fonts],
  );

  if (!item.html) return <TextBody text={item.body ?? ''} language={item.language} />;
  if (doc === null) return <div className="viewer-loading" />;
  // Links inside cannot be followed: pointer events are off, and a link activated from the
  // keyboard targets a new window (the <base> above), which the sandbox refuses. Without that, the
  // frame itself would navigate: a sandbox does not stop a frame from leaving its own document.
  // The source link is shown outside.
  return <iframe className="article-frame" sandbox="" srcDoc={doc} title={t('article.frameTitle', { title: item.title })} referrerPolicy="no-referrer" />;
}
