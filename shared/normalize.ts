// The one text normalisation used when indexing, when querying and when highlighting. Search only
// works if all three agree, so there is exactly one definition of "the same word" and it lives
// here. Runs in the browser too: no Node imports.
//
// What normalisation does, in order (for one "segment": a base character plus the marks and
// invisible characters that follow it):
//   1. Unicode NFKC, so compatibility forms (ligatures ﬁ ﻻ ﷺ, Arabic presentation forms that PDF
//      extraction produces, full-width Latin, ²) become the letters a person types.
//   2. Lower case (toLowerCase, locale-free), then the foldings toLowerCase does not do: ß → ss,
//      final ς → σ (so ΟΔΟΣ, οδος and οδός meet), İ → i̇ whose dot then goes in step 3, ı → i.
//   3. Per code point: LETTER_FOLD (below), else canonical decomposition with every DROPPED code
//      point removed: Latin/Greek/Cyrillic diacritics, Arabic tashkeel and Quranic marks, Hebrew
//      points, tatweel, zero-width and bidi controls, soft hyphen, variation selectors.
//   4. NFC, so what is left (Hangul, Indic vowel signs, kana voicing marks) is composed again.
// Whitespace and punctuation stay as they are (NFKC turns no-break and other spaces into U+0020,
// one unit for one unit); lone surrogates become U+FFFD, as they would on the way into SQLite.
//
// Decisions (why, not just what):
// - Hamza on a carrier (ؤ ئ and the Urdu ۀ ۂ ۓ) is kept as a letter: it is spelling, not
//   vocalisation, and Lucene's ArabicNormalizer keeps it too. Only alef's hamza and madda fold
//   (أ إ آ ٱ ٲ ٳ → ا), as people type bare ا. A hamza or madda left floating (ـٔ in Quranic text,
//   ٓ over ل in الٓمٓ) is a mark and goes.
// - Persian/Urdu/Kurdish keyboards type ک ی ھ where Arabic has ك ي ه; Iraqi writers use both
//   layouts, so the three fold to the Arabic letters. ە (Kurdish "e") and ہ (Urdu "h") are
//   distinct letters in their languages and are kept.
// - ة → ه and ى → ي (the common misspellings people search with); Arabic-Indic and Persian
//   digits → ASCII, so ٢٠١٩, ۲۰۱۹ and 2019 meet. Other scripts' digits are left alone.
// - Diacritics go whatever the script (й → и as in ICU folding): recall matters more here than
//   the rare pair it conflates. Latin letters without a decomposition that people type bare
//   (ø ł đ ð ħ ı æ œ þ) fold explicitly.
//
// Speed: every indexed document passes through here. Each distinct character is classified once
// (a few normalize() calls, lazily) into a lookup table, so the hot loop costs one table lookup
// per UTF-16 unit; characters that come out as themselves or merely lower-cased are copied in runs
// with one slice, so English and modern Arabic cost little more than toLowerCase(). Only segments
// that need context (a kept combining mark such as an Indic vowel sign, Hangul jamo, a hamza after
// a letter it composes with) take the slow path, which runs the steps above on that segment alone
// (and is cached). Pure ASCII is just toLowerCase().
//
// Segments are cut before a character that can neither combine with what precedes it nor be
// reordered across: not a mark, not a letter that composes with the one before (Hangul medial and
// final jamo), not decomposing into either. NFKC, NFC and our folds never reach across such a
// cut, so per-segment results concatenate into the whole-string result, and the offset map is
// exact to the segment.

/** Stored with the index: changing anything here changes the terms, so bump it to force a reindex. */
export const NORMALIZE_VERSION = 1;

