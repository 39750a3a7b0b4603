// The shared rules for telling a full disk and a held lock apart from other failures: every part
// of the engine asks these, so a code missed here would be a raw system error in front of a person.
import { describe, expect, it } from 'vitest';
import { ArchiveError, isBusy, isDiskFull } from '../../shared/errors.ts';

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
