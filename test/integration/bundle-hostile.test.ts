// Hostile and broken bundles, through the public bundle.import / bundle.inspect channels (the
// errors a person sees): every one gets its own error code and a message that names the problem,
// and leaves the target archive exactly as it was — every table row, every blob, nothing left in
// tmp/ — with nothing written outside it. The hostile tars are built here with tar-stream and
// sealed with our age module, so each one is a well-encrypted file whose content is the attack.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, encryptChunks, parseIdentityFile } from '../../electron/archive/bundle/age/index.ts';
import { DEFAULT_MAX_ENTRIES } from '../../electron/archive/bundle/bagReader.ts';
import type { ArchiveJson, ItemSummaryEntry } from '../../electron/archive/bundle/archiveJson.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import type { Archive } from '../../electron/archive/index.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { listTree, snapshotArchive } from '../support/archiveSnapshot.ts';
import { ageKeygen, fillSourceArchive, type SourceArchive } from '../support/bundles.ts';
import { packTar, readTar, type TarEntry, type TarHeader as Headers } from '../support/tar.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const CHUNK = 64 * 1024;
const SEALED = CHUNK + 16;
const PASSPHRASE = 'correct horse battery staple';


let out: string;
let key: ReturnType<typeof ageKeygen>;
let source: SourceArchive;
let target: Archive;
/** The folder holding the target archive: nothing may appear beside it. */
let targetParent: string;
let recipientsBundle: string;
let passphraseBundle: string;
/** The recipients bundle's plaintext: a valid bag, as the exporter wrote it. */
let entries: TarEntry[];

let counter = 0;
const fresh = (name: string): string => path.join(out, `${++counter}-${name}`);

/** The bytes tar-stream writes for one header alone (the entry's data is never written). */
async function headerBlock(header: Headers): Promise<Buffer> {
  const p = pack();
  p.entry({ ...header });
  const first = await p[Symbol.asyncIterator]().next();
  p.destroy();
  return first.value as Buffer;
}

