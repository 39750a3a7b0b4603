// The few tar blocks a bag needs, encoded by hand (POSIX.1-2001 "pax" format): a header per entry,
// zero padding to the next 512-byte block, and the end-of-archive marker. Written here rather than
// through a tar library so that the bag writer can put file data straight into the buffers the
// encryption seals, instead of passing every megabyte through a chain of streams.
//
// A name that is ASCII and fits ustar's 100-byte name (or 155-byte prefix + 100-byte name) goes in
// the header alone; any other name (Arabic, long) and any size beyond ustar's 8 GiB travel in a pax
// extended header ('x') before it, which GNU tar, bsdtar, Python's tarfile and tar-stream all read.

export const BLOCK = 512;
/** Two zero blocks end every tar archive. */
export const END_OF_ARCHIVE: Uint8Array = new Uint8Array(2 * BLOCK);
const ZEROS = new Uint8Array(BLOCK);
/** The largest size ustar's 11 octal digits hold. */
const MAX_OCTAL_SIZE = 0o77777777777;

export type TarEntry = {
  /** The path inside the archive; a directory's without its trailing slash. */
  name: string;
  type: 'file' | 'directory';
  size: number;
  mode: number;
  mtime: Date;
};

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  // width - 1 digits and a NUL, as GNU tar writes them.
  block.write(value.toString(8).padStart(width - 1, '0'), offset, width - 1, 'latin1');
  block[offset + width - 1] = 0;
}

function isPortable(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Splits an ASCII path into ustar's prefix and name, or null if it cannot fit. */
function splitUstar(path: string): { prefix: string; name: string } | null {
  if (path.length <= 100) return { prefix: '', name: path };
  // The split must be at a slash, with at most 155 bytes before it and 100 after.
  for (let slash = path.indexOf('/'); slash !== -1 && slash <= 155; slash = path.indexOf('/', slash + 1)) {
    if (path.length - slash - 1 <= 100 && slash > 0) return { prefix: path.slice(0, slash), name: path.slice(slash + 1) };
  }
  return null;
}

function ustarBlock(entry: { name: string; prefix: string; type: '0' | '5' | 'x'; size: number; mode: number; mtime: number }): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(entry.name, 0, 100, 'latin1');
  writeOctal(block, 100, 8, entry.mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  if (entry.size <= MAX_OCTAL_SIZE) {
    writeOctal(block, 124, 12, entry.size);
  } else {
    // Base-256 (GNU and star): the high bit of the first byte marks it; the pax size is authoritative.
    block[124] = 0x80;
    let rest = entry.size;
    for (let i = 135; i > 124; i--) {
      block[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }
  writeOctal(block, 136, 12, entry.mtime);
  block[156] = entry.type.charCodeAt(0);
  block.write('ustar\u000000', 257, 8, 'latin1');
  writeOctal(block, 329, 8, 0); // devmajor
  writeOctal(block, 337, 8, 0); // devminor
  block.write(entry.prefix, 345, 155, 'latin1');
  // The checksum is computed with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  block[154] = 0;
  block[155] = 0x20;
  return block;
}

/** One pax record, "<length> <key>=<value>\n", the length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
  return `${length}${body}`;
}

/** The header blocks of one entry (a pax header first where needed). */
export function tarHeader(entry: TarEntry): Buffer {
  const path = entry.type === 'directory' ? `${entry.name}/` : entry.name;
  const mtime = Math.floor(entry.mtime.getTime() / 1000);
  const type = entry.type === 'directory' ? '5' : '0';
  const split = isPortable(path) ? splitUstar(path) : null;
  if (split !== null && entry.size <= MAX_OCTAL_SIZE) {
    return ustarBlock({ ...split, type, size: entry.size, mode: entry.mode, mtime });
  }
  let records = '';
  if (split === null) records += paxRecord('path', path);
  if (entry.size > MAX_OCTAL_SIZE) records += paxRecord('size', String(entry.size));
  const pax = Buffer.from(records, 'utf8');
  // What a reader without pax support would use: the name made ASCII and cut to fit.
  const fallback = split ?? { prefix: '', name: path.replace(/[^\x20-\x7e]/g, '_').slice(-100) };
  return Buffer.concat([
    ustarBlock({ prefix: '', name: 'PaxHeader', type: 'x', size: pax.byteLength, mode: entry.mode, mtime }),
    pax,
    padding(pax.byteLength),
    ustarBlock({ ...fallback, type, size: entry.size, mode: entry.mode, mtime }),
  ]);
}

/** The zero bytes that complete an entry of `size` bytes to a whole block. */
export function padding(size: number): Uint8Array {
  return ZEROS.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK);
}
