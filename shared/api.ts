// The contract: every operation once, with the zod schema of its argument and the type of its
// result. The CLI, the desktop app's IPC bridge and browser mode all validate against it and call
// the same handlers (electron/archive/handlers.ts), so the three doors cannot drift apart.
import { z } from 'zod';
import {
  DateText,
  ItemKind,
  Sensitivity,
  type CustodyEvent,
  type ImportSummary,
  type Item,
  type ItemSummary,
} from './domain.ts';

const Id = z.string().trim().min(1, { message: 'an item id is required' }).max(64);
const Label = z.string().trim().min(1, { message: 'a name cannot be empty' }).max(200, { message: 'at most 200 characters' });
const Limit = z.number().int().min(1).max(10_000);
const FilePath = z.string().min(1, { message: 'a file path is required' }).max(4096);

const NewTestimony = z.object({
  title: z.string().trim().min(1, { message: 'a testimony needs a title' }).max(2000),
  speakerAlias: z.string().max(500).nullish(),
  speakerName: z.string().max(500).nullish(),
  speakerContact: z.string().max(2000).nullish(),
  relationToCase: z.string().max(2000).nullish(),
  interviewer: z.string().max(500).nullish(),
  consent: z.string().max(4000).nullish(),
  protectedNotes: z.string().max(100_000).nullish(),
  language: z.string().max(35).nullish(),
  eventDate: DateText.nullish(),
  place: z.string().max(2000).nullish(),
  description: z.string().max(100_000).optional(),
  sensitivity: Sensitivity.optional(),
  recording: FilePath.nullish(),
  transcripts: z.array(z.object({ path: FilePath, language: z.string().max(35).nullish(), role: z.enum(['transcript', 'translation']) })).max(50).default([]),
  tags: z.array(Label).max(200).default([]),
  collections: z.array(Label).max(50).default([]),
});

export const contract = {
  'archive.info': { args: z.object({}).strict(), result: {} as ArchiveInfo },
  'archive.check': { args: z.object({}).strict(), result: {} as CheckResult },
  'items.list': {
    args: z
      .object({
        kind: ItemKind.optional(),
        tag: Label.optional(),
        collection: Label.optional(),
        trash: z.boolean().optional(),
        limit: Limit.default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: [] as ItemSummary[],
  },
  'items.get': { args: z.object({ id: Id }).strict(), result: {} as Item },
  'items.edit': {
    args: z.object({ id: Id, set: z.record(z.string().max(64), z.union([z.string(), z.null()])) }).strict(),
    result: {} as Item,
  },
  'items.tag': {
    args: z.object({ id: Id, add: z.array(Label).max(200).default([]), remove: z.array(Label).max(200).default([]) }).strict(),
    result: {} as Item,
  },
  'items.collect': { args: z.object({ id: Id, collection: Label, remove: z.boolean().default(false) }).strict(), result: {} as Item },
  'items.link': {
    args: z
      .object({ from: Id, to: Id, relation: z.string().trim().min(1).max(100).default('related'), remove: z.boolean().default(false) })
      .strict(),
    result: {} as Item,
  },
  'items.trash': { args: z.object({ id: Id }).strict(), result: {} as Item },
  'items.restore': { args: z.object({ id: Id }).strict(), result: {} as Item },
  'items.history': { args: z.object({ id: Id }).strict(), result: [] as CustodyEvent[] },
  'items.addNote': {
    args: z
      .object({
        title: z.string().trim().min(1, { message: 'a note needs a title' }).max(2000),
        body: z.string().max(50_000_000),
        language: z.string().max(35).nullish(),
        tags: z.array(Label).max(200).default([]),
        collections: z.array(Label).max(50).default([]),
      })
      .strict(),
    result: {} as Item,
  },
  'items.addTestimony': { args: NewTestimony.strict(), result: {} as Item },
  'labels.tags': { args: z.object({}).strict(), result: [] as LabelCount[] },
  'labels.collections': { args: z.object({}).strict(), result: [] as (LabelCount & { description: string })[] },
  'import.paths': {
    args: z
      .object({
        paths: z.array(FilePath).min(1, { message: 'name at least one file or folder to import' }).max(10_000),
        tags: z.array(Label).max(200).default([]),
        collections: z.array(Label).max(50).default([]),
        kind: ItemKind.optional(),
      })
      .strict(),
    result: {} as ImportSummary,
    progress: 'import.progress',
  },
  'search.query': {
    args: z.object({ query: z.string().max(10_000, { message: 'a query can be at most 10,000 characters' }), limit: Limit.default(20) }).strict(),
    result: {} as SearchResult,
  },
  'index.check': { args: z.object({}).strict(), result: {} as { ok: boolean; problem: string | null } },
  'index.rebuild': { args: z.object({}).strict(), result: {} as { indexed: number } },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ArgsOf<C extends Channel> = z.input<Contract[C]['args']>;
export type ParsedArgsOf<C extends Channel> = z.output<Contract[C]['args']>;
export type ResultOf<C extends Channel> = Contract[C]['result'];
export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export interface ArchiveInfo {
  readonly dir: string;
  readonly items: number;
  readonly trash: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly schemaVersion: number;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly integrity: string;
  readonly foreignKeys: number;
  readonly searchIndex: string;
  readonly missingBlobs: readonly { itemId: string; name: string; sha256: string }[];
  readonly custodyChain: { seq: number; problem: string } | null;
}

export interface LabelCount {
  readonly name: string;
  readonly count: number;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** What the query parser dropped or reinterpreted ("kind:movie is not a kind; ..."). */
  readonly warnings: readonly string[];
  /** Words found in few documents, and the near spellings the search also used ("also matched"). */
  readonly alsoMatched: readonly { readonly term: string; readonly alternatives: readonly string[] }[];
  /** Every matching item, not only the hits returned. */
  readonly total: number;
  /** How the whole result set divides, most common first (at most 100 values each). */
  readonly facets: {
    readonly kind: readonly FacetCount[];
    readonly language: readonly FacetCount[];
    readonly year: readonly FacetCount[];
    readonly tag: readonly FacetCount[];
  };
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface SearchHit {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string;
  readonly date: string | null;
  readonly score: number;
  /** A window of the original text of the best-matching field, with the matched words' ranges. */
  readonly snippet: { readonly field: string; readonly text: string; readonly ranges: readonly (readonly [number, number])[] } | null;
}

export interface ImportProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly path: string;
  /** While a large file is copied: bytes copied so far, of `size`. */
  readonly bytes?: number;
  readonly size?: number;
}

