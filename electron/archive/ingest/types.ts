// What an importer learns from a file before the archive stores it. Importers read; they never
// write to the archive: the Archive stores the original byte-for-byte and commits the item.
import type { ItemKind } from '../../../shared/domain.ts';

/** The format a file's content (not its name) says it is. */
export type DetectedFormat =
  | 'html'
  | 'pdf'
  | 'text'
  | 'markdown'
  | 'video'
  | 'audio'
  | 'image'
  | 'ytdlp-info'
  | 'unknown';

export interface Detected {
  readonly format: DetectedFormat;
  /** Best MIME type for the content; application/octet-stream when unknown. */
  readonly mime: string;
  /** The item kind this format becomes, or null when Sijil does not import it. */
  readonly kind: ItemKind | null;
}

/** Metadata and text extracted from a file. Every string is NFC-normalised by the extractor. */
export interface Extracted {
  readonly kind: ItemKind;
  readonly title: string | null;
  readonly description?: string | null;
  readonly language?: string | null;
  /** Searchable plain text: article body, PDF text, note text. */
  readonly body?: string | null;
  /** Sanitised HTML for reading (articles only): no script, no remote loads. */
  readonly html?: string | null;
  readonly sourceUrl?: string | null;
  readonly sourceOutlet?: string | null;
  readonly sourceAuthor?: string | null;
  /** ISO date (YYYY-MM-DD or full timestamp). */
  readonly publishedAt?: string | null;
  /** Anything else worth keeping (duration, uploader id, page count...). */
  readonly extra?: Readonly<Record<string, unknown>>;
}
