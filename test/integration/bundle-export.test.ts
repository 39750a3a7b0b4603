// Export: a .sijil bundle opens with stock tools (Debian's age, GNU tar, sha256sum) and holds
// exactly what was selected; a redacted bundle holds no protected value anywhere; without media the
// originals are listed but absent; a cancelled or failed export leaves no file; inspect reads the
// bundle's description without the rest of it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt } from '../../electron/archive/bundle/age/index.ts';
import { ArchiveJson, ItemEntry } from '../../electron/archive/bundle/archiveJson.ts';
import { partialPathFor } from '../../electron/archive/bundle/partialFile.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import type { Archive } from '../../electron/archive/index.ts';
import type { BundleProgressEvent } from '../../shared/api.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { SECRETS, ageKeygen, fillSourceArchive, type SourceArchive } from '../support/bundles.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

let source: SourceArchive;
let archive: Archive;
let key: ReturnType<typeof ageKeygen>;
let out: string;

beforeAll(async () => {
  archive = tmpArchive();
  source = await fillSourceArchive(archive);
  out = tmpDir('sijil-bundles-');
  key = ageKeygen(out);
});

async function exportTo(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(out, name);
  await invoke(archive, 'bundle.export', { to: file, credentials: { recipients: [key.recipient] }, ...args });
  return file;
}

/** The bundle decrypted by stock age and unpacked by GNU tar into a fresh folder. */
function unpack(file: string): string {
  const dir = fs.mkdtempSync(path.join(out, 'unpacked-'));
  execFileSync('/bin/sh', ['-c', `/usr/bin/age -d -i "$1" "$2" | /usr/bin/tar x -C "$3"`, 'sh', key.file, file, dir]);
  return dir;
}

function tarEntries(file: string): string[] {
  return execFileSync('/bin/sh', ['-c', `/usr/bin/age -d -i "$1" "$2" | /usr/bin/tar t`, 'sh', key.file, file]).toString().trim().split('\n');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function expectArchiveError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<ArchiveError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as ArchiveError;
}

