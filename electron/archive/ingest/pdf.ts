// PDF documents: their text for search and the metadata their producer wrote.
import { getDocumentProxy } from 'unpdf';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import { normaliseDate } from './dates.ts';
import { guessLanguage } from './language.ts';
import { cleanText, oneLine } from './strings.ts';
import type { Extracted } from './types.ts';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

// pdf.js would fetch CMaps, standard fonts, ICC profiles and wasm decoders from these URLs;
// leaving them unset keeps it off the network and the disk. Text extraction does not need them
// except for some CJK CMaps, which then yield less text rather than a request.
const OFFLINE = {
  cMapUrl: undefined,
  standardFontDataUrl: undefined,
  iccUrl: undefined,
  wasmUrl: undefined,
  useWorkerFetch: false,
  useSystemFonts: false,
  disableFontFace: true,
  isEvalSupported: false,
  enableXfa: false,
  disableAutoFetch: true,
  disableStream: true,
  disableRange: true,
  stopAtErrors: false,
  // 0 = errors only: damaged files are common and their warnings are noise in logs.
  verbosity: 0,
} as const;

/**
 * Extracts text and metadata from a PDF. A PDF with no text layer (a scan) or locked with a
 * password still yields an item (with `extra.passwordProtected`); only a file pdf.js cannot
 * read at all throws.
 */
export async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
  let pdf: PdfDocument;
  try {
    // pdf.js takes ownership of (and may detach) the buffer it is given: the caller's bytes are
    // the original being archived, so hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), OFFLINE);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      return { kind: 'document', title: null, body: null, extra: { passwordProtected: true } };
    }
    const reason = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
    throw new ArchiveError('unsupported-file', phrase('import.pdfDamaged', { error: reason }));
  }
  try {
    const pages = await pageTexts(pdf);
    const body = pages.filter((page) => page !== '').join('\n\n');
    const meta = await metadata(pdf);
    return {
      kind: 'document',
      title: meta.title,
      body: body === '' ? null : body,
      language: guessLanguage(body),
      sourceAuthor: meta.author,
      // A PDF's creation date is the nearest thing to a publication date it records.
      publishedAt: meta.created,
      extra: { pages: pdf.numPages },
    };
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** The text of every page; a page pdf.js cannot read contributes nothing instead of failing all. */
async function pageTexts(pdf: PdfDocument): Promise<string[]> {
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    try {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      page.cleanup();
      pages.push(tidy(text));
    } catch {
      pages.push('');
    }
  }
  return pages;
}

/** Trailing spaces off every line, at most one blank line in a row, NFC. */
function tidy(text: string): string {
  return cleanText(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function metadata(pdf: PdfDocument): Promise<{ title: string | null; author: string | null; created: string | null }> {
  let info: Record<string, unknown> = {};
  let xmp: { get(name: string): unknown } | null = null;
  try {
    const meta = await pdf.getMetadata();
    info = (meta.info ?? {}) as Record<string, unknown>;
    xmp = meta.metadata;
  } catch {
    // Broken metadata is no reason to lose the text.
  }
  const fromXmp = (name: string): string | null => {
    const value = xmp?.get(name);
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  };
  const rawTitle = oneLine(stringOf(info.Title) ?? fromXmp('dc:title'));
  // Word's PDF export titles documents "Microsoft Word - report.docx".
  const title = rawTitle ? oneLine(rawTitle.replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, '').replace(/\.(?:docx?|pptx?|xlsx?|odt|rtf)$/i, '')) : null;
  return {
    title,
    author: oneLine(stringOf(info.Author) ?? fromXmp('dc:creator')),
    created: normaliseDate(stringOf(info.CreationDate)) ?? normaliseDate(fromXmp('xmp:createdate')),
  };
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
