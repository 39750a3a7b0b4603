// A tag: or collection: filter matches a label by its whole name (case, tashkeel and spacing
// aside). One that names no label finds nothing, which read as "No matches." for a name typed
// short (collection:"Case: Sajjad" for "Case: Sajjad Nouri Jabbar") or in another number
// (tag:protest for "protests"): the search says so instead, with the label probably meant.
import { labelWarning, type Node, type QueryWarning } from '../../../shared/query.ts';
import { sql, type Db } from '../db/connection.ts';
import { labelKey } from '../labels.ts';
import { editDistance } from './widen.ts';

type LabelField = 'tag' | 'collection';

/** Every tag: and collection: value of a query tree, excluded ones too (-tag:x excludes nothing if x is no tag). */
function labelFilters(node: Node, out: { field: LabelField; value: string }[] = []): { field: LabelField; value: string }[] {
  switch (node.type) {
    case 'filter':
      if (node.field === 'tag' || node.field === 'collection') out.push({ field: node.field, value: node.value });
      break;
    case 'and':
    case 'or':
      for (const c of node.children) labelFilters(c, out);
      break;
    case 'not':
      labelFilters(node.child, out);
      break;
    case 'term':
    case 'phrase':
      break;
  }
  return out;
}

/** Most labels read to find the one meant: an archive has tens or hundreds, rarely thousands. */
const MAX_LABELS_READ = 20_000;

/**
 * The label probably meant by a key that names none: the shortest whose name begins with it
 * (a name typed short), else the closest within two edits (protest, protests), else null.
 */
function meantLabel(db: Db, table: 'tags' | 'collections', key: string): string | null {
  const longer = sql(db, `SELECT name FROM ${table} WHERE key > ? AND key < ? ORDER BY length(key), key LIMIT 1`).pluck().get(key, `${key}\u{10ffff}`) as string | undefined;
  if (longer !== undefined) return longer;
  const max = key.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const row of sql(db, `SELECT name, key FROM ${table} ORDER BY key LIMIT ?`).all(MAX_LABELS_READ) as { name: string; key: string }[]) {
    const distance = editDistance(key, row.key, max);
    if (distance <= max && (best === null || distance < best.distance)) best = { name: row.name, distance };
  }
  return best?.name ?? null;
}

/** A warning for each tag: or collection: filter of the query that names no label of the archive. */
export function labelFilterWarnings(db: Db, root: Node | null): QueryWarning[] {
  if (root === null) return [];
  const warnings: QueryWarning[] = [];
  const seen = new Set<string>();
  for (const { field, value } of labelFilters(root)) {
    const key = labelKey(value);
    const table = field === 'tag' ? 'tags' : 'collections';
    if (seen.has(`${field}:${key}`)) continue;
    seen.add(`${field}:${key}`);
    if (sql(db, `SELECT 1 FROM ${table} WHERE key = ?`).get(key) !== undefined) continue;
    warnings.push(labelWarning(field, value, meantLabel(db, table, key)));
  }
  return warnings;
}
