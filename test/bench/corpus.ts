// Benchmark corpora built from real text shipped by npm packages (test/support/corpora.ts).
// Deterministic for a given seed.
import { arabicVerses, englishSentences, rng } from '../support/corpora.ts';

export { arabicVerses, englishSentences, rng };

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
