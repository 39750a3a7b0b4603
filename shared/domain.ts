// The archive's domain: what an item is, as every door (desktop, browser, CLI) and the engine see it.
import { z } from 'zod';
import type { Phrase } from './phrase.ts';
import { rule } from './validation.ts';
import { DATE_TEXT, ITEM_KINDS, dateProblem, westernDigits } from './vocabulary.ts';

export { ITEM_KINDS };
export const ItemKind = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKind>;

export const FILE_ROLES = ['original', 'transcript', 'translation', 'thumbnail', 'attachment'] as const;
export const FileRole = z.enum(FILE_ROLES);
export type FileRole = z.infer<typeof FileRole>;

/** graphic: blurred until clicked; protected: never leaves in a redacted export. */
export const SENSITIVITIES = ['normal', 'sensitive', 'graphic', 'protected'] as const;
export const Sensitivity = z.enum(SENSITIVITIES);
export type Sensitivity = z.infer<typeof Sensitivity>;

/** A date as written, the shape only: bundles carry what earlier builds let in (archiveJson.ts). */
export const DateShape = z.string().regex(DATE_TEXT, rule('schema.dateFormat'));
/** A calendar date or a full timestamp that exists; partial dates (2019, 2019-10) are allowed for events. */
export const DateText = z
  .string()
  .transform(westernDigits)
  .pipe(DateShape.refine((s) => dateProblem(s) !== 'calendar', rule('schema.dateNotOnCalendar')));

export const ItemId = z.string().regex(/^[0-9a-z]{26}$/, rule('schema.itemIdFormat'));
export type ItemId = z.infer<typeof ItemId>;

// Said as validation.atMostCharacters (shared/validation.ts), with the number in the reader's language.
const text = (max: number) => z.string().max(max);

/** The fields a person can set on any item. Unset optional fields are null in stored items. */
export const ItemFields = z.object({
  // An emptied field arrives as null (the CLI's --set title=): said as the empty title it is, not as "must be text".
  title: z
    .string({ error: (issue) => (issue.input === null ? 'schema.titleEmpty' : undefined) })
    .max(2000)
    .min(1, rule('schema.titleEmpty')),
  description: text(100_000),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, rule('schema.languageCode'))
    .nullable(),
  sourceUrl: text(8000).nullable(),
  sourceOutlet: text(2000).nullable(),
  sourceAuthor: text(2000).nullable(),
  publishedAt: DateText.nullable(),
  capturedAt: DateText.nullable(),
  eventDate: DateText.nullable(),
  place: text(2000).nullable(),
  people: text(10_000).nullable(),
  sensitivity: Sensitivity,
  body: text(50_000_000).nullable(),
});
export type ItemFields = z.infer<typeof ItemFields>;

/** Testimony details. Protected fields identify the speaker and never leave in a redacted export. */
export const TestimonyFields = z.object({
  speakerAlias: text(500).nullable(),
  speakerName: text(500).nullable(),
  speakerContact: text(2000).nullable(),
  relationToCase: text(2000).nullable(),
  interviewer: text(500).nullable(),
  consent: text(4000).nullable(),
  protectedNotes: text(100_000).nullable(),
});
export type TestimonyFields = z.infer<typeof TestimonyFields>;
export const PROTECTED_TESTIMONY_FIELDS = ['speakerName', 'speakerContact', 'protectedNotes'] as const;

export const EDITABLE_FIELDS = [...Object.keys(ItemFields.shape), ...Object.keys(TestimonyFields.shape)] as const;

export interface FileRecord {
  readonly id: number;
  readonly role: FileRole;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
  readonly language: string | null;
  readonly addedAt: string;
}

export interface LinkRecord {
  readonly itemId: string;
  readonly title: string;
  readonly kind: ItemKind;
  readonly relation: string;
  readonly direction: 'out' | 'in';
}

export interface Item extends ItemFields {
  readonly id: string;
  readonly kind: ItemKind;
  readonly html: string | null;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
  readonly tags: readonly string[];
  readonly collections: readonly string[];
  readonly files: readonly FileRecord[];
  readonly links: readonly LinkRecord[];
  readonly testimony: TestimonyFields | null;
  /** Texts kept beside the item: transcripts and translations, by language. */
  readonly texts: readonly ItemText[];
}

export interface ItemText {
  readonly id: number;
  readonly role: 'transcript' | 'translation';
  readonly language: string | null;
  readonly text: string;
}

export interface ItemSummary {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string;
  readonly date: string | null;
  readonly createdAt: string;
  readonly deletedAt: string | null;
  readonly tags: readonly string[];
  /** So a list can blur graphic items before anything of them is shown. */
  readonly sensitivity: Sensitivity;
  /** The image or video a list draws its thumbnail from (a thumbnail file first, else the original). */
  readonly media: { readonly fileId: number; readonly mime: string } | null;
}

export const CUSTODY_ACTIONS = [
  'create',
  'import',
  'edit',
  'tag',
  'untag',
  'collect',
  'uncollect',
  'link',
  'unlink',
  'add-file',
  'delete',
  'restore',
  // Bundles: an item left in a bundle; arrived from one; a conflict between two versions settled.
  'export',
  'import-bundle',
  'resolve-conflict',
  // Fixity (issue 8): an archive-level event per verification run, with its counts.
  'verified',
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

export interface CustodyEvent {
  readonly seq: number;
  readonly at: string;
  readonly action: CustodyAction;
  readonly itemId: string | null;
  readonly sha256: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** An event an earlier archive recorded about an item, received with it in the bundle `bundleId` (its seq and hashes are that archive's). */
export interface ReceivedCustodyEvent extends CustodyEvent {
  readonly bundleId: string;
}

export interface ImportOutcome {
  readonly path: string;
  readonly status: 'imported' | 'duplicate' | 'skipped';
  readonly itemId?: string;
  readonly title?: string;
  /** For duplicates: the item that already holds this content. For skipped files: why. */
  readonly reason?: string;
  /** `reason` as a phrase, for the interface to say in its language (`reason` is its English). */
  readonly said?: Phrase;
}

export interface ImportSummary {
  readonly imported: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly outcomes: readonly ImportOutcome[];
}