// Kinds of a UTF-16 unit (or astral code point) in the lookup table; payload in the upper bits.
// The first four are boundary characters (a segment starts with one): kind <= K_MULTI.
const K_KEEP = 1; // output is the character itself: copied through in runs
const K_LOWER = 2; // output is its toLowerCase(), same length: copied through, run lower-cased
const K_SINGLE = 3; // any other one-unit output (payload: the unit)
const K_MULTI = 4; // any other output, possibly empty (payload: index into MULTI)
const K_DROP = 5; // removed in every context (marks, tatweel, invisibles)
const K_HAMZA = 6; // U+0653-0655: removed, unless it composes with the letter before it
const K_COMPLEX = 7; // kept combining character: its segment takes the slow path
const K_HIGH = 8; // high surrogate: look at the next unit
const KIND = 15;
const SHIFT = 4;
const LONE_SURROGATE = (0xfffd << SHIFT) | K_SINGLE;

/** Foldings applied per code point after NFKC and lower-casing, before decomposition. */
const LETTER_FOLD = new Map<number, string>([
  // Case folding toLowerCase leaves undone.
  [0x00df, 'ss'], // ß (ẞ lower-cases to it)
  [0x03c2, '\u03c3'], // final sigma ς → σ
  // Latin letters with no canonical decomposition that people type without their stroke.
  [0x00e6, 'ae'],
  [0x0153, 'oe'],
  [0x00f8, 'o'],
  [0x0111, 'd'],
  [0x00f0, 'd'],
  [0x0142, 'l'],
  [0x0131, 'i'], // Turkish dotless ı: "Kadıköy" is searched as "kadikoy"
  [0x0127, 'h'],
  [0x00fe, 'th'],
  // Alef with hamza, madda or wasla (precomposed; decomposed sequences compose to these first).
  [0x0622, '\u0627'],
  [0x0623, '\u0627'],
  [0x0625, '\u0627'],
  [0x0671, '\u0627'],
  [0x0672, '\u0627'],
  [0x0673, '\u0627'],
  [0x0629, '\u0647'], // ة → ه
  [0x0649, '\u064a'], // ى → ي
  [0x06cc, '\u064a'], // Persian ی → ي
  [0x06a9, '\u0643'], // Persian ک → ك
  [0x06be, '\u0647'], // ھ (Kurdish and Urdu keyboards' h) → ه
  // Hamza on a carrier is a letter: map to itself so decomposition does not strip the hamza.
  [0x0624, '\u0624'],
  [0x0626, '\u0626'],
  [0x06c0, '\u06c0'],
  [0x06c2, '\u06c2'],
  [0x06d3, '\u06d3'],
]);
for (let d = 0; d <= 9; d++) {
  LETTER_FOLD.set(0x0660 + d, String(d)); // Arabic-Indic ٠-٩
  LETTER_FOLD.set(0x06f0 + d, String(d)); // Persian ۰-۹
}

/** Letters that U+0654 (hamza above) composes with into a carrier we keep (see LETTER_FOLD). */
function isHamzaCarrier(unit: number): boolean {
  return unit === 0x0648 || unit === 0x064a || unit === 0x06d5 || unit === 0x06c1 || unit === 0x06d2;
}

