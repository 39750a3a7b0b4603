// The search query language: what a person types in the search box, parsed into a tree that
// electron/archive/search/compile.ts turns into FTS5 and SQL. Pure and total: every string is a
// valid query. What cannot be understood is dropped or read as plain words, and a warning says
// so; nothing here throws. Runs in the browser too (a help popover explains a query as it is
// typed): no Node imports.
//
// The language:
//   kadhimi basra        every word must match (AND)
//   "al sadr city"       an exact phrase; also “curly”, „low“, «guillemets»; unclosed runs to the end
//   nasir*               words starting with "nasir" (the stem needs 2 letters, else the star goes)
//   -graphic  NOT x      exclude; -(a b), -"a b" and -tag:x too; a dash alone is punctuation
//   a OR b   a | b       either; OR must be upper case ("or" is a word)
//   ( ... )              grouping, up to MAX_DEPTH deep (deeper parentheses are ignored)
//   kind: tag: lang: from: to: collection: has:      filters, anywhere, combinable like words:
//                        tag:"Dhi Qar", kind:video,audio (a comma list means any of them),
//                        -kind:video, (kind:video OR has:transcript)
//
// Decisions:
// - Words are normalised and split exactly as the index does (normalizeText, then tokenize). A
//   typed word that splits into several tokens (al-Kadhimi, U.N., 2019-10-25, o'brien, foo:bar)
//   becomes a phrase of them: the index holds those tokens next to each other, so adjacency is
//   what the person meant, and it is stricter than AND over common fragments such as "al".
// - An unknown field ("col:x", "http://…", "10:30") is not a filter: it is read as words, so
//   `foo:bar` searches the phrase "foo bar". A known field with a bad value (kind:movie) is
//   dropped with a warning that lists the values it takes.
// - OR binds tighter than the implicit AND, as in web search engines: `kadhimi protest OR
//   demonstration` means kadhimi AND (protest OR demonstration). AND and NOT in upper case are
//   accepted as operators for people used to other search tools.
// - A query with no positive part (`-graphic`, `kind:video -tag:graphic` minus the kind) means
//   "everything except": a person narrowing a list by exclusions expects that. The compiler runs
//   it without MATCH. A query with nothing at all in it (empty, only emoji or punctuation) has a
//   null root: the caller decides what "no query" shows.
// - Commas and Arabic commas separate words (people list search words with them), except inside a
//   filter value, where they make a list.
// - Invisible bidi and zero-width characters (RTL marks typed around Arabic) are removed before
//   anything else, so `\u200f-word` still excludes; normalizeText drops them from words anyway.
// - Limits keep every query cheap and within SQLite's parser limits: MAX_QUERY_LENGTH characters,
//   MAX_DEPTH nested parentheses, MAX_LEAVES words, phrases and filters.
import { ITEM_KINDS, type ItemKind } from './domain.ts';
import { normalizeText, tokenize } from './normalize.ts';

export const MAX_QUERY_LENGTH = 10_000;
export const MAX_DEPTH = 32;
export const MAX_LEAVES = 128;
/** A prefix shorter than this would expand to a large part of the vocabulary: the star is dropped. */
export const MIN_PREFIX = 2;

