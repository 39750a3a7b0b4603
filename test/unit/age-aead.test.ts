// The two ChaCha20-Poly1305 implementations behind age: node:crypto's (OpenSSL) and @noble/ciphers,
// which stands in where the runtime has none (Electron's BoringSSL). They must agree byte for byte,
// the choice must follow the runtime and SIJIL_AEAD, and the JS one must interoperate with
// Debian's `age` on its own. (age-cctv.test.ts runs every CCTV vector through both.)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AgeError,
  ageRuntimeSupport,
  chooseAead,
  currentAead,
  decrypt,
  encrypt,
  generateIdentity,
  hasNativeAead,
  parseIdentityFile,
  useAead,
} from '../../electron/archive/bundle/age/index.ts';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const INDEX = fileURLToPath(new URL('../../electron/archive/bundle/age/index.ts', import.meta.url));
const OPENSSL_CIPHERS = ['aes-256-gcm', 'chacha20', 'chacha20-poly1305'];
/** What Electron's BoringSSL lists: AES-GCM, no ChaCha20-Poly1305 among createCipheriv's ciphers. */
const BORINGSSL_CIPHERS = ['aes-128-gcm', 'aes-256-gcm', 'aes-256-cbc'];

const native = chooseAead('native');
const noble = chooseAead('noble');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('choosing the implementation', () => {
  it('auto takes the native cipher where it exists and falls back to noble where it does not', () => {
    expect(hasNativeAead()).toBe(true);
    expect(chooseAead(undefined, OPENSSL_CIPHERS).name).toBe('native');
    expect(chooseAead('auto', OPENSSL_CIPHERS).name).toBe('native');
    expect(chooseAead('', BORINGSSL_CIPHERS).name).toBe('noble');
    expect(chooseAead('auto', BORINGSSL_CIPHERS).name).toBe('noble');
    expect(chooseAead('noble', OPENSSL_CIPHERS).name).toBe('noble');
  });

  it('refuses native where there is none, and an unknown choice, with a clear error', () => {
    expect(() => chooseAead('native', BORINGSSL_CIPHERS)).toThrow(/lacks/);
    expect(() => chooseAead('native', BORINGSSL_CIPHERS)).toThrow(AgeError);
    expect(() => chooseAead('openssl')).toThrow(/must be auto, native or noble/);
  });

  it('follows SIJIL_AEAD in a fresh process, and says age works either way', () => {
    const probe = `const age = await import(${JSON.stringify(INDEX)}); console.log(age.currentAead().name, age.ageRuntimeSupport().age);`;
    const run = (value: string | undefined) => {
      const env = { ...process.env };
      if (value === undefined) delete env.SIJIL_AEAD;
      else env.SIJIL_AEAD = value;
      return spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
    };
    expect(run(undefined).stdout.trim()).toBe('native true');
    expect(run('noble').stdout.trim()).toBe('noble true');
    expect(run('native').stdout.trim()).toBe('native true');
    const bad = run('rot13');
    expect(bad.stdout.trim()).toBe('');
    expect(bad.stderr).toMatch(/SIJIL_AEAD must be auto, native or noble/);
  });

  it('useAead switches this process and reports what it chose', () => {
    expect(useAead('noble')).toBe('noble');
    expect(currentAead().name).toBe('noble');
    expect(useAead('auto')).toBe('native');
    expect(ageRuntimeSupport().age).toBe(true);
  });
});

describe('native and noble agree', () => {
  const lengths = [0, 1, 15, 16, 17, 63, 64, 65, 1000, 65535, 65536, 65537];

  it.each(lengths)('seal gives the same bytes, and each opens the other’s, for %i bytes', (length) => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const plaintext = randomBytes(length);
    const a = native.seal(key, plaintext, nonce);
    const b = noble.seal(key, plaintext, nonce);
    expect(a.length).toBe(length + 16);
    expect(b.equals(a)).toBe(true);
    expect(native.open(key, b, nonce)?.equals(plaintext)).toBe(true);
    expect(noble.open(key, a, nonce)?.equals(plaintext)).toBe(true);
  });

  it('both refuse a flipped bit anywhere, a wrong key or nonce, and input shorter than a tag', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const sealed = native.seal(key, randomBytes(100), nonce);
    for (const aead of [native, noble]) {
      for (const position of [0, 50, 99, 100, 115]) {
        const damaged = Buffer.from(sealed);
        damaged[position] = (damaged[position] ?? 0) ^ 0x01;
        expect(aead.open(key, damaged, nonce), `${aead.name} byte ${position}`).toBeNull();
      }
      expect(aead.open(randomBytes(32), sealed, nonce), aead.name).toBeNull();
      expect(aead.open(key, sealed, randomBytes(12)), aead.name).toBeNull();
      expect(aead.open(key, sealed.subarray(0, 15), nonce), aead.name).toBeNull();
      expect(aead.open(key, Buffer.alloc(0), nonce), aead.name).toBeNull();
    }
  });

  it('noble refuses a key or nonce of the wrong size as a bug, not as a failed tag', () => {
    expect(() => noble.open(randomBytes(16), randomBytes(32), randomBytes(12))).toThrow(RangeError);
    expect(() => noble.seal(randomBytes(32), randomBytes(32), randomBytes(8))).toThrow(RangeError);
  });
});

describe('age interop on the noble implementation alone', () => {
  const payload = randomBytes(200_000);

  it('files it encrypts open with age -d, and files age encrypts open with it', async () => {
    useAead('noble');
    expect(currentAead().name).toBe('noble');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sijil-aead-'));
    dirs.push(dir);
    const keyFile = path.join(dir, 'key.txt');
    expect(spawnSync(AGE_KEYGEN, ['-o', keyFile]).status).toBe(0);
    const theirRecipient = spawnSync(AGE_KEYGEN, ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();

    const ours = path.join(dir, 'ours.age');
    fs.writeFileSync(ours, await encrypt(payload, { recipients: [theirRecipient] }));
    const opened = spawnSync(AGE, ['-d', '-i', keyFile, ours], { maxBuffer: 16 * 1024 * 1024 });
    expect(opened.status, opened.stderr?.toString()).toBe(0);
    expect(opened.stdout.equals(payload)).toBe(true);

    const mine = generateIdentity();
    const theirs = spawnSync(AGE, ['-r', mine.recipient], { input: payload, maxBuffer: 16 * 1024 * 1024 });
    expect(theirs.status).toBe(0);
    expect((await decrypt(theirs.stdout, { identities: [mine.identity] })).equals(payload)).toBe(true);
    expect((await decrypt(fs.readFileSync(ours), { identities: parseIdentityFile(fs.readFileSync(keyFile, 'utf8')) })).equals(payload)).toBe(true);

    // A damaged chunk is caught by the JS implementation just as by the native one.
    const damaged = Buffer.from(theirs.stdout);
    const last = damaged.length - 10;
    damaged[last] = (damaged[last] ?? 0) ^ 1;
    await expect(decrypt(damaged, { identities: [mine.identity] })).rejects.toMatchObject({ code: 'payload-damaged' });
    useAead('auto');
  });
});
