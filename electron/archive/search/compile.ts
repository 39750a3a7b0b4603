// A parsed query (shared/query.ts) becomes an FTS5 MATCH expression and an SQL condition over
// `items i`. Every word a person typed reaches FTS5 as a quoted string with inner quotes doubled;
// the operators, parentheses and prefix stars are ours; NEAR, column filters and `^` are never
// emitted. Filters become SQL with parameters only. The result always runs, whatever was typed:
// the property test in test/unit/query-compile.test.ts executes 100,000 random queries.
//
// How a tree is split: the top-level AND's conjuncts that are pure text go into `match` (so they
// rank by BM25), negated text joins them as FTS5's binary `a NOT b`, and everything else (filters,
// text ORed with a filter, a text part too deep for FTS5's parser) goes into `where`, with its text
// parts as `i.seq IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)`. A query with no
// positive text (only `-word`, or only filters) has match = null: run it over items alone, with
// the negated text as `i.seq NOT IN (...)`. That is why no MATCH expression is ever a lone NOT.
//
// The same tree can be compiled for the stem index (search_stem, see search/levels.ts): there the
// terms marked `stem` are its words, and every other piece of text (phrases, prefixes, words as
// typed, exclusions) is matched in search_fts through a subquery, as a filter is.
import type { Filter, Node, Query } from '../../../shared/query.ts';
import { labelKey } from '../labels.ts';

export interface CompiledQuery {
  /** FTS5 expression for `search_fts MATCH ?`, or null: then query `items i` without the FTS join. */
  readonly match: string | null;
  /**
   * An SQL boolean over `items i`, never NULL, parenthesised so it can be ANDed as is; '1' when
   * there is no condition. Deleted items are the caller's business.
   */
  readonly where: string;
  /** The parameters of `where`, in order (the MATCH text is not among them). */
  readonly params: unknown[];
}

/**
 * FTS5's expression parser has a fixed stack of about 100 entries and fails with "parser stack
 * overflow" beyond it; one nested parenthesis costs up to 7 of them (`a OR b AND c NOT (`), so
 * text nested deeper than this many parentheses is split into separate MATCH subqueries.
 */
const FTS_MAX_NESTING = 10;

export type IndexName = 'search_fts' | 'search_stem';

export interface CompileOptions {
  /**
   * The FTS5 table `match` is for (default search_fts). For search_stem, only terms marked `stem`
   * go into `match`; the rest of the text becomes search_fts subqueries in `where`.
   */
  readonly index?: IndexName;
  /** The SQL expression that names the item's seq in `where` (default i.seq). */
  readonly seq?: string;
  /**
   * What the alias `i` in filters is: items (default) or search_docs, the narrow table of what
   * filters and facets read (kind, language, date), much cheaper to look rows up in.
   */
  readonly docs?: 'items' | 'search_docs';
}

export interface CompiledSearch extends CompiledQuery {
  /** Parentheses nested in match: wrapping it in more must stay under FTS5's parser stack. */
  readonly nesting: number;
  /** Whether `where` reads the item's columns (alias i), so the query must join items or search_docs. */
  readonly needsDocs: boolean;
}

/** One FTS5 string: the token(s) in double quotes, inner quotes doubled. */
function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * An FTS5 expression and what it needs around it. FTS5's precedence is NOT > AND > OR, so an
 * 'and' chain may stand inside an OR unparenthesised, an 'or' needs parentheses inside an AND,
 * and only an 'atom' may be the right side of NOT.
 */
interface Fts {
  readonly text: string;
  readonly shape: 'atom' | 'and' | 'or';
  /** Parentheses nested in text. */
  readonly nesting: number;
}

function paren(f: Fts): Fts {
  return { text: `(${f.text})`, shape: 'atom', nesting: f.nesting + 1 };
}

interface Split {
  /** Positive pure-text conjuncts. */
  readonly pos: Fts[];
  /** Children of negated pure-text conjuncts. */
  readonly neg: Fts[];
  /** Everything else: needs SQL. */
  readonly rest: Node[];
}