/** Code points removed wherever they appear. */
function isDropped(cp: number): boolean {
  if (cp < 0x0300) return cp === 0x00ad; // soft hyphen: web text hides it inside words
  if (cp <= 0x036f) return true; // combining diacritical marks
  if (cp < 0x0591) return false;
  if (cp <= 0x05c7) {
    // Hebrew points and cantillation (not maqaf, paseq, sof pasuq, nun hafukha)
    return cp <= 0x05bd || cp === 0x05bf || cp === 0x05c1 || cp === 0x05c2 || cp === 0x05c4 || cp === 0x05c5 || cp === 0x05c7;
  }
  if (cp < 0x0610) return false;
  if (cp <= 0x061a) return true; // Arabic honorific and Quranic marks
  if (cp === 0x061c) return true; // Arabic letter mark (bidi)
  if (cp === 0x0640) return true; // tatweel
  if (cp >= 0x064b && cp <= 0x065f) return true; // harakat, tanwin, shadda, sukun, hamza/madda marks
  if (cp === 0x0670) return true; // superscript alef
  if (cp >= 0x06d6 && cp <= 0x06ed) return true; // Quranic annotation signs, small waw/yeh
  if (cp >= 0x0898 && cp <= 0x089f) return true; // Arabic Extended-B marks
  if (cp >= 0x08ca && cp <= 0x08ff) return true; // Arabic Extended-A marks
  if (cp < 0x180e) return false;
  if (cp === 0x180e) return true; // Mongolian vowel separator (was a space, now invisible)
  if (cp >= 0x1ab0 && cp <= 0x1aff) return true; // combining diacritical marks extended
  if (cp >= 0x1dc0 && cp <= 0x1dff) return true; // combining diacritical marks supplement
  if (cp < 0x200b) return false;
  if (cp <= 0x200f) return true; // ZWSP, ZWNJ, ZWJ, LRM, RLM
  if (cp >= 0x202a && cp <= 0x202e) return true; // bidi embeddings and overrides
  if (cp >= 0x2060 && cp <= 0x2064) return true; // word joiner, invisible operators
  if (cp >= 0x2066 && cp <= 0x2069) return true; // bidi isolates
  if (cp >= 0x20d0 && cp <= 0x20ff) return true; // combining marks for symbols (keycap, enclosing)
  if (cp < 0xfe00) return false;
  if (cp <= 0xfe0f) return true; // variation selectors (emoji presentation)
  if (cp >= 0xfe20 && cp <= 0xfe2f) return true; // combining half marks
  if (cp === 0xfeff) return true; // BOM / zero-width no-break space
  if (cp >= 0xe0001 && cp <= 0xe007f) return true; // tag characters
  if (cp >= 0xe0100 && cp <= 0xe01ef) return true; // variation selectors supplement
  return false;
}

const MARK = /\p{M}/u;

/**
 * Letters (not marks) that canonical composition joins to the character before them: Hangul
 * medial vowels and final consonants, and Kirat Rai's vowel sign E (Unicode 16). The tests check
 * canonical equivalence for every code point, so a new Unicode version cannot add one unnoticed.
 */
function isCombiningLetter(cp: number): boolean {
  return (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11a8 && cp <= 0x11c2) || cp === 0x16d67;
}

/** Steps 2-4 of the pipeline on already NFKC text. */
function foldAndStrip(nfkc: string): string {
  const lower = nfkc.toLowerCase();
  let out = '';
  for (const ch of lower) {
    const cp = ch.codePointAt(0) as number;
    const folded = LETTER_FOLD.get(cp);
    if (folded !== undefined) {
      out += folded;
      continue;
    }
    if (isDropped(cp)) continue;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\ufffd'; // a lone surrogate (iteration yields pairs joined)
      continue;
    }
    const decomposed = cp < 0xc0 ? ch : ch.normalize('NFD');
    if (decomposed === ch) {
      out += ch;
      continue;
    }
    for (const part of decomposed) {
      const pcp = part.codePointAt(0) as number;
      if (isDropped(pcp)) continue;
      out += LETTER_FOLD.get(pcp) ?? part;
    }
  }
  return out.normalize('NFC');
}

/**
 * The whole pipeline on one segment (or any text whose segments need context). Iterated to a
 * fixed point so normalising twice never changes anything (a folding could in principle expose
 * something another step changes).
 */
function normalizeSlow(s: string): string {
  let y = foldAndStrip(s.normalize('NFKC'));
  for (let k = 0; k < 4; k++) {
    const z = foldAndStrip(y.normalize('NFKC'));
    if (z === y) break;
    y = z;
  }
  return y;
}

// Lookup tables, filled on first sight of each character: most text uses a few hundred.
const BMP = new Int32Array(0x10000); // 0 = not yet classified
const ASTRAL = new Map<number, number>();
const ASTRAL_MAX = 65536;
const MULTI: string[] = [];
const MULTI_INDEX = new Map<string, number>();

