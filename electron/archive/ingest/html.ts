// Saved web pages ("Save page as", SingleFile): the article's text for search, its metadata, and
// a sanitised copy for reading. The saved file itself is archived untouched by the caller.
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { DOMWindow } from 'jsdom';
import { containBidi } from '../../../shared/bidi.ts';
import { normaliseDate } from './dates.ts';
import { decodeBytes, htmlEncoding } from './decode.ts';
import { maxDepth, readableText } from './dom-text.ts';
import { flatten, nestingEstimate } from './html-scan.ts';
import { guessLanguage, primaryLanguage } from './language.ts';
import { createSanitizer } from './sanitize.ts';
import type { Sanitizer } from './sanitize.ts';
import { cleanText, clip, httpUrl, oneLine } from './strings.ts';
import type { Extracted } from './types.ts';

/** Below this many characters Readability's pick is too thin to stand for the page. */
const MIN_ARTICLE_CHARS = 80;
// Limits on what Readability, jsdom and DOMPurify are given (see html-scan.ts). Real pages nest
// 20-60 deep (1,117 messy HTML mails in the SpamAssassin corpus: median 21, 99th percentile 61),
// and have a few thousand elements. Beyond these, the whole body stands for the article, or
// (too deep to parse) the flattened text does.
const MAX_READABILITY_DEPTH = 200;
const MAX_READABILITY_ELEMENTS = 40_000;
const MAX_PARSE_DEPTH = 1500;
const BODY_MAX = 50_000_000;

/**
 * One jsdom window for the process, and a fresh Document per page from its DOMParser.
 *
 * Why not a JSDOM per page: building a window costs ~40 ms here against ~6 ms for parsing a
 * page into a Document (a whole extraction then takes ~12 ms instead of ~50), and a page's
 * iframes would each get a window of their own. A DOMParser document has no browsing context:
 * its scripts never run (nor would they in a window without runScripts), and the window was
 * made without `resources`, so nothing is ever fetched.
 *
 * jsdom holds weak references that are only released once the current task ends: a caller
 * extracting many pages should let the event loop turn between them (awaiting file reads does),
 * or memory grows by a few hundred KB per page until it does.
 */
let shared: { window: DOMWindow; sanitize: Sanitizer } | null = null;

function parser(): { window: DOMWindow; sanitize: Sanitizer } {
  if (!shared) {
    // A silent console: saved pages are full of CSS jsdom cannot parse, and that is not news.
    const { window } = new JSDOM('<!doctype html>', { virtualConsole: new VirtualConsole() });
    shared = { window, sanitize: createSanitizer(window) };
  }
  return shared;
}

function parse(window: DOMWindow, source: string): Document {
  return new window.DOMParser().parseFromString(source, 'text/html');
}

/**
 * Extracts an article from the bytes of a saved web page.
 *
 * Never throws for bad input: HTML parsing is defined for every byte stream, so a file that is
 * not HTML at all yields its text as the body and a null title (the importer then names the
 * item after the file). `opts.url` is where the page came from when the caller knows it better
 * than the page does.
 */