function splitConjuncts(children: readonly Node[]): Split {
  const pos: Fts[] = [];
  const neg: Fts[] = [];
  const rest: Node[] = [];
  for (const child of children) {
    const f = toFts(child);
    if (f) {
      pos.push(f);
      continue;
    }
    const g = child.type === 'not' ? toFts(child.child) : null;
    if (g) neg.push(g);
    else rest.push(child);
  }
  return { pos, neg, rest };
}

/** `p1 AND p2 NOT (n1 OR n2)`: NOT binds tightest, so this is (p1 AND p2) minus the negatives. */
function conjunction(pos: readonly Fts[], neg: readonly Fts[]): Fts | null {
  if (pos.length === 0) return null;
  if (pos.length === 1 && neg.length === 0) return pos[0] as Fts; // an OR alone needs no parentheses
  const parts = pos.map((p) => (p.shape === 'or' ? paren(p) : p));
  let text = parts.map((p) => p.text).join(' AND ');
  let nesting = Math.max(...parts.map((p) => p.nesting));
  if (neg.length > 0) {
    const n = neg.length === 1 ? (neg[0] as Fts) : disjunction(neg);
    const right = n.shape === 'atom' ? n : paren(n);
    text += ` NOT ${right.text}`;
    nesting = Math.max(nesting, right.nesting);
  }
  if (nesting > FTS_MAX_NESTING) return null;
  return { text, shape: parts.length === 1 && neg.length === 0 ? (parts[0] as Fts).shape : 'and', nesting };
}

function disjunction(parts: readonly Fts[]): Fts {
  if (parts.length === 1) return parts[0] as Fts;
  return { text: parts.map((p) => p.text).join(' OR '), shape: 'or', nesting: Math.max(...parts.map((p) => p.nesting)) };
}

// Compiling asks each subtree for its FTS5 form once per ancestor: remember the answers, per index.
const ftsCaches: Record<IndexName, WeakMap<Node, Fts | null>> = { search_fts: new WeakMap(), search_stem: new WeakMap() };

/** The index a compilation is for; set by compileSearch around its work (compiling is synchronous). */
let target: IndexName = 'search_fts';

/**
 * The node as a positive FTS5 expression for the target index, or null when it cannot be one: it
 * holds a filter or text of the other index, it is a negation with nothing positive beside it, or
 * it nests too deep.
 */
function toFts(node: Node): Fts | null {
  const cache = ftsCaches[target];
  let f = cache.get(node);
  if (f === undefined) {
    f = computeFts(node);
    cache.set(node, f);
  }
  return f;
}

/** A leaf's FTS5 string, whichever index it belongs to. */
function leafFts(node: Node & { type: 'term' | 'phrase' }): Fts {
  const text = node.type === 'term' ? node.text : node.words.join(' ');
  return { text: ftsString(text) + (node.prefix ? '*' : ''), shape: 'atom', nesting: 0 };
}

/** Which index a piece of text is matched in. */
function leafIndex(node: Node & { type: 'term' | 'phrase' }): IndexName {
  return node.type === 'term' && node.stem === true ? 'search_stem' : 'search_fts';
}

function computeFts(node: Node): Fts | null {
  switch (node.type) {
    case 'term':
    case 'phrase':
      return leafIndex(node) === target ? leafFts(node) : null;
    case 'filter':
    case 'not':
      return null;
    case 'and': {
      const split = splitConjuncts(node.children);
      return split.rest.length === 0 ? conjunction(split.pos, split.neg) : null;
    }
    case 'or': {
      const parts: Fts[] = [];
      for (const child of node.children) {
        const f = toFts(child);
        if (!f) return null;
        parts.push(f);
      }
      const d = disjunction(parts);
      return d.nesting > FTS_MAX_NESTING ? null : d;
    }
    default:
      return missingCase(node);
  }
}