function classify(cp: number): number {
  if (cp >= 0xd800 && cp <= 0xdbff) return K_HIGH;
  if (cp >= 0xdc00 && cp <= 0xdfff) return LONE_SURROGATE;
  if (cp >= 0x0653 && cp <= 0x0655) return K_HAMZA;
  if (isDropped(cp)) return K_DROP;
  const ch = String.fromCodePoint(cp);
  if (MARK.test(ch) || isCombiningLetter(cp)) return K_COMPLEX;
  // A compatibility character can decompose into something that combines backwards (ㅏ → ᅡ).
  const first = ch.normalize('NFKD').codePointAt(0);
  if (first !== undefined && first !== cp && (isCombiningLetter(first) || MARK.test(String.fromCodePoint(first)))) {
    return K_COMPLEX;
  }
  const out = normalizeSlow(ch);
  const lower = ch.toLowerCase();
  if (out === ch && lower === ch) return K_KEEP;
  // Subtle: toLowerCase over a run is per character except for Σ, whose final form depends on
  // what follows, so Σ takes K_SINGLE and never enters a run.
  if (out === lower && out.length === ch.length && cp !== 0x03a3) return K_LOWER;
  if (out.length === 1) return (out.charCodeAt(0) << SHIFT) | K_SINGLE;
  let index = MULTI_INDEX.get(out);
  if (index === undefined) {
    index = MULTI.push(out) - 1;
    MULTI_INDEX.set(out, index); // shared, so re-classifying after ASTRAL.clear() cannot grow it
  }
  return (index << SHIFT) | K_MULTI;
}

function classifyBmp(unit: number): number {
  const v = classify(unit);
  BMP[unit] = v;
  return v;
}

function classifyAstral(cp: number): number {
  let v = ASTRAL.get(cp);
  if (v === undefined) {
    v = classify(cp);
    // Real text uses a few hundred astral characters (emoji, rare CJK); garbage input could name
    // a million. Forgetting is cheap: classification is a pure function.
    if (ASTRAL.size >= ASTRAL_MAX) ASTRAL.clear();
    ASTRAL.set(cp, v);
  }
  return v;
}

