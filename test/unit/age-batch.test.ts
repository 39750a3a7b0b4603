// The fast paths of the age layer: payload chunks sealed and opened in 1 MiB batches, on worker
// threads once a stream is large, and files written and read straight from disk (AgeFileWriter,
// decryptFile). Each path must give the same bytes and, on damaged input, the same error at the
// same offset with the same plaintext released before it, as the chunk-by-chunk path on this
// thread; and Debian's age must open what they write and be opened by them.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgeFileWriter } from '../../electron/archive/bundle/age/fileWriter.ts';
import { BATCH_BYTES, configureChunkWorker } from '../../electron/archive/bundle/age/chunkEngine.ts';
import { AgeError, decryptChunks, decryptFile, encrypt, generateIdentity, useAead } from '../../electron/archive/bundle/age/index.ts';

const AGE = '/usr/bin/age';
const KiB = 1024;
const SEALED_CHUNK = 64 * KiB + 16;
const SEALED_BATCH = 16 * SEALED_CHUNK;
const { identity, recipient } = generateIdentity();
let dir = '';
let keyFile = '';

/** The ways to run the chunk engine: on this thread only, or on workers from the first batch. */
const MODES = {
  'this thread': () => configureChunkWorker({ enabled: false }),
  'worker threads': () => configureChunkWorker({ enabled: true, afterBatches: 0, workers: 2 }),
} as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sijil-age-batch-'));
  keyFile = join(dir, 'key.txt');
  writeFileSync(keyFile, `${identity}\n`);
});

afterEach(() => {
  configureChunkWorker({ enabled: true, afterBatches: 4 });
  useAead('auto');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ageDecrypt(file: string): Buffer {
  const result = spawnSync(AGE, ['-d', '-i', keyFile, file], { maxBuffer: 64 * KiB * KiB });
  if (result.status !== 0) throw new Error(`age -d failed: ${result.stderr.toString()}`);
  return result.stdout;
}

function ageEncrypt(plaintext: Uint8Array): Buffer {
  const result = spawnSync(AGE, ['-r', recipient], { input: plaintext, maxBuffer: 64 * KiB * KiB });
  if (result.status !== 0) throw new Error(`age -r failed: ${result.stderr.toString()}`);
  return result.stdout;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes `plaintext` with AgeFileWriter, alternating write() and copyFile() in uneven pieces. */
async function writeWithFileWriter(plaintext: Buffer, name: string): Promise<string> {
  const source = join(dir, `${name}.src`);
  const target = join(dir, `${name}.age`);
  const fd = openSync(target, 'w');
  try {
    const writer = await AgeFileWriter.create(fd, { recipients: [recipient] });
    let at = 0;
    for (let piece = 0; at < plaintext.length; piece++) {
      const size = Math.min(plaintext.length - at, [1, 511, 70_000, BATCH_BYTES + 3, 3 * BATCH_BYTES][piece % 5] as number);
      const part = plaintext.subarray(at, at + size);
      if (piece % 2 === 0) {
        await writer.write(part);
      } else {
        writeFileSync(source, part);
        const file = await open(source, 'r');
        const seen: Buffer[] = [];
        const read = await writer.copyFile(file, size, (bytes) => void seen.push(Buffer.from(bytes)));
        await file.close();
        expect(read).toBe(size);
        expect(Buffer.concat(seen).equals(part)).toBe(true);
      }
      at += size;
    }
    await writer.end();
  } finally {
    closeSync(fd);
  }
  return target;
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<{ plaintext: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunks) parts.push(chunk);
    return { plaintext: Buffer.concat(parts), error: null };
  } catch (error) {
    return { plaintext: Buffer.concat(parts), error };
  }
}

const SIZES = [0, 1, 65_536, BATCH_BYTES - 1, BATCH_BYTES, BATCH_BYTES + 1, 4 * BATCH_BYTES, 6 * BATCH_BYTES + 65_537];

describe.each(Object.entries(MODES))('batched chunks on %s', (_mode, configure) => {
  it('AgeFileWriter writes files Debian age opens, for every size around a chunk and batch boundary', async () => {
    configure();
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const file = await writeWithFileWriter(plaintext, `w${size}`);
      // Exactly the size age's format gives: header, nonce, then 16 bytes of tag per 64 KiB chunk.
      const chunks = Math.max(1, Math.ceil(size / (64 * KiB)));
      const header = readFileSync(file).indexOf('\n---') + 1;
      expect(readFileSync(file).length - readFileSync(file).indexOf('\n', header) - 1).toBe(16 + size + chunks * 16);
      expect(sha(ageDecrypt(file)), `size ${size}`).toBe(sha(plaintext));
    }
  });

  it('encrypt() and decryptChunks() round trip, and decryptFile() opens what age makes', async () => {
    configure();
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const ours = await encrypt(plaintext, { recipients: [recipient] });
      const file = join(dir, `e${size}.age`);
      writeFileSync(file, ours);
      expect(sha(ageDecrypt(file)), `age opens ours, size ${size}`).toBe(sha(plaintext));
      const theirs = join(dir, `t${size}.age`);
      writeFileSync(theirs, ageEncrypt(plaintext));
      const viaChunks = await collect(decryptChunks([readFileSync(theirs)], { identities: [identity] }));
      const viaFile = await collect(decryptFile(theirs, { identities: [identity] }));
      expect(viaChunks.error).toBeNull();
      expect(viaFile.error).toBeNull();
      expect(sha(viaChunks.plaintext), `size ${size}`).toBe(sha(plaintext));
      expect(sha(viaFile.plaintext), `size ${size}`).toBe(sha(plaintext));
    }
  });
});

