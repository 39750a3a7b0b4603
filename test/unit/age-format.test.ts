// Our age implementation on its own: keys and their encodings, identity files, the shape of what
// encryption writes, streaming round trips, option checking, error codes and messages, and that a
// passphrase's scrypt never stalls the event loop.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  AgeError,
  ageRuntimeSupport,
  createDecryptStream,
  createEncryptStream,
  decrypt,
  encrypt,
  generateIdentity,
  identityToRecipient,
  isAgeError,
  parseIdentityFile,
} from '../../electron/archive/bundle/age/index.ts';
import type { AgeErrorCode } from '../../electron/archive/bundle/age/index.ts';

const KiB = 1024;

async function failure(promise: Promise<unknown>): Promise<AgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgeError) return error;
    throw error;
  }
  throw new Error('expected an AgeError');
}

function thrown(fn: () => unknown): AgeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgeError) return error;
    throw error;
  }
  throw new Error('expected an AgeError');
}

describe('keys', () => {
  it("derives the spec's example X25519 recipient", () => {
    expect(identityToRecipient('AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX')).toBe(
      'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj',
    );
  });

  it("derives the spec's example post-quantum recipient", () => {
    const recipient = identityToRecipient('AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR');
    // 1216 bytes of key; the Bech32 checksum at the end covers all of it.
    expect(recipient).toHaveLength(1959);
    expect(recipient.startsWith('age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrq')).toBe(true);
    expect(recipient.endsWith('pyyzk3tlhl53k2ykx3qheyty7saeq0d3fzv49zc0k')).toBe(true);
  });

  it('generates X25519 keys as age-keygen does, and post-quantum ones on request', () => {
    const classic = generateIdentity();
    expect(classic.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(classic.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(identityToRecipient(classic.identity)).toBe(classic.recipient);
    expect(identityToRecipient(classic.identity.toLowerCase())).toBe(classic.recipient);
    const pq = generateIdentity('mlkem768x25519');
    expect(pq.identity).toMatch(/^AGE-SECRET-KEY-PQ-1[0-9A-Z]{58}$/);
    expect(pq.recipient).toMatch(/^age1pq1[0-9a-z]{1952}$/);
    expect(identityToRecipient(pq.identity)).toBe(pq.recipient);
    expect(generateIdentity().identity).not.toBe(classic.identity);
  });

  it.each([
    ['mixed case', 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEx'],
    ['a wrong checksum', 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEQ'],
    ['a recipient instead', 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj'],
    ['nonsense', 'hello'],
  ])('refuses an identity with %s', (_what, text) => {
    expect(thrown(() => identityToRecipient(text)).code).toBe('invalid-key');
  });

  it('refuses bad recipients when the stream is created, before any byte', () => {
    expect(thrown(() => createEncryptStream({ recipients: ['age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwq'] })).code).toBe(
      'invalid-key',
    );
    expect(thrown(() => createEncryptStream({ recipients: [] })).code).toBe('invalid-key');
    const mixed = [generateIdentity().recipient, generateIdentity('mlkem768x25519').recipient];
    expect(thrown(() => createEncryptStream({ recipients: mixed })).message).toMatch(/cannot be mixed/);
  });

  it('reports that this Node has everything, post-quantum included', () => {
    expect(ageRuntimeSupport()).toEqual({ age: true, postQuantum: true });
  });
});

describe('identity files', () => {
  const a = generateIdentity();
  const b = generateIdentity('mlkem768x25519');

  it('reads keys among comments and blank lines, with LF or CRLF and a BOM', () => {
    const text = `\uFEFF# created: 2024-01-01T00:00:00Z\r\n# public key: ${a.recipient}\r\n${a.identity}\r\n\r\n  # another\n${b.identity}\n`;
    expect(parseIdentityFile(text)).toEqual([a.identity, b.identity]);
  });

  it('names the bad line, and refuses a file without keys', () => {
    expect(thrown(() => parseIdentityFile(`# ok\n${a.identity}\nAGE-SECRET-KEY-1NOPE\n`)).message).toMatch(/^Line 3 /);
    expect(thrown(() => parseIdentityFile('# nothing here\n\n')).code).toBe('invalid-key');
  });
});

describe('what encryption writes', () => {
  const { identity, recipient } = generateIdentity();

  it('a header of 64-column unpadded base64, a 16-byte nonce, and 64 KiB chunks with no empty final one', async () => {
    const plaintext = randomBytes(3 * 64 * KiB);
    const file = await encrypt(plaintext, { recipients: [recipient, generateIdentity().recipient] });
    const headerEnd = file.indexOf('\n', file.indexOf('\n---') + 1) + 1;
    const lines = file.subarray(0, headerEnd - 1).toString('latin1').split('\n');
    expect(lines[0]).toBe('age-encryption.org/v1');
    expect(lines.filter((l) => l.startsWith('-> X25519 '))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^--- [A-Za-z0-9+/]{43}$/);
    for (const line of lines) expect(line.length <= 64 || line.startsWith('-> ')).toBe(true);
    expect(lines.some((l) => l.includes('='))).toBe(false);
    expect(file.length).toBe(headerEnd + 16 + 3 * (64 * KiB + 16));
    expect((await decrypt(file, { identities: [identity] })).equals(plaintext)).toBe(true);
  });

  it('an empty plaintext as one empty final chunk', async () => {
    const file = await encrypt(new Uint8Array(0), { recipients: [recipient] });
    const headerEnd = file.indexOf('\n', file.indexOf('\n---') + 1) + 1;
    expect(file.length).toBe(headerEnd + 16 + 16);
    expect((await decrypt(file, { identities: [identity] })).length).toBe(0);
  });

  it('a passphrase as the only stanza, with its work factor', async () => {
    const file = await encrypt(Buffer.from('x'), { passphrase: 'p', workFactor: 10 });
    expect(file.toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 10\n[A-Za-z0-9+/]{43}\n--- /);
  });

  it('ASCII armor in 64-column padded lines when asked, read back by itself', async () => {
    const plaintext = randomBytes(100000);
    const file = await encrypt(plaintext, { recipients: [recipient], armor: true });
    const lines = file.toString('latin1').split('\n');
    expect(lines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
    expect(lines.at(-2)).toBe('-----END AGE ENCRYPTED FILE-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    for (const line of body.slice(0, -1)) expect(line).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(body.at(-1)).toMatch(/^[A-Za-z0-9+/]{1,64}={0,2}$/);
    expect((await decrypt(file, { identities: [identity] })).equals(plaintext)).toBe(true);
    expect((await failure(decrypt(file, { identities: [identity], armor: false }))).code).toBe('not-an-age-file');
  });
});

describe('armor, beyond the CCTV vectors', () => {
  const { identity, recipient } = generateIdentity();

  it('reads CR LF line ends and whitespace around the block', async () => {
    const plaintext = randomBytes(70000);
    const text = (await encrypt(plaintext, { recipients: [recipient], armor: true })).toString('latin1');
    const crlf = Buffer.from(`\r\n \t\n${text.replaceAll('\n', '\r\n')}\n\n  `, 'latin1');
    expect((await decrypt(crlf, { identities: [identity] })).equals(plaintext)).toBe(true);
  });

  it('accepts a full-width padded last line, and nothing after it', async () => {
    for (let size = 0; size < 48; size++) {
      const plaintext = randomBytes(size);
      const text = (await encrypt(plaintext, { recipients: [recipient], armor: true })).toString('latin1');
      const lines = text.split('\n');
      const last = lines.at(-3) ?? '';
      if (last.length !== 64 || !last.endsWith('=')) continue;
      expect((await decrypt(Buffer.from(text), { identities: [identity] })).equals(plaintext)).toBe(true);
      lines.splice(-2, 0, 'AAAA');
      const error = await failure(decrypt(Buffer.from(lines.join('\n')), { identities: [identity] }));
      expect(error.code).toBe('armor-damaged');
      return;
    }
    throw new Error('no size gave a full-width padded last line');
  });

  it('names the line where a character outside base64 sits, deep in a long file', async () => {
    const text = (await encrypt(randomBytes(1024 * KiB), { recipients: [recipient], armor: true })).toString('latin1');
    const lines = text.split('\n');
    lines[12345] = `${(lines[12345] ?? '').slice(0, 20)}-${(lines[12345] ?? '').slice(21)}`;
    const error = await failure(decrypt(Buffer.from(lines.join('\n')), { identities: [identity] }));
    expect(error.code).toBe('armor-damaged');
    expect(error.message).toMatch(/line 12346:/);
  });
});

describe('round trips through the streams', () => {
  it.each([0, 1, 64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 1024 * KiB + 7])('%i bytes, to keys of both kinds', async (size) => {
    const plaintext = randomBytes(size);
    for (const kind of ['x25519', 'mlkem768x25519'] as const) {
      const { identity, recipient } = generateIdentity(kind);
      const parts: Buffer[] = [];
      await pipeline(
        Readable.from([plaintext.subarray(0, size >> 1), plaintext.subarray(size >> 1)]),
        createEncryptStream({ recipients: [recipient] }),
        createDecryptStream({ identities: [generateIdentity().identity, identity] }),
        async (source: AsyncIterable<Buffer>) => {
          for await (const part of source) parts.push(part);
        },
      );
      expect(Buffer.concat(parts).equals(plaintext)).toBe(true);
    }
  });

  it('with a passphrase, armored', async () => {
    const plaintext = randomBytes(150000);
    const file = await encrypt(plaintext, { passphrase: 'كلمة السر', workFactor: 12, armor: true });
    expect((await decrypt(file, { passphrase: 'كلمة السر' })).equals(plaintext)).toBe(true);
  });

  it('a stream error is the AgeError, with its code', async () => {
    const file = await encrypt(randomBytes(10), { recipients: [generateIdentity().recipient] });
    const error = await failure(
      pipeline(Readable.from([file]), createDecryptStream({ identities: [generateIdentity().identity] }), async (source: AsyncIterable<Buffer>) => {
        for await (const _ of source);
      }),
    );
    expect(isAgeError(error, 'no-matching-identity')).toBe(true);
  });
});

describe('errors say what is wrong', () => {
  const { identity, recipient } = generateIdentity();

  it.each<[string, () => Promise<unknown>, AgeErrorCode, RegExp]>([
    ['an empty file', () => decrypt(new Uint8Array(0), { identities: [identity] }), 'not-an-age-file', /empty/],
    ['a PDF', () => decrypt(Buffer.from('%PDF-1.7\n...'), { identities: [identity] }), 'not-an-age-file', /not an age encrypted file/],
    ['a future version', () => decrypt(Buffer.from('age-encryption.org/v2\n'), { identities: [identity] }), 'unsupported', /v2/],
    [
      'a PGP message',
      () => decrypt(Buffer.from('-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n'), { identities: [identity] }),
      'not-an-age-file',
      /BEGIN PGP MESSAGE/,
    ],
    [
      'a header without recipients',
      () => decrypt(Buffer.from('age-encryption.org/v1\n--- ' + 'A'.repeat(43) + '\n'), { identities: [identity] }),
      'header-damaged',
      /no recipients/,
    ],
    [
      'a passphrase file given only keys',
      async () => decrypt(await encrypt(Buffer.from('x'), { passphrase: 'p', workFactor: 4 }), { identities: [identity] }),
      'no-matching-identity',
      /protected by a passphrase/,
    ],
    [
      'a key file given only a passphrase',
      async () => decrypt(await encrypt(Buffer.from('x'), { recipients: [recipient] }), { passphrase: 'p' }),
      'no-matching-identity',
      /encrypted to specific keys/,
    ],
    [
      'a wrong passphrase',
      async () => decrypt(await encrypt(Buffer.from('x'), { passphrase: 'right', workFactor: 4 }), { passphrase: 'wrong' }),
      'wrong-passphrase',
      /passphrase is wrong/,
    ],
    [
      'a work factor above the caller’s limit',
      async () => decrypt(await encrypt(Buffer.from('x'), { passphrase: 'p', workFactor: 12 }), { passphrase: 'p', maxWorkFactor: 11 }),
      'unsupported',
      /work factor 12, above the limit of 11/,
    ],
  ])('%s', async (_what, attempt, code, message) => {
    const error = await failure(attempt());
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses impossible options up front', () => {
    expect(thrown(() => createDecryptStream({})).code).toBe('invalid-key');
    expect(thrown(() => createEncryptStream({ passphrase: '' })).code).toBe('invalid-key');
    expect(thrown(() => createEncryptStream({ passphrase: 'p', workFactor: 23 })).code).toBe('invalid-key');
    expect(thrown(() => createDecryptStream({ passphrase: 'p', maxWorkFactor: 30 })).code).toBe('invalid-key');
  });
});

describe('scrypt runs off the event loop', () => {
  it('timers keep firing while a passphrase (work factor 18) is derived, encrypting and decrypting', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = Date.now();
      const file = await encrypt(Buffer.from('testimony'), { passphrase: 'long enough to matter' });
      const plaintext = await decrypt(file, { passphrase: 'long enough to matter' });
      const elapsed = Date.now() - started;
      expect(plaintext.toString()).toBe('testimony');
      expect(file.toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S+ 18\n/);
      // Two derivations of roughly a second each here; a blocked loop would tick once or twice at the end.
      expect(elapsed).toBeGreaterThan(200);
      expect(ticks).toBeGreaterThan(elapsed / 5 / 4);
    } finally {
      clearInterval(timer);
    }
  });
});
