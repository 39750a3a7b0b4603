// Turning a clicked facet into query text. The query language (shared/query.ts) ends an unquoted
// filter value at a space, a parenthesis, a pipe or a quote, and splits it at commas, so a value
// holding any of those must be quoted; a quoted value ends at the next quote of any style, so
// quote characters inside a value cannot be kept and become spaces (tags are matched by their
// normalised key, which ignores punctuation anyway).
import type { FacetName } from './facets.ts';

// Any quote style the parser accepts: " “ ” „ ‟ « » ＂ 〝 〞
const QUOTES = /["\u201c-\u201f\u00ab\u00bb\uff02\u301d\u301e]/g;
const NEEDS_QUOTES = /[\s(),;|\u060c\u061b]/;

/** `field:value`, quoted when the value would otherwise be cut or split. */
export function filterToken(field: string, value: string): string {
  const clean = value.replace(QUOTES, ' ').replace(/\s+/g, ' ').trim();
  return NEEDS_QUOTES.test(clean) || clean !== value.trim() ? `${field}:"${clean}"` : `${field}:${clean}`;
}

/** The query text a facet adds: a year names the whole year as an event-date range. */
export function facetFilter(facet: FacetName, value: string): string {
  switch (facet) {
    case 'kind':
      return filterToken('kind', value);
    case 'language':
      return filterToken('lang', value);
    case 'year':
      return `${filterToken('from', value)} ${filterToken('to', value)}`;
    case 'tag':
      return filterToken('tag', value);
    default:
      return missingCase(facet);
  }
}

/** The query with `addition` appended, unless it is already there as whole words. */
export function addToQuery(query: string, addition: string): string {
  const trimmed = query.trim();
  if (hasWhole(trimmed, addition)) return query;
  return trimmed === '' ? addition : `${trimmed} ${addition}`;
}

function hasWhole(haystack: string, needle: string): boolean {
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    const before = at === 0 ? ' ' : haystack[at - 1];
    const after = at + needle.length >= haystack.length ? ' ' : haystack[at + needle.length];
    if (/\s/.test(before as string) && /\s/.test(after as string)) return true;
    at = haystack.indexOf(needle, at + 1);
  }
  return false;
}

function missingCase(x: never): never {
  throw new Error(`unhandled facet: ${String(x)}`);
}
