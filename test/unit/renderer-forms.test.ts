// The import, bundle and key screens' pure parts: labels typed in one field, engine validation
// errors placed by field, a first look at typed recipients (checked against keys the real age
// tools make), the default bundle path, and the field-by-field difference of two item versions.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/archive/bundle/age/index.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import i18next from 'i18next';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { splitLabels } from '../../renderer/import/labels.ts';
import { engineFieldError } from '../../renderer/import/fieldErrors.ts';
import { loadPhrases } from '../../renderer/errors.ts';
import { recipientProblem } from '../../renderer/keys/recipients.ts';
import { defaultBundlePath, parentFolder, safeFileStem } from '../../renderer/bundle/paths.ts';
import { diffItems } from '../../renderer/bundle/diff.ts';
import { tmpArchive } from '../support/tmp.ts';

describe('labels typed in one field', () => {
  it('splits on Latin and Arabic commas and semicolons, keeps spaces inside names, drops repeats', () => {
    expect(splitLabels('kidnapping, Dhi Qar ،  ذي قار؛ kidnapping;; ')).toEqual(['kidnapping', 'Dhi Qar', 'ذي قار']);
    expect(splitLabels('   ')).toEqual([]);
  });
});

describe('engine validation errors placed by field', () => {
  beforeAll(loadPhrases);

  it('names the field the engine names, for real errors from the contract', async () => {
    const archive = tmpArchive();
    {
      const fields = ['title', 'eventDate', 'transcripts', 'language'];
      const errorOf = async (args: unknown) => {
        try {
          await invoke(archive, 'items.addTestimony', args);
        } catch (err) {
          if (err instanceof ArchiveError) return engineFieldError(err, fields);
          throw err;
        }
        throw new Error('expected the engine to refuse');
      };
      expect(await errorOf({ title: '   ' })).toEqual({ field: 'title', message: 'A testimony needs a title.' });
      const date = await errorOf({ title: 'x', eventDate: 'last week' });
      expect(date.field).toBe('eventDate');
      expect(date.message).toMatch(/^A date must look like 2019/);
      expect((await errorOf({ title: 'x', transcripts: [{ path: '', role: 'transcript' }] })).field).toBe('transcripts');
    }
  });

  it('says the rule in the interface language, with no English field name left in it', async () => {
    await i18next.init({ lng: 'ar', resources: {} });
    try {
      const err = new ArchiveError('invalid-argument', phrase('validation.field', { field: 'title', rule: phrase('validation.empty') }));
      expect(engineFieldError(err, ['title'])).toEqual({ field: 'title', message: 'لا يمكن أن يكون فارغًا.' });
      expect(engineFieldError(err, ['body']).message).toBe('\u2068title\u2069: لا يمكن أن يكون فارغًا.');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('leaves other errors for the whole form', () => {
    expect(engineFieldError(new ArchiveError('not-found', 'title: gone'), ['title'])).toEqual({ field: null, message: 'title: gone' });
    const elsewhere = new ArchiveError('invalid-argument', phrase('validation.field', { field: 'secret', rule: phrase('validation.required') }));
    expect(engineFieldError(elsewhere, ['title'])).toEqual({ field: null, message: '\u2068secret\u2069: is required.' });
  });
});

describe('a first look at typed recipients', () => {
  it('accepts keys made by age-keygen and by our own age, in any case', () => {
    const fromAge = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const recipient = /public key: (age1\S+)/.exec(fromAge)?.[1] ?? /^# public key: (\S+)/m.exec(fromAge)?.[1];
    expect(recipient).toMatch(/^age1/);
    expect(recipientProblem(recipient!)).toBeNull();
    expect(recipientProblem(`  ${generateIdentity().recipient}  `)).toBeNull();
    expect(recipientProblem(generateIdentity().recipient.toUpperCase())).toBeNull();
  });

  it('catches the usual slips', () => {
    const { identity, recipient } = generateIdentity();
    expect(recipientProblem('')).toBe('book.recipientRequired');
    expect(recipientProblem(identity)).toBe('book.secretKey');
    expect(recipientProblem('ssh-ed25519 AAAA')).toBe('book.notAge');
    expect(recipientProblem(`${recipient.slice(0, 30)}\n${recipient.slice(30)}`)).toBe('book.spaces');
    expect(recipientProblem(recipient.slice(0, -3))).toBe('book.incomplete');
  });
});

describe('the default bundle path', () => {
  const day = new Date(2026, 10, 25);
  it('goes beside the archive folder, named after the collection and the day', () => {
    expect(defaultBundlePath('/home/r/Sijil', {}, day)).toBe('/home/r/sijil-2026-11-25.sijil');
    expect(defaultBundlePath('/home/r/Sijil/', { collection: 'Tishreen 2019' }, day)).toBe('/home/r/Tishreen-2019-2026-11-25.sijil');
    expect(defaultBundlePath('/archive', { collection: 'ذي قار: خطف' }, day)).toBe('/ذي-قار-خطف-2026-11-25.sijil');
    expect(defaultBundlePath('C:\\Users\\r\\Sijil', {}, day)).toBe('C:\\Users\\r\\sijil-2026-11-25.sijil');
    expect(defaultBundlePath('C:\\Sijil', {}, day)).toBe('C:\\sijil-2026-11-25.sijil');
  });
  it('makes names safe on every system', () => {
    expect(safeFileStem('a/b\\c:d*e?f"g<h>i|j\u202ek')).toBe('a-b-c-d-e-f-g-h-i-j-k');
    expect(safeFileStem('...hidden')).toBe('hidden');
    expect(parentFolder('/')).toBe('/');
  });
});

describe('two versions of an item, field by field', () => {
  it('lists what differs, and hides protected values while saying they differ', async () => {
    const archive = tmpArchive();
    {
      const a = await invoke(archive, 'items.addTestimony', { title: 'Umm Sajjad', speakerAlias: 'A', speakerName: 'Real Name', place: 'Nasiriyah', tags: ['x'] });
      const b = await invoke(archive, 'items.addTestimony', { title: 'Umm Sajjad', speakerAlias: 'A', speakerName: 'Other Name', place: 'الناصرية', tags: ['x', 'y'] });
      const diff = diffItems(a, b);
      expect(diff.map((d) => d.field)).toEqual(['place', 'speakerName', 'tags']);
      expect(diff.find((d) => d.field === 'place')).toEqual({ field: 'place', local: 'Nasiriyah', incoming: 'الناصرية', hidden: false });
      const hidden = diff.find((d) => d.field === 'speakerName');
      expect(hidden).toEqual({ field: 'speakerName', local: '', incoming: '', hidden: true });
      expect(JSON.stringify(diff)).not.toContain('Real Name');
      expect(diffItems(a, a)).toEqual([]);
    }
  });
});