/** The table entry of the pair (hi, lo), or of a lone high surrogate when lo is not low. */
function classifyPair(hi: number, lo: number): number {
  if (lo < 0xdc00 || lo > 0xdfff) return LONE_SURROGATE;
  return classifyAstral(((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
}

/** Does a boundary character's output end in a letter that U+0654 composes with? */
function endsInHamzaCarrier(v: number, unit: number): boolean {
  switch (v & KIND) {
    case K_KEEP:
      return isHamzaCarrier(unit);
    case K_SINGLE:
      return isHamzaCarrier(v >>> SHIFT);
    case K_MULTI: {
      const r = MULTI[v >>> SHIFT] as string;
      return r.length > 0 && isHamzaCarrier(r.charCodeAt(r.length - 1));
    }
    default:
      return false; // a cased letter, or no base at all at the start of the text
  }
}

// Segments that needed the slow path repeat (an Indic syllable, a Quranic hamza form): cache them.
const SLOW_CACHE = new Map<string, string>();
const SLOW_CACHE_MAX = 8192;

function slowSegment(seg: string): string {
  let r = SLOW_CACHE.get(seg);
  if (r === undefined) {
    r = normalizeSlow(seg);
    if (SLOW_CACHE.size >= SLOW_CACHE_MAX) SLOW_CACHE.clear();
    SLOW_CACHE.set(seg, r);
  }
  return r;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Output under construction; a plain object so the hot loop's variables stay in registers. */
interface Output {
  text: string;
  /** Output length, excluding the pending run. */
  o: number;
  map: Int32Array | null;
  mapCap: number;
}

/** Append s[from, to), lower-cased if `upper`: characters that come out as themselves. */
function emitRun(out: Output, s: string, from: number, to: number, upper: boolean): void {
  if (to <= from) return;
  const piece = s.slice(from, to);
  out.text += upper ? piece.toLowerCase() : piece;
  const map = out.map;
  if (map) {
    let o = out.o;
    for (let k = from; k < to; k++) map[o++] = k;
    out.o = o;
  } else {
    out.o += to - from;
  }
}

/** Append r, produced by the segment starting at `from`; `rest` input units remain after it. */
function emit(out: Output, r: string, from: number, rest: number): void {
  if (r.length === 0) return;
  out.text += r;
  let map = out.map;
  if (map) {
    let o = out.o;
    // Output outgrows input only through expansions (ﷺ, ß → ss): keep one slot per input unit.
    if (o + r.length + rest > out.mapCap) {
      out.mapCap = Math.max(o + r.length + rest + 16, out.mapCap * 2);
      const next = new Int32Array(out.mapCap + 1);
      next.set(map.subarray(0, o));
      map = out.map = next;
    }
    for (let k = 0; k < r.length; k++) map[o++] = from;
    out.o = o;
  } else {
    out.o += r.length;
  }
}

/**
 * The single implementation behind normalizeText and normalizeWithMap. Characters that come out
 * as themselves (or lower-cased, same length) accumulate in a run copied with one slice, so the
 * usual character costs one table lookup; the rest is appended piece by piece.
 */
function run(s: string, wantMap: boolean): Output {
  const n = s.length;
  const out: Output = { text: '', o: 0, map: wantMap ? new Int32Array(n + 17) : null, mapCap: n + 16 };
  let runStart = 0; // the pending run is s[runStart, i)
  let upper = false; // whether it needs lower-casing
  let i = 0;
  while (i < n) {
    let c = 0;
    let v = 0;
    // The hot loop: BMP characters that stay in the run.
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      v = BMP[c] as number;
      const k = v & KIND;
      if (k === K_KEEP) continue;
      if (k === K_LOWER) {
        upper = true;
        continue;
      }
      break;
    }
    if (i >= n) break;
    if (v === 0) {
      classifyBmp(c); // first sight of this character: classify, then look again
      continue;
    }
    let kind = v & KIND;
    let w = 1;
    if (kind === K_HIGH) {
      v = classifyPair(c, i + 1 < n ? s.charCodeAt(i + 1) : 0);
      kind = v & KIND;
      if (v !== LONE_SURROGATE) w = 2;
    }
    // A non-boundary character here follows a run character (every other path below consumes
    // the marks after its base), or starts the text: the segment began one unit back.
    const base = kind > K_MULTI ? i - 1 : i;
    let j = kind > K_MULTI ? i : i + w;
    let slow = false;
    while (j < n) {
      const cj = s.charCodeAt(j);
      let nv = BMP[cj] || classifyBmp(cj);
      let nw = 1;
      if ((nv & KIND) === K_HIGH) {
        nv = classifyPair(cj, j + 1 < n ? s.charCodeAt(j + 1) : 0);
        if (nv !== LONE_SURROGATE) nw = 2;
      }
      const nk = nv & KIND;
      if (nk <= K_MULTI) break;
      if (nk === K_COMPLEX) slow = true;
      // Subtle: a hamza or madda mark disappears unless NFKC composes it with the letter it
      // follows into a carrier we keep (و + ٔ → ؤ); only then does the segment go slow.
      else if (nk === K_HAMZA && base >= 0 && !slow) {
        slow = base === i ? endsInHamzaCarrier(v, c) : isHamzaCarrier(s.charCodeAt(base));
      }
      j += nw;
    }
    if (base < i) {
      // marks after a run character (or at the very start of the text)
      if (slow) {
        const from = Math.max(base, 0);
        emitRun(out, s, runStart, from, upper);
        emit(out, slowSegment(s.slice(from, j)), from, n - j);
      } else {
        emitRun(out, s, runStart, i, upper);
      }
    } else if (!slow && kind <= K_LOWER) {
      // an astral character that stays as it is (emoji), with or without removed marks after it
      if (kind === K_LOWER) upper = true;
      if (j === i + w) {
        i = j;
        continue;
      }
      emitRun(out, s, runStart, i + w, upper);
    } else {
      emitRun(out, s, runStart, i, upper);
      let r = '';
      if (slow) r = slowSegment(s.slice(i, j));
      else if (kind === K_SINGLE) r = String.fromCharCode(v >>> SHIFT);
      else if (kind === K_MULTI) r = MULTI[v >>> SHIFT] as string;
      emit(out, r, i, n - j);
    }
    upper = false;
    runStart = j;
    i = j;
  }
  emitRun(out, s, runStart, n, upper);
  if (out.map) {
    out.map[out.o] = n;
    out.map = out.map.subarray(0, out.o + 1);
  }
  return out;
}

/** Normalise text for indexing or querying (see the top of this file for what that means). */
export function normalizeText(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return run(s, false).text;
}

export interface NormalizedWithMap {
  /** Exactly normalizeText(original). */
  text: string;
  /**
   * map[i] is the index in the original string of the character (segment) that produced
   * text[i]; map[text.length] is original.length. Non-decreasing.
   */
  map: Int32Array;
}

/** normalizeText plus an offset map back to the original, for highlighting matches. */
export function normalizeWithMap(s: string): NormalizedWithMap {
  if (!NON_ASCII.test(s)) {
    const map = new Int32Array(s.length + 1);
    for (let i = 0; i <= s.length; i++) map[i] = i;
    return { text: s.toLowerCase(), map };
  }
  const r = run(s, true);
  return { text: r.text, map: r.map as Int32Array };
}

/**
 * Map a range [start, end) of normalised text back to [start, end) of the original. The result
 * covers whole original characters: a match inside an expansion (the "i" of ﬁ) widens to the
 * character, and the end runs on over marks and invisible characters that normalisation removed
 * (highlighting الكاظمي inside الكاظِمي covers the kasra).
 */
export function mapRange(map: ArrayLike<number>, start: number, end: number): [number, number] {
  const last = map.length - 1;
  if (last < 0) return [0, 0];
  const a = Math.min(Math.max(start, 0), last);
  const b = Math.min(Math.max(end, a), last);
  const from = map[a] as number;
  if (b === a) return [from, from];
  const tail = map[b - 1] as number;
  let k = b;
  while (k < last && map[k] === tail) k++;
  return [from, map[k] as number];
}

export interface Token {
  token: string;
  /** UTF-16 offsets in the normalised text, end exclusive. */
  start: number;
  end: number;
}

/**
 * The FTS5 tokenizer the index must be created with (`tokenize = "..."`) so that its terms are
 * exactly tokenize(normalizeText(text)): normalisation already folded case and diacritics, and
 * marks that survive it (Indic vowel signs) belong inside words.
 */
export const FTS5_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'";

// 0 = not yet classified, 1 = token character, 2 = separator, 3 = high surrogate.
const TOKEN_CHAR = new Uint8Array(0x10000);
const TOKEN_CLASS = /[\p{L}\p{N}\p{M}\p{Co}]/u;

function tokenClassBmp(unit: number): number {
  const v = unit >= 0xd800 && unit <= 0xdbff ? 3 : TOKEN_CLASS.test(String.fromCharCode(unit)) ? 1 : 2;
  TOKEN_CHAR[unit] = v;
  return v;
}

/**
 * Split normalised text into tokens as SQLite FTS5's unicode61 tokenizer does when the table is
 * created with FTS5_TOKENIZER: letters, digits, marks and private-use characters of any script
 * make up tokens, everything else separates them. (With unicode61's default categories, words
 * would split at kept combining marks, as in Hindi कि.)
 */
export function tokenizeWithOffsets(text: string): Token[] {
  const tokens: Token[] = [];
  scanTokens(text, (start, end) => tokens.push({ token: text.slice(start, end), start, end }));
  return tokens;
}

/** The tokens of normalised text, without offsets. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  scanTokens(text, (start, end) => tokens.push(text.slice(start, end)));
  return tokens;
}

function scanTokens(text: string, onToken: (start: number, end: number) => void): void {
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    let t = TOKEN_CHAR[c] || tokenClassBmp(c);
    let w = 1;
    if (t === 3) {
      const lo = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        w = 2;
        t = TOKEN_CLASS.test(text.slice(i, i + 2)) ? 1 : 2;
      } else {
        t = 2;
      }
    }
    if (t === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      onToken(start, i);
      start = -1;
    }
    i += w;
  }
  if (start >= 0) onToken(start, n);
}
