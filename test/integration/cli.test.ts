import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli.ts';
import { Archive } from '../../electron/archive/index.ts';
import { tmpArchiveDir, tmpDir, writeFile } from '../support/tmp.ts';

const CLI = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));

async function sijil(archive: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--archive', archive, ...args], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTTY: false });
  return { code, out, err };
}

async function json<T>(archive: string, ...args: string[]): Promise<T> {
  const result = await sijil(archive, ...args, '--json');
  expect(result.err.replace(/^\[\d+\/\d+\].*\n/gm, ''), result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as T;
}

describe('sijil CLI', () => {
  it('runs the whole researcher workflow: init, import, add, tag, link, edit, search, log, rm, restore', async () => {
    const archive = path.join(tmpDir(), 'archive');
    const src = tmpDir();
    const page = writeFile(
      src,
      'article.html',
      '<!doctype html><html lang="en"><head><title>Protest in Nasiriyah</title></head><body><article><h1>Protest in Nasiriyah</h1><p>Thousands gathered in Nasiriyah, the capital of Dhi Qar, demanding the release of a kidnapped activist. Witnesses said the security forces fired tear gas at the crowd near the Zaitoun bridge.</p></article></body></html>',
    );
    const transcript = writeFile(src, 'transcript.txt', 'أنا أمّ سجّاد، أطالب بالإفراج عن ابني.');
    const translation = writeFile(src, 'translation.txt', 'I am the mother of Sajjad; I demand the release of my son.');

    expect((await sijil(archive, 'init')).code).toBe(0);
    const imported = await json<{ imported: number; outcomes: { itemId: string }[] }>(archive, 'import', page, '--tag', 'protests');
    expect(imported.imported).toBe(1);
    const articleId = imported.outcomes[0]?.itemId as string;

    const testimony = await json<{ id: string; testimony: { speakerName: string } }>(
      archive, 'add', 'testimony', '--title', 'Appeal of Umm Sajjad', '--speaker', 'Umm Sajjad', '--speaker-name', 'Fatima X',
      '--transcript', transcript, '--transcript-lang', 'ar', '--translation', translation, '--translation-lang', 'en', '--collection', 'Case: Sajjad',
    );
    // Protected fields never leave a read command unless asked for.
    expect(testimony.testimony.speakerName).toMatch(/protected/);
    const shown = await sijil(archive, 'show', testimony.id.slice(0, 10));
    expect(shown.out).not.toContain('Fatima X');
    expect((await sijil(archive, 'show', testimony.id, '--reveal')).out).toContain('Fatima X');

    await json(archive, 'link', testimony.id, articleId, '--relation', 'reports-on');
    await json(archive, 'tag', articleId, 'Dhi Qar', 'kidnapping');
    const edited = await json<{ place: string; eventDate: string }>(archive, 'edit', articleId, '--set', 'place=Nasiriyah', '--set', 'event-date=2020-07-03');
    expect(edited).toMatchObject({ place: 'Nasiriyah', eventDate: '2020-07-03' });

    type Found = { hits: { id: string }[]; warnings: string[] };
    const found = await json<Found>(archive, 'search', 'ام سجاد');
    expect(found.hits.map((h) => h.id)).toEqual([testimony.id]);
    expect((await json<Found>(archive, 'search', 'nasiriyah', 'bridge')).hits.map((h) => h.id)).toEqual([articleId]);
    // The query language reaches the CLI: filters, exclusion and OR.
    expect((await json<Found>(archive, 'search', 'kind:testimony')).hits.map((h) => h.id)).toEqual([testimony.id]);
    expect((await json<Found>(archive, 'search', 'sajjad -kind:testimony')).hits).toEqual([]);
    // An excluded word as its own argument is part of the query, not an option; so are words after --.
    expect((await json<Found>(archive, 'search', 'kind:testimony', '-sajjad', '--limit', '5')).hits).toEqual([]);
    expect((await json<Found>(archive, 'search', '-kind:testimony', 'bridge')).hits.map((h) => h.id)).toEqual([articleId]);
    expect((JSON.parse((await sijil(archive, 'search', '--json', '--', '-sajjad', 'bridge')).out) as Found).hits.map((h) => h.id)).toEqual([articleId]);
    expect((await json<Found>(archive, 'search', 'bridge OR سجاد')).hits.length).toBe(2);
    const human = await sijil(archive, 'search', 'ام سجاد');
    expect(human.out).toContain('transcript: أنا [أمّ] [سجّاد]');

    const list = await json<{ id: string; tags: string[] }[]>(archive, 'list', '--tag', 'dhi qar');
    expect(list.map((i) => i.id)).toEqual([articleId]);

    const log = await json<{ action: string }[]>(archive, 'log', articleId);
    expect(log.map((e) => e.action)).toEqual(['import', 'link', 'tag', 'edit']);

    expect((await sijil(archive, 'rm', articleId)).code).toBe(0);
    expect((await json<{ hits: unknown[] }>(archive, 'search', 'bridge')).hits).toEqual([]);
    expect((await sijil(archive, 'restore', articleId)).code).toBe(0);
    expect((await json<{ hits: unknown[] }>(archive, 'search', 'bridge')).hits.length).toBe(1);

    // A label goes only once no item uses it.
    expect(await sijil(archive, 'tags', 'remove', 'kidnapping')).toEqual({ code: 1, out: '', err: 'sijil: The tag "kidnapping" is on 1 item; take it off that item first.\n' });
    await json(archive, 'tag', articleId, 'kidnapping', '--remove');
    expect(await sijil(archive, 'tags', 'remove', 'Kidnapping')).toEqual({ code: 0, out: 'Removed the tag "kidnapping", which no item used.\n', err: '' });
    expect((await json<{ name: string }[]>(archive, 'tags')).map((t) => t.name)).toEqual(['Dhi Qar', 'protests']);
    expect((await sijil(archive, 'collections', 'remove', 'Case: Sajjad')).err).toBe('sijil: The collection "Case: Sajjad" holds 1 item; take it out first.\n');
    expect(await sijil(archive, 'collections', 'drop', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: collections takes "remove NAME", "rename NAME NEW-NAME", "describe NAME TEXT", or nothing to list them\n/) });

    // Renamed on every item that has it; a name already in use merges the two.
    expect(await sijil(archive, 'collections', 'rename', 'case: sajjad', 'Case: Sajjad Ali')).toEqual({ code: 0, out: 'Renamed the collection "Case: Sajjad" to "Case: Sajjad Ali" on 1 item.\n', err: '' });
    expect((await json<{ name: string; count: number }[]>(archive, 'collections')).map((c) => [c.name, c.count])).toEqual([['Case: Sajjad Ali', 1]]);
    expect((await json<{ action: string }[]>(archive, 'log', testimony.id)).map((e) => e.action).slice(-2)).toEqual(['uncollect', 'collect']);
    await json(archive, 'tag', testimony.id, 'Nasiriyah');
    expect(await sijil(archive, 'tags', 'rename', 'Dhi Qar', 'nasiriyah')).toEqual({ code: 0, out: 'Merged the tag "Dhi Qar" into "Nasiriyah" (1 item had it).\n', err: '' });
    expect((await json<{ name: string; count: number }[]>(archive, 'tags')).map((t) => [t.name, t.count])).toEqual([['Nasiriyah', 2], ['protests', 1]]);
    expect(await sijil(archive, 'tags', 'rename', 'Nasiriyah')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: tags rename needs the tag's name and its new name/) });
    expect(await sijil(archive, 'tags', 'rename', 'riots', 'x')).toEqual({ code: 1, out: '', err: 'sijil: There is no tag named "riots".\n' });
    // What a case is about, under its name in the list.
    expect(await sijil(archive, 'collections', 'describe', 'case: sajjad ali', 'Kidnapped in Nasiriyah,\n  September 2020')).toEqual({ code: 0, out: 'Described the collection "Case: Sajjad Ali".\n', err: '' });
    expect((await sijil(archive, 'collections')).out).toBe('     1  Case: Sajjad Ali\n        Kidnapped in Nasiriyah, September 2020\n');
    expect((await sijil(archive, 'collections', 'describe', 'Case: Sajjad Ali', '')).out).toBe('Cleared the description of the collection "Case: Sajjad Ali".\n');
    expect(await sijil(archive, 'tags', 'describe', 'Nasiriyah', 'x')).toMatchObject({ code: 2 });

    const check = await sijil(archive, 'check');
    expect(check.code).toBe(0);
    expect(check.out).toContain('The archive is sound.');
  });

  it('answers mistakes with one clear sentence and an exit code that says what went wrong', async () => {
    const archive = tmpArchiveDir();
    const unknown = await sijil(archive, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/"frobnicate" is not a command/);

    const badOption = await sijil(archive, 'list', '--colour');
    expect(badOption.code).toBe(2);
    // A value with spaces left unquoted would lose its tail: refused, not cut short.
    expect(await sijil(archive, 'add', 'note', '--title', 'Sit-in', 'at', 'Habboubi', '--text', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: unexpected words "at" "Habboubi": put quotes around a value with spaces\n/) });
    expect(await sijil(archive, 'list', 'everything')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: unexpected word "everything"/) });
    // A wrong value of an option is a usage mistake too (2), named with what it takes.
    expect(await sijil(archive, 'list', '--kind', 'movie')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: --kind takes one of article, video, audio, image, document, testimony, note, not "movie"\n/) });
    expect(await sijil(archive, 'import', 'x.txt', '--kind', 'film')).toMatchObject({ code: 2, err: expect.stringMatching(/--kind takes one of .*, not "film"/) });
    expect(await sijil(archive, 'list', '--limit', '0')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: --limit takes a whole number from 1 to 10000, not "0"\n/) });
    expect(await sijil(archive, 'search', 'kadhimi', '--limit', '20000')).toMatchObject({ code: 2, err: expect.stringMatching(/--limit takes a whole number from 1 to 10000/) });
    // A negative number after the option is its value, refused in words, not a forgotten value.
    expect(await sijil(archive, 'list', '--limit', '-1')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: --limit takes a whole number from 1 to 10000, not "-1"\n/) });
    expect(await sijil(archive, 'search', 'kadhimi', '--limit', '-3')).toMatchObject({ code: 2, err: expect.stringMatching(/--limit takes a whole number from 1 to 10000, not "-3"/) });
    expect(await sijil(archive, 'list', '--offset', 'ten')).toMatchObject({ code: 2, err: expect.stringMatching(/--offset takes a whole number from 0, not "ten"/) });

    // A mistyped --archive is not an empty archive: nothing is made there, by reading or by writing.
    const typo = path.join(path.dirname(archive), 'archvie');
    for (const args of [['list'], ['search', 'kadhimi'], ['add', 'note', '--title', 'x', '--text', 'y'], ['key', 'show']]) {
      const result = await sijil(typo, ...args);
      expect(result, args.join(' ')).toMatchObject({ code: 1, out: '' });
      expect(result.err).toBe(`sijil: There is no Sijil archive in ${typo} (the folder given by --archive). Check the path; to start a new archive there, run: sijil init --archive "${typo}"\n`);
    }
    expect(fs.existsSync(typo)).toBe(false);
    const made = await sijil(typo, 'init');
    expect(made.code).toBe(0);
    expect((await sijil(typo, 'list')).out).toBe('No items.\n');

    // An empty --archive is a mistake, not the current folder (run where a mistake would show).
    const here = tmpDir();
    for (const command of ['info', 'init']) {
      const run = spawnSync(process.execPath, [CLI, '--archive', '', command], { cwd: here, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^sijil: --archive needs a folder/);
    }
    expect(fs.readdirSync(here)).toEqual([]);

    const missing = await sijil(archive, 'show', 'abcdef123456');
    expect(missing).toMatchObject({ code: 1, err: 'sijil: No item has the id abcdef123456.\n' });

    const badDate = await sijil(archive, 'add', 'note', '--title', 'x', '--text', 'y');
    const id = (/Added note (\w+)/.exec(badDate.out) ?? [])[1] as string;
    const edit = await sijil(archive, 'edit', id, '--set', 'eventDate=yesterday');
    // A value the engine refuses is the command typed wrong (2), like an option it does not take.
    expect(edit.code).toBe(2);
    expect(edit.err).toMatch(/^sijil: eventDate: a date must look like 2019/);
    expect(await sijil(archive, 'edit', id, '--set', 'title=')).toMatchObject({ code: 2, err: 'sijil: title: a title cannot be empty.\n' });
    expect(await sijil(archive, 'tag', id, 'checkpoint', ' ')).toMatchObject({ code: 2, err: expect.stringMatching(/^sijil: a tag cannot be an empty name\n/) });
    const impossible = await sijil(archive, 'edit', id, '--set', 'event-date=2019-02-30');
    expect(impossible).toMatchObject({ code: 2, out: '' });
    expect(impossible.err).toMatch(/^sijil: eventDate: there is no such date/);
    expect(JSON.parse((await sijil(archive, 'show', id, '--json')).out)).toMatchObject({ eventDate: null });

    const hugeTitle = await sijil(archive, 'add', 'note', '--title', 'x'.repeat(1_000_000), '--text', 'y');
    expect(hugeTitle.code).toBe(2);
    expect(hugeTitle.err).toMatch(/title: at most 2,000 characters/);
    expect((await json<unknown[]>(archive, 'list')).length).toBe(1);

    const nowhere = tmpDir();
    const noRecording = await sijil(archive, 'add', 'testimony', '--title', 'Umm Sajjad', '--recording', path.join(nowhere, 'interview.mp4'));
    expect(noRecording).toMatchObject({ code: 1, err: `sijil: ${path.join(nowhere, 'interview.mp4')} does not exist.\n` });
    const folderRecording = await sijil(archive, 'add', 'testimony', '--title', 'Umm Sajjad', '--recording', nowhere);
    expect(folderRecording).toMatchObject({ code: 1, err: `sijil: ${nowhere} is a folder, not a file.\n` });
    expect((await json<unknown[]>(archive, 'list')).length).toBe(1);

    const partial = await sijil(archive, 'import', path.join(tmpDir(), 'nothing-here.pdf'));
    expect(partial.code).toBe(3);
    expect(partial.out).toMatch(/skipped .*nothing-here\.pdf: it does not exist/);

    const punctuation = await json<{ hits: unknown[] }>(archive, 'search', '"(*^-:OR');
    expect(punctuation.hits).toEqual([]);
    const badKind = await sijil(archive, 'search', 'kind:movie');
    expect(badKind.code).toBe(0);
    expect(badKind.out).toMatch(/^Note: .*movie/m);
  });

  it('prints no bidi override left open: names marked, titles contained (a terminal would reverse the rest of the line)', async () => {
    const archive = tmpArchiveDir();
    const src = tmpDir();
    const name = 'invoice\u202Egnp.exe.txt';
    const file = writeFile(src, name, 'Statement \u202Efdp.exe of the family\nThe rest.\n');
    const imported = await sijil(archive, 'import', file);
    expect(imported.code).toBe(0);
    const id = /imported\s+(\w+)/.exec(imported.out)?.[1] as string;
    // A title typed with an override is kept as typed, and printed contained.
    const typed = await sijil(archive, 'add', 'note', '--title', 'raid \u202E31-30-5202', '--text', 'y');
    const noteId = (/Added note (\w+)/.exec(typed.out) ?? [])[1] as string;
    const shown = (await sijil(archive, 'show', noteId)).out;
    expect(shown).toContain('raid \u202B31-30-5202\u202C');
    const printed = imported.out + imported.err + typed.out + shown + (await sijil(archive, 'list')).out + (await sijil(archive, 'show', id)).out;
    expect(printed).not.toMatch(/[\u202D\u202E]/);
    expect(imported.out).toContain('invoice[U+202E]gnp.exe.txt');
    expect(imported.err).toContain('invoice[U+202E]gnp.exe.txt');
    expect(printed).toContain('\u202Bfdp.exe of the family\u202C');
  });

  it.skipIf(process.platform === 'win32')('prints no terminal control from the data: an ESC in a title or a file name is shown, not obeyed', async () => {
    const archive = tmpArchiveDir();
    const src = tmpDir();
    const file = writeFile(src, 'scan\u001b]0;owned\u0007.txt', 'A page of the ledger.\n');
    const imported = await sijil(archive, 'import', file);
    expect(imported.code).toBe(0);
    const typed = await sijil(archive, 'add', 'note', '--title', 'note \u001b[41mred\u009b2J', '--text', 'line one\r\nline two\r\n');
    const noteId = (/Added note (\w+)/.exec(typed.out) ?? [])[1] as string;
    const shown = await sijil(archive, 'show', noteId);
    const printed = imported.out + imported.err + typed.out + shown.out + (await sijil(archive, 'list')).out;
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(imported.out).toContain('scan[U+001B]]0;owned[U+0007].txt');
    expect(shown.out).toContain('note [U+001B][41mred[U+009B]2J');
    // Lines written CRLF are shown as lines, and what is stored is left as it was typed.
    expect(shown.out).toContain('line one\nline two');
    expect(JSON.parse((await sijil(archive, 'show', noteId, '--json')).out)).toMatchObject({ title: 'note \u001b[41mred\u009b2J' });
  });

  it('refuses a note file that is not text, and a pipe in place of a file, at once and changing nothing', async () => {
    const archive = tmpArchiveDir();
    expect((await sijil(archive, 'init')).code).toBe(0);
    const src = tmpDir();
    // Latin-1 bytes: read as UTF-8 they would be stored with replacement characters, the original lost.
    const latin1 = path.join(src, 'letter.txt');
    fs.writeFileSync(latin1, Buffer.from('caf\xe9 na\xefve\n', 'latin1'));
    expect(await sijil(archive, 'add', 'note', '--title', 'letter', '--file', latin1)).toMatchObject({
      code: 1,
      err: `sijil: ${latin1} is not a text file; a note must be plain text (UTF-8, or UTF-16 with a byte order mark). Import it instead to keep it as a file.\n`,
    });
    const utf16 = path.join(src, 'utf16.txt');
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('رسالة', 'utf16le')]));
    expect((await sijil(archive, 'add', 'note', '--title', 'utf16', '--file', utf16)).code).toBe(0);
    if (process.platform !== 'win32') {
      const pipe = path.join(src, 'pipe');
      expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
      const notFile = `sijil: ${pipe} is not a regular file (a device, socket or pipe); only files can be added.\n`;
      expect(await sijil(archive, 'add', 'note', '--title', 'p', '--file', pipe)).toMatchObject({ code: 1, err: notFile });
      expect(await sijil(archive, 'add', 'testimony', '--title', 'p', '--recording', pipe)).toMatchObject({ code: 1, err: notFile });
      expect(await sijil(archive, 'add', 'testimony', '--title', 'p', '--transcript', pipe)).toMatchObject({ code: 1, err: notFile });
      // A socket cannot even be opened: it is looked at first, and said to be what it is.
      const socket = path.join(src, 'socket');
      const server = net.createServer().listen(socket);
      await once(server, 'listening');
      try {
        expect(await sijil(archive, 'add', 'note', '--title', 's', '--file', socket)).toMatchObject({ code: 1, err: notFile.replace(pipe, socket) });
        expect(await sijil(archive, 'add', 'testimony', '--title', 's', '--transcript', socket)).toMatchObject({ code: 1, err: notFile.replace(pipe, socket) });
      } finally {
        server.close();
      }
    }
    const empty = path.join(src, 'empty.txt');
    fs.writeFileSync(empty, '');
    expect(await sijil(archive, 'add', 'testimony', '--title', 'e', '--transcript', empty)).toMatchObject({
      code: 1,
      err: `sijil: ${empty} is empty (0 bytes); a transcript or translation must hold the text.\n`,
    });
    const items = await json<{ id: string; title: string }[]>(archive, 'list');
    expect(items.map((i) => i.title)).toEqual(['utf16']);
    expect(await json(archive, 'show', items[0]!.id)).toMatchObject({ body: 'رسالة' });
    expect(fs.readdirSync(path.join(archive, 'tmp'))).toEqual([]);
  });
  it('stops an import on Ctrl+C with exit code 130, keeping what was already imported whole', async () => {
    const archive = tmpArchiveDir();
    const src = tmpDir();
    for (let i = 0; i < 400; i++) writeFile(src, `n${i}.txt`, `Field note ${i}: ${'the checkpoint was closed again. '.repeat(200)}`);
    const child = spawn(process.execPath, [CLI, '--archive', archive, 'import', src], {
      env: { ...process.env, SIJIL_IMPORT_BATCH: '10' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Interrupt once the import is under way (the 30th file), as a person pressing Ctrl+C would.
      if (!interrupted && /\[30\/400\]/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/sijil: The import was cancelled; the [\d,]+ files? imported before that (?:are|is) in the archive\./);
    const imported = Number(/the ([\d,]+) files? imported/.exec(stderr)?.[1]?.replaceAll(',', ''));
    const reopened = Archive.open(archive);
    try {
      expect(reopened.check().ok).toBe(true);
      expect(reopened.count().items).toBe(imported);
      expect(imported).toBeGreaterThanOrEqual(20);
      expect(imported).toBeLessThan(400);
    } finally {
      reopened.close();
    }
  });

  it('works as a real process: the bin runs under Node, with its exit codes', () => {
    const archive = path.join(tmpDir(), 'archive');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '--archive', archive, ...args], { encoding: 'utf8' });
    const init = run('init', '--sample');
    expect(init.stderr).toMatch(/Loaded \d+ demo items/);
    expect(init.status).toBe(0);
    const search = run('search', 'Kadhimi', '--json');
    expect(search.status).toBe(0);
    expect((JSON.parse(search.stdout) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
    expect(run('check').status).toBe(0);
    // An index that lost a row is found out, and rebuilt.
    expect(run('index', 'check').status).toBe(0);
    const damaged = Archive.open(archive);
    damaged.db.prepare('DELETE FROM search_fts WHERE rowid = (SELECT min(rowid) FROM search_fts)').run();
    damaged.close();
    const check = run('index', 'check');
    expect(check.status).toBe(4);
    expect(check.stdout).toMatch(/^The search index has a problem: its table search_fts holds \d+ items? but the archive has \d+\. Run "sijil index rebuild"\./);
    expect(run('index', 'rebuild').status).toBe(0);
    expect(run('index', 'check').status).toBe(0);
    // Running the README's first command again is harmless.
    const again = run('init', '--sample');
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/already in this archive/);
    expect(run('nonsense').status).toBe(2);
  });
});