class SqlBuilder {
  readonly params: unknown[] = [];
  /** Whether a filter read the item's columns. */
  needsDocs = false;
  private readonly seq: string;
  private readonly date: string;

  constructor(options: CompileOptions) {
    this.seq = options.seq ?? 'i.seq';
    this.date = options.docs === 'search_docs' ? 'i.date' : 'COALESCE(i.event_date, i.published_at, i.captured_at)';
  }

  /** seq IN / NOT IN the rows matching an FTS5 expression of an index (the target by default). */
  private rows(f: Fts, negate: boolean, index: IndexName = target): string {
    this.params.push(f.text);
    // When seq is an FTS5 table's rowid, `where` sits beside that table's own MATCH: a unary plus
    // keeps SQLite from looking the table's rows up by this list instead, a plan in which FTS5
    // cannot take its MATCH ("unable to use function MATCH in the requested context").
    const seq = this.seq.endsWith('.rowid') ? `+${this.seq}` : this.seq;
    return `${seq} ${negate ? 'NOT IN' : 'IN'} (SELECT rowid FROM ${index} WHERE ${index} MATCH ?)`;
  }

  /** The SQL for conjuncts (a split), as parts to AND together. */
  conjuncts(split: Split): string[] {
    const parts: string[] = [];
    if (split.pos.length > 0) {
      const c = conjunction(split.pos, split.neg);
      // Subtle: conjunction refuses only when too deep, and then each part goes on its own.
      if (c) parts.push(this.rows(c, false));
      else {
        for (const p of split.pos) parts.push(this.rows(p, false));
        for (const n of split.neg) parts.push(this.rows(n, true));
      }
    } else if (split.neg.length > 0) {
      const n = disjunction(split.neg);
      if (n.nesting <= FTS_MAX_NESTING) parts.push(this.rows(n, true));
      else for (const m of split.neg) parts.push(this.rows(m, true));
    }
    for (const node of split.rest) parts.push(this.node(node));
    return parts;
  }

  /** A boolean SQL expression for the node: atomic (parenthesised when compound), never NULL. */
  node(node: Node): string {
    const f = toFts(node);
    if (f) return this.rows(f, false);
    switch (node.type) {
      case 'term':
      case 'phrase':
        // Text of the other index (only when compiling for search_stem: words as typed, phrases).
        return this.rows(leafFts(node), false, leafIndex(node));
      case 'filter':
        this.needsDocs = true;
        return this.filter(node);
      case 'not': {
        const g = toFts(node.child);
        return g ? this.rows(g, true) : `NOT ${this.node(node.child)}`;
      }
      case 'and':
        return joinBalanced(this.conjuncts(splitConjuncts(node.children)), 'AND');
      case 'or': {
        const parts: string[] = [];
        const text: Fts[] = [];
        for (const child of node.children) {
          const g = toFts(child);
          if (g) text.push(g);
        }
        // The pure-text alternatives share one MATCH (one index lookup instead of several).
        const d = text.length > 0 ? disjunction(text) : null;
        if (d && d.nesting <= FTS_MAX_NESTING) parts.push(this.rows(d, false));
        else for (const t of text) parts.push(this.rows(t, false));
        for (const child of node.children) if (!toFts(child)) parts.push(this.node(child));
        return joinBalanced(parts, 'OR');
      }
      default:
        return missingCase(node);
    }
  }

