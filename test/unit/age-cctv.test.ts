// Every age test vector of the C2SP CCTV suite (npm `cctv-age`): each is decrypted as a file, and
// the outcome must match the vector's `expect`. For failures that happen mid-payload, whatever
// plaintext was released before the error must hash to the vector's `payload` (the suite's rule
// that an implementation never hands out more, or less, than what authenticated).
// The whole suite runs twice: on node:crypto's ChaCha20-Poly1305 and on the @noble/ciphers fallback
// that Electron (BoringSSL, no such cipher) uses.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as cctv from 'cctv-age';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgeError, currentAead, decryptChunks, generateIdentity, useAead } from '../../electron/archive/bundle/age/index.ts';
import type { AgeErrorCode } from '../../electron/archive/bundle/age/index.ts';

type Expect = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'payload failure' | 'armor failure';

type Vector = Readonly<{
  name: string;
  expect: Expect;
  payload: string | undefined;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  file: Buffer;
}>;

/** A vector: "key: value" lines, a blank line, then the age file (zlib-compressed if it says so). */
function parseVector(name: string, bytes: Uint8Array): Vector {
  const all = Buffer.from(bytes);
  const split = all.indexOf('\n\n');
  const fields = new Map<string, string[]>();
  for (const line of all.subarray(0, split).toString('utf8').split('\n')) {
    const colon = line.indexOf(': ');
    const key = line.slice(0, colon);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(colon + 2)]);
  }
  const first = (key: string): string | undefined => fields.get(key)?.[0];
  const body = all.subarray(split + 2);
  return {
    name,
    expect: first('expect') as Expect,
    payload: first('payload'),
    identities: fields.get('identity') ?? [],
    passphrases: fields.get('passphrase') ?? [],
    armored: first('armored') === 'yes',
    file: first('compressed') === 'zlib' ? inflateSync(body) : body,
  };
}

const vectors = Object.entries(cctv as unknown as Record<string, Uint8Array>)
  .filter(([name]) => name !== 'default')
  .map(([name, bytes]) => parseVector(name, bytes))
  .sort((a, b) => a.name.localeCompare(b.name));

/** Which of our error codes each CCTV failure class may surface as. */
const ACCEPTED: Readonly<Record<Exclude<Expect, 'success'>, readonly AgeErrorCode[]>> = {
  'no match': ['no-matching-identity', 'wrong-passphrase'],
  // A header MAC mismatch is header-damaged too, but it must be *that* (checked by message below),
  // not a parse error masking it.
  'HMAC failure': ['header-damaged'],
  // "unsupported": a version other than v1, or a work factor above our cap. "truncated": the
  // payload nonce missing after a complete header. "not-an-age-file": an empty file.
  'header failure': ['header-damaged', 'unsupported', 'truncated', 'not-an-age-file'],
  'payload failure': ['payload-damaged', 'truncated'],
  'armor failure': ['armor-damaged'],
};

// Vectors that carry no key (those that must fail before any key is needed) still need one to run.
const spare = generateIdentity().identity;

async function run(vector: Vector, armor: boolean | 'auto'): Promise<{ output: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  let error: unknown;
  try {
    const options = {
      identities: vector.identities.length > 0 || vector.passphrases.length > 0 ? vector.identities : [spare],
      passphrase: vector.passphrases[0],
      armor,
    };
    // Fed in uneven slices so chunk and line boundaries never line up with the input's.
    const slices = function* (): Generator<Buffer> {
      for (let i = 0, n = 1; i < vector.file.length; i += n, n = (n * 7 + 3) % 70001) yield vector.file.subarray(i, i + n);
    };
    for await (const part of decryptChunks(slices(), options)) parts.push(part);
  } catch (caught) {
    error = caught;
  }
  return { output: Buffer.concat(parts), error };
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe.each(['native', 'noble'] as const)('C2SP CCTV age vectors, %s ChaCha20-Poly1305', (aead) => {
  beforeAll(() => {
    useAead(aead);
  });

  it('run on the implementation asked for', () => {
    expect(currentAead().name).toBe(aead);
  });

  it('are all there', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(140);
    expect(new Set(vectors.map((v) => v.expect))).toEqual(
      new Set(['success', 'no match', 'HMAC failure', 'header failure', 'payload failure', 'armor failure']),
    );
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const { output, error } = await run(vector, vector.armored);
    if (vector.expect === 'success') {
      expect(error).toBeUndefined();
      expect(sha256(output)).toBe(vector.payload);
      return;
    }
    expect(error).toBeInstanceOf(AgeError);
    const ageError = error as AgeError;
    expect(ACCEPTED[vector.expect]).toContain(ageError.code);
    expect(ageError.message.length).toBeGreaterThan(20);
    if (vector.expect === 'HMAC failure') expect(ageError.message).toMatch(/MAC\) does not match/);
    if (vector.expect === 'header failure') expect(ageError.message).not.toMatch(/MAC\) does not match/);
    if (vector.expect === 'payload failure') {
      expect(sha256(output)).toBe(vector.payload);
      if (ageError.code === 'payload-damaged') expect(ageError.offset).toBeGreaterThan(0);
    } else {
      // Nothing may be released when the header does not check out.
      expect(output.length).toBe(0);
    }
  });

  it('detect armor by themselves: every success vector decrypts the same with armor "auto"', async () => {
    for (const vector of vectors.filter((v) => v.expect === 'success')) {
      const { output, error } = await run(vector, 'auto');
      expect(error, vector.name).toBeUndefined();
      expect(sha256(output), vector.name).toBe(vector.payload);
    }
  });
});
