// The facets a search result carries, in the order the screen shows them.
export const FACET_NAMES = ['kind', 'language', 'year', 'tag'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
