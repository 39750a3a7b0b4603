// Bytes to text. A file's bytes are kept as they are; these decoders only produce the text that
// is indexed and shown.

export type UnicodeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a byte-order mark announces, or null when there is none. */
export function bomEncoding(bytes: Uint8Array): UnicodeEncoding | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return null;
}

/**
 * Whether the bytes are UTF-8. `truncated` accepts a multi-byte character cut off at the end,
 * as happens when only the head of a file was read.
 */
export function isUtf8(bytes: Uint8Array, truncated = false): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

/** Decodes with `encoding` (any WHATWG label); a BOM wins over the label, as in browsers. */
export function decodeBytes(bytes: Uint8Array, encoding = 'utf-8'): { text: string; encoding: string } {
  const label = bomEncoding(bytes) ?? encoding;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  // The decoder drops a BOM that matches its encoding.
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
}

/** The head of a file as Latin-1, for looking for ASCII markers in any ASCII-compatible encoding. */
export function latin1(bytes: Uint8Array, max = 65_536): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, max)).toString('latin1');
}

/**
 * The encoding of an HTML file as a browser would choose it: BOM, then a <meta charset> or
 * http-equiv Content-Type declaration, then UTF-8. We look further than the 1024 bytes the HTML
 * standard prescans because saved pages often carry comments and scripts before the meta.
 */
export function htmlEncoding(bytes: Uint8Array): string {
  const bom = bomEncoding(bytes);
  if (bom) return bom;
  const head = latin1(bytes);
  const declared = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head)?.[1];
  if (!declared) return 'utf-8';
  let encoding: string;
  try {
    encoding = new TextDecoder(declared).encoding;
  } catch {
    return 'utf-8';
  }
  // The HTML standard: a page cannot declare UTF-16 in a meta it could not have been read in,
  // and x-user-defined means windows-1252.
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'utf-8';
  if (encoding === 'x-user-defined') return 'windows-1252';
  return encoding;
}

/**
 * A file given as text (a transcript, a note's body): Unicode text, with or without a byte order
 * mark; null for anything else, which is refused rather than read with its bytes replaced.
 */
export function decodeTextFile(bytes: Uint8Array): string | null {
  const bom = bomEncoding(bytes);
  if (!bom && (!isUtf8(bytes) || bytes.includes(0))) return null;
  return decodeBytes(bytes, bom ?? 'utf-8').text;
}