describe('damaged files fail the same way on every path', () => {
  const plaintext = randomBytes(5 * BATCH_BYTES + 12_345);
  let good: Buffer;
  let payloadStart = 0;

  beforeAll(() => {
    good = ageEncrypt(plaintext);
    payloadStart = good.indexOf('\n', good.indexOf('\n---') + 1) + 1 + 16;
  });

  type Outcome = { code: string | null; offset: number | undefined; released: number };

  /** Decrypts `bytes` every way there is; all must agree. */
  async function outcomes(bytes: Buffer, name: string): Promise<Outcome> {
    const file = join(dir, `${name}.age`);
    writeFileSync(file, bytes);
    const results: Record<string, Outcome> = {};
    for (const [mode, configure] of Object.entries(MODES)) {
      configure();
      for (const [how, chunks] of [
        ['chunks', () => decryptChunks([bytes], { identities: [identity] })],
        // Small pieces, so the batches are gathered across many input chunks.
        ['pieces', () => decryptChunks((function* () { for (let i = 0; i < bytes.length; i += 7_777) yield bytes.subarray(i, i + 7_777); })(), { identities: [identity] })],
        ['file', () => decryptFile(file, { identities: [identity] })],
      ] as const) {
        const { plaintext: released, error } = await collect(chunks());
        // Whatever was released before the error is exactly the start of the plaintext.
        expect(released.equals(plaintext.subarray(0, released.length)), `${mode}/${how}`).toBe(true);
        if (error !== null && !(error instanceof AgeError)) throw error;
        results[`${mode}/${how}`] = { code: error === null ? null : error.code, offset: error === null ? undefined : error.offset, released: released.length };
      }
    }
    const all = Object.values(results);
    for (const [path, outcome] of Object.entries(results)) expect(outcome, path).toEqual(all[0]);
    return all[0] as Outcome;
  }

  it('a flipped bit in a chunk in the middle of a batch', async () => {
    const chunk = 2 * 16 + 5;
    const bytes = Buffer.from(good);
    const at = payloadStart + chunk * SEALED_CHUNK + 100;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    const outcome = await outcomes(bytes, 'flip');
    expect(outcome).toEqual({ code: 'payload-damaged', offset: payloadStart + chunk * SEALED_CHUNK, released: chunk * 64 * KiB });
  });

  it('a cut at a batch boundary, at a chunk boundary inside a batch, and one byte either side', async () => {
    for (const end of [2 * SEALED_BATCH, 3 * SEALED_BATCH + 7 * SEALED_CHUNK, 3 * SEALED_BATCH + 7 * SEALED_CHUNK + 1, 3 * SEALED_BATCH - 1]) {
      const outcome = await outcomes(good.subarray(0, payloadStart + end), `cut${end}`);
      expect(outcome.code, `cut at ${end}`).toMatch(/^(truncated|payload-damaged)$/);
      if (end % SEALED_CHUNK === 0) expect(outcome).toEqual({ code: 'truncated', offset: payloadStart + end, released: (end / SEALED_CHUNK) * 64 * KiB });
    }
  });

  it('data appended after the last chunk', async () => {
    // After a short last chunk, the extra bytes make it fail as a whole: nothing of it is released.
    const outcome = await outcomes(Buffer.concat([good, Buffer.from('appended')]), 'appended');
    expect(outcome).toEqual({ code: 'payload-damaged', offset: payloadStart + 5 * SEALED_BATCH, released: 5 * BATCH_BYTES });
    // After a full last chunk (the payload a whole number of batches), it authenticates as the last
    // one, is released, and the error points past it.
    const whole = ageEncrypt(plaintext.subarray(0, 3 * BATCH_BYTES));
    const start = whole.indexOf('\n', whole.indexOf('\n---') + 1) + 1 + 16;
    const after = await outcomes(Buffer.concat([whole, Buffer.from('appended')]), 'appended-whole');
    expect(after).toEqual({ code: 'payload-damaged', offset: start + 3 * SEALED_BATCH, released: 3 * BATCH_BYTES });
  });

  it('an intact file, for contrast', async () => {
    expect(await outcomes(good, 'intact')).toEqual({ code: null, offset: undefined, released: plaintext.length });
  });
});

