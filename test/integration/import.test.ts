import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { SAMPLE_DIR } from '../../electron/archive/sample.ts';
import { say } from '../../shared/phrase.ts';
import { tmpArchive, tmpDir, writeFile } from '../support/tmp.ts';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

let media: string;
beforeAll(() => {
  media = tmpDir('sijil-media-');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x48:rate=10', '-pix_fmt', 'yuv420p', path.join(media, 'clip.mp4')]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', path.join(media, 'tone.wav')]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x32', '-frames:v', '1', path.join(media, 'frame.png')]);
});

describe('importing files', () => {
  it('imports a folder of mixed files by content, keeping every original byte for byte', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    const files = {
      article: path.join(SAMPLE_DIR, 'articles', 'euphrates-ledger-2020-07-03-nasiriyah-activist-abducted.html'),
      arabic: path.join(SAMPLE_DIR, 'articles', 'sahl-news-2020-07-10-sajjad-nouri.ar.html'),
    };
    fs.copyFileSync(files.article, path.join(src, 'page.html'));
    fs.copyFileSync(files.arabic, path.join(src, 'صفحة الخبر.htm'));
    fs.copyFileSync(path.join(media, 'clip.mp4'), path.join(src, 'فيديو المناشدة.mp4'));
    // An extension that lies: a PNG named .mp4 is still an image.
    fs.copyFileSync(path.join(media, 'frame.png'), path.join(src, 'not-a-video.mp4'));
    fs.mkdirSync(path.join(src, 'nested', 'deeper'), { recursive: true });
    fs.copyFileSync(path.join(media, 'tone.wav'), path.join(src, 'nested', 'deeper', 'tone.wav'));
    writeFile(src, 'notes/interview.md', '# Interview with the lawyer\n\nHe says the **detention** was never registered.\n');
    writeFile(src, 'empty.txt', '');
    writeFile(src, 'data.bin', new Uint8Array([0, 1, 2, 3, 250, 251, 252, 0, 0, 7]));
    writeFile(src, '.DS_Store', 'junk');

    const summary = await importPaths(archive, [src]);
    const byName = new Map(summary.outcomes.map((o) => [path.basename(o.path), o]));
    expect(byName.get('page.html')?.status).toBe('imported');
    expect(byName.get('صفحة الخبر.htm')?.status).toBe('imported');
    expect(byName.get('فيديو المناشدة.mp4')?.status).toBe('imported');
    expect(byName.get('not-a-video.mp4')?.status).toBe('imported');
    expect(byName.get('tone.wav')?.status).toBe('imported');
    expect(byName.get('interview.md')?.status).toBe('imported');
    expect(byName.get('empty.txt')).toMatchObject({ status: 'skipped', reason: 'it is empty (0 bytes)' });
    expect(byName.get('data.bin')?.status).toBe('skipped');
    expect(byName.get('data.bin')?.reason).toMatch(/does not recognise/);
    expect(byName.has('.DS_Store')).toBe(false);
    expect(summary).toMatchObject({ imported: 6, duplicates: 0, skipped: 2 });

    const kindOf = (name: string) => archive.get(byName.get(name)?.itemId as string).kind;
    expect(kindOf('page.html')).toBe('article');
    expect(kindOf('فيديو المناشدة.mp4')).toBe('video');
    expect(kindOf('not-a-video.mp4')).toBe('image');
    expect(kindOf('tone.wav')).toBe('audio');

    // Originals are stored byte for byte under their hash, with their names unchanged.
    const video = archive.get(byName.get('فيديو المناشدة.mp4')?.itemId as string);
    const original = video.files.find((f) => f.role === 'original');
    expect(original?.name).toBe('فيديو المناشدة.mp4');
    expect(original?.sha256).toBe(sha256(path.join(src, 'فيديو المناشدة.mp4')));
    expect(sha256(archive.blobPath(original?.sha256 as string))).toBe(original?.sha256);

    // The article's text and metadata were extracted, and its reading copy carries no script.
    const article = archive.get(byName.get('page.html')?.itemId as string);
    expect(article.body).toMatch(/Nasiriyah/);
    expect(article.html).not.toMatch(/<script/i);
    expect(archive.search('Nasiriyah').hits.map((h) => h.id)).toContain(article.id);
    expect(archive.history(article.id)[0]).toMatchObject({ action: 'import', sha256: sha256(path.join(src, 'page.html')) });
    expect(archive.check().ok).toBe(true);
  });

  it('stores the same content once and says where it already is', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    const a = writeFile(src, 'report.txt', 'The checkpoint at the bridge was closed on Friday.\n');
    const b = writeFile(src, 'copy of report.txt', 'The checkpoint at the bridge was closed on Friday.\n');
    const first = await importPaths(archive, [a]);
    const again = await importPaths(archive, [a, b]);
    const id = first.outcomes[0]?.itemId;
    expect(again.duplicates).toBe(2);
    for (const o of again.outcomes) expect(o.reason).toBe(`already in the archive as ${id} "The checkpoint at the bridge was closed on Friday."`);
    // The same reason as a phrase, for the interface to say in Arabic.
    for (const o of again.outcomes) expect(say(o.said!, 'ar')).toBe(`موجود في الأرشيف من قبل، في المادة ${id} «The checkpoint at the bridge was closed on Friday.»`);
    expect(archive.count()).toMatchObject({ items: 1, blobs: 1 });
    expect(fs.readdirSync(archive.store.tmpDir)).toEqual([]);
  });

  it('goes by content when a file named .html is not a web page', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    writeFile(src, 'garbage.html', new Uint8Array([0x00, 0xff, 0x13, 0x37, 0x00, 0x00, 0x9c, 0x01, 0xfe, 0x00]));
    writeFile(src, 'plain.html', 'Minutes of the meeting with the families, Nasiriyah, 5 July.\nNo tags here at all.\n');
    const summary = await importPaths(archive, [src]);
    const [garbage, plain] = summary.outcomes;
    expect(garbage).toMatchObject({ status: 'skipped' });
    expect(garbage?.reason).toMatch(/does not recognise its content/);
    expect(plain?.status).toBe('imported');
    const note = archive.get(plain?.itemId as string);
    expect(note.kind).toBe('note');
    expect(note.html).toBeNull();
    expect(note.body).toContain('Minutes of the meeting');
    expect(archive.count().items).toBe(1);
  });

  it('recognises two copies of the same content in one import', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    writeFile(src, 'a.txt', 'Statement of the lawyer, 4 July.\n');
    writeFile(src, 'b.txt', 'Statement of the lawyer, 4 July.\n');
    const summary = await importPaths(archive, [src]);
    expect(summary).toMatchObject({ imported: 1, duplicates: 1 });
    const [first, second] = summary.outcomes;
    expect(second?.reason).toBe(`already in the archive as ${first?.itemId} "Statement of the lawyer, 4 July."`);
    expect(archive.get(first?.itemId as string).files).toHaveLength(1);
  });

  it('never stores the same content twice when two writers import it at the same moment', async () => {
    const first = tmpArchive();
    const second = Archive.open(first.dir);
    try {
      const a = tmpDir();
      const b = tmpDir();
      for (const dir of [a, b]) writeFile(dir, 'statement.txt', 'The statement both researchers collected.\n');
      writeFile(a, 'only-a.txt', 'Only the first researcher has this.\n');
      writeFile(b, 'only-b.txt', 'Only the second researcher has this.\n');
      // Both stage the shared file before either commits; the second commit must find the first.
      const [ra, rb] = await Promise.all([importPaths(first, [a]), importPaths(second, [b])]);
      expect(ra.duplicates + rb.duplicates).toBe(1);
      expect(ra.imported + rb.imported).toBe(3);
      const duplicate = [...ra.outcomes, ...rb.outcomes].find((o) => o.status === 'duplicate');
      expect(duplicate?.reason).toMatch(/^already in the archive as \w{26} "The statement both researchers collected\."$/);
      expect(first.count()).toMatchObject({ items: 3, blobs: 3 });
      expect(fs.readdirSync(first.store.tmpDir)).toEqual([]);
      expect(first.check().ok).toBe(true);
    } finally {
      second.close();
    }
  });

  it('reports missing paths, folder loops and unreadable files, and imports the rest', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    writeFile(src, 'a/ok.txt', 'a note that is fine');
    fs.symlinkSync(src, path.join(src, 'a', 'loop'));
    fs.symlinkSync(path.join(src, 'nowhere'), path.join(src, 'a', 'dangling'));
    const secret = writeFile(src, 'a/secret.txt', 'cannot read me');
    fs.chmodSync(secret, 0o000);
    writeFile(src, 'closed/inside.txt', 'behind a folder that cannot be opened');
    fs.chmodSync(path.join(src, 'closed'), 0o000);
    const canRead = (() => {
      try {
        fs.readFileSync(secret);
        return true;
      } catch {
        return false;
      }
    })();

    // A name in Latin-1 (from an old system or a zip made elsewhere): Linux keeps its bytes.
    let oddName = false;
    try {
      fs.writeFileSync(Buffer.from(path.join(src, 'a', 'caf\xe9-notes.txt'), 'latin1'), 'minutes of the meeting');
      oddName = true;
    } catch {
      // A filesystem that refuses such names (macOS, Windows) never meets one.
    }

    const summary = await importPaths(archive, [path.join(src, 'missing.mp4'), src]).finally(() => fs.chmodSync(path.join(src, 'closed'), 0o755));
    const reasons = summary.outcomes.filter((o) => o.status === 'skipped').map((o) => `${path.basename(o.path)}: ${o.reason}`);
    expect(reasons).toContain('missing.mp4: it does not exist');
    if (oddName) expect(reasons).toContain('caf\ufffd-notes.txt: its name is not Unicode text (it was written on a system with another encoding); rename it, then import it');
    expect(reasons).toContain('dangling: it is a link to something that does not exist');
    expect(reasons.some((r) => r.startsWith('loop: this folder was already walked'))).toBe(true);
    if (!canRead) expect(reasons.some((r) => r.startsWith('secret.txt:') && /permission denied/.test(r))).toBe(true);
    if (!canRead) expect(reasons).toContain('closed: the folder cannot be read: permission denied');
    expect(summary.outcomes.find((o) => o.path.endsWith('ok.txt'))?.status).toBe('imported');
    expect(archive.check().ok).toBe(true);
  });

  it('never walks into an archive folder, its own or another, and says why', async () => {
    const documents = tmpDir();
    writeFile(documents, 'notes/field.txt', 'a note from the field');
    // The archive lives inside the folder the researcher imports; another archive sits beside it.
    const archive = Archive.open(path.join(documents, 'Sijil'));
    const other = Archive.open(path.join(documents, 'backup', 'old-archive'));
    try {
      writeFile(documents, 'Sijil/blobs-like.txt', 'would be imported if the walk went in');
      await importPaths(other, [writeFile(tmpDir(), 'other.txt', 'an item of the other archive')]);
      const before = archive.count().items;
      const summary = await importPaths(archive, [documents]);
      const skipped = new Map(summary.outcomes.filter((o) => o.status === 'skipped').map((o) => [path.relative(documents, o.path), o.reason]));
      expect(skipped.get('Sijil')).toMatch(/^it is the folder of this archive itself/);
      expect(skipped.get(path.join('backup', 'old-archive'))).toMatch(/^it is the folder of another Sijil archive: export a bundle/);
      expect(summary.outcomes.filter((o) => o.status === 'imported').map((o) => path.relative(documents, o.path))).toEqual([path.join('notes', 'field.txt')]);
      expect(archive.count().items).toBe(before + 1);
      // Named alone, the archive's folder is refused the same way, and so is anything inside it...
      const again = await importPaths(archive, [path.join(documents, 'Sijil'), path.join(documents, 'Sijil', 'blobs'), path.join(documents, 'Sijil', 'sijil.db')]);
      expect(again.outcomes.map((o) => [path.relative(documents, o.path), o.status, o.reason])).toEqual([
        ['Sijil', 'skipped', expect.stringMatching(/^it is the folder of this archive itself/)],
        [path.join('Sijil', 'blobs'), 'skipped', expect.stringMatching(/^it is inside this archive’s own folder/)],
        [path.join('Sijil', 'sijil.db'), 'skipped', expect.stringMatching(/^it is inside this archive’s own folder/)],
      ]);
      // ...but what browser mode stages there for import (its tmp/ folder).
      const staged = writeFile(path.join(documents, 'Sijil', 'tmp', 'drop.part'), 'Case/upload.txt', 'an uploaded note');
      const uploaded = await importPaths(archive, [path.dirname(staged)]);
      expect(uploaded.outcomes.map((o) => o.status)).toEqual(['imported']);
    } finally {
      archive.close();
      other.close();
    }
  });

  it('takes title, uploader, date and source from a yt-dlp sidecar and keeps the sidecar', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    fs.copyFileSync(path.join(media, 'clip.mp4'), path.join(src, 'Mother appeals for her son [abc123XYZ].mp4'));
    writeFile(
      src,
      'Mother appeals for her son [abc123XYZ].info.json',
      JSON.stringify({
        id: 'abc123XYZ',
        title: 'مناشدة أم سجاد',
        uploader: 'Nasiriyah Voices',
        upload_date: '20200709',
        webpage_url: 'https://video.example.org/watch?v=abc123XYZ',
        description: 'A mother asks for news of her son.',
        extractor: 'youtube',
        extractor_key: 'Youtube',
        duration: 14,
      }),
    );
    const summary = await importPaths(archive, [src]);
    expect(summary).toMatchObject({ imported: 1, skipped: 0 });
    const item = archive.get(summary.outcomes[0]?.itemId as string);
    expect(item).toMatchObject({
      kind: 'video',
      title: 'مناشدة أم سجاد',
      sourceAuthor: 'Nasiriyah Voices',
      publishedAt: '2020-07-09',
      sourceUrl: 'https://video.example.org/watch?v=abc123XYZ',
    });
    expect(item.files.map((f) => f.role)).toEqual(['original', 'attachment']);
  });

  it('keeps a video whose yt-dlp sidecar is damaged, and says why its metadata is missing', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    fs.copyFileSync(path.join(media, 'clip.mp4'), path.join(src, 'appeal [xyz987abc].mp4'));
    writeFile(src, 'appeal [xyz987abc].info.json', '{"id": "xyz987abc", "title": ');
    const summary = await importPaths(archive, [src]);
    expect(summary).toMatchObject({ imported: 1, skipped: 0 });
    const item = archive.get(summary.outcomes[0]?.itemId as string);
    expect(item.title).toBe('appeal [xyz987abc]');
    expect(item.files.map((f) => f.role)).toEqual(['original', 'attachment']);
    expect(String(item.extra.sidecarProblem)).toMatch(/yt-dlp/);
  });

  it('forces a kind and applies tags and collections to every imported file', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    writeFile(src, 'scan.bin', new Uint8Array([0, 1, 2, 3, 250, 251, 252, 0, 0, 7]));
    const summary = await importPaths(archive, [src], { kind: 'document', tags: ['kidnapping'], collections: ['Case: Sajjad'] });
    const item = archive.get(summary.outcomes[0]?.itemId as string);
    expect(item).toMatchObject({ kind: 'document', tags: ['kidnapping'], collections: ['Case: Sajjad'] });
  });
});
