// Interoperability with the reference implementation, Debian's `age` (Go, 1.1.1): files we make
// open with `age -d`, files `age` makes open with us, and keys cross over both ways. Then what a
// damaged file does: cut at or around every chunk boundary, bits flipped in header and payload.
// `age` reads passphrases only from a terminal, so passphrase runs go through a pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgeError,
  createDecryptStream,
  createEncryptStream,
  decrypt,
  decryptChunks,
  encrypt,
  generateIdentity,
  parseIdentityFile,
} from '../../electron/archive/bundle/age/index.ts';
import type { DecryptOptions } from '../../electron/archive/bundle/age/index.ts';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const KiB = 1024;
const SIZES = [0, 1, 65535, 65536, 65537, 200000, 5 * KiB * KiB];
const SEALED_CHUNK = 64 * KiB + 16;

let dir = '';
let theirKeyFile = '';
let theirRecipient = '';
let theirIdentity = '';
const ours = generateIdentity();
let ourKeyFile = '';
const payloads = new Map(SIZES.map((size) => [size, randomBytes(size)]));
const payload = (size: number): Buffer => payloads.get(size) ?? Buffer.alloc(0);

function run(command: string, args: readonly string[], input?: Uint8Array): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 256 * KiB * KiB });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return result.stdout;
}

/** Runs `age` under a pseudo-terminal, typing the passphrase at each prompt (age reads it from /dev/tty). */
function ageWithPassphrase(passphrase: string, args: readonly string[]): void {
  const script = [
    'import os, pty, select, sys',
    'pid, fd = pty.fork()',
    'if pid == 0: os.execv(sys.argv[2], sys.argv[2:])',
    'seen, answered = b"", 0',
    'while True:',
    '    ready, _, _ = select.select([fd], [], [], 60)',
    '    if not ready: break',
    '    try: data = os.read(fd, 1024)',
    '    except OSError: break',
    '    if not data: break',
    '    seen += data',
    '    if seen.count(b"passphrase") > answered:',
    '        answered += 1',
    '        os.write(fd, sys.argv[1].encode() + b"\\n")',
    '_, status = os.waitpid(pid, 0)',
    'sys.stderr.write(seen.decode(errors="replace"))',
    'sys.exit(os.waitstatus_to_exitcode(status))',
  ].join('\n');
  run('python3', ['-c', script, passphrase, AGE, ...args]);
}

async function encryptFile(path: string, data: Buffer, options: Parameters<typeof createEncryptStream>[0]): Promise<void> {
  // Uneven input pieces, through the Duplex stream, as an export would feed it.
  const pieces = function* (): Generator<Buffer> {
    for (let i = 0, n = 1000; i < data.length; i += n, n = (n * 3 + 1) % 100000) yield data.subarray(i, i + n);
  };
  await pipeline(Readable.from(pieces()), createEncryptStream(options), createWriteStream(path));
}

async function decryptFile(path: string, options: DecryptOptions): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(Readable.from([readFileSync(path)]), createDecryptStream(options), async (source: AsyncIterable<Buffer>) => {
    for await (const part of source) parts.push(part);
  });
  return Buffer.concat(parts);
}

/** Decrypts, returning what was released before any error, and the error. */
async function attempt(file: Uint8Array, options: DecryptOptions): Promise<{ released: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const part of decryptChunks([file], options)) parts.push(part);
    return { released: Buffer.concat(parts), error: undefined };
  } catch (error) {
    return { released: Buffer.concat(parts), error };
  }
}