it('AgeFileWriter with the JavaScript cipher (as in Electron) stays on this thread and writes the same format', async () => {
  useAead('noble');
  configureChunkWorker({ enabled: true, afterBatches: 0 });
  const plaintext = randomBytes(2 * BATCH_BYTES + 99);
  const file = await writeWithFileWriter(plaintext, 'noble');
  expect(sha(ageDecrypt(file))).toBe(sha(plaintext));
});

it('AgeFileWriter seals batches on this thread while the worker is behind, and the file is the same age file', async () => {
  // One write of many batches dispatches them all before the worker can answer any: after the
  // first few, the worker is behind, and this thread seals the rest itself. Both kinds of batch,
  // at their own places in the file, must make one file that age opens.
  configureChunkWorker({ enabled: true, afterBatches: 0, workers: 1 });
  const plaintext = randomBytes(20 * BATCH_BYTES + 12_345);
  const target = join(dir, 'shared.age');
  const fd = openSync(target, 'w');
  let sealedInstead = 0;
  try {
    const writer = await AgeFileWriter.create(fd, { recipients: [recipient] });
    await writer.write(plaintext);
    await writer.end();
    sealedInstead = writer.sealedInstead;
  } finally {
    closeSync(fd);
  }
  expect(sealedInstead).toBeGreaterThan(0);
  expect(sealedInstead).toBeLessThan(20);
  expect(sha(ageDecrypt(target))).toBe(sha(plaintext));
});

it('AgeFileWriter abandoned with batches in flight: once settled(), no write lands in the file any more', async () => {
  // The caller closes the descriptor after settled(); a write still running then could land in
  // whatever file is opened next under the same number. So every batch handed out must be
  // written (or have failed) by the time settled() resolves, and the workers be gone.
  configureChunkWorker({ enabled: true, afterBatches: 0, workers: 1 });
  const target = join(dir, 'abandoned.age');
  const fd = openSync(target, 'w');
  try {
    const writer = await AgeFileWriter.create(fd, { recipients: [recipient] });
    // Not awaited: the batches are still being sealed and written when the writer is abandoned.
    const writing = writer.write(randomBytes(40 * BATCH_BYTES + 1));
    // Abandoned once the worker is writing, so batches are in its hands and on the thread pool.
    while (statSync(target).size < 2 * SEALED_BATCH) await new Promise((resolve) => setTimeout(resolve, 1));
    writer.destroy(new Error('cancelled'));
    await writing.catch(() => undefined);
    await writer.settled();
    const settledBytes = sha(readFileSync(target));
    // Long enough for any write left on the thread pool to finish.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sha(readFileSync(target))).toBe(settledBytes);
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow(/cancelled/);
  } finally {
    closeSync(fd);
  }
});
