// The names a download is offered under (electron/downloads.ts): whatever an archived file was
// called, the save dialog starts in the chosen folder with a name that stays there and shows what
// the file is. main.ts's wiring is tested in electron-main.test.ts.
import { describe, expect, it } from 'vitest';
import { downloadDecision, isAppDownload, safeFileName } from '../../electron/downloads.ts';

describe('safeFileName', () => {
  it.each([
    ['custody-01abc.txt', 'custody-01abc.txt'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system.ini', 'system.ini'],
    ['.bashrc', 'bashrc'],
    ['invoice\u202Etxt.exe', 'invoicetxt.exe'],
    ['a\u0000b\nc\u2066d.txt', 'abcd.txt'],
    ['what: a <report>?.txt', 'what_ a _report__.txt'],
    ['شهادة أم سجّاد.mp4', 'شهادة أم سجّاد.mp4'],
    ['', 'Sijil download'],
    ['...', 'Sijil download'],
    ['/', 'Sijil download'],
    [' report.pdf. ', 'report.pdf'],
  ])('%j → %j', (given, offered) => {
    expect(safeFileName(given)).toBe(offered);
  });

  it('shortens a very long name and keeps its extension', () => {
    const name = safeFileName(`${'ش'.repeat(500)}.txt`);
    expect([...name].length).toBe(180);
    expect(name.endsWith('ش.txt')).toBe(true);
  });
});

describe('downloadDecision', () => {
  it('asks in the downloads folder for the app’s own downloads only', () => {
    expect(downloadDecision(['blob:sijil-app://app/x'], 'r.txt', '/home/r/Downloads')).toEqual({ action: 'ask', defaultPath: '/home/r/Downloads/r.txt' });
    expect(downloadDecision(['sijil-app://app/x', 'https://evil.example/'], 'r.txt', '/d')).toEqual({ action: 'cancel' });
    expect(downloadDecision([], 'r.txt', '/d')).toEqual({ action: 'cancel' });
  });

  it.each([
    ['blob:sijil-app://app/0b3c', true],
    ['sijil-media://file/a/1', true],
    ['sijil-app://app/assets/x.txt', true],
    ['blob:sijil-media://evil/0b3c', false],
    ['blob:null/0b3c', false],
    ['sijil-media://evil/a/1', false],
    ['https://sijil-app/x', false],
    ['data:text/plain,x', false],
  ])('%s is the app’s: %s', (url, own) => {
    expect(isAppDownload(url)).toBe(own);
  });
});