export function extractHtml(bytes: Uint8Array, opts: { url?: string } = {}): Extracted {
  const { window, sanitize } = parser();
  const { text: source, encoding } = decodeBytes(bytes, htmlEncoding(bytes));
  if (nestingEstimate(source) > MAX_PARSE_DEPTH) return extractFlat(window, source, encoding, opts);
  const doc = parse(window, source);

  const meta = readMeta(doc, source);
  const sourceUrl = httpUrl(opts.url) ?? meta.canonical ?? meta.ogUrl ?? meta.savedFrom;
  const page = pageLanguage(doc);
  if (sourceUrl) setBase(doc, sourceUrl);

  // Readability rewrites the document it reads; the untouched page is parsed again only in the
  // rare case its pick is unusable.
  const readable = doc.body !== null && maxDepth(doc.body) <= MAX_READABILITY_DEPTH;
  if (readable) unwrapForms(doc);
  const article = readable ? readArticle(doc) : null;
  let root: Node | null;
  if (article && article.text.length >= MIN_ARTICLE_CHARS) {
    root = article.content;
  } else if (!readable) {
    root = doc.body;
  } else {
    const again = parse(window, source);
    if (sourceUrl) setBase(again, sourceUrl);
    root = again.body?.textContent?.trim() ? again.body : (article?.content ?? null);
  }

  let fragment: DocumentFragment | null = null;
  let body = '';
  if (root) {
    try {
      fragment = sanitize(root);
      body = tidy(readableText(fragment));
    } catch {
      // DOMPurify refuses some pathological trees. The text is still worth indexing; the page
      // then has no reader view rather than an unsafe one.
      fragment = null;
      const page = parse(window, source);
      body = tidy(readableText(page.body ?? page));
    }
  }

  const language = page.lang ?? primaryLanguage(article?.lang) ?? guessLanguage(body);
  const dir = directionOf(page.dir || article?.dir, language);
  let html: string | null = null;
  if (fragment && body !== '') {
    const wrapper = fragment.ownerDocument.createElement('article');
    wrapper.setAttribute('dir', dir);
    if (language) wrapper.setAttribute('lang', language);
    wrapper.append(fragment);
    html = cleanText(wrapper.outerHTML);
  }

  return {
    kind: 'article',
    title: contained(oneLine(article?.title) ?? meta.title),
    description: contained(oneLine(meta.description ?? article?.excerpt, 100_000)),
    language,
    body: body === '' ? null : clip(body, BODY_MAX),
    html,
    sourceUrl,
    sourceOutlet: contained(meta.siteName ?? oneLine(article?.siteName)),
    sourceAuthor: contained(oneLine(article?.byline) ?? meta.author),
    publishedAt: meta.published ?? normaliseDate(article?.publishedTime) ?? meta.time,
    extra: extraOf(meta, sourceUrl, encoding),
  };
}

/**
 * A reading copy that was not made here (a bundle from another archive), made safe exactly as
 * one made here: parsed inertly, sanitised, serialised. Null when nothing readable is left or the
 * markup is too deep to parse safely. For a copy this importer made, the result is the same HTML.
 */
export function resanitizeHtml(html: string): string | null {
  if (nestingEstimate(html) > MAX_PARSE_DEPTH) return null;
  const { window, sanitize } = parser();
  const doc = parse(window, html);
  if (!doc.body) return null;
  try {
    const holder = doc.createElement('div');
    holder.append(sanitize(doc.body));
    return readableText(holder).trim() === '' ? null : cleanText(holder.innerHTML);
  } catch {
    return null;
  }
}

/**
 * A page nested too deep to parse in reasonable time: its text from the flattened source, its
 * metadata from the head when that is sane, and no reader view.
 */
function extractFlat(window: DOMWindow, source: string, encoding: string, opts: { url?: string }): Extracted {
  const bodyAt = source.search(/<body[\s>]/i);
  const head = bodyAt > 0 ? source.slice(0, bodyAt) : '';
  const headDoc = parse(window, head !== '' && nestingEstimate(head) <= MAX_PARSE_DEPTH ? head : '');
  const meta = readMeta(headDoc, source);
  const sourceUrl = httpUrl(opts.url) ?? meta.canonical ?? meta.ogUrl ?? meta.savedFrom;
  const flat = parse(window, flatten(source));
  const body = tidy(readableText(flat.body ?? flat));
  return {
    kind: 'article',
    title: contained(meta.title),
    description: contained(oneLine(meta.description, 100_000)),
    language: pageLanguage(headDoc).lang ?? guessLanguage(body),
    body: body === '' ? null : clip(body, BODY_MAX),
    html: null,
    sourceUrl,
    sourceOutlet: contained(meta.siteName),
    sourceAuthor: contained(meta.author),
    publishedAt: meta.published,
    extra: { ...extraOf(meta, sourceUrl, encoding), flattened: true },
  };
}

