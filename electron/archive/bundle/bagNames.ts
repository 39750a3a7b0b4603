// Turning a file's original name into one every desktop OS can store, without losing what a person
// reads in it: Arabic (and any other script) is kept, only what a file system would reject or
// misread is changed. The result is used as the last segment of a bag path and as the name a
// recipient sees after `tar x`.
import { nameWithoutBidiControls } from '../../../shared/bidi.ts';
import { foldPath } from './bagPath.ts';

const MAX_NAME_BYTES = 255;
// An "extension" longer than this is more likely part of the name ("report.final version of the
// minutes") than a type suffix; keeping it whole could leave no room for the name itself.
const MAX_EXTENSION_BYTES = 32;

// Characters Windows forbids (and "/" everywhere, ":" on macOS Finder) mapped to their fullwidth
// look-alikes, so "Q&A: what?" stays readable instead of becoming "Q&A_ what_". "%" is mapped too:
// it is legal everywhere, but RFC 8493 percent-encodes it in manifests, which `sha256sum -c` does
// not decode, and bundles must verify with stock tools.
const LOOKALIKE: Readonly<Record<string, string>> = {
  '<': '\uFF1C',
  '>': '\uFF1E',
  ':': '\uFF1A',
  '"': '\uFF02',
  '/': '\uFF0F',
  '\\': '\uFF3C',
  '|': '\uFF5C',
  '?': '\uFF1F',
  '*': '\uFF0A',
  '%': '\uFF05',
};

// C0/C1 controls and DEL (invisible, and CR/LF break manifests). The bidi controls that can make
// "invoice\u202Efdp.exe" display as "invoiceexe.pdf" go by the one rule for names (shared/bidi.ts):
// an Arabic name keeps the marks it uses (LRM, RLM, ALM; ZWNJ and ZWJ are not bidi controls).
const STRIP = /[\u0000-\u001F\u007F-\u009F]/g;

// Windows refuses these as a name's stem whatever the extension ("con.txt", "LPT1.tar.gz"),
// including the superscript-digit COM/LPT forms.
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const encoder = new TextEncoder();

// Byte length as the strictest common disk counts it: APFS and ext4 allow 255 UTF-8 bytes, and
// HFS+ stores names decomposed (NFD), which can be longer than NFC for Arabic with hamza/madda.
function nameBytes(text: string): number {
  return Math.max(encoder.encode(text).length, encoder.encode(text.normalize('NFD')).length);
}

function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, ''];
  const extension = name.slice(dot);
  if (nameBytes(extension) > MAX_EXTENSION_BYTES || /\s/.test(extension)) return [name, ''];
  return [name.slice(0, dot), extension];
}

// Cuts at grapheme boundaries so an Arabic letter never loses its diacritics (harakat) or a
// surrogate pair is never split into an invalid name.
function truncateToBytes(text: string, maxBytes: number): string {
  if (nameBytes(text) <= maxBytes) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (nameBytes(out + segment) > maxBytes) break;
    out += segment;
  }
  return out;
}

function fitName(stem: string, extension: string, suffix = ''): string {
  const budget = MAX_NAME_BYTES - nameBytes(extension) - nameBytes(suffix);
  let cut = truncateToBytes(stem, Math.max(budget, 1)).replace(/[. ]+$/, '');
  if (cut === '') cut = '_';
  return cut + suffix + extension;
}

/**
 * A file name safe to create on Windows, macOS and Linux, keeping every letter that is safe: NFC;
 * controls and bidi overrides removed; `<>:"/\|?*%` replaced by fullwidth look-alikes; no trailing
 * dots or spaces; Windows device names (CON, NUL, COM1, ... with any extension) prefixed with "_";
 * at most 255 bytes, shortening the name before the extension. Never empty, never "." or "..".
 */
export function safeBagName(name: string): string {
  let clean = nameWithoutBidiControls(name.normalize('NFC'))
    .replace(STRIP, '')
    .replace(/[<>:"/\\|?*%]/g, (c) => LOOKALIKE[c] ?? '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (clean === '') clean = '_';
  const stemEnd = clean.indexOf('.');
  const firstStem = (stemEnd === -1 ? clean : clean.slice(0, stemEnd)).trimEnd();
  if (RESERVED.test(firstStem)) clean = `_${clean}`;
  const [stem, extension] = splitExtension(clean);
  return fitName(stem, extension);
}

/**
 * Returns a function that makes names unique within one folder: the second "photo.jpg" becomes
 * "photo (2).jpg". Uniqueness is by the folded form, since "Photo.jpg" and "photo.jpg" are one
 * file on macOS and Windows. Names should already be safeBagName'd; the result stays within 255 bytes.
 */
export function createNameDeduper(): (name: string) => string {
  const taken = new Set<string>();
  return (name: string): string => {
    let candidate = name;
    const [stem, extension] = splitExtension(name);
    for (let n = 2; taken.has(foldPath(candidate)); n++) {
      candidate = fitName(stem, extension, ` (${n})`);
    }
    taken.add(foldPath(candidate));
    return candidate;
  };
}
