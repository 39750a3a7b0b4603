// What the bundle tests share: an archive with one of each kind of item (files, texts, testimony
// details, tags, a described collection, links, custody), keys made by the real age-keygen, and a
// dump of an archive (database and store) to prove a failed import changed nothing.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Archive, StagedFile } from '../../electron/archive/index.ts';
import { DB_FILE } from '../../electron/archive/index.ts';
import type { FileRole } from '../../shared/domain.ts';

/** Values that must never appear in a redacted bundle. */
export const SECRETS = {
  speakerName: 'SECRET-NAME-فاطمة-الزهراء',
  speakerContact: 'SECRET-CONTACT-+964-780-000-1111',
  protectedNotes: 'SECRET-NOTES-lives-near-the-Zaitoun-bridge',
  protectedTitle: 'PROTECTED-ITEM-TITLE-informant',
  protectedBody: 'PROTECTED-ITEM-BODY-meeting-place',
} as const;

export interface SourceArchive {
  readonly archive: Archive;
  readonly article: string;
  readonly video: string;
  readonly testimony: string;
  readonly image: string;
  readonly note: string;
  /** Marked protected: never in a redacted bundle. */
  readonly secret: string;
  /** The video's original: large enough to span many age chunks. */
  readonly videoBytes: Buffer;
}

async function staged(archive: Archive, role: FileRole, name: string, mime: string, bytes: Uint8Array, language: string | null = null): Promise<StagedFile> {
  return { staged: await archive.store.stageBytes(bytes), role, name, mime, language };
}

export async function fillSourceArchive(archive: Archive): Promise<SourceArchive> {
  archive.createCollection('Case: Sajjad', 'The kidnapping of Sajjad, Nasiriyah, 2020.');
  const html = '<!doctype html><html><body><h1>Activist kidnapped in Nasiriyah</h1><p>Sajjad was taken on Thursday night.</p></body></html>';
  const article = archive.create({
    kind: 'article',
    fields: {
      title: 'Activist kidnapped in Nasiriyah',
      body: 'Sajjad was taken on Thursday night near his home in Nasiriyah, Dhi Qar.',
      language: 'en',
      sourceUrl: 'https://example.org/news/sajjad',
      sourceOutlet: 'Euphrates Ledger',
      publishedAt: '2020-09-19',
    },
    html: '<h1>Activist kidnapped in Nasiriyah</h1><p>Sajjad was taken on Thursday night.</p>',
    extra: { capturedWith: 'test' },
    files: [await staged(archive, 'original', 'sajjad.html', 'text/html', Buffer.from(html))],
    tags: ['kidnapping', 'Dhi Qar'],
    collections: ['Case: Sajjad'],
  });
  const videoBytes = randomBytes(300_000);
  const video = archive.create({
    kind: 'video',
    fields: { title: 'نداء أم سجاد', language: 'ar', eventDate: '2020-09-21', sensitivity: 'graphic' },
    files: [
      await staged(archive, 'original', 'أم سجاد: نداء?.mp4', 'video/mp4', videoBytes, 'ar'),
      await staged(archive, 'thumbnail', 'thumb.jpg', 'image/jpeg', randomBytes(2_000)),
    ],
    tags: ['kidnapping'],
    collections: ['Case: Sajjad'],
  });
  const transcript = 'أنا أمّ سجّاد، أطالب بالإفراج عن ابني.';
  const translation = 'I am the mother of Sajjad; I demand the release of my son.';
  const testimony = archive.create({
    kind: 'testimony',
    fields: { title: 'Testimony of Umm Sajjad', language: 'ar', place: 'Nasiriyah', sensitivity: 'sensitive' },
    testimony: {
      speakerAlias: 'Umm Sajjad',
      speakerName: SECRETS.speakerName,
      speakerContact: SECRETS.speakerContact,
      relationToCase: 'mother',
      interviewer: 'R. K.',
      consent: 'Recorded consent, may be shared with UN investigators.',
      protectedNotes: SECRETS.protectedNotes,
    },
    files: [
      await staged(archive, 'original', 'recording.ogg', 'audio/ogg', randomBytes(50_000), 'ar'),
      await staged(archive, 'transcript', 'transcript.txt', 'text/plain; charset=utf-8', Buffer.from(transcript), 'ar'),
      await staged(archive, 'translation', 'translation.txt', 'text/plain; charset=utf-8', Buffer.from(translation), 'en'),
    ],
    texts: [
      { role: 'transcript', language: 'ar', text: transcript, fileIndex: 1 },
      { role: 'translation', language: 'en', text: translation, fileIndex: 2 },
    ],
    tags: ['kidnapping'],
    collections: ['Case: Sajjad'],
  });
  const image = archive.create({
    kind: 'image',
    fields: { title: 'Protest banner', capturedAt: '2020-09-22' },
    files: [await staged(archive, 'original', 'banner.jpg', 'image/jpeg', randomBytes(20_000))],
    tags: ['protest'],
  });
  const note = archive.create({ kind: 'note', fields: { title: 'Follow-up calls', body: 'Call the lawyer on Sunday.' } });
  const secret = archive.create({
    kind: 'note',
    fields: { title: SECRETS.protectedTitle, body: SECRETS.protectedBody, sensitivity: 'protected' },
    collections: ['Case: Sajjad'],
  });
  archive.link(testimony.id, article.id, 'reports-on');
  archive.link(video.id, testimony.id, 'same-event');
  archive.link(secret.id, article.id, 'source-of');
  archive.edit(testimony.id, { speakerContact: `${SECRETS.speakerContact}-new`, interviewer: 'R. Kadhim' });
  return { archive, article: article.id, video: video.id, testimony: testimony.id, image: image.id, note: note.id, secret: secret.id, videoBytes };
}

/** A key pair made by the real age-keygen: the identity file's path, its text and the recipient. */
export function ageKeygen(dir: string, name = 'key.txt'): { file: string; identity: string; recipient: string } {
  const file = path.join(dir, name);
  execFileSync('/usr/bin/age-keygen', ['-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const identity = fs.readFileSync(file, 'utf8');
  const recipient = /# public key: (age1[0-9a-z]+)/.exec(identity)?.[1];
  if (!recipient) throw new Error('age-keygen wrote no public key');
  return { file, identity, recipient };
}

/**
 * Everything an import could change: the database as `sqlite3 .dump` prints it, every file under
 * the archive folder except the database's own (with content hashes), so "byte-identical" is
 * checked, not assumed.
 */
export function archiveState(archive: Archive): { dump: string; files: string[] } {
  const dump = execFileSync('/usr/bin/sqlite3', ['-readonly', path.join(archive.dir, DB_FILE), '.dump'], { maxBuffer: 1 << 30 }).toString('utf8');
  const files: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const shown = rel ? `${rel}/${name}` : name;
      if (!rel && name.startsWith(DB_FILE)) continue;
      const stat = fs.statSync(full);
      if (stat.isDirectory()) {
        files.push(`${shown}/`);
        walk(full, shown);
      } else files.push(`${shown} ${stat.size} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
    }
  };
  walk(archive.dir, '');
  return { dump, files };
}
