// The domain's and the contract's word lists, without zod: what the library draws at launch (its
// kinds, sorts and date check) is here, so the first script the app runs need not carry zod.
// shared/domain.ts and shared/api.ts build their schemas from these; nothing else defines them.

export const ITEM_KINDS = ['article', 'video', 'audio', 'image', 'document', 'testimony', 'note'] as const;

/** How the library can be ordered (items.list's `sort`). */
export const LIST_SORTS = ['created', 'date', 'title'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** The two kinds of label an item can carry: tags, and collections (cases). */
export const LABEL_KINDS = ['tag', 'collection'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** The longest a tag or collection name may be, in UTF-16 code units (as String length counts). */
export const MAX_LABEL_CHARS = 200;

/** How long what a collection is about may be (labels.describe; a paragraph or two). */
export const MAX_COLLECTION_DESCRIPTION = 10_000;

/** What items.bulk can do to many items at once. */
export const BULK_ACTIONS = ['tag', 'collect', 'trash', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** A calendar date or a full timestamp; partial dates (2019, 2019-10) are allowed for events. */
export const DATE_TEXT = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

const DATE_PARTS = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?)?)?$/;

/** Days in a month of the (proleptic Gregorian) calendar; month 1 to 12. */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Arabic-Indic digits (٠–٩) as ASCII ones: a date typed on an Arabic keyboard (٢٠٢٠-٠٧-٠٢) is the
 * same Gregorian date in Iraq, and is kept written the one way every filter and sort compares.
 * Persian digits (۰–۹) are left alone, so refused: a date written with them is as likely a Solar
 * Hijri one (۱۳۹۹), and a wrong date on evidence is worse than a retyped one.
 */
export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

export type DateProblem = 'format' | 'calendar';

/**
 * Why a date cannot be kept: 'format' when it is not written as DATE_TEXT, 'calendar' when it is
 * but names a day or time that does not exist (2019-02-30, 2019-13, 25:00, +15:00); null when it
 * is a real date. A wrong date on evidence is worse than none, so both are refused at the door.
 */
export function dateProblem(text: string): DateProblem | null {
  const parts = DATE_PARTS.exec(westernDigits(text));
  if (!parts) return 'format';
  const [, y, mo, d, h, mi, s, zh, zm] = parts.map((p) => (p === undefined ? undefined : Number(p)));
  if (mo !== undefined && (mo < 1 || mo > 12)) return 'calendar';
  if (d !== undefined && (d < 1 || d > daysInMonth(y as number, mo as number))) return 'calendar';
  if (h !== undefined && (h > 23 || (mi as number) > 59 || (s ?? 0) > 59)) return 'calendar';
  if (zh !== undefined && (zh > 14 || (zm as number) > 59)) return 'calendar';
  return null;
}