describe('bundle export', () => {
  it('writes a bag that stock age, GNU tar and sha256sum -c open and verify, archive.json first', async () => {
    const file = await exportTo('whole.sijil', { organization: 'Dhi Qar Documentation Network' });
    const entries = tarEntries(file);
    expect(entries.filter((e) => !e.endsWith('/'))[0]).toBe('data/archive.json');
    const bag = unpack(file);
    const check = execFileSync('/usr/bin/sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: bag }).toString();
    expect(check).not.toMatch(/FAILED/);
    expect(check.trim().split('\n').length).toBeGreaterThan(10);
    execFileSync('/usr/bin/sha256sum', ['-c', 'tagmanifest-sha256.txt'], { cwd: bag });

    const bagInfo = fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8');
    expect(bagInfo).toMatch(/^Source-Organization: Dhi Qar Documentation Network$/m);
    expect(bagInfo).toMatch(/^Bag-Software-Agent: Sijil /m);
    expect(bagInfo).toMatch(/^Sijil-Redacted: no$/m);
    expect(bagInfo).toMatch(/^Payload-Oxum: \d+\.\d+$/m);

    const json = ArchiveJson.parse(JSON.parse(fs.readFileSync(path.join(bag, 'data/archive.json'), 'utf8')));
    // Everything not in the trash; the protected item too, since this bundle is not redacted.
    expect(json.items.map((i) => i.id).sort()).toEqual([source.article, source.video, source.testimony, source.image, source.note, source.secret].sort());
    expect(bagInfo).toContain(`External-Identifier: ${json.bundleId}`);
    expect(json.collections).toEqual([{ name: 'Case: Sajjad', description: 'The kidnapping of Sajjad, Nasiriyah, 2020.' }]);
    expect(json.links).toHaveLength(3);
    expect(json.custody[source.testimony]?.map((e) => e.action)).toEqual(['create', 'link', 'link', 'edit']);
    expect(json.counts.byKind).toEqual({ article: 1, video: 1, testimony: 1, image: 1, note: 2 });

    // The video's original, under its Arabic name made safe for every disk, byte for byte.
    const video = ItemEntry.parse(JSON.parse(fs.readFileSync(path.join(bag, `data/items/${source.video}/item.json`), 'utf8')));
    const original = video.files.find((f) => f.role === 'original');
    expect(original?.path).toBe(`data/items/${source.video}/أم سجاد： نداء？.mp4`);
    expect(sha256(fs.readFileSync(path.join(bag, original?.path as string)))).toBe(sha256(source.videoBytes));
    const testimony = ItemEntry.parse(JSON.parse(fs.readFileSync(path.join(bag, `data/items/${source.testimony}/item.json`), 'utf8')));
    expect(testimony.testimony?.speakerName).toBe(SECRETS.speakerName);

    // Each item's custody report for a reader without Sijil: in the manifest like any payload file,
    // naming the item, every event that travels with it (by hash) and its files' SHA-256.
    const manifest = fs.readFileSync(path.join(bag, 'manifest-sha256.txt'), 'utf8');
    for (const id of json.items.map((i) => i.id)) {
      const report = fs.readFileSync(path.join(bag, `data/items/${id}/custody.txt`));
      expect(manifest).toContain(`${sha256(report)}  data/items/${id}/custody.txt\n`);
      const text = report.toString('utf8');
      expect(text).toMatch(/^=+\nCUSTODY REPORT\n/);
      expect(text).toContain(`Identifier:  ${id}`);
      expect(text).not.toContain('Redacted:');
      expect(text).toContain('Yes. All');
      const events = json.custody[id] ?? [];
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(text).toContain(`Event hash:    ${e.hash}`);
    }
    const videoReport = fs.readFileSync(path.join(bag, `data/items/${source.video}/custody.txt`), 'utf8');
    expect(videoReport).toContain(`SHA-256: ${sha256(source.videoBytes)}`);
    expect(testimony.files.map((f) => f.name)).not.toContain('custody.txt');
    expect(testimony.texts.map((t) => [t.role, testimony.files[t.file as number]?.name])).toEqual([
      ['transcript', 'transcript.txt'],
      ['translation', 'translation.txt'],
    ]);

    // Every exported item has an export event naming the bundle.
    for (const id of json.items.map((i) => i.id)) {
      const last = archive.history(id).at(-1);
      expect(last?.action).toBe('export');
      expect(last?.details).toMatchObject({ bundle: json.bundleId, encryption: 'recipients', recipients: [key.recipient], redacted: false, media: true });
    }
    expect(archive.check().ok).toBe(true);
  });

  it("the README's stock-tool recipe, run as written, opens and verifies a bundle", async () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Bundles'));
    const recipe = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(recipe).toContain('age -d -i key.txt x.sijil | tar x');
    expect(recipe).toContain('sha256sum -c manifest-sha256.txt');
    const folder = fs.mkdtempSync(path.join(out, 'recipe-'));
    fs.copyFileSync(key.file, path.join(folder, 'key.txt'));
    fs.copyFileSync(await exportTo('recipe.sijil'), path.join(folder, 'x.sijil'));
    const output = execFileSync('/bin/bash', ['-euo', 'pipefail', '-c', recipe], { cwd: folder }).toString();
    const lines = output.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^data\/.*: OK$/);
    expect(lines).toContain('data/archive.json: OK');
  });

  it('selects by ids, by collection and by search query', async () => {
    const ids = (file: string) => ArchiveJson.parse(JSON.parse(fs.readFileSync(path.join(unpack(file), 'data/archive.json'), 'utf8'))).items.map((i) => i.id);
    expect(ids(await exportTo('ids.sijil', { selection: { ids: [source.note, source.image.slice(0, 10)] } })).sort()).toEqual([source.image, source.note].sort());
    const collection = await exportTo('case.sijil', { selection: { collection: 'case: sajjad' } });
    expect(ids(collection).sort()).toEqual([source.article, source.video, source.testimony, source.secret].sort());
    const json = ArchiveJson.parse(JSON.parse(fs.readFileSync(path.join(unpack(collection), 'data/archive.json'), 'utf8')));
    // Links only between items in the bundle.
    expect(json.links.every((l) => json.items.some((i) => i.id === l.from) && json.items.some((i) => i.id === l.to))).toBe(true);
    expect(ids(await exportTo('query.sijil', { selection: { query: 'Euphrates sajjad' } }))).toEqual([source.article]);
    // Given right, it found nothing: not a mistyped argument.
    await expectArchiveError(exportTo('none.sijil', { selection: { query: 'zzzqqq' } }), 'not-found', /Nothing to export/);
    await expectArchiveError(exportTo('two.sijil', { selection: { query: 'x', collection: 'y' } }), 'invalid-argument', /one way/);
    await expectArchiveError(exportTo('missing.sijil', { selection: { collection: 'No such case' } }), 'not-found');
    expect(fs.existsSync(path.join(out, 'none.sijil'))).toBe(false);
  });

  it('redacted: no protected field value and no protected item anywhere in the decrypted bundle', async () => {
    const file = await exportTo('redacted.sijil', { redact: true });
    const tar = await decrypt(fs.readFileSync(file), { identities: [key.identity.trim().split('\n').at(-1) as string] });
    expect(tar.length).toBeGreaterThan(300_000);
    for (const secret of [...Object.values(SECRETS), `${SECRETS.speakerContact}-new`]) {
      expect(tar.includes(Buffer.from(secret)), secret).toBe(false);
      expect(tar.includes(Buffer.from(secret.slice(7, 20))), secret).toBe(false);
    }
    expect(tar.includes(Buffer.from(source.secret))).toBe(false);
    const bag = unpack(file);
    expect(fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toMatch(/^Sijil-Redacted: yes$/m);
    const json = ArchiveJson.parse(JSON.parse(fs.readFileSync(path.join(bag, 'data/archive.json'), 'utf8')));
    expect(json.redacted).toBe(true);
    expect(json.items.map((i) => i.id)).not.toContain(source.secret);
    const testimony = ItemEntry.parse(JSON.parse(fs.readFileSync(path.join(bag, `data/items/${source.testimony}/item.json`), 'utf8')));
    expect(testimony.testimony).toMatchObject({ speakerAlias: 'Umm Sajjad', speakerName: null, speakerContact: null, protectedNotes: null });
    // The custody reports say so, and hold no protected value (the whole tar was searched above);
    // the protected item has no folder, hence no report.
    const report = fs.readFileSync(path.join(bag, `data/items/${source.testimony}/custody.txt`), 'utf8');
    expect(report).toMatch(/^Redacted: +yes/m);
    for (const secret of Object.values(SECRETS)) expect(report).not.toContain(secret);
    expect(report).toContain(`Identifier:  ${source.testimony}`);
    expect(fs.existsSync(path.join(bag, 'data/items', source.secret))).toBe(false);
    execFileSync('/usr/bin/sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: bag });
  });

  it('without media: originals of video, audio and images are listed by hash and size but left out', async () => {
    const file = await exportTo('no-media.sijil', { media: false });
    const bag = unpack(file);
    const json = ArchiveJson.parse(JSON.parse(fs.readFileSync(path.join(bag, 'data/archive.json'), 'utf8')));
    expect(json.media).toBe(false);
    const omitted = json.omitted.map((f) => [f.itemId, f.role, f.name]);
    expect(omitted).toEqual(
      expect.arrayContaining([
        [source.video, 'original', 'أم سجاد: نداء?.mp4'],
        [source.testimony, 'original', 'recording.ogg'],
        [source.image, 'original', 'banner.jpg'],
      ]),
    );
    expect(json.omitted).toHaveLength(3);
    expect(json.omitted.find((f) => f.itemId === source.video && f.role === 'original')).toMatchObject({ sha256: sha256(source.videoBytes), size: 300_000 });
    expect(json.counts.omittedBytes).toBe(300_000 + 50_000 + 20_000);
    // Metadata, texts, the thumbnail and the article's page are still there; the originals are not.
    const videoDir = path.join(bag, 'data/items', source.video);
    expect(fs.readdirSync(videoDir).sort()).toEqual(['custody.txt', 'item.json', 'thumb.jpg']);
    expect(fs.readdirSync(path.join(bag, 'data/items', source.testimony)).sort()).toEqual(['custody.txt', 'item.json', 'transcript.txt', 'translation.txt']);
    expect(fs.readdirSync(path.join(bag, 'data/items', source.article)).sort()).toEqual(['custody.txt', 'item.json', 'sajjad.html']);
    // Far below the 370,000 bytes of the originals left out (metadata and custody reports remain).
    expect(fs.statSync(file).size).toBeLessThan(150_000);
    execFileSync('/usr/bin/sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: bag });
  });

  it('a cancelled export leaves no file, not even a partial one, and no custody event', async () => {
    const file = path.join(out, 'cancelled.sijil');
    const events = archive.history(source.video).length;
    const controller = new AbortController();
    const seen: BundleProgressEvent[] = [];
    const running = invoke(
      archive,
      'bundle.export',
      { to: file, credentials: { recipients: [key.recipient] } },
      {
        signal: controller.signal,
        progress: (_event, payload) => {
          seen.push(payload as BundleProgressEvent);
          if ((payload as BundleProgressEvent).phase === 'writing') controller.abort();
        },
      },
    );
    await expectArchiveError(running, 'cancelled', /cancelled/);
    expect(seen.some((p) => p.phase === 'writing')).toBe(true);
    expect(fs.readdirSync(out).filter((n) => n.includes('cancelled'))).toEqual([]);
    expect(archive.history(source.video)).toHaveLength(events);
  });

  it('removes partial files that crashed exports left in the folder, and leaves those of running ones alone', async () => {
    const folder = fs.mkdtempSync(path.join(out, 'crashed-'));
    const ours = path.basename(partialPathFor(path.join(folder, 'earlier.sijil')));
    // A process that has ended: its pid is free (reused only by a later process, very rarely this soon).
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const crashed = ours.replace(`-${process.pid}-`, `-${dead}-`);
    const running = ours;
    const otherHostFresh = '.b.sijil.another_host-1-0123456789ab.partial';
    const otherHostOld = '.c.sijil.another_host-1-ba9876543210.partial';
    const unrelated = '.notes.partial';
    for (const name of [crashed, running, otherHostFresh, otherHostOld, unrelated]) fs.writeFileSync(path.join(folder, name), 'half a bundle');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    fs.utimesSync(path.join(folder, otherHostOld), twoDaysAgo, twoDaysAgo);
    await invoke(archive, 'bundle.export', { to: path.join(folder, 'next.sijil'), credentials: { recipients: [key.recipient] }, selection: { ids: [source.note] } });
    expect(fs.readdirSync(folder).sort()).toEqual([running, otherHostFresh, unrelated, 'next.sijil'].sort());
  });

  it('a failed export (a blob missing from the store) leaves no file; an existing file is not replaced unless asked', async () => {
    const other = tmpArchive();
    const made = await fillSourceArchive(other);
    const blob = other.store.pathOf(sha256(made.videoBytes));
    fs.chmodSync(path.dirname(blob), 0o755);
    fs.rmSync(blob, { force: true });
    const file = path.join(out, 'broken.sijil');
    await expectArchiveError(invoke(other, 'bundle.export', { to: file, credentials: { recipients: [key.recipient] } }), 'file-unreadable', /missing from the archive's store/);
    expect(fs.readdirSync(out).filter((n) => n.includes('broken'))).toEqual([]);

    const existing = path.join(out, 'existing.sijil');
    fs.writeFileSync(existing, 'keep me');
    await expectArchiveError(exportTo('existing.sijil'), 'invalid-argument', /already exists/);
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    await exportTo('existing.sijil', { overwrite: true });
    expect(fs.readFileSync(existing).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
  });

  it('inspect reads who made the bundle, when, and what it holds, from its first chunks only', async () => {
    const file = await exportTo('inspect.sijil', { organization: 'Dhi Qar Documentation Network', media: false });
    const info = await invoke(archive, 'bundle.inspect', { path: file, credentials: { identity: key.identity } });
    expect(info).toMatchObject({
      organization: 'Dhi Qar Documentation Network',
      redacted: false,
      media: false,
      counts: { items: 6, byKind: { article: 1, video: 1, testimony: 1, image: 1, note: 2 }, omittedFiles: 3, links: 3, collections: 1 },
      alreadyHere: 6,
      alreadyImported: null,
    });
    expect(info.software).toMatch(/^Sijil \d/);
    expect(info.items.find((i) => i.id === source.video)).toMatchObject({ kind: 'video', title: 'نداء أم سجاد', files: 2, here: true });

    // A bundle cut off after its first megabyte still inspects: archive.json is at its start.
    const whole = await exportTo('inspect-big.sijil');
    const cut = path.join(out, 'cut.sijil');
    fs.writeFileSync(cut, fs.readFileSync(whole).subarray(0, 200_000));
    const partial = await invoke(archive, 'bundle.inspect', { path: cut, credentials: { identity: key.identity } });
    expect(partial.counts.items).toBe(6);
  });

  it('passphrase bundles: export, then inspect with the right and the wrong passphrase', async () => {
    const file = path.join(out, 'passphrase.sijil');
    await invoke(archive, 'bundle.export', { to: file, selection: { ids: [source.note] }, credentials: { passphrase: 'correct horse battery staple' } });
    const info = await invoke(archive, 'bundle.inspect', { path: file, credentials: { passphrase: 'correct horse battery staple' } });
    expect(info.counts.items).toBe(1);
    await expectArchiveError(invoke(archive, 'bundle.inspect', { path: file, credentials: { passphrase: 'wrong horse' } }), 'wrong-passphrase', /passphrase is wrong/);
    await expectArchiveError(invoke(archive, 'bundle.inspect', { path: file, credentials: { identity: key.identity } }), 'no-matching-key', /passphrase/);
    await expectArchiveError(
      invoke(archive, 'bundle.export', { to: path.join(out, 'both.sijil'), credentials: { passphrase: 'x', recipients: [key.recipient] } }),
      'invalid-argument',
      /not both/,
    );
    await expectArchiveError(invoke(archive, 'bundle.export', { to: path.join(out, 'bad.sijil'), credentials: { recipients: ['age1notakey'] } }), 'invalid-argument');
  });
});