  private filter(f: Filter): string {
    switch (f.field) {
      case 'kind':
        this.params.push(f.value);
        return '(i.kind = ?)';
      case 'tag':
        this.params.push(labelKey(f.value));
        return 'EXISTS (SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_seq = i.seq AND t.key = ?)';
      case 'collection':
        this.params.push(labelKey(f.value));
        return `EXISTS (SELECT 1 FROM collection_items ci JOIN collections c ON c.id = ci.collection_id
                        WHERE ci.item_seq = i.seq AND c.key = ?)`;
      case 'lang':
        // The primary subtag: lang:ar matches ar, ar-IQ and AR; an item without a language never.
        this.params.push(f.value, `${f.value}-%`);
        return "(lower(IFNULL(i.language, '')) = ? OR lower(IFNULL(i.language, '')) LIKE ?)";
      case 'from':
        // Dates are text (2019, 2019-10, 2019-10-25, timestamps) and name periods; an item matches
        // when its period overlaps the range. Appending '~' (after every character dates use) to the
        // item's date gives the end of its period: an item dated 2019 is in from:2019-06.
        this.params.push(f.value);
        return `IFNULL(${this.date} || '~' >= ?, 0)`;
      case 'to':
        // The end of the named period: to:2019-10 is everything up to 2019-10-31 inclusive.
        this.params.push(`${f.value}~`);
        return `IFNULL(${this.date} <= ?, 0)`;
      case 'has':
        return HAS_SQL[f.value];
      default:
        return missingCase(f);
    }
  }
}

const HAS_SQL: Readonly<Record<Extract<Filter, { field: 'has' }>['value'], string>> = {
  // Text typed or extracted into the item, or a transcript file attached to it.
  transcript: `(EXISTS (SELECT 1 FROM item_texts t WHERE t.item_seq = i.seq AND t.role = 'transcript')
                OR EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.role = 'transcript'))`,
  translation: `(EXISTS (SELECT 1 FROM item_texts t WHERE t.item_seq = i.seq AND t.role = 'translation')
                 OR EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.role = 'translation'))`,
  // A thumbnail is derived from the item, so it does not make an article "have an image".
  video: `(i.kind = 'video' OR EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.mime LIKE 'video/%'))`,
  audio: `(i.kind = 'audio' OR EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.mime LIKE 'audio/%'))`,
  image: `(i.kind = 'image' OR EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.mime LIKE 'image/%' AND f.role <> 'thumbnail'))`,
  file: `EXISTS (SELECT 1 FROM files f WHERE f.item_seq = i.seq AND f.role <> 'thumbnail')`,
};

/**
 * Parts joined by AND or OR, as a balanced tree of parentheses: SQLite refuses expressions more
 * than 1000 deep, and a flat chain of n terms is n deep.
 */
function joinBalanced(parts: readonly string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0] as string;
  if (parts.length <= 8) return `(${parts.join(` ${op} `)})`;
  const mid = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, mid), op)} ${op} ${joinBalanced(parts.slice(mid), op)})`;
}

function missingCase(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

/** What the compiler reads of a parsed query (its warnings are the caller's to show). */
type Parsed = Pick<Query, 'root'> & Partial<Pick<Query, 'warnings'>>;

/** Compiles a parsed query; see the top of this file for how the parts are meant to be used. */
export function compileQuery(q: Parsed): CompiledQuery {
  const { match, where, params } = compileSearch(q);
  return { match, where, params };
}

/** compileQuery with options (which index, which names), and what the caller needs to know to run it. */
export function compileSearch(q: Parsed, options: CompileOptions = {}): CompiledSearch {
  if (q.root === null) return { match: null, where: '1', params: [], nesting: 0, needsDocs: false };
  const previous = target;
  target = options.index ?? 'search_fts';
  try {
    const split = splitConjuncts(q.root.type === 'and' ? q.root.children : [q.root]);
    const match = conjunction(split.pos, split.neg);
    const builder = new SqlBuilder(options);
    // When the positive text did not fit one expression, match keeps nothing and where gets it all.
    const parts = builder.conjuncts(match ? { pos: [], neg: [], rest: split.rest } : split);
    return {
      match: match?.text ?? null,
      where: parts.length === 0 ? '1' : joinBalanced(parts, 'AND'),
      params: builder.params,
      nesting: match?.nesting ?? 0,
      needsDocs: builder.needsDocs,
    };
  } finally {
    target = previous;
  }
}