async function seal(plaintext: Buffer | AsyncIterable<Buffer>, name: string): Promise<string> {
  const file = fresh(name);
  const input = Buffer.isBuffer(plaintext) ? [plaintext] : plaintext;
  await pipeline(Readable.from(encryptChunks(input, { recipients: [key.recipient] })), fs.createWriteStream(file));
  return file;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const file = (name: string, body: Buffer): TarEntry => ({ header: { name, type: 'file', size: body.length, mode: 0o644, mtime: new Date(0) }, body });
const named = (name: string): TarEntry => {
  const found = entries.find((e) => e.header.name === name);
  if (!found) throw new Error(`the bundle has no ${name}`);
  return found;
};
const indexOf = (name: string): number => entries.findIndex((e) => e.header.name === name);
const videoPath = (): string => {
  const found = entries.find((e) => e.header.name.startsWith(`data/items/${source.video}/`) && e.header.name.endsWith('.mp4'));
  if (!found) throw new Error('the video is not in the bundle');
  return found.header.name;
};

/** `list` with the tag files rewritten to match it: its manifests, tag manifest and Oxum tell the truth. */
function rebag(list: readonly TarEntry[], edit: { oxum?: string } = {}): TarEntry[] {
  const payload = list.filter((e) => e.header.name.startsWith('data/') && e.header.type === 'file');
  const manifest = Buffer.from(payload.map((e) => `${sha256(e.body)}  ${e.header.name}\n`).join(''));
  const octets = payload.reduce((n, e) => n + e.body.length, 0);
  const info = (list.find((e) => e.header.name === 'bag-info.txt') ?? named('bag-info.txt')).body.toString('utf8').replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${edit.oxum ?? `${octets}.${payload.length}`}`);
  const tags = new Map<string, Buffer>([
    ['bagit.txt', named('bagit.txt').body],
    ['bag-info.txt', Buffer.from(info)],
    ['manifest-sha256.txt', manifest],
  ]);
  tags.set('tagmanifest-sha256.txt', Buffer.from([...tags].map(([n, b]) => `${sha256(b)}  ${n}\n`).join('')));
  return [...list.filter((e) => !tags.has(e.header.name)), ...[...tags].map(([n, b]) => file(n, b))];
}

function importInto(bundle: string, credentials: Record<string, unknown> = { identity: key.identity }): Promise<unknown> {
  return invoke(target, 'bundle.import', { path: bundle, credentials });
}

function inspect(bundle: string, credentials: Record<string, unknown> = { identity: key.identity }): Promise<unknown> {
  return invoke(target, 'bundle.inspect', { path: bundle, credentials });
}

/**
 * Runs `attempt` and checks that it fails with `code` and a message matching every pattern, and
 * that the archive, its staging folder, the folder around it and the folder the bundle is in are
 * exactly as they were. Returns the message.
 */
async function refused(attempt: () => Promise<unknown>, code: string, ...message: RegExp[]): Promise<string> {
  const before = snapshotArchive(target);
  const beside = listTree(targetParent, { hash: false, skip: (rel) => rel.startsWith('archive/') });
  const bundles = listTree(out, { hash: false });
  const error = await attempt().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call succeeded').toBeInstanceOf(ArchiveError);
  const { code: got, message: text } = error as ArchiveError;
  expect(got, text).toBe(code);
  for (const pattern of message) expect(text).toMatch(pattern);
  // A person reads this: one or two sentences, no stack trace, no "[object Object]".
  expect(text).not.toMatch(/\n\s+at |\[object |undefined|NaN/);
  expect(text.length, 'a message a person can read').toBeLessThan(1000);
  expect(target.db.inTransaction).toBe(false);
  const after = snapshotArchive(target);
  expect(after.tmp, 'staging left behind').toEqual([]);
  expect(after).toEqual(before);
  expect(listTree(targetParent, { hash: false, skip: (rel) => rel.startsWith('archive/') })).toEqual(beside);
  expect(listTree(out, { hash: false })).toEqual(bundles);
  return text;
}

/** Where the age header ends (after the MAC line) in an age file. */
function headerLength(bytes: Buffer): number {
  const mac = bytes.indexOf('\n--- ');
  return bytes.indexOf('\n', mac + 1) + 1;
}

const at = (offset: number): RegExp => new RegExp(`byte ${offset.toLocaleString('en')}\\b`);

beforeAll(async () => {
  out = tmpDir('sijil-hostile-');
  key = ageKeygen(out);
  source = await fillSourceArchive(tmpArchive());
  target = tmpArchive();
  targetParent = path.dirname(target.dir);
  // The target holds work of its own and an earlier import, so "unchanged" covers real rows in
  // every table a merge writes (items, files, custody, imported bundles).
  target.create({ kind: 'note', fields: { title: 'Already here', body: 'local work' }, tags: ['mine'] });
  const other = await fillSourceArchive(tmpArchive());
  const earlier = path.join(out, 'earlier.sijil');
  await invoke(other.archive, 'bundle.export', { to: earlier, selection: { ids: [other.article, other.image] }, credentials: { recipients: [key.recipient] } });
  await invoke(target, 'bundle.import', { path: earlier, credentials: { identity: key.identity } });

  recipientsBundle = path.join(out, 'recipients.sijil');
  await invoke(source.archive, 'bundle.export', { to: recipientsBundle, credentials: { recipients: [key.recipient] } });
  passphraseBundle = path.join(out, 'passphrase.sijil');
  await invoke(source.archive, 'bundle.export', { to: passphraseBundle, credentials: { passphrase: PASSPHRASE } });
  entries = await readTar(await decrypt(fs.readFileSync(recipientsBundle), { identities: parseIdentityFile(key.identity) }));
});

describe('the bundle these tests break is sound', () => {
  it('spans several age chunks and a re-packed copy of its tar imports (into a scratch archive)', async () => {
    const plaintext = entries.reduce((n, e) => n + 512 + Math.ceil(e.body.length / 512) * 512, 1024);
    expect(plaintext).toBeGreaterThan(4 * CHUNK);
    // archive.json first (inspect reads only it); no folder entries: tar makes the folders.
    expect(entries[0]?.header.name).toBe('data/archive.json');
    expect(entries.filter((e) => e.header.type !== 'file')).toEqual([]);
    const copy = await seal(await packTar(rebag(entries)), 'repacked.sijil');
    const scratch = tmpArchive();
    const before = snapshotArchive(scratch);
    const result = await invoke(scratch, 'bundle.import', { path: copy, credentials: { identity: key.identity } });
    expect(result.added).toBe(6);
    // The snapshot the tests below compare sees an import: new rows, new blobs.
    const after = snapshotArchive(scratch);
    expect(after.tables.items?.length).toBe((before.tables.items?.length ?? 0) + 6);
    expect(after.blobs.length).toBeGreaterThan(before.blobs.length);
    expect(after.tmp).toEqual([]);
  });
});

describe('a bag put back together with stock tar', () => {
  it('(`tar cf - .`: ./ before every path, the tag files first) is inspected and imported', async () => {
    const dir = (name: string): TarEntry => ({ header: { name, type: 'directory', size: 0, mode: 0o755, mtime: new Date(0) }, body: Buffer.alloc(0) });
    const tags = rebag(entries).filter((e) => !e.header.name.startsWith('data/'));
    const payload = entries.filter((e) => e.header.name.startsWith('data/') && e.header.name !== 'data/archive.json');
    const dotted = (e: TarEntry): TarEntry => ({ ...e, header: { ...e.header, name: `./${e.header.name}` } });
    const list = [dir('./'), ...tags.map(dotted), dir('./data/'), ...payload.map(dotted), dotted(named('data/archive.json'))];
    const bundle = await seal(await packTar(list), 'stock-tar.sijil');
    const scratch = tmpArchive();
    expect(await invoke(scratch, 'bundle.inspect', { path: bundle, credentials: { identity: key.identity } })).toMatchObject({ counts: { items: 6 } });
    expect(await invoke(scratch, 'bundle.import', { path: bundle, credentials: { identity: key.identity } })).toMatchObject({ added: 6 });
  });

  it('whose tar is not a tar at all: inspect says so in words, as import does', async () => {
    const bundle = await seal(Buffer.from('Minutes of the meeting, 3 March.\n'.repeat(100)), 'not-a-tar.sijil');
    const inspected = await refused(() => inspect(bundle), 'bundle-damaged', /cannot be trusted/);
    const imported = await refused(() => importInto(bundle), 'bundle-damaged', /cannot be trusted/);
    expect(inspected).toBe(imported);
  });
});

describe('an archive.json that says what the bag does not hold', () => {
  /** The real bag with archive.json changed by `edit`, its manifests made to vouch for the change. */
  async function withArchiveJson(name: string, edit: (json: ArchiveJson) => void): Promise<string> {
    const json = JSON.parse(named('data/archive.json').body.toString('utf8')) as ArchiveJson;
    edit(json);
    const list = entries.map((e) => (e.header.name === 'data/archive.json' ? file('data/archive.json', Buffer.from(JSON.stringify(json))) : e));
    return seal(await packTar(rebag(list)), `${name}.sijil`);
  }

  it('counts that do not add up (shown by inspect, never checked before): both refuse it', async () => {
    for (const [what, edit] of [
      ['items', (j: ArchiveJson) => (j.counts.items = 99)],
      ['bytes', (j: ArchiveJson) => (j.counts.bytes = 1e12)],
      ['kinds', (j: ArchiveJson) => (j.counts.byKind = { note: 6 })],
    ] as const) {
      const bundle = await withArchiveJson(`counts-${what}`, edit);
      await refused(() => inspect(bundle), 'bundle-damaged', /do not add up/);
      await refused(() => importInto(bundle), 'bundle-damaged', /do not add up/);
    }
  });

  it('an item described one way in archive.json and another in its item.json (date, tags, sensitivity)', async () => {
    for (const [what, edit] of [
      ['date', (item: ItemSummaryEntry) => (item.date = '1999-01-01')],
      ['tags', (item: ItemSummaryEntry) => (item.tags = [...item.tags, 'invented'])],
      ['sensitivity', (item: ItemSummaryEntry) => (item.sensitivity = item.sensitivity === 'normal' ? 'graphic' : 'normal')],
    ] as const) {
      const bundle = await withArchiveJson(`summary-${what}`, (j) => edit(j.items[0]!));
      await refused(() => importInto(bundle), 'bundle-damaged', /disagree about/);
    }
  });

  it('a link from an item to itself, said as such', async () => {
    const bundle = await withArchiveJson('self-link', (j) => j.links.push({ from: j.items[0]!.id, to: j.items[0]!.id, relation: 'related' }));
    await refused(() => importInto(bundle), 'bundle-damaged', /links the item \w{26} to itself/);
  });

  it('a bag-info that names another bundle format version than archive.json', async () => {
    const info = named('bag-info.txt').body.toString('utf8');
    expect(info).toMatch(/^Sijil-Bundle-Version: 1$/m);
    const list = entries.map((e) => (e.header.name === 'bag-info.txt' ? file('bag-info.txt', Buffer.from(info.replace(/^Sijil-Bundle-Version: 1$/m, 'Sijil-Bundle-Version: 7'))) : e));
    const bundle = await seal(await packTar(rebag(list)), 'bag-info-version.sijil');
    await refused(() => importInto(bundle), 'bundle-damaged', /Sijil-Bundle-Version/);
  });
});

describe('not an age file', () => {
  const cases: [string, () => Buffer][] = [
    ['random bytes', () => randomBytes(100_000)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a text file', () => Buffer.from('Minutes of the meeting, 3 March.\nPresent: the committee.\n'.repeat(50))],
    ['a zip', () => Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(5000)])],
  ];
  for (const [what, bytes] of cases) {
    it(`${what}: import and inspect say it is not a bundle`, async () => {
      const bundle = fresh(`not-age-${what.replace(/\W+/g, '-')}.sijil`);
      fs.writeFileSync(bundle, bytes());
      await refused(() => importInto(bundle), 'not-a-bundle', /not a Sijil bundle/, /not an age-encrypted file/, new RegExp(path.basename(bundle)));
      await refused(() => inspect(bundle), 'not-a-bundle', /not an age-encrypted file/);
    });
  }

  it('a tar without age (the decrypted bundle itself): import and inspect say it is not encrypted', async () => {
    const bundle = fresh('plain.tar');
    fs.writeFileSync(bundle, await packTar(entries));
    await refused(() => importInto(bundle), 'not-a-bundle', /not an age-encrypted file/);
    await refused(() => inspect(bundle), 'not-a-bundle', /not an age-encrypted file/);
  });

  it('text that claims to be armored age but is not', async () => {
    const bundle = fresh('armor.sijil');
    fs.writeFileSync(bundle, '-----BEGIN AGE ENCRYPTED FILE-----\nthis is not base64 at all!\n-----END AGE ENCRYPTED FILE-----\n');
    await refused(() => importInto(bundle), 'bundle-damaged', /damaged/);
  });
});

describe('credentials that do not open the bundle', () => {
  it('wrong passphrase: import and inspect say so', async () => {
    await refused(() => importInto(passphraseBundle, { passphrase: 'incorrect horse' }), 'wrong-passphrase', /passphrase is wrong/);
    await refused(() => inspect(passphraseBundle, { passphrase: 'incorrect horse' }), 'wrong-passphrase', /passphrase is wrong/);
  });

  it('no matching key: a recipients bundle opened with another identity', async () => {
    const other = ageKeygen(tmpDir(), 'other.txt');
    await refused(() => importInto(recipientsBundle, { identity: other.identity }), 'no-matching-key', /None of the given secret keys/, /other recipients/);
    await refused(() => inspect(recipientsBundle, { identity: other.identity }), 'no-matching-key', /None of the given secret keys/);
  });

  it('a passphrase given for a bundle made for keys, and a key for a passphrase bundle', async () => {
    await refused(() => importInto(recipientsBundle, { passphrase: PASSPHRASE }), 'no-matching-key', /encrypted to specific keys/);
    await refused(() => importInto(passphraseBundle, { identity: key.identity }), 'no-matching-key', /passphrase/);
  });
});

describe('truncated', () => {
  it('at every 64 KiB chunk boundary and one byte either side', async () => {
    const bytes = fs.readFileSync(recipientsBundle);
    const header = headerLength(bytes);
    const payload = header + 16;
    const chunks = Math.ceil((bytes.length - payload) / SEALED);
    expect(chunks).toBeGreaterThanOrEqual(5);
    const cuts = new Set<number>([0, 1, 30, header - 1, header]);
    for (let k = 0; k < chunks; k++) for (const d of [-1, 0, 1]) cuts.add(payload + k * SEALED + d);
    cuts.add(bytes.length - 1);
    const seen: string[] = [];
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      const bundle = fresh(`cut-${cut}.sijil`);
      fs.writeFileSync(bundle, bytes.subarray(0, cut));
      const k = (cut - payload) / SEALED;
      if (cut < 'age-encryption.org/'.length) {
        // Too short to even carry the format's name.
        await refused(() => importInto(bundle), 'not-a-bundle', /not an age-encrypted file/);
      } else if (cut < payload) {
        // Inside the header or its nonce: the age layer sees the file end early.
        await refused(() => importInto(bundle), 'bundle-damaged', /cut short|ends before its header/);
      } else if (Number.isInteger(k) && k > 0) {
        // Exactly at a boundary: every chunk so far authenticates, the final one is missing.
        await refused(() => importInto(bundle), 'bundle-damaged', /incomplete/, /cut short/, at(cut));
      } else {
        // Mid-chunk: the last (partial) chunk does not authenticate; the message says where it starts.
        const start = payload + Math.floor(k) * SEALED;
        await refused(() => importInto(bundle), 'bundle-damaged', /damaged|incomplete/, cut === payload ? /cut short/ : at(start));
      }
      seen.push(String(cut));
    }
    expect(seen.length).toBe(cuts.size);
  });

  it('inspect refuses a bundle cut inside its archive.json', async () => {
    const bytes = fs.readFileSync(recipientsBundle);
    const bundle = fresh('cut-inspect.sijil');
    fs.writeFileSync(bundle, bytes.subarray(0, headerLength(bytes) + 16 + 2000));
    await refused(() => inspect(bundle), 'bundle-damaged', /damaged|incomplete|cut short/);
  });
});

describe('flipped bits', () => {
  function replaced(bytes: Buffer, offset: number, byte: number): string {
    const copy = Buffer.from(bytes);
    copy[offset] = byte;
    const bundle = fresh(`replaced-${offset}.sijil`);
    fs.writeFileSync(bundle, copy);
    return bundle;
  }

  function flipped(bytes: Buffer, offset: number, bit = 0x01): string {
    const copy = Buffer.from(bytes);
    copy[offset] = (copy[offset] as number) ^ bit;
    const bundle = fresh(`flip-${offset}.sijil`);
    fs.writeFileSync(bundle, copy);
    return bundle;
  }

  it('in the header: the version line, the MAC, the stanza (recipients bundle)', async () => {
    const bytes = fs.readFileSync(recipientsBundle);
    const text = bytes.subarray(0, headerLength(bytes)).toString('latin1');
    // "age-encryption.org/v1": the version is part of the format; another is not one we read.
    const version = flipped(bytes, text.indexOf('v1') + 1, 0x02);
    await refused(() => importInto(version), 'unsupported-file', /version/i);
    // A flipped bit in base64 text gives either another base64 letter (different bytes) or a
    // character base64 does not have (a malformed header); which one depends on the letter hit,
    // so both are made on purpose here rather than left to the random header of the day.
    const other = (offset: number): number => (bytes[offset] === 0x41 ? 0x42 : 0x41); // 'A' <-> 'B'
    const notBase64 = 0x2a; // '*'
    // The MAC line: the key is found, the header fails its authentication code.
    const mac = text.indexOf('\n--- ') + 6;
    const macChanged = replaced(bytes, mac + 3, other(mac + 3));
    await refused(() => importInto(macChanged), 'bundle-damaged', /damaged/, /authentication code \(MAC\) does not match/);
    const macMalformed = replaced(bytes, mac + 3, notBase64);
    await refused(() => importInto(macMalformed), 'bundle-damaged', /header is damaged/);
    // The recipient stanza's ephemeral share and wrapped key: other bytes there are
    // indistinguishable from a key the file was not made for (stock age says the same), so the
    // person is told their key does not open it, never that it opened.
    const stanza = text.indexOf('-> X25519 ') + 12;
    const share = replaced(bytes, stanza, other(stanza));
    await refused(() => importInto(share), 'no-matching-key', /None of the given secret keys/);
    const body = text.indexOf('\n', stanza) + 5;
    const wrapped = replaced(bytes, body, other(body));
    await refused(() => importInto(wrapped), 'no-matching-key', /None of the given secret keys/);
    const shareMalformed = replaced(bytes, stanza, notBase64);
    await refused(() => importInto(shareMalformed), 'bundle-damaged', /header is damaged/);
    // The "---" marker itself.
    const marker = flipped(bytes, mac - 3, 0x01);
    await refused(() => importInto(marker), 'bundle-damaged', /header/);
  });

  it('in the header of a passphrase bundle: the scrypt salt and work factor', async () => {
    const bytes = fs.readFileSync(passphraseBundle);
    const text = bytes.subarray(0, headerLength(bytes)).toString('latin1');
    const stanza = text.indexOf('-> scrypt ');
    // Another salt (still valid base64) is a different key: as with stock age, this reads as a
    // wrong passphrase, since nothing in the file can tell the two apart.
    const salt = Buffer.from(bytes);
    const saltAt = stanza + '-> scrypt '.length + 2;
    salt[saltAt] = salt[saltAt] === 0x41 ? 0x42 : 0x41;
    const saltFile = fresh('scrypt-salt.sijil');
    fs.writeFileSync(saltFile, salt);
    await refused(() => importInto(saltFile, { passphrase: PASSPHRASE }), 'wrong-passphrase', /passphrase is wrong/);
    // A changed work factor (18 -> 19) is a different scrypt: the passphrase no longer opens it.
    const factor = text.indexOf(' 18\n', stanza) + 2;
    const factorFlipped = flipped(bytes, factor, 0x01);
    await refused(() => importInto(factorFlipped, { passphrase: PASSPHRASE }), 'wrong-passphrase', /passphrase/);
    // An impossible work factor (far above what age allows) is refused before any work.
    const huge = Buffer.from(bytes);
    huge.write('98', factor - 1, 'latin1');
    const hugeFile = fresh('scrypt-98.sijil');
    fs.writeFileSync(hugeFile, huge);
    await refused(() => importInto(hugeFile, { passphrase: PASSPHRASE }), 'unsupported-file', /work factor|too/i);
  });

  it('in the payload: the nonce, a middle chunk, a chunk tag, the last chunk', async () => {
    const bytes = fs.readFileSync(recipientsBundle);
    const header = headerLength(bytes);
    const payload = header + 16;
    const chunks = Math.ceil((bytes.length - payload) / SEALED);
    const positions: [string, number, number][] = [
      // [what, byte to flip, where the damage is reported]
      ['the payload nonce', header + 5, payload],
      ['the first chunk', payload + 100, payload],
      ['a middle chunk', payload + 2 * SEALED + 40_000, payload + 2 * SEALED],
      ['a middle chunk tag', payload + 3 * SEALED - 3, payload + 2 * SEALED],
      ['the last chunk', bytes.length - 50, payload + (chunks - 1) * SEALED],
    ];
    for (const [what, offset, reported] of positions) {
      const bundle = flipped(bytes, offset, 0x80);
      const message = await refused(() => importInto(bundle), 'bundle-damaged', /damaged/, at(reported));
      expect(message, what).toMatch(/altered or corrupted/);
    }
    // inspect stops after archive.json, in the first chunk: damage there is found too.
    const inspected = flipped(bytes, payload + 100, 0x80);
    await refused(() => inspect(inspected), 'bundle-damaged', at(payload));
  });
});

describe('a bundle of several MiB: cut and damaged where the cipher has moved off the main thread', () => {
  // The age layer opens chunks in batches of 16 and hands a stream to worker threads once it has
  // proved large (a few MiB): these cuts and flips land in batches opened there.
  let big: string;
  let bytes: Buffer;
  let payload: number;
  let chunks: number;

  beforeAll(async () => {
    const archive = tmpArchive();
    archive.create({
      kind: 'video',
      fields: { title: 'A long recording' },
      files: [{ staged: await archive.store.stageBytes(randomBytes(7 * 2 ** 20 + 12_345)), role: 'original', name: 'long.mp4', mime: 'video/mp4', language: null }],
    });
    big = path.join(out, 'big.sijil');
    await invoke(archive, 'bundle.export', { to: big, credentials: { recipients: [key.recipient] } });
    bytes = fs.readFileSync(big);
    payload = headerLength(bytes) + 16;
    chunks = Math.ceil((bytes.length - payload) / SEALED);
  });

  it('imports whole (so the failures below are the cuts and flips)', async () => {
    const scratch = tmpArchive();
    expect((await invoke(scratch, 'bundle.import', { path: big, credentials: { identity: key.identity } })).added).toBe(1);
  });

  it('cut at chunk and batch boundaries, and a byte either side', async () => {
    expect(chunks).toBeGreaterThan(100);
    const boundaries = [1, 15, 16, 17, 63, 64, 65, 80, 96, chunks - 1].filter((k) => k < chunks);
    for (const k of boundaries) {
      for (const d of [-1, 0, 1]) {
        const cut = payload + k * SEALED + d;
        const bundle = fresh(`big-cut-${cut}.sijil`);
        fs.writeFileSync(bundle, bytes.subarray(0, cut));
        if (d === 0) await refused(() => importInto(bundle), 'bundle-damaged', /incomplete/, /cut short/, at(cut));
        else await refused(() => importInto(bundle), 'bundle-damaged', /damaged|incomplete/, at(payload + (d < 0 ? k - 1 : k) * SEALED));
      }
    }
  });

  it('a flipped bit in a batch opened on a worker, in a chunk tag there, and in the last chunk', async () => {
    const positions: [number, number][] = [
      [payload + 70 * SEALED + 1234, payload + 70 * SEALED],
      [payload + 80 * SEALED - 1, payload + 79 * SEALED],
      [bytes.length - 20, payload + (chunks - 1) * SEALED],
    ];
    for (const [offset, reported] of positions) {
      const copy = Buffer.from(bytes);
      copy[offset] = (copy[offset] as number) ^ 0x04;
      const bundle = fresh(`big-flip-${offset}.sijil`);
      fs.writeFileSync(bundle, copy);
      await refused(() => importInto(bundle), 'bundle-damaged', /damaged/, at(reported));
    }
  });
});

describe('damage messages', () => {
  // FAILS until bundleErrors.ts (ageToArchive, 'payload-damaged') stops appending the age layer's
  // own sentence: today a person reads "The bundle is damaged at byte 393,496: it was altered or
  // corrupted in transit. The file is damaged at byte 393496: the final encrypted block (7) does
  // not authenticate: it was altered or the file was cut short. Everything before that point was intact."
  it('say where the damage is once, not twice in two number formats', async () => {
    const bytes = Buffer.from(fs.readFileSync(recipientsBundle));
    const offset = headerLength(bytes) + 16 + 2 * SEALED + 100;
    bytes[offset] = (bytes[offset] as number) ^ 0x80;
    const bundle = fresh('flip-once.sijil');
    fs.writeFileSync(bundle, bytes);
    const message = await refused(() => importInto(bundle), 'bundle-damaged', /damaged at byte/);
    expect(message.match(/byte/g), message).toHaveLength(1);
  });
});

describe('valid age around a hostile tar', () => {
  /** The real bag with `extra` entries put right after data/archive.json (before any item). */
  function withEntries(...extra: TarEntry[]): TarEntry[] {
    const i = indexOf('data/archive.json') + 1;
    return [...entries.slice(0, i), ...extra, ...entries.slice(i)];
  }
  const entry = (header: Headers, body = Buffer.alloc(0)): TarEntry => ({ header: { mode: 0o644, mtime: new Date(0), size: body.length, ...header }, body });

  async function refusedEntry(name: string, list: TarEntry[], code: string, ...message: RegExp[]): Promise<void> {
    const bundle = await seal(await packTar(list), `${name}.sijil`);
    await refused(() => importInto(bundle), code, ...message);
  }

  it('an entry with ..', async () => {
    const escape = path.relative(path.join(target.store.tmpDir, 'x.part', 'payload'), path.join(targetParent, 'escaped.txt'));
    await refusedEntry('dotdot', withEntries(entry({ name: `data/items/${escape}` }, Buffer.from('owned'))), 'bundle-damaged', /uses "\.\." to point outside the bag/, /escaped\.txt/);
    await refusedEntry('dotdot-top', withEntries(entry({ name: '../../escaped.txt' }, Buffer.from('owned'))), 'bundle-damaged', /"\.\.\/\.\.\/escaped\.txt" uses "\.\."/);
    await refusedEntry('dotdot-dir', withEntries(entry({ name: 'data/../../', type: 'directory' })), 'bundle-damaged', /uses "\.\."/);
    expect(fs.existsSync(path.join(targetParent, 'escaped.txt'))).toBe(false);
  });

  it('an absolute path', async () => {
    const absolute = path.join(out, 'absolute-escape.txt');
    await refusedEntry('absolute', withEntries(entry({ name: absolute }, Buffer.from('owned'))), 'bundle-damaged', /has an absolute path/, new RegExp(absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(fs.existsSync(absolute)).toBe(false);
  });

  it('a Windows drive path, with either separator', async () => {
    await refusedEntry('drive', withEntries(entry({ name: 'C:/Windows/System32/evil.dll' }, Buffer.from('MZ'))), 'bundle-damaged', /"C:\/Windows\/System32\/evil\.dll" has an absolute path/);
    await refusedEntry('drive-backslash', withEntries(entry({ name: 'C:\\evil.dll' }, Buffer.from('MZ'))), 'bundle-damaged', /absolute path/);
    // "D:evil.txt" is relative to drive D's current folder on Windows: as good as absolute.
    await refusedEntry('drive-relative', withEntries(entry({ name: 'D:evil.txt' }, Buffer.from('MZ'))), 'bundle-damaged', /"D:evil\.txt" has an absolute path/);
    // Inside a name a colon is no drive (stock tar extracts "data/items/D:x" as a plain name, and
    // Sijil stages under numbered names): it is refused only as a file the manifest does not list.
    await refusedEntry('colon-inside', withEntries(entry({ name: 'data/items/D:evil.txt' }, Buffer.from('MZ'))), 'bundle-damaged', /"data\/items\/D:evil\.txt" is in the bundle but not in its manifest/);
  });

  it('a symbolic link (to a file, and to a folder with a file written through it)', async () => {
    await refusedEntry('symlink', withEntries(entry({ name: `data/items/${source.video}/link`, type: 'symlink', linkname: '/etc/passwd' })), 'bundle-damaged', /is a symbolic link/, /link"/);
    await refusedEntry(
      'symlink-dir',
      withEntries(entry({ name: 'data/items/up', type: 'symlink', linkname: '../../..' }), entry({ name: 'data/items/up/escaped.txt' }, Buffer.from('owned'))),
      'bundle-damaged',
      /"data\/items\/up" is a symbolic link/,
    );
  });

  it('a hard link', async () => {
    await refusedEntry('hardlink', withEntries(entry({ name: 'data/items/hard', type: 'link', linkname: '/etc/shadow' })), 'bundle-damaged', /"data\/items\/hard" is a hard link/);
  });

  it('a device file, a block device, a FIFO', async () => {
    await refusedEntry('chardev', withEntries(entry({ name: 'data/items/null', type: 'character-device', devmajor: 1, devminor: 3 })), 'bundle-damaged', /"data\/items\/null" is a device or pipe/);
    await refusedEntry('blockdev', withEntries(entry({ name: 'data/items/sda', type: 'block-device', devmajor: 8, devminor: 0 })), 'bundle-damaged', /"data\/items\/sda" is a device or pipe/);
    await refusedEntry('fifo', withEntries(entry({ name: 'data/items/pipe', type: 'fifo' })), 'bundle-damaged', /"data\/items\/pipe" is a device or pipe/);
  });

  it('a duplicate path: the same name, a name differing in case, in Unicode normalisation, or by a trailing dot', async () => {
    const json = named('data/archive.json');
    await refusedEntry('duplicate', withEntries(file('data/archive.json', Buffer.from('{"format":"other"}'))), 'bundle-damaged', /"data\/archive\.json" appears twice/);
    const video = videoPath();
    // After the video, so the earlier one is the real file and the later one the impostor.
    const after = (extra: TarEntry): TarEntry[] => {
      const i = indexOf(video) + 1;
      return [...entries.slice(0, i), extra, ...entries.slice(i)];
    };
    await refusedEntry('duplicate-case', after(file(video.toUpperCase().replace('DATA/ITEMS/', 'data/items/'), Buffer.from('x'))), 'bundle-damaged', /appears twice/);
    await refusedEntry('duplicate-nfd', after(file(video.normalize('NFD'), Buffer.from('x'))), 'bundle-damaged', /appears twice/);
    await refusedEntry('duplicate-dot', after(file(`${video}.`, Buffer.from('x'))), 'bundle-damaged', /appears twice/);
    expect(json.body.length).toBeGreaterThan(0);
  });

  it('a payload file that fails its checksum', async () => {
    const video = videoPath();
    const list = entries.map((e) => {
      if (e.header.name !== video) return e;
      const body = Buffer.from(e.body);
      body[1000] = (body[1000] as number) ^ 0xff;
      return { header: e.header, body };
    });
    await refusedEntry('checksum', list, 'bundle-damaged', /does not match its checksum/, new RegExp(`"${video.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  });

  it('a missing payload file, and an extra one', async () => {
    const video = videoPath();
    await refusedEntry('missing', entries.filter((e) => e.header.name !== video), 'bundle-damaged', /listed in the manifest but missing/, /\.mp4/);
    await refusedEntry('extra', withEntries(file(`data/items/${source.video}/extra.bin`, Buffer.from('not in the manifest'))), 'bundle-damaged', /extra\.bin" is in the bundle but not in its manifest/);
  });

  it('a bag-info whose Payload-Oxum lies (with a tag manifest that vouches for it, and without)', async () => {
    const oxum = /^Payload-Oxum: (\d+)\.(\d+)$/m.exec(named('bag-info.txt').body.toString())?.slice(1) ?? [];
    const [octets, count] = oxum.map(Number) as [number, number];
    await refusedEntry('oxum-bytes', rebag(entries, { oxum: `${octets + 1}.${count}` }), 'bundle-damaged', /Payload-Oxum|payload is/, new RegExp(`${octets + 1} bytes`));
    await refusedEntry('oxum-count', rebag(entries, { oxum: `${octets}.${count - 1}` }), 'bundle-damaged', new RegExp(`${count - 1} files`));
    const lying = entries.map((e) =>
      e.header.name === 'bag-info.txt' ? file('bag-info.txt', Buffer.from(e.body.toString().replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${octets}.${count + 5}`))) : e,
    );
    await refusedEntry('oxum-unvouched', lying, 'bundle-damaged', /"bag-info\.txt" does not match its checksum/);
  });

  // FAILS until bagReader.ts bounds path length: readBag folds every parent of every entry
  // (foldPath(segments.slice(0, i).join('/')) for each i), quadratic in the number of segments and
  // synchronous, so one PAX path of a few MB stalls the engine for days and cannot be cancelled;
  // and the whole name goes into the message. 5,000 segments (10 KB) already take seconds.
  it('an absurdly long path (a PAX path of 5,000 segments) is refused as too long, in a readable message', async () => {
    const name = `data/items/${'a/'.repeat(5_000)}x`;
    await refusedEntry('long-path', withEntries(entry({ name }, Buffer.from('x'))), 'bundle-damaged', /too long|longer than/);
  });

  it('a declared size larger than the free disk (base-256 size field, and a PAX size)', async () => {
    const start = await packTar(entries.slice(0, indexOf('data/archive.json') + 1), false);
    const huge = 10 ** 15; // a petabyte: more than any disk here
    const block = await headerBlock({ name: `data/items/${source.video}/huge.mp4`, type: 'file', size: huge, mode: 0o644, mtime: new Date(0) });
    expect(block.length).toBe(512);
    expect(block[124]).toBe(0x80); // the size is in GNU base-256, as tar writes sizes past 8 GiB
    const bundle = await seal(Buffer.concat([start, block, randomBytes(200_000)]), 'huge.sijil');
    await refused(() => importInto(bundle), 'disk-full', /not enough free disk space/, /huge\.mp4/);
    const pax = await packTar([...entries.slice(0, indexOf('data/archive.json') + 1), entry({ name: 'data/items/pax.mp4', pax: { size: String(huge) } })], false);
    const paxBundle = await seal(Buffer.concat([pax, randomBytes(200_000)]), 'huge-pax.sijil');
    await refused(() => importInto(paxBundle), 'disk-full', /not enough free disk space/, /pax\.mp4/);
  });

  it('a declared size the disk could hold but the bundle does not: it ends early', async () => {
    const start = await packTar(entries.slice(0, indexOf('data/archive.json') + 1), false);
    const block = await headerBlock({ name: 'data/items/liar.mp4', type: 'file', size: 50 * 2 ** 20, mode: 0o644, mtime: new Date(0) });
    const bundle = await seal(Buffer.concat([start, block, randomBytes(300_000)]), 'liar.sijil');
    await refused(() => importInto(bundle), 'bundle-damaged', /ends early/);
  });
});

describe('a tar bomb: many tiny entries', () => {
  // 1,000,000 entries of one byte make a 1 GiB tar, written and sealed here in full (about 25 s).
  // The reader refuses past DEFAULT_MAX_ENTRIES (500,000), so what is checked is that it stops
  // there, holding only a small record per entry, and cleans up. Measured here under a loaded
  // 2-core machine: about 45 s for the whole test, so it runs by default; SIJIL_TEST_TAR_BOMB=N
  // makes a smaller bomb (at least the limit + 1) where that is too slow.
  const count = Math.max(DEFAULT_MAX_ENTRIES + 1, Number(process.env.SIJIL_TEST_TAR_BOMB ?? 1_000_000) || 1_000_000);

  async function* bomb(): AsyncGenerator<Buffer> {
    const p = pack();
    const feeding = (async () => {
      const add = (e: TarEntry) => new Promise<void>((resolve, reject) => p.entry({ ...e.header }, e.body, (err) => (err ? reject(err) : resolve())));
      await new Promise<void>((resolve, reject) => p.entry({ name: 'data/', type: 'directory', mtime: new Date(0) }, (err) => (err ? reject(err) : resolve())));
      await add(named('data/archive.json'));
      const one = Buffer.from('x');
      const mtime = new Date(0);
      for (let i = 0; i < count; i++) await add({ header: { name: `data/items/t/${i}`, size: 1, mode: 0o644, mtime }, body: one });
      p.finalize();
    })();
    feeding.catch(() => undefined);
    yield* p as AsyncIterable<Buffer>;
    await feeding;
  }

  it(`${count.toLocaleString('en')} one-byte entries are refused past the entry limit, with bounded memory and nothing left behind`, async () => {
    const bundle = await seal(bomb(), 'bomb.sijil');
    expect(fs.statSync(bundle).size).toBeGreaterThan(count * 1024);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    try {
      await refused(() => importInto(bundle), 'bundle-damaged', new RegExp(`more than ${DEFAULT_MAX_ENTRIES.toLocaleString('en')} entries`));
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    // Reported, not asserted (timing and RSS under a shared test runner are not test material):
    console.log(`tar bomb of ${count.toLocaleString('en')} entries: refused in ${seconds.toFixed(1)} s, RSS ${Math.round(rssBefore / 2 ** 20)} -> peak ${Math.round(peak / 2 ** 20)} MiB`);
  }, 600_000);
});
