// What differs between our version of an item and the one a bundle brought, field by field, for
// the side-by-side view of a conflict. Protected testimony fields are compared but never shown:
// the view says that they differ, not what they hold.
import { shownName } from '../../shared/bidi.ts';
import type { Item } from '../../shared/domain.ts';
import { PROTECTED_TESTIMONY_FIELDS } from '../../shared/domain.ts';

export interface FieldDiff {
  /** A key under bundle:field. */
  readonly field: string;
  readonly local: string;
  readonly incoming: string;
  /** The values are protected and must not be displayed. */
  readonly hidden: boolean;
}

const ITEM_FIELDS = [
  'title',
  'description',
  'language',
  'sourceUrl',
  'sourceOutlet',
  'sourceAuthor',
  'publishedAt',
  'capturedAt',
  'eventDate',
  'place',
  'people',
  'sensitivity',
  'body',
] as const;
const TESTIMONY_FIELDS = ['speakerAlias', 'relationToCase', 'interviewer', 'consent', ...PROTECTED_TESTIMONY_FIELDS] as const;
const PROTECTED: ReadonlySet<string> = new Set(PROTECTED_TESTIMONY_FIELDS);

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function list(values: readonly string[]): string {
  return [...values].sort((a, b) => a.localeCompare(b)).join(', ');
}

export function diffItems(local: Item, incoming: Item): FieldDiff[] {
  const out: FieldDiff[] = [];
  const push = (field: string, a: string, b: string, hidden = false) => {
    if (a !== b) out.push({ field, local: hidden ? '' : a, incoming: hidden ? '' : b, hidden });
  };
  if (local.kind !== incoming.kind) push('kind', local.kind, incoming.kind);
  for (const f of ITEM_FIELDS) push(f, text(local[f]), text(incoming[f]));
  for (const f of TESTIMONY_FIELDS) push(f, text(local.testimony?.[f]), text(incoming.testimony?.[f]), PROTECTED.has(f));
  push('tags', list(local.tags), list(incoming.tags));
  push('collections', list(local.collections), list(incoming.collections));
  const files = (item: Item) => list(item.files.filter((f) => f.role !== 'thumbnail').map((f) => `${shownName(f.name)} (${f.sha256.slice(0, 8)})`));
  push('files', files(local), files(incoming));
  const texts = (item: Item, role: 'transcript' | 'translation') =>
    item.texts
      .filter((x) => x.role === role)
      .map((x) => x.text)
      .join('\n\n');
  push('transcript', texts(local, 'transcript'), texts(incoming, 'transcript'));
  push('translation', texts(local, 'translation'), texts(incoming, 'translation'));
  return out;
}
