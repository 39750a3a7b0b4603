// The index's vocabulary (search_terms, every word the index has held, kept by search/indexer.ts),
// read by slices of one prefix: near spellings narrow it this way (other-script spellings are
// looked up by sound in search_sounds, search/crossScript.ts).
import { sql, type Db } from '../db/connection.ts';

/** The string just past every string that starts with `prefix` (its last code unit plus one). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Up to `limit` terms that start with `prefix` and are `minLength` to `maxLength` code units long, in order. */
export function termsStartingWith(db: Db, prefix: string, minLength: number, maxLength: number, limit: number): string[] {
  return sql(db, 'SELECT term FROM search_terms WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ? LIMIT ?')
    .pluck()
    .all(prefix, prefixEnd(prefix), minLength, maxLength, limit) as string[];
}