function extraOf(meta: PageMeta, sourceUrl: string | null, encoding: string): Record<string, unknown> {
  const extra: Record<string, unknown> = { encoding };
  if (meta.savedFrom && meta.savedFrom !== sourceUrl) extra.savedFromUrl = meta.savedFrom;
  if (meta.canonical && meta.canonical !== sourceUrl) extra.canonicalUrl = meta.canonical;
  return extra;
}

/** The language and direction the page declares on <html> (or <body>). */
function pageLanguage(doc: Document): { lang: string | null; dir: string } {
  const root = doc.documentElement;
  return {
    lang: primaryLanguage(root.getAttribute('lang') ?? root.getAttribute('xml:lang')),
    dir: (root.getAttribute('dir') ?? doc.body?.getAttribute('dir') ?? '').toLowerCase(),
  };
}

/**
 * Makes relative links resolve against the page's source address, as they did when it was
 * online. Only link targets are affected: nothing is fetched.
 */
function setBase(doc: Document, url: string): void {
  const existing = doc.querySelector('base[href]');
  const href = httpUrl(existing?.getAttribute('href'), url) ?? url;
  if (existing) existing.setAttribute('href', href);
  else {
    const base = doc.createElement('base');
    base.setAttribute('href', href);
    doc.head?.prepend(base);
  }
}

// Form controls are never reading matter (the sanitiser drops them too). Their text is a value or
// a label for an action, not the article's.
const FORM_CONTROLS = 'input, button, select, textarea, keygen, datalist';
// Containers that hold controls. A form's markup often leaves an element open (`<form><input><div
// class="search"><input></form>`), and <isindex>, which today's HTML parser reads as an ordinary
// element, never closes at all: everything after it, the rest of the article, then lives inside the
// form. Readability keeps its best block and that block's siblings, so the paragraphs before the
// form, outside it, were lost; and it drops forms with more inputs than paragraphs, content and all.
const FORM_CONTAINERS = 'form, fieldset, isindex';

/**
 * Puts what forms hold back into the flow of the page, as a browser shows it, before Readability
 * reads it: controls removed, form containers replaced by their content.
 */
function unwrapForms(doc: Document): void {
  for (const control of Array.from(doc.body?.querySelectorAll(FORM_CONTROLS) ?? [])) control.remove();
  for (const container of Array.from(doc.body?.querySelectorAll(FORM_CONTAINERS) ?? [])) {
    container.replaceWith(...Array.from(container.childNodes));
  }
}

interface Article {
  content: Node;
  text: string;
  title: string | null | undefined;
  excerpt: string | null | undefined;
  byline: string | null | undefined;
  siteName: string | null | undefined;
  publishedTime: string | null | undefined;
  lang: string | null | undefined;
  dir: string | null | undefined;
}

/** Readability's article. Readability rewrites the document it is given. */
function readArticle(doc: Document): Article | null {
  try {
    const parsed = new Readability<Node>(doc, { serializer: (node) => node, maxElemsToParse: MAX_READABILITY_ELEMENTS }).parse();
    if (!parsed?.content) return null;
    return {
      content: parsed.content,
      text: (parsed.textContent ?? '').trim(),
      title: parsed.title,
      excerpt: parsed.excerpt,
      byline: parsed.byline,
      siteName: parsed.siteName,
      publishedTime: parsed.publishedTime,
      lang: parsed.lang,
      dir: parsed.dir,
    };
  } catch {
    // Readability gives up on some malformed pages, and refuses enormous ones (maxElemsToParse);
    // the whole body is the fallback.
    return null;
  }
}

/**
 * The page's metadata as shown in lists and headings: an override in a title would reverse its
 * letters there, and an unclosed embedding would reorder what follows it (shared/bidi.ts).
 */
function contained(line: string | null): string | null {
  return line === null ? null : containBidi(line);
}

