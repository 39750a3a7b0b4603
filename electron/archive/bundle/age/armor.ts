// age's ASCII armor (a strict PEM subset): "-----BEGIN AGE ENCRYPTED FILE-----", padded base64 in
// lines of exactly 64 columns except the last, "-----END AGE ENCRYPTED FILE-----". LF or CR LF line
// ends; whitespace only outside the markers. No PEM headers, no checksum, canonical base64 only.
import { phrase, type Phrase } from '../../../../shared/phrase.ts';
import { ByteReader } from './byteReader.ts';
import type { ByteSource } from './byteReader.ts';
import { AgeError } from './errors.ts';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const LINE_BYTES = (COLUMNS / 4) * 3;
const BATCH_BYTES = 64 * 1024;
const FULL_LINE = /^[A-Za-z0-9+/]{64}$/;
const LAST_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Whether the input (after any leading whitespace) starts like armor rather than a binary age file. */
export async function looksArmored(reader: ByteReader): Promise<boolean> {
  const head = await reader.peek(4096);
  let i = 0;
  while (i < head.length && isSpace(head[i] ?? 0)) i++;
  return head.subarray(i, i + 5).toString('latin1') === '-----';
}

/** `what` is a `bundle.age.armor.…` phrase: what is wrong with that line. */
function armorDamaged(line: number, what: Phrase): AgeError {
  return new AgeError('armor-damaged', phrase('bundle.age.armorDamaged', { line: String(line), what }));
}

/**
 * Yields the binary age file inside the armor, refusing anything the spec does not allow. When the
 * armor was only guessed from a leading "-----", another kind of PEM block means "not age" rather
 * than "damaged".
 */
export async function* dearmor(reader: ByteReader, guessed = false): AsyncGenerator<Buffer> {
  let lineNumber = 1;
  for (;;) {
    const head = await reader.peek(1);
    if (head.length === 0 || !isSpace(head[0] ?? 0)) break;
    if (head[0] === 0x0a) lineNumber++;
    await reader.read(1);
  }
  const read = await reader.readLine(BEGIN.length + 1);
  const first = read === null ? '' : read.line.toString('latin1');
  const begin = first.endsWith('\r') ? first.slice(0, -1) : first;
  if (read === null || !read.terminated || begin !== BEGIN) {
    if (guessed) {
      throw new AgeError('not-an-age-file', phrase('bundle.age.notAgeText', { begin: begin.slice(0, 40), marker: BEGIN }));
    }
    throw armorDamaged(lineNumber, phrase('bundle.age.armor.noBegin', { marker: BEGIN }));
  }
  // Full lines are gathered per input block and checked and decoded together, by round trip
  // through node's base64 codec: per-line strings and regular expressions would make armored files
  // several times slower to read than binary ones.
  let ended = false; // a line shorter than 64 columns (or with padding) must be the last
  let carry: Buffer = Buffer.alloc(0);
  let trailing = '';
  const lastLine = (text: string): Buffer => {
    if (text.length > COLUMNS) throw armorDamaged(lineNumber, phrase('bundle.age.armor.lineTooLong'));
    if (ended) throw armorDamaged(lineNumber - 1, phrase('bundle.age.armor.shortLine'));
    ended = true;
    const bytes = Buffer.from(text, 'base64');
    const canonical = text.length > 0 && text.length % 4 === 0 && LAST_LINE.test(text) && bytes.toString('base64') === text;
    if (!canonical) throw armorDamaged(lineNumber, phrase('bundle.age.armor.notBase64'));
    return bytes;
  };
  const fullLines = (run: Buffer, firstLine: number): Buffer => {
    const text = run.toString('latin1');
    const bytes = Buffer.from(text, 'base64');
    // Node's decoder skips or maps characters outside the alphabet; the re-encoding then differs.
    if (bytes.toString('base64') !== text) {
      const bad = Math.max(0, [...Array(text.length / COLUMNS).keys()].findIndex((i) => !FULL_LINE.test(text.slice(i * COLUMNS, (i + 1) * COLUMNS))));
      throw armorDamaged(firstLine + bad, phrase('bundle.age.armor.notBase64'));
    }
    // A full line may end in padding only if it is the last.
    if (text.endsWith('=')) ended = true;
    return bytes;
  };
  for (let finished = false; !finished; ) {
    const more = await reader.readSome();
    const block = carry.length > 0 ? Buffer.concat([carry, more]) : more;
    const run = Buffer.allocUnsafe(block.length);
    let runBytes = 0;
    let runFirstLine = lineNumber + 1;
    let pos = 0;
    for (let lf = block.indexOf(0x0a); lf >= 0; lf = block.indexOf(0x0a, pos)) {
      lineNumber++;
      const end = lf > pos && block[lf - 1] === 0x0d ? lf - 1 : lf;
      if (end - pos === COLUMNS && !ended) {
        runBytes += block.copy(run, runBytes, pos, end);
        pos = lf + 1;
        continue;
      }
      if (runBytes > 0) yield fullLines(run.subarray(0, runBytes), runFirstLine);
      runBytes = 0;
      runFirstLine = lineNumber + 1;
      const line = block.toString('latin1', pos, end);
      pos = lf + 1;
      if (line === END) {
        finished = true;
        break;
      }
      yield lastLine(line);
    }
    if (runBytes > 0) yield fullLines(run.subarray(0, runBytes), runFirstLine);
    carry = block.subarray(pos);
    if (finished) {
      trailing = carry.toString('latin1');
    } else if (more.length === 0) {
      // The end marker may close the file without a line feed; anything else unterminated is cut off.
      const last = carry.toString('latin1');
      if ((last.endsWith('\r') ? last.slice(0, -1) : last) !== END) throw armorDamaged(lineNumber + 1, phrase('bundle.age.armor.noEnd', { marker: END }));
      finished = true;
    } else if (carry.length > COLUMNS + 2) {
      throw armorDamaged(lineNumber + 1, phrase('bundle.age.armor.lineTooLong'));
    }
  }

  if (!/^[ \t\r\n]*$/.test(trailing)) throw armorDamaged(lineNumber + 1, phrase('bundle.age.armor.trailing'));
  for (;;) {
    const rest = await reader.read(BATCH_BYTES);
    if (rest.length === 0) return;
    if (!rest.every(isSpace)) throw armorDamaged(lineNumber + 1, phrase('bundle.age.armor.trailing'));
  }
}

/** Wraps a binary age file in armor. */
export async function* armor(source: ByteSource): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  yield Buffer.from(`${BEGIN}\n`);
  for (;;) {
    // Whole lines only until the end, so every line but the last is exactly 64 columns.
    const bytes = await reader.read(LINE_BYTES * 1024);
    if (bytes.length === 0) break;
    const text = bytes.toString('base64');
    let out = '';
    for (let i = 0; i < text.length; i += COLUMNS) out += `${text.slice(i, i + COLUMNS)}\n`;
    yield Buffer.from(out);
  }
  yield Buffer.from(`${END}\n`);
}
