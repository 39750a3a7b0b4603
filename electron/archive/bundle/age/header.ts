// The age header: the version line, one stanza per recipient, and a MAC over all of it.
//
//   age-encryption.org/v1
//   -> X25519 <share>
//   <body, base64 wrapped at 64 columns, ending with a line shorter than 64 (maybe empty)>
//   --- <base64 HMAC-SHA-256 of everything up to and including "---">
//
// Parsing is strict: anything the spec does not allow is refused, so that a header has exactly one
// spelling and the MAC (computed over the bytes as read) means what it seems to.
import { phrase } from '../../../../shared/phrase.ts';
import { decodeBase64, decodeBase64Exact, encodeBase64 } from './base64.ts';
import type { ByteReader } from './byteReader.ts';
import { AgeError, headerDamaged } from './errors.ts';
import { hkdfSha256, hmacSha256 } from './primitives.ts';

export const VERSION_LINE = 'age-encryption.org/v1';
const VERSION_PREFIX = 'age-encryption.org/';
const COLUMNS = 64;
const MAC_BYTES = 32;
/** Real headers are a few hundred bytes per recipient; this bounds memory for hostile input. */
const MAX_HEADER_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 64 * 1024;

export type Stanza = Readonly<{ type: string; args: readonly string[]; body: Buffer }>;

export type Header = Readonly<{
  stanzas: readonly Stanza[];
  /** The header bytes up to and including "---", which the MAC covers. */
  macInput: Buffer;
  mac: Buffer;
  /** Length of the whole header, MAC line included: where the payload nonce starts. */
  length: number;
}>;

/** Visible ASCII (VCHAR), the only characters a stanza argument may hold. */
function isArgument(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

export function macKey(fileKey: Uint8Array): Buffer {
  return hkdfSha256(fileKey, new Uint8Array(0), 'header');
}

export async function readHeader(reader: ByteReader): Promise<Header> {
  const start = await reader.peek(VERSION_PREFIX.length);
  if (start.length === 0) throw new AgeError('not-an-age-file', phrase('bundle.age.empty'));
  if (start.toString('latin1') !== VERSION_PREFIX) {
    throw new AgeError('not-an-age-file', phrase('bundle.age.notAge'));
  }

  const raw: Buffer[] = [];
  let size = 0;
  const nextLine = async (): Promise<string> => {
    const read = await reader.readLine(Math.min(MAX_LINE_BYTES, MAX_HEADER_BYTES - size));
    if (read === null) throw headerDamaged(phrase('bundle.age.header.lineTooLong'));
    if (!read.terminated) throw headerDamaged(phrase('bundle.age.header.endsEarly'));
    raw.push(read.line, Buffer.from('\n'));
    size += read.line.length + 1;
    // latin1 maps each byte to one character, so a stray non-ASCII byte fails the checks below.
    return read.line.toString('latin1');
  };

  const version = await nextLine();
  if (version.endsWith('\r')) throw headerDamaged(phrase('bundle.age.header.crlf'));
  if (version !== VERSION_LINE) {
    throw new AgeError('unsupported', phrase('bundle.age.unsupportedVersion', { version: version.slice(0, 40), supported: VERSION_LINE }));
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const line = await nextLine();
    if (line.startsWith('---')) {
      if (!line.startsWith('--- ')) throw headerDamaged(phrase('bundle.age.header.macLine'));
      const mac = decodeBase64Exact(line.slice(4), MAC_BYTES);
      if (mac === null) throw headerDamaged(phrase('bundle.age.header.macEncoding'));
      if (stanzas.length === 0) throw headerDamaged(phrase('bundle.age.header.noRecipients'));
      const all = Buffer.concat(raw);
      return { stanzas, mac, macInput: all.subarray(0, all.length - line.length - 1 + 3), length: all.length };
    }
    if (!line.startsWith('-> ')) throw headerDamaged(phrase('bundle.age.header.strayLine'));
    const [type, ...args] = line.slice(3).split(' ');
    if (type === undefined || !isArgument(type) || !args.every(isArgument)) {
      throw headerDamaged(phrase('bundle.age.header.badArgument'));
    }
    const parts: Buffer[] = [];
    for (;;) {
      const bodyLine = await nextLine();
      if (bodyLine.length > COLUMNS) throw headerDamaged(phrase('bundle.age.header.bodyLineTooLong'));
      const bytes = decodeBase64(bodyLine);
      if (bytes === null) throw headerDamaged(phrase('bundle.age.header.bodyEncoding'));
      parts.push(bytes);
      // A full-width line means the body continues; the first shorter line (maybe empty) ends it.
      if (bodyLine.length < COLUMNS) break;
    }
    stanzas.push({ type, args, body: Buffer.concat(parts) });
  }
}

function encodeStanza(stanza: Stanza): string {
  const body = encodeBase64(stanza.body);
  let out = `-> ${[stanza.type, ...stanza.args].join(' ')}\n`;
  for (let i = 0; i < body.length; i += COLUMNS) out += `${body.slice(i, i + COLUMNS)}\n`;
  // The body always ends with a short line, so a body that fills its last line gets an empty one.
  if (body.length % COLUMNS === 0) out += '\n';
  return out;
}

export function encodeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Buffer {
  const macInput = Buffer.from(`${VERSION_LINE}\n${stanzas.map(encodeStanza).join('')}---`, 'latin1');
  const mac = hmacSha256(macKey(fileKey), macInput);
  return Buffer.concat([macInput, Buffer.from(` ${encodeBase64(mac)}\n`, 'latin1')]);
}
