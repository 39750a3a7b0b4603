// The shared rules for telling a full disk and a held lock apart from other failures: every part
// of the engine asks these, so a code missed here would be a raw system error in front of a person.
// And how a bundle operation says a failure it has no sentence of its own for.
import { describe, expect, it } from 'vitest';
import { bundleError } from '../../electron/archive/bundle/bundleErrors.ts';
import { ArchiveError, CodedError, isBusy, isDiskFull } from '../../shared/errors.ts';
import { phrase, say } from '../../shared/phrase.ts';

const withCode = (code: unknown) => Object.assign(new Error('x'), { code });

describe('isDiskFull', () => {
  it('knows the full disk as the OS, SQLite and the engine say it', () => {
    expect(isDiskFull(withCode('ENOSPC'))).toBe(true);
    expect(isDiskFull(withCode('SQLITE_FULL'))).toBe(true);
    expect(isDiskFull(new ArchiveError('disk-full', 'The disk is full.'))).toBe(true);
  });

  it('is not fooled by other failures or by values that are not errors', () => {
    for (const err of [withCode('EACCES'), withCode('SQLITE_BUSY'), withCode('SQLITE_FULLX'), new ArchiveError('file-unreadable', 'x'), null, undefined, 'ENOSPC', 42, {}])
      expect(isDiskFull(err)).toBe(false);
  });
});

describe('isBusy', () => {
  it('knows SQLite lock waits, extended codes included, and nothing else', () => {
    expect(isBusy(withCode('SQLITE_BUSY'))).toBe(true);
    expect(isBusy(withCode('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isBusy(withCode('SQLITE_LOCKED'))).toBe(true);
    for (const err of [withCode('SQLITE_FULL'), withCode('ENOSPC'), null, 'SQLITE_BUSY']) expect(isBusy(err)).toBe(false);
  });
});

describe('bundleError', () => {
  it('says a failure of the age layer itself in the interface language, and any other failure as it came', () => {
    const stopped = new CodedError('internal', phrase('bundle.age.workerStopped', { code: '1' }));
    // Wrapped, as the tar and bag layers pass it on.
    const failed = bundleError(new Error('write failed', { cause: stopped }), 'out.sijil', undefined, 'export');
    expect(failed.code).toBe('internal');
    expect(failed.message).toBe('The export failed: the encryption thread stopped unexpectedly (exit code 1).');
    expect(say(failed.phrase!, 'ar')).toBe('فشل التصدير: توقّف خيط التشفير على نحو غير متوقَّع (رمز الخروج 1).');
    const other = bundleError(new Error('something odd happened.'), 'in.sijil');
    expect(other.message).toBe('The import failed: something odd happened.');
    expect(say(other.phrase!, 'ar')).toBe('فشل الاستيراد: something odd happened.');
  });
});