/** Paragraphs kept, spaces collapsed, NFC, bidi controls contained (shared/bidi.ts). */
function tidy(text: string): string {
  return containBidi(cleanText(text))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function directionOf(declared: string | null | undefined, language: string | null): 'rtl' | 'ltr' | 'auto' {
  const dir = (declared ?? '').toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') return dir;
  if (language) return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
  return 'auto';
}

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ckb', 'ps', 'sd', 'ug', 'yi', 'dv']);

interface PageMeta {
  title: string | null;
  description: string | null;
  canonical: string | null;
  ogUrl: string | null;
  savedFrom: string | null;
  siteName: string | null;
  author: string | null;
  published: string | null;
  time: string | null;
}

function readMeta(doc: Document, source: string): PageMeta {
  const metaContent = (...keys: string[]): string | null => {
    for (const key of keys) {
      for (const el of Array.from(doc.querySelectorAll(`meta[property="${key}" i], meta[name="${key}" i], meta[itemprop="${key}" i]`))) {
        const content = el.getAttribute('content');
        if (content && content.trim() !== '') return content;
      }
    }
    return null;
  };
  const savedFrom = savedFromUrl(source);
  // Relative canonical links resolve against the address the browser saved the page from: that
  // is where the researcher was. A <base> element is the page's own claim, so it comes second.
  const base = savedFrom ?? httpUrl(doc.querySelector('base[href]')?.getAttribute('href'));
  const canonical = httpUrl(doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href'), base);
  const ld = jsonLd(doc);

  return {
    title:
      oneLine(metaContent('og:title', 'twitter:title')) ?? oneLine(doc.title) ?? oneLine(doc.querySelector('h1')?.textContent),
    description: metaContent('og:description', 'description', 'twitter:description'),
    canonical,
    ogUrl: httpUrl(metaContent('og:url'), base),
    savedFrom,
    siteName: oneLine(metaContent('og:site_name', 'application-name')) ?? oneLine(ld.publisher),
    author: oneLine(metaContent('author', 'article:author', 'byl')) ?? oneLine(ld.author),
    published:
      normaliseDate(metaContent('article:published_time', 'datePublished', 'pubdate', 'publishdate', 'date', 'dc.date.issued', 'dc.date', 'dcterms.created')) ??
      normaliseDate(ld.datePublished),
    time: timeElementDate(doc),
  };
}

/**
 * The address a browser recorded when saving the page: Chrome and Internet Explorer write
 * "<!-- saved from url=(0042)https://... -->", SingleFile writes "url: https://...".
 */
function savedFromUrl(source: string): string | null {
  const head = source.slice(0, 8192);
  const browser = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(head)?.[1];
  if (browser) return httpUrl(browser);
  const singleFile = /<!--\s*Page saved with SingleFile\s*\n?\s*url:\s*(\S+)/i.exec(head)?.[1];
  return httpUrl(singleFile);
}

/** <time> elements the page marks as the publication date, else the first one in an article. */
function timeElementDate(doc: Document): string | null {
  const el =
    doc.querySelector('time[itemprop="datePublished" i][datetime], time[pubdate][datetime]') ??
    doc.querySelector('article time[datetime]') ??
    doc.querySelector('time[datetime]');
  return normaliseDate(el?.getAttribute('datetime'));
}

interface LinkedData {
  datePublished?: string;
  author?: string;
  publisher?: string;
}

/** Article facts from JSON-LD (schema.org NewsArticle and friends), tolerant of broken blocks. */
function jsonLd(doc: Document): LinkedData {
  const found: LinkedData = {};
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'))) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    let budget = 500;
    while (queue.length > 0 && budget-- > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) {
        queue.push(...item);
        continue;
      }
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      if (Array.isArray(record['@graph'])) queue.push(...record['@graph']);
      if (found.datePublished === undefined && typeof record.datePublished === 'string') found.datePublished = record.datePublished;
      if (found.author === undefined) found.author = nameOf(record.author);
      if (found.publisher === undefined) found.publisher = nameOf(record.publisher);
    }
  }
  return found;
}

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const names = value.map(nameOf).filter((n): n is string => typeof n === 'string');
    return names.length > 0 ? names.join(', ') : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const name = (value as Record<string, unknown>).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}