export const HAS_VALUES = ['transcript', 'translation', 'video', 'audio', 'image', 'file'] as const;
export type HasValue = (typeof HAS_VALUES)[number];
export const FILTER_FIELDS = ['kind', 'tag', 'lang', 'from', 'to', 'collection', 'has'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** One normalised token, as the index holds it. */
export interface Term {
  readonly type: 'term';
  readonly text: string;
  /** Matches every token starting with text. */
  readonly prefix: boolean;
  /**
   * Set by the search engine, never by the parser: text is a stem (shared/stem.ts), to be matched
   * in the index of stems rather than the index of words as written.
   */
  readonly stem?: boolean;
}

/** Normalised tokens that must appear next to each other, in order (at least two). */
export interface Phrase {
  readonly type: 'phrase';
  readonly words: readonly string[];
  /** The last word is a prefix. */
  readonly prefix: boolean;
}

/**
 * A condition on the item rather than its text. kind and has are resolved to their canonical
 * names; lang is a primary language subtag (ar, en); from and to are YYYY, YYYY-MM or YYYY-MM-DD
 * and name a whole period (to:2019 includes all of 2019); tag and collection are the names as
 * typed, matched by their normalised key.
 */
export type Filter =
  | { readonly type: 'filter'; readonly field: 'kind'; readonly value: ItemKind }
  | { readonly type: 'filter'; readonly field: 'has'; readonly value: HasValue }
  | { readonly type: 'filter'; readonly field: 'tag' | 'collection' | 'lang' | 'from' | 'to'; readonly value: string };

export interface Not {
  readonly type: 'not';
  readonly child: Node;
}

/** At least two children, none of them an And (nested ANDs are flattened). */
export interface And {
  readonly type: 'and';
  readonly children: readonly Node[];
}

/** At least two children, none of them an Or. */
export interface Or {
  readonly type: 'or';
  readonly children: readonly Node[];
}

export type Node = Term | Phrase | Filter | Not | And | Or;

export interface Query {
  /** Null when nothing searchable was typed. */
  readonly root: Node | null;
  /** What was dropped or reinterpreted, for the person to read (English, as the CLI prints it). */
  readonly warnings: readonly string[];
  /** The same warnings as codes and their parts, in the same order, for a screen to translate. */
  readonly warningCodes: readonly QueryWarning[];
}

/** Every warning the parser can give; the parts each one has are listed in warningText. */
export const QUERY_WARNING_CODES = [
  'cut', 'quoteMissing', 'emptyQuotes', 'nothingSearchable', 'shortPrefix', 'needsValue', 'badKind', 'badHas', 'badLang',
  'badDate', 'noLetters', 'strayClose', 'loneOr', 'tooDeep', 'loneNot', 'closeMissing', 'tooMany',
  // Given by the search, which knows the archive's labels (labelWarning): a filter naming none.
  'noSuchTag', 'noSuchCollection', 'tagMeant', 'collectionMeant',
] as const;
export type QueryWarningCode = (typeof QUERY_WARNING_CODES)[number];

/** A warning as data: its code and the pieces of the query (or limits) it names. */
export interface QueryWarning {
  readonly code: QueryWarningCode;
  readonly params: Readonly<Record<string, string>>;
}

type Warn = (code: QueryWarningCode, params: Readonly<Record<string, string>>) => void;

/** A warning in English. */
export function warningText(w: QueryWarning): string {
  const p = (name: string) => w.params[name] ?? '';
  switch (w.code) {
    case 'cut':
      return `The query was cut to its first ${p('max')} characters.`;
    case 'quoteMissing':
      return 'A closing quote was missing; the phrase runs to the end of the query.';
    case 'emptyQuotes':
      return 'Empty quotes were ignored.';
    case 'nothingSearchable':
      return `"${p('text')}" has nothing searchable in it and was ignored.`;
    case 'shortPrefix':
      return `A prefix search needs at least ${p('min')} letters: "${p('text')}*" searches for "${p('word')}".`;
    case 'needsValue':
      return `"${p('field')}:" needs a value, such as ${p('example')}; it was ignored.`;
    case 'badKind':
      return `"kind:${p('value')}" was ignored: a kind is one of ${p('list')}.`;
    case 'badHas':
      return `"has:${p('value')}" was ignored: has: takes ${p('list')}.`;
    case 'badLang':
      return `"lang:${p('value')}" was ignored: a language is a code such as ar or en.`;
    case 'badDate':
      return `"${p('field')}:${p('value')}" was ignored: a date looks like 2019, 2019-10 or 2019-10-25.`;
    case 'noLetters':
      return `"${p('field')}:${p('value')}" was ignored: it has no letters or digits.`;
    case 'strayClose':
      return 'A closing parenthesis without an opening one was ignored.';
    case 'loneOr':
      return 'OR needs something on both sides; it was ignored.';
    case 'tooDeep':
      return `Parentheses nested deeper than ${p('max')} were ignored.`;
    case 'loneNot':
      return 'A minus or NOT with nothing after it was ignored.';
    case 'closeMissing':
      return 'A closing parenthesis was missing; it was added at the end.';
    case 'tooMany':
      return `Only the first ${p('max')} words, phrases and filters are used.`;
    case 'noSuchTag':
      return `No tag is named "${p('name')}", so no item has it.`;
    case 'noSuchCollection':
      return `No collection is named "${p('name')}", so no item is in it.`;
    case 'tagMeant':
      return `No tag is named "${p('name')}": did you mean tag:"${p('meant')}"?`;
    case 'collectionMeant':
      return `No collection is named "${p('name')}": did you mean collection:"${p('meant')}"?`;
  }
}

/** The warning for a tag: or collection: filter that names no label of the archive, with the one probably meant. */
export function labelWarning(field: 'tag' | 'collection', name: string, meant: string | null): QueryWarning {
  if (meant === null) return { code: field === 'tag' ? 'noSuchTag' : 'noSuchCollection', params: { name } };
  return { code: field === 'tag' ? 'tagMeant' : 'collectionMeant', params: { name, meant } };
}

// ---------------------------------------------------------------------------------------------
// Tree builders: they keep the invariants above, so the compiler never sees an empty group.

export function and(nodes: readonly (Node | null)[]): Node | null {
  return group('and', nodes);
}

export function or(nodes: readonly (Node | null)[]): Node | null {
  return group('or', nodes);
}

/**
 * Nested groups of the same type flattened, and a child that repeats another dropped: `x x` says
 * no more than `x`, and FTS5 ranks each repetition again (128 times one word took 4 s at 5k items).
 */
function group(type: 'and' | 'or', nodes: readonly (Node | null)[]): Node | null {
  const children: Node[] = [];
  const seen = new Set<string>();
  const add = (n: Node) => {
    const key = JSON.stringify(n);
    if (seen.has(key)) return;
    seen.add(key);
    children.push(n);
  };
  for (const n of nodes) {
    if (n === null) continue;
    if (n.type === type) n.children.forEach(add);
    else add(n);
  }
  if (children.length === 0) return null;
  if (children.length === 1) return children[0] as Node;
  return { type, children };
}

export function not(node: Node | null): Node | null {
  if (node === null) return null;
  if (node.type === 'not') return node.child; // NOT -word: the person means the word
  return { type: 'not', child: node };
}

// ---------------------------------------------------------------------------------------------
// Characters

// Removed before lexing: normalizeText drops them inside words anyway, and an RTL mark typed
// between a space and `-` or `"` must not hide the operator.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const OTHER_SPACE = /[\s\p{Z}]/u;

function isSpace(c: number): boolean {
  if (c <= 0x20 || (c >= 0x7f && c <= 0xa0)) return true; // controls (NUL, tab, newline...) and NBSP
  if (c < 0x1680) return false;
  return OTHER_SPACE.test(String.fromCharCode(c));
}

/** Comma, semicolon and their Arabic forms: word separators outside filter values. */
function isComma(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x060c || c === 0x061b;
}

// Any of these opens a phrase and any closes it: people mix styles, and in right-to-left text
// guillemets are typed either way round.
function isQuote(c: number): boolean {
  return (
    c === 0x22 || // "
    c === 0x201c || // “
    c === 0x201d || // ”
    c === 0x201e || // „
    c === 0x201f || // ‟
    c === 0xab || // «
    c === 0xbb || // »
    c === 0xff02 || // ＂ (full width)
    c === 0x301d || // 〝
    c === 0x301e // 〞
  );
}

/** Characters that end a word: space, comma, ( ) | and quotes. */
function endsWord(c: number): boolean {
  return isSpace(c) || isComma(c) || c === 0x28 || c === 0x29 || c === 0x7c || isQuote(c);
}

/** Characters that end an unquoted filter value: as for words, but commas make a list. */
function endsValue(c: number): boolean {
  return isSpace(c) || c === 0x28 || c === 0x29 || c === 0x7c || isQuote(c);
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A piece of the person's text for a warning: short, and on one line. */
function show(s: string): string {
  const flat = Array.from(s.replace(/\s+/g, ' ').trim()); // by code point: never half an emoji
  return flat.length > 40 ? `${flat.slice(0, 39).join('')}…` : flat.join('');
}

// ---------------------------------------------------------------------------------------------
// Filter values

// Keys are normalised (normalizeText, then tokens joined by a space), as values are before lookup.
const KIND_ALIASES: ReadonlyMap<string, ItemKind> = new Map([
  ['photo', 'image'],
  ['picture', 'image'],
  ['pdf', 'document'],
  ['doc', 'document'],
  ['فيديو', 'video'],
  ['صوت', 'audio'],
  ['صوره', 'image'],
  ['مقال', 'article'],
  ['مقاله', 'article'],
  ['وثيقه', 'document'],
  ['شهاده', 'testimony'],
  ['ملاحظه', 'note'],
]);

const HAS_ALIASES: ReadonlyMap<string, HasValue> = new Map([
  ['transcription', 'transcript'],
  ['photo', 'image'],
  ['picture', 'image'],
  ['attachment', 'file'],
  ['تفريغ', 'transcript'],
  ['ترجمه', 'translation'],
  ['فيديو', 'video'],
  ['صوت', 'audio'],
  ['صوره', 'image'],
  ['ملف', 'file'],
]);

const LANG_ALIASES: ReadonlyMap<string, string> = new Map([
  ['arabic', 'ar'],
  ['عربي', 'ar'],
  ['عربيه', 'ar'],
  ['العربيه', 'ar'],
  ['english', 'en'],
  ['انجليزي', 'en'],
  ['انجليزيه', 'en'],
  ['الانجليزيه', 'en'],
  ['انكليزي', 'en'], // the Iraqi spelling
  ['انكليزيه', 'en'],
  ['الانكليزيه', 'en'],
  ['kurdish', 'ku'],
  ['كردي', 'ku'],
  ['persian', 'fa'],
  ['farsi', 'fa'],
  ['فارسي', 'fa'],
  ['french', 'fr'],
  ['turkish', 'tr'],
]);

/** A name from a closed list: exact, an alias, a plural, or an unambiguous beginning (kind:vid). */
function resolveName<T extends string>(raw: string, names: readonly T[], aliases: ReadonlyMap<string, T>): T | null {
  const key = tokenize(normalizeText(raw)).join(' ');
  if (key === '') return null;
  const exact = names.find((n) => n === key) ?? aliases.get(key);
  if (exact !== undefined) return exact;
  if (key.endsWith('s')) {
    const singular = key.slice(0, -1);
    const found = names.find((n) => n === singular) ?? aliases.get(singular);
    if (found !== undefined) return found;
  }
  const starts = names.filter((n) => n.startsWith(key));
  return starts.length === 1 ? (starts[0] as T) : null;
}

const DATE = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/;

/** YYYY, YYYY-MM or YYYY-MM-DD (zero-padded), or null when not a real date. */
export function parseDateValue(raw: string): string | null {
  const m = DATE.exec(normalizeText(raw).trim()); // normalizeText turns ٢٠١٩ into 2019
  if (!m) return null;
  const [, y, mo, d] = m;
  if (mo === undefined) return y as string;
  const month = Number(mo);
  if (month < 1 || month > 12) return null;
  const mm = String(month).padStart(2, '0');
  if (d === undefined) return `${y}-${mm}`;
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  return `${y}-${mm}-${String(day).padStart(2, '0')}`;
}

function resolveLang(raw: string): string | null {
  const key = normalizeText(raw).trim();
  const code = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/.exec(key);
  if (code) return code[1] as string;
  return LANG_ALIASES.get(tokenize(key).join(' ')) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Lexer: the text becomes operators and leaves; leaves are already nodes (null when a word had
// nothing searchable in it, such as an emoji or a lone `^`).

type Lexeme =
  | { readonly t: 'leaf'; readonly node: Node | null }
  | { readonly t: 'or' }
  | { readonly t: 'and' }
  | { readonly t: 'not' }
  | { readonly t: 'open' }
  | { readonly t: 'close' };

const OR: Lexeme = { t: 'or' };
const AND: Lexeme = { t: 'and' };
const NOT: Lexeme = { t: 'not' };
const OPEN: Lexeme = { t: 'open' };
const CLOSE: Lexeme = { t: 'close' };

const FIELD = /([A-Za-z]+):/y;

/**
 * The Arabic article as English writes it, joined to a name by a hyphen (al-Kadhimi, el-Sisi;
 * before a sun letter it takes the letter's sound, which the name then repeats: as-Sadr,
 * an-Nasiriyah, ash-Shaab): the article is no part of the name, and the same text writes it
 * Kadhimi too. Not at-risk, ad-hoc or as-is, which repeat nothing.
 */
const LATIN_ARTICLE = /^(?:(?:al|el)[-\u2010\u2011](?=\p{L})|a(dh|sh|th|[dnrstz])[-\u2010\u2011](?=\1))/iu;
/** An English possessive ('s, ’s): Kadhimi's is about Kadhimi. */
const POSSESSIVE = /(?<=\p{L})['\u2019]s$/iu;

/** A name without the Arabic article English joins to it (al-Kadhimi → Kadhimi), or the word as it is. */
export function withoutLatinArticle(word: string): string {
  return word.replace(LATIN_ARTICLE, '');
}

/**
 * An unquoted word as it is searched: without a Latin article or a possessive, so that al-Kazimi
 * and Kadhimi's are searched as the names, widened and in the other script, not as a phrase that
 * only the same spelling with the same article matches. Quoted, they stay as typed.
 */
function looseWord(raw: string): string {
  const bare = raw.replace(POSSESSIVE, '');
  const name = withoutLatinArticle(bare);
  // The article alone (al-) is left as typed.
  return tokenize(normalizeText(name)).length > 0 ? name : bare;
}

class Lexer {
  private readonly s: string;
  private i = 0;
  readonly out: Lexeme[] = [];
  private readonly warn: Warn;

  constructor(s: string, warn: Warn) {
    this.s = s;
    this.warn = warn;
  }

  run(): Lexeme[] {
    const s = this.s;
    const n = s.length;
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (isSpace(c) || isComma(c)) this.i++;
      else if (c === 0x28) this.push(OPEN, 1);
      else if (c === 0x29) this.push(CLOSE, 1);
      else if (c === 0x7c) this.push(OR, 1); // | (and || as two, which the parser merges)
      else if (isQuote(c)) this.phrase();
      else if (c === 0x2d) this.dash();
      else this.chunk();
    }
    return this.out;
  }

  private push(lexeme: Lexeme, width: number): void {
    this.out.push(lexeme);
    this.i += width;
  }

  /** `-x` excludes x; a dash followed by a space or nothing is punctuation (Arabic prose uses it). */
  private dash(): void {
    const s = this.s;
    let j = this.i;
    while (j < s.length && s.charCodeAt(j) === 0x2d) j++;
    const next = j < s.length ? s.charCodeAt(j) : -1;
    if (next !== -1 && !isSpace(next) && !isComma(next) && next !== 0x29 && next !== 0x7c) this.out.push(NOT);
    this.i = j;
  }

  /** Reads from after an opening quote to the closing one (or the end); returns the content. */
  private quoted(): string {
    const s = this.s;
    const start = this.i;
    let j = start;
    while (j < s.length && !isQuote(s.charCodeAt(j))) j++;
    if (j >= s.length) this.warn('quoteMissing', {});
    this.i = Math.min(j + 1, s.length);
    return s.slice(start, j);
  }

  private stars(): boolean {
    const s = this.s;
    let j = this.i;
    while (j < s.length && s.charCodeAt(j) === 0x2a) j++;
    const any = j > this.i;
    this.i = j;
    return any;
  }

  private phrase(): void {
    this.i++;
    const content = this.quoted();
    const prefix = this.stars();
    if (tokenize(normalizeText(content)).length === 0) {
      if (content.trim() === '') this.warn('emptyQuotes', {});
      else this.warn('nothingSearchable', { text: show(content) });
      this.out.push({ t: 'leaf', node: null });
      return;
    }
    const node = this.words(content, prefix);
    // A quoted word is a deliberate spelling: as typed, not its other forms or near spellings.
    this.out.push({ t: 'leaf', node: node.type === 'term' && !node.prefix ? { type: 'phrase', words: [node.text], prefix: false } : node });
  }

  private chunk(): void {
    const s = this.s;
    FIELD.lastIndex = this.i;
    const field = FIELD.exec(s);
    const name = field?.[1]?.toLowerCase();
    if (field && (FILTER_FIELDS as readonly string[]).includes(name as string)) {
      this.i = FIELD.lastIndex;
      this.filter(name as FilterField, field[0]);
      return;
    }
    let j = this.i;
    while (j < s.length && !endsWord(s.charCodeAt(j))) j++;
    const raw = s.slice(this.i, j);
    this.i = j;
    if (raw === 'OR') this.out.push(OR);
    else if (raw === 'AND') this.out.push(AND);
    else if (raw === 'NOT') this.out.push(NOT);
    else {
      const star = /\*+$/.exec(raw);
      const stem = star ? raw.slice(0, star.index) : raw;
      if (tokenize(normalizeText(stem)).length === 0) {
        this.warn('nothingSearchable', { text: show(raw) });
        this.out.push({ t: 'leaf', node: null });
      } else {
        this.out.push({ t: 'leaf', node: this.words(looseWord(stem), star !== null) });
      }
    }
  }

  /** A word or quoted text: one term, or a phrase of its tokens. Has at least one token. */
  private words(text: string, prefix: boolean): Node {
    const tokens = tokenize(normalizeText(text));
    const last = tokens[tokens.length - 1] as string;
    if (prefix && codePoints(last) < MIN_PREFIX) {
      this.warn('shortPrefix', { min: String(MIN_PREFIX), text: show(last), word: show(last) });
      prefix = false;
    }
    if (tokens.length === 1) return { type: 'term', text: last, prefix };
    return { type: 'phrase', words: tokens, prefix };
  }

  private filter(field: FilterField, typed: string): void {
    const s = this.s;
    let values: string[];
    if (this.i < s.length && isQuote(s.charCodeAt(this.i))) {
      this.i++;
      values = [this.quoted()];
      this.stars(); // a star after a quoted value means nothing: values match whole
    } else {
      let j = this.i;
      while (j < s.length && !endsValue(s.charCodeAt(j))) j++;
      const raw = s.slice(this.i, j);
      this.i = j;
      values = field === 'from' || field === 'to' ? [raw] : raw.split(/[,،]/);
    }
    values = values.map((v) => v.replace(/\s+/g, ' ').trim()).filter((v) => v !== '');
    if (values.length === 0) {
      this.warn('needsValue', { field: typed.slice(0, -1), example: EXAMPLES[field] });
      this.out.push({ t: 'leaf', node: null });
      return;
    }
    this.out.push({ t: 'leaf', node: or(values.map((v) => this.filterValue(field, v))) });
  }

  private filterValue(field: FilterField, value: string): Filter | null {
    switch (field) {
      case 'kind': {
        const kind = resolveName(value, ITEM_KINDS, KIND_ALIASES);
        if (kind === null) this.warn('badKind', { value: show(value), list: ITEM_KINDS.join(', ') });
        return kind === null ? null : { type: 'filter', field, value: kind };
      }
      case 'has': {
        const has = resolveName(value, HAS_VALUES, HAS_ALIASES);
        if (has === null) this.warn('badHas', { value: show(value), list: HAS_VALUES.join(', ') });
        return has === null ? null : { type: 'filter', field, value: has };
      }
      case 'lang': {
        const lang = resolveLang(value);
        if (lang === null) this.warn('badLang', { value: show(value) });
        return lang === null ? null : { type: 'filter', field, value: lang };
      }
      case 'from':
      case 'to': {
        const date = parseDateValue(value);
        if (date === null) this.warn('badDate', { field, value: show(value) });
        return date === null ? null : { type: 'filter', field, value: date };
      }
      case 'tag':
      case 'collection':
        // Matched by the normalised key, so a name with nothing left after normalising names nothing.
        if (normalizeText(value).trim() === '') {
          this.warn('noLetters', { field, value: show(value) });
          return null;
        }
        return { type: 'filter', field, value };
      default:
        return missingCase(field);
    }
  }
}

const EXAMPLES: Readonly<Record<FilterField, string>> = {
  kind: 'kind:video',
  tag: 'tag:protest or tag:"Dhi Qar"',
  lang: 'lang:ar',
  from: 'from:2019-10',
  to: 'to:2020',
  collection: 'collection:"Tishreen 2019"',
  has: 'has:transcript',
};

function missingCase(x: never): never {
  throw new Error(`unhandled case: ${String(x)}`);
}

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent over the lexemes.
//   sequence := (unary (OR unary)*)*          implicit AND of OR-groups
//   unary    := (- | NOT)* primary
//   primary  := ( sequence )? | leaf
// Never fails: a stray operator or parenthesis is skipped with a warning.

class Parser {
  private readonly lexemes: readonly Lexeme[];
  private i = 0;
  private leaves = 0;
  /** Opening parentheses beyond MAX_DEPTH that were ignored; their closing ones are skipped too. */
  private flattened = 0;
  private readonly warn: Warn;

  constructor(lexemes: readonly Lexeme[], warn: Warn) {
    this.lexemes = lexemes;
    this.warn = warn;
  }

  /** The next lexeme, after skipping the closing parentheses of flattened groups. */
  private peek(): Lexeme | undefined {
    while (this.flattened > 0 && this.lexemes[this.i]?.t === 'close') {
      this.flattened--;
      this.i++;
    }
    return this.lexemes[this.i];
  }

  /** An implicit AND, up to the end or (inside parentheses) a closing parenthesis. */
  sequence(depth: number): Node | null {
    const items: (Node | null)[] = [];
    for (let l = this.peek(); l !== undefined; l = this.peek()) {
      if (l.t === 'close') {
        if (depth > 0) break;
        this.warn('strayClose', {});
        this.i++;
      } else if (l.t === 'or') {
        this.warn('loneOr', {});
        this.i++;
      } else if (l.t === 'and') {
        this.i++; // AND is what a space already means
      } else {
        items.push(this.disjunction(depth));
      }
    }
    return and(items);
  }

  private disjunction(depth: number): Node | null {
    const parts = [this.unary(depth)];
    for (;;) {
      let l = this.peek();
      if (l?.t !== 'or') break;
      while (l?.t === 'or' || l?.t === 'and') {
        this.i++;
        l = this.peek();
      }
      if (l === undefined || l.t === 'close') {
        this.warn('loneOr', {});
        break;
      }
      parts.push(this.unary(depth));
    }
    return or(parts);
  }

  private unary(depth: number): Node | null {
    let negate = false;
    let l = this.peek();
    // Subtle: parentheses beyond MAX_DEPTH are skipped here, in a loop, so that no input (10,000
    // characters of "-(") can make the parser recurse deeper than MAX_DEPTH groups.
    while (l?.t === 'not' || (l?.t === 'open' && depth >= MAX_DEPTH)) {
      if (l.t === 'not') negate = !negate;
      else {
        this.warn('tooDeep', { max: String(MAX_DEPTH) });
        this.flattened++;
      }
      this.i++;
      l = this.peek();
    }
    if (negate && (l === undefined || l.t === 'close' || l.t === 'or' || l.t === 'and')) {
      this.warn('loneNot', {});
      return null;
    }
    const node = this.primary(depth);
    return negate ? not(node) : node;
  }

  private primary(depth: number): Node | null {
    const l = this.peek();
    if (l === undefined || l.t === 'close' || l.t === 'or') return null; // left for the caller
    this.i++;
    switch (l.t) {
      case 'leaf':
        return this.leaf(l.node);
      case 'open': {
        const inner = this.sequence(depth + 1);
        if (this.peek()?.t === 'close') this.i++;
        else this.warn('closeMissing', {});
        return inner;
      }
      case 'not':
      case 'and':
        return null; // unreachable: unary and sequence consume these
      default:
        return missingCase(l);
    }
  }

  private leaf(node: Node | null): Node | null {
    if (node === null) return null;
    const count = node.type === 'or' ? node.children.length : 1;
    if (this.leaves + count > MAX_LEAVES) {
      this.warn('tooMany', { max: String(MAX_LEAVES) });
      return null;
    }
    this.leaves += count;
    return node;
  }
}

/** Parses anything a person can type. Never throws. */
export function parseQuery(input: string): Query {
  const warnings: string[] = [];
  const warningCodes: QueryWarning[] = [];
  const warn: Warn = (code, params) => {
    const message = warningText({ code, params });
    if (warnings.includes(message)) return;
    warnings.push(message);
    warningCodes.push({ code, params });
  };
  let text = input;
  if (text.length > MAX_QUERY_LENGTH) {
    text = text.slice(0, MAX_QUERY_LENGTH);
    // Subtle: do not leave half of a surrogate pair at the cut.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) text = text.slice(0, -1);
    warn('cut', { max: MAX_QUERY_LENGTH.toLocaleString('en') });
  }
  text = text.replace(INVISIBLE, '');
  const lexemes = new Lexer(text, warn).run();
  const root = new Parser(lexemes, warn).sequence(0);
  // Only operators and brackets (AND, -, "( )"): nothing was searched, and the person is told so
  // as for any other text dropped, rather than shown "No matches." as if the archive was searched.
  const seen = text.replace(/\p{Cc}/gu, ' ');
  if (root === null && warnings.length === 0 && seen.trim() !== '') warn('nothingSearchable', { text: show(seen) });
  return { root, warnings, warningCodes };
}

// ---------------------------------------------------------------------------------------------
// Explanation

function describeFilter(f: Filter): string {
  switch (f.field) {
    case 'kind':
      return `kind is ${f.value}`;
    case 'has':
      return `has ${f.value === 'audio' ? 'audio' : /^[aeiou]/.test(f.value) ? `an ${f.value}` : `a ${f.value}`}`;
    case 'tag':
      return `tagged "${f.value}"`;
    case 'collection':
      return `in collection "${f.value}"`;
    case 'lang':
      return `language is ${f.value}`;
    case 'from':
      return `dated ${f.value} or later`;
    case 'to':
      return `dated ${f.value} or earlier`;
    default:
      return missingCase(f);
  }
}

function describeNode(node: Node, nested: boolean): string {
  switch (node.type) {
    case 'term':
      return node.prefix ? `words starting with "${node.text}"` : `"${node.text}"`;
    case 'phrase':
      return `the phrase "${node.words.join(' ')}${node.prefix ? '…' : ''}"`;
    case 'filter':
      return describeFilter(node);
    case 'not':
      return `not ${describeNode(node.child, true)}`;
    case 'and': {
      const s = node.children.map((c) => describeNode(c, true)).join(' and ');
      return nested ? `(${s})` : s;
    }
    case 'or': {
      const s = node.children.map((c) => describeNode(c, true)).join(' or ');
      return nested ? `(${s})` : s;
    }
    default:
      return missingCase(node);
  }
}

/** A short explanation in plain English, for the search help popover and for debugging. */
export function describeQuery(q: Query): string {
  const root = q.root;
  if (root === null) return 'everything (no search words)';
  const conjuncts = root.type === 'and' ? root.children : [root];
  if (conjuncts.every((c) => c.type === 'not')) {
    return `everything except ${conjuncts.map((c) => describeNode((c as Not).child, conjuncts.length > 1)).join(' and except ')}`;
  }
  return `items matching ${describeNode(root, false)}`;
}