beforeAll(() => {
  if (!existsSync(AGE) || !existsSync(AGE_KEYGEN)) {
    throw new Error(`Debian's age is needed for the interoperability tests (${AGE}, ${AGE_KEYGEN}): apt-get install age`);
  }
  dir = mkdtempSync(join(tmpdir(), 'sijil-age-'));
  theirKeyFile = join(dir, 'their-key.txt');
  run(AGE_KEYGEN, ['-o', theirKeyFile]);
  theirRecipient = run(AGE_KEYGEN, ['-y', theirKeyFile]).toString().trim();
  theirIdentity = parseIdentityFile(readFileSync(theirKeyFile, 'utf8'))[0] ?? '';
  ourKeyFile = join(dir, 'our-key.txt');
  writeFileSync(ourKeyFile, `# created by Sijil\n# public key: ${ours.recipient}\n${ours.identity}\n`, { mode: 0o600 });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('age interop: keys', () => {
  it("age-keygen derives our identity's recipient, and reads our identity file", () => {
    expect(run(AGE_KEYGEN, ['-y', ourKeyFile]).toString().trim()).toBe(ours.recipient);
  });

  it("reads age-keygen's identity file (comments and all)", () => {
    expect(readFileSync(theirKeyFile, 'utf8')).toMatch(/^# created: .*\n# public key: age1/);
    expect(theirIdentity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
  });
});

describe.each(SIZES)('age interop, %i bytes', (size) => {
  it('our encryption to an age-keygen recipient opens with age -d -i', async () => {
    const file = join(dir, `ours-${size}.age`);
    await encryptFile(file, payload(size), { recipients: [theirRecipient] });
    expect(run(AGE, ['-d', '-i', theirKeyFile, file]).equals(payload(size))).toBe(true);
  });

  it('age -r to our generated recipient opens with us, and with age -d -i our key file', async () => {
    const file = join(dir, `theirs-${size}.age`);
    run(AGE, ['-r', ours.recipient, '-o', file], payload(size));
    expect((await decryptFile(file, { identities: [ours.identity] })).equals(payload(size))).toBe(true);
    expect(run(AGE, ['-d', '-i', ourKeyFile, file]).equals(payload(size))).toBe(true);
  });

  it("age -r to age-keygen's recipient opens with us, given its identity file", async () => {
    const file = join(dir, `theirs-keygen-${size}.age`);
    run(AGE, ['-r', theirRecipient, '-o', file], payload(size));
    expect((await decryptFile(file, { identities: parseIdentityFile(readFileSync(theirKeyFile, 'utf8')) })).equals(payload(size))).toBe(
      true,
    );
  });
});

describe('age interop: armor and several recipients', () => {
  it.each([0, 65537, 200000])('armored both ways, %i bytes', async (size) => {
    const ourFile = join(dir, `ours-armored-${size}.age`);
    await encryptFile(ourFile, payload(size), { recipients: [theirRecipient], armor: true });
    expect(readFileSync(ourFile, 'latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]*-----END AGE ENCRYPTED FILE-----\n$/);
    expect(run(AGE, ['-d', '-i', theirKeyFile, ourFile]).equals(payload(size))).toBe(true);

    const theirFile = join(dir, `theirs-armored-${size}.age`);
    run(AGE, ['-a', '-r', ours.recipient, '-o', theirFile], payload(size));
    expect((await decryptFile(theirFile, { identities: [ours.identity] })).equals(payload(size))).toBe(true);
  });

  it('a file for two recipients opens with either key, in age and in ours', async () => {
    const file = join(dir, 'two.age');
    await encryptFile(file, payload(200000), { recipients: [theirRecipient, ours.recipient] });
    expect(run(AGE, ['-d', '-i', theirKeyFile, file]).equals(payload(200000))).toBe(true);
    expect(run(AGE, ['-d', '-i', ourKeyFile, file]).equals(payload(200000))).toBe(true);
    expect((await decryptFile(file, { identities: [theirIdentity] })).equals(payload(200000))).toBe(true);
  });
});

describe('age interop: passphrases (through a pseudo-terminal)', () => {
  const passphrase = 'شهادة من الميدان 2024';

  it.each([0, 200000])('our passphrase file (work factor 18) opens with age -d, %i bytes', async (size) => {
    const file = join(dir, `ours-pass-${size}.age`);
    await encryptFile(file, payload(size), { passphrase });
    expect(readFileSync(file, 'latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S{22} 18\n/);
    const out = join(dir, `ours-pass-${size}.out`);
    ageWithPassphrase(passphrase, ['-d', '-o', out, file]);
    // age opens its -o file on the first byte written, so an empty plaintext leaves no file.
    expect((existsSync(out) ? readFileSync(out) : Buffer.alloc(0)).equals(payload(size))).toBe(true);
  });

  it.each([0, 200000])('age -p opens with us, %i bytes; a wrong passphrase says so', async (size) => {
    const input = join(dir, `plain-${size}.bin`);
    const file = join(dir, `theirs-pass-${size}.age`);
    writeFileSync(input, payload(size));
    ageWithPassphrase(passphrase, ['-p', '-o', file, input]);
    expect((await decryptFile(file, { passphrase })).equals(payload(size))).toBe(true);
    const { released, error } = await attempt(readFileSync(file), { passphrase: 'شهادة من الميدان 2025' });
    expect(error).toBeInstanceOf(AgeError);
    expect((error as AgeError).code).toBe('wrong-passphrase');
    expect(released.length).toBe(0);
  });
});

describe('damaged files', () => {
  const size = 300 * KiB;
  const original = randomBytes(size);
  let file: Buffer = Buffer.alloc(0);
  let start = 0; // offset of the first payload chunk

  beforeAll(async () => {
    file = await encrypt(original, { recipients: [ours.recipient] });
    start = file.indexOf('\n---') + 1;
    start = file.indexOf('\n', start) + 1 + 16;
  });

  it('knows where the chunks are', async () => {
    expect(file.length).toBe(start + 4 * SEALED_CHUNK + (size - 4 * 64 * KiB) + 16);
    expect((await decrypt(file, { identities: [ours.identity] })).equals(original)).toBe(true);
  });

  it('cut at every chunk boundary, and one byte either side, fails and releases only whole authenticated chunks', async () => {
    // Boundaries before chunks 1-5 (the fifth chunk is the short final one), and the file's end.
    const cuts = new Set<number>();
    for (let k = 0; k <= 4; k++) for (const d of [-1, 0, 1]) cuts.add(start + k * SEALED_CHUNK + d);
    cuts.add(file.length - 1);
    let checked = 0;
    for (const cut of [...cuts].filter((c) => c < file.length).sort((a, b) => a - b)) {
      const { released, error } = await attempt(file.subarray(0, cut), { identities: [ours.identity] });
      expect(error, `cut at ${cut}`).toBeInstanceOf(AgeError);
      expect(['truncated', 'payload-damaged'], `cut at ${cut}`).toContain((error as AgeError).code);
      const wholeChunksBeforeCut = Math.max(0, Math.floor((cut - start) / SEALED_CHUNK));
      expect(released.length % (64 * KiB), `cut at ${cut}`).toBe(0);
      expect(released.length, `cut at ${cut}`).toBeLessThanOrEqual(wholeChunksBeforeCut * 64 * KiB);
      expect(released.equals(original.subarray(0, released.length)), `cut at ${cut}`).toBe(true);
      checked++;
    }
    expect(checked).toBe(16);
  });

  it('a file cut exactly after a chunk says it is cut short, and where', async () => {
    const cut = start + 2 * SEALED_CHUNK;
    const { released, error } = await attempt(file.subarray(0, cut), { identities: [ours.identity] });
    expect(error).toMatchObject({ code: 'truncated', offset: cut });
    expect((error as AgeError).message).toContain(`byte ${cut}`);
    expect(released.length).toBe(2 * 64 * KiB);
  });

  it('any flipped bit in the header is caught before anything is released', async () => {
    for (let i = 0; i < start; i++) {
      const damaged = Buffer.from(file);
      damaged[i] = (damaged[i] ?? 0) ^ (1 << i % 8);
      const { released, error } = await attempt(damaged, { identities: [ours.identity] });
      expect(error, `byte ${i}`).toBeInstanceOf(AgeError);
      expect(['header-damaged', 'no-matching-identity', 'not-an-age-file', 'unsupported', 'payload-damaged'], `byte ${i}`).toContain(
        (error as AgeError).code,
      );
      expect(released.length, `byte ${i}`).toBe(0);
    }
  });

  it('a flipped bit in the payload is reported at the chunk that holds it, after releasing the chunks before', async () => {
    const positions = [start, start + 1000, start + SEALED_CHUNK - 1, start + 2 * SEALED_CHUNK + 5, start + 4 * SEALED_CHUNK + 3, file.length - 1];
    for (const position of positions) {
      const damaged = Buffer.from(file);
      damaged[position] = (damaged[position] ?? 0) ^ 0x10;
      const chunk = Math.floor((position - start) / SEALED_CHUNK);
      const { released, error } = await attempt(damaged, { identities: [ours.identity] });
      expect(error, `byte ${position}`).toMatchObject({ code: 'payload-damaged', offset: start + chunk * SEALED_CHUNK });
      expect((error as AgeError).message).toContain(`damaged at byte ${start + chunk * SEALED_CHUNK}`);
      expect(released.equals(original.subarray(0, chunk * 64 * KiB)), `byte ${position}`).toBe(true);
    }
  });

  it('damage in a file made by age is caught the same way', async () => {
    const theirs = run(AGE, ['-r', ours.recipient], original);
    const theirStart = theirs.indexOf('\n', theirs.indexOf('\n---') + 1) + 1 + 16;
    const damaged = Buffer.from(theirs);
    damaged[theirStart + SEALED_CHUNK + 7] = (damaged[theirStart + SEALED_CHUNK + 7] ?? 0) ^ 1;
    const { released, error } = await attempt(damaged, { identities: [ours.identity] });
    expect(error).toMatchObject({ code: 'payload-damaged', offset: theirStart + SEALED_CHUNK });
    expect(released.equals(original.subarray(0, 64 * KiB))).toBe(true);
    const cut = await attempt(theirs.subarray(0, theirStart + 3 * SEALED_CHUNK), { identities: [ours.identity] });
    expect(cut.error).toMatchObject({ code: 'truncated' });
  });

  it('trailing data after the final chunk is refused', async () => {
    // After a short final chunk, the extra byte becomes part of it, which then fails to authenticate.
    const short = await attempt(Buffer.concat([file, Buffer.from('x')]), { identities: [ours.identity] });
    expect(short.error).toMatchObject({ code: 'payload-damaged', offset: start + 4 * SEALED_CHUNK });
    expect(short.released.equals(original.subarray(0, 4 * 64 * KiB))).toBe(true);
    // After a full final chunk, the chunk authenticates as final and what follows is named as extra.
    const full = await encrypt(original.subarray(0, 2 * 64 * KiB), { recipients: [ours.recipient] });
    const extra = await attempt(Buffer.concat([full, Buffer.from('extra')]), { identities: [ours.identity] });
    expect(extra.error).toMatchObject({ code: 'payload-damaged', offset: full.length });
    expect((extra.error as AgeError).message).toMatch(/unexpected data follows the end/);
    expect(extra.released.equals(original.subarray(0, 2 * 64 * KiB))).toBe(true);
  });
});
