// The domain's and the contract's word lists, without zod: what the library draws at launch (its
// kinds, sorts and date check) is here, so the first script the app runs need not carry zod.
// shared/domain.ts and shared/api.ts build their schemas from these; nothing else defines them.

export const ITEM_KINDS = ['article', 'video', 'audio', 'image', 'document', 'testimony', 'note'] as const;

/** How the library can be ordered (items.list's `sort`). */
export const LIST_SORTS = ['created', 'date', 'title'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** What items.bulk can do to many items at once. */
export const BULK_ACTIONS = ['tag', 'collect', 'trash', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** A calendar date or a full timestamp; partial dates (2019, 2019-10) are allowed for events. */
export const DATE_TEXT = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
