// The engine's half of "nothing a hostile page contains can run or phone home": every hostile
// fixture is imported into a real archive, its original kept byte for byte as evidence, and the
// reading copy made from it holds no element or attribute that can run script and no reference
// that could load anything. The sanitiser is also checked on its own over each whole page (the
// path taken when Readability finds no article), and for stability: sanitising its own output
// changes nothing, so a browser re-parsing the stored HTML sees the tree that was checked.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../electron/archive/index.ts';
import { extractHtml, resanitizeHtml } from '../../electron/archive/ingest/html.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { createSanitizer } from '../../electron/archive/ingest/sanitize.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { safeBagName } from '../../electron/archive/bundle/bagWriter.ts';
import { safeFileName } from '../../electron/downloads.ts';
import { contentDisposition } from '../../electron/media.ts';
import { containBidi } from '../../shared/bidi.ts';
import { checker, parseBody, remoteReferences, scriptOrLoadProblems } from '../fixtures/hostile/inert.ts';
import { HOSTILE_DIR, HOSTILE_FIXTURES, SENTINEL } from '../fixtures/hostile/manifest.ts';
import { ageKeygen } from '../support/bundles.ts';
import { packTar, readTar } from '../support/tar.ts';
import { tmpArchive, tmpDir } from '../support/tmp.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('importing hostile saved pages', () => {
  let archive: Archive;
  const imported = new Map<string, string>();

  beforeAll(async () => {
    archive = tmpArchive();
    const summary = await importPaths(
      archive,
      HOSTILE_FIXTURES.map((f) => path.join(HOSTILE_DIR, f.file)),
    );
    for (const outcome of summary.outcomes) if (outcome.itemId) imported.set(path.basename(outcome.path), outcome.itemId);
  });

  it('imports every fixture as an article', () => {
    expect([...imported.keys()].sort()).toEqual(HOSTILE_FIXTURES.map((f) => f.file).sort());
    for (const id of imported.values()) expect(archive.get(id).kind).toBe('article');
  });

  describe.each(HOSTILE_FIXTURES)('$file', (fixture) => {
    const source = () => new Uint8Array(fs.readFileSync(path.join(HOSTILE_DIR, fixture.file)));
    const item = () => archive.get(imported.get(fixture.file)!);

    it('keeps the original byte for byte, attacks and all', () => {
      const original = item().files.find((f) => f.role === 'original');
      expect(original?.name).toBe(fixture.file);
      expect(original?.sha256).toBe(sha256(source()));
      const stored = new Uint8Array(fs.readFileSync(archive.blobPath(original!.sha256)));
      expect(Buffer.compare(stored, source())).toBe(0);
      // The evidence still holds the attack: nothing was "cleaned" in the archived file.
      expect(Buffer.from(stored).toString('utf8')).toMatch(new RegExp(`${SENTINEL}|evil\\.invalid`));
    });

    it('makes a reading copy that still reads as the article', () => {
      const { html, body } = item();
      expect(html).not.toBeNull();
      expect(body).toContain(fixture.reads);
      expect(parseBody(html!).textContent).toContain(fixture.reads);
    });

    it('makes a reading copy with nothing that can run script', () => {
      expect(scriptOrLoadProblems(item().html!)).toEqual([]);
    });

    it('makes a reading copy that references nothing remote', () => {
      expect(remoteReferences(item().html!)).toEqual([]);
    });

    it('makes a reading copy that sanitising again leaves unchanged (no parser mutation)', () => {
      const html = item().html!;
      const sanitize = createSanitizer(checker.window);
      const doc = checker.window.document.implementation.createHTMLDocument('');
      doc.body.innerHTML = html;
      const again = doc.createElement('div');
      again.append(sanitize(doc.body));
      expect(again.innerHTML).toBe(html);
    });

    it('the sanitiser alone, over the whole page, leaves nothing that runs or loads', () => {
      const doc = new checker.window.DOMParser().parseFromString(Buffer.from(source()).toString('utf8'), 'text/html');
      const holder = doc.createElement('div');
      holder.append(createSanitizer(checker.window)(doc.body));
      const html = holder.innerHTML;
      expect(html).toContain(fixture.reads);
      expect(scriptOrLoadProblems(html)).toEqual([]);
      expect(remoteReferences(html)).toEqual([]);
    });
  });

  it('the checks above are able to fail: the raw fixtures are full of what they look for', () => {
    for (const fixture of HOSTILE_FIXTURES) {
      const raw = fs.readFileSync(path.join(HOSTILE_DIR, fixture.file), 'utf8');
      const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(raw)?.[1] ?? raw;
      expect(scriptOrLoadProblems(body).length, fixture.file).toBeGreaterThan(3);
      expect(remoteReferences(body).length + (/<(?:style|link|meta)\b/i.test(raw) ? 1 : 0), fixture.file).toBeGreaterThan(0);
    }
  });

  it('a reading copy from elsewhere (a bundle) is made safe the same way, and ours pass unchanged', () => {
    for (const fixture of HOSTILE_FIXTURES) {
      const raw = fs.readFileSync(path.join(HOSTILE_DIR, fixture.file), 'utf8');
      const safe = resanitizeHtml(raw);
      expect(safe, fixture.file).toContain(fixture.reads);
      expect(scriptOrLoadProblems(safe!), fixture.file).toEqual([]);
      expect(remoteReferences(safe!), fixture.file).toEqual([]);
      const ours = archive.get(imported.get(fixture.file)!).html!;
      expect(resanitizeHtml(ours), fixture.file).toBe(ours);
    }
    expect(resanitizeHtml('<script>window.x = 1</script><img src="https://px.evil.invalid/p.gif">')).toBeNull();
  });

  it('an extraction of the same bytes gives the same reading copy as the import', () => {
    for (const fixture of HOSTILE_FIXTURES) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(HOSTILE_DIR, fixture.file)));
      expect(extractHtml(bytes).html, fixture.file).toBe(archive.get(imported.get(fixture.file)!).html);
    }
  });
});

// Bidi controls, in a page and in the name it was saved under. The name is evidence and is kept as
// it was; wherever it is written to disk or offered for saving, nothing in it may reorder what a
// person sees. In the reading copy no override is left and every control closes where it opened;
// the marks Arabic uses stay.
describe('bidi controls in the titles of files that are not pages', () => {
  // A 1x1 PNG: its title can only come from its file name.
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  // Shows as "checkpoint-raid-2025-03-13" wherever the override acts, while it holds "31-30-5202".
  const PHOTO = 'checkpoint-raid-\u202E31-30-5202.png';

  /** A file of that name and content imported into a new archive: its item. */
  async function importOne(name: string, content: string | Buffer) {
    const archive = tmpArchive();
    const file = path.join(tmpDir('hostile-title-'), name);
    fs.writeFileSync(file, content);
    const summary = await importPaths(archive, [file]);
    return archive.get(summary.outcomes[0]!.itemId!);
  }

  it('a title made from a file name has no control that could reorder it; the name is kept whole', async () => {
    const item = await importOne(PHOTO, PNG);
    expect(item.title).toBe('checkpoint-raid-31-30-5202');
    expect(item.files.find((f) => f.role === 'original')?.name).toBe(PHOTO);
  });

  it('a title taken from a file\'s text keeps its direction but reverses nothing, and closes what it opens', async () => {
    const { title } = await importOne('statement.txt', 'Statement \u202Efdp.exe of the family\nThe rest of the text.\n');
    expect(title).not.toMatch(/[\u202D\u202E]/);
    expect(title).toBe(containBidi(title));
    expect(title).toContain('\u202Bfdp.exe of the family');
  });
});

describe('bidi controls in a saved page and in its file name', () => {
  const FIXTURE = '16-bidi-controls.html';
  // Shows as "statementlmth.pdf" wherever the override acts.
  const HOSTILE_NAME = 'statement\u202Efdp.html';
  const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
  let archive: Archive;
  let id: string;

  beforeAll(async () => {
    archive = tmpArchive();
    const dir = tmpDir('hostile-bidi-');
    fs.copyFileSync(path.join(HOSTILE_DIR, FIXTURE), path.join(dir, HOSTILE_NAME));
    const summary = await importPaths(archive, [path.join(dir, HOSTILE_NAME)]);
    id = summary.outcomes[0]!.itemId!;
  });

  it('keeps the file name exactly as it was, in the record and in the custody log', () => {
    const original = archive.get(id).files.find((f) => f.role === 'original');
    expect(original?.name).toBe(HOSTILE_NAME);
    const imported = archive.history(id).find((e) => e.action === 'import');
    expect((imported?.details as { fileName?: string } | undefined)?.fileName).toBe(HOSTILE_NAME);
  });

  it('writes and offers the name with no control that could reorder it', () => {
    expect(safeBagName(HOSTILE_NAME)).toBe('statementfdp.html');
    expect(safeFileName(HOSTILE_NAME)).toBe('statementfdp.html');
    const disposition = contentDisposition(HOSTILE_NAME, false);
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(disposition)![1]!)).toBe('statementfdp.html');
  });

  it('leaves no override in the reading copy, and every control closes where it opened', () => {
    const { html, body, title } = archive.get(id);
    const doc = parseBody(html!);
    expect(html).not.toMatch(/[\u202D\u202E]|<bdo/i);
    expect(body).not.toMatch(/[\u202D\u202E]/);
    expect(title).not.toMatch(/[\u202D\u202E]/);
    const walker = doc.ownerDocument.createTreeWalker(doc, 4);
    let withControls = 0;
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = (node as Text).data;
      if (CONTROLS.test(text)) withControls++;
      expect(containBidi(text), JSON.stringify(text)).toBe(text);
    }
    // The page's embeddings and isolates are still there, only contained.
    expect(withControls).toBeGreaterThan(2);
    for (const img of Array.from(doc.querySelectorAll('img'))) {
      for (const value of [img.alt, img.title]) expect(containBidi(value)).toBe(value);
    }
    // The override that made "invoice‮fdp.exe" read "invoiceexe.pdf" now embeds, and is closed.
    expect(body).toContain('invoice\u202Bfdp.exe, a file');
  });

  /** The item exported to a bundle for a new key, and the bundle's tar entries as `age -d` gives them. */
  async function exportItem(prefix: string) {
    const dir = tmpDir(prefix);
    const key = ageKeygen(dir);
    const bundle = path.join(dir, 'names.sijil');
    await invoke(archive, 'bundle.export', { to: bundle, selection: { ids: [id] }, credentials: { recipients: [key.recipient] } });
    const entries = await readTar(execFileSync('/usr/bin/age', ['-d', '-i', key.file, bundle]));
    return { dir, key, bundle, entries };
  }

  it('carries the name through a bundle: stored without the override in the bag, kept whole in the record', async () => {
    const { key, bundle, entries } = await exportItem('hostile-bidi-bundle-');
    const names = entries.map((e) => e.header.name);
    expect(names).toContain(`data/items/${id}/statementfdp.html`);
    expect(names.filter((n) => CONTROLS.test(n))).toEqual([]);
    // The custody report for a reader without Sijil names the file in stored order.
    const custody = entries.find((e) => e.header.name === `data/items/${id}/custody.txt`)!.body.toString('utf8');
    expect(custody).toContain('statement[U+202E]fdp.html');
    expect(custody).not.toMatch(CONTROLS);

    const target = tmpArchive();
    await invoke(target, 'bundle.import', { path: bundle, credentials: { identity: key.identity } });
    expect(target.get(id).files.find((f) => f.role === 'original')?.name).toBe(HOSTILE_NAME);
  });

  it('still imports a bundle whose bag path has the override (as an older Sijil could have written)', async () => {
    const { dir, key, entries } = await exportItem('hostile-bidi-old-');
    // Renamed in the tar, in item.json, archive.json and the manifests, as a bag made that way would be.
    const clean = `data/items/${id}/statementfdp.html`;
    const hostile = `data/items/${id}/${HOSTILE_NAME}`;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const edited = entries.map((e) => {
      if (e.header.name === clean) return { header: { ...e.header, name: hostile }, body: e.body };
      if (e.header.name === `data/items/${id}/item.json` || e.header.name === 'data/archive.json') {
        const body = Buffer.from(e.body.toString('utf8').replace(JSON.stringify(clean), JSON.stringify(hostile)));
        return { header: { ...e.header, size: body.length }, body };
      }
      return e;
    });
    const byName = new Map(edited.map((e) => [e.header.name, e]));
    const payload = edited.filter((e) => e.header.name.startsWith('data/') && e.header.type === 'file');
    const manifest = Buffer.from(payload.map((e) => `${sha(e.body)}  ${e.header.name}\n`).join(''));
    const octets = payload.reduce((n, e) => n + e.body.length, 0);
    const info = Buffer.from(byName.get('bag-info.txt')!.body.toString('utf8').replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${octets}.${payload.length}`));
    const tags = new Map([['bagit.txt', byName.get('bagit.txt')!.body], ['bag-info.txt', info], ['manifest-sha256.txt', manifest]]);
    tags.set('tagmanifest-sha256.txt', Buffer.from([...tags].map(([n, b]) => `${sha(b)}  ${n}\n`).join('')));
    const rebagged = [
      ...edited.filter((e) => !tags.has(e.header.name)),
      ...[...tags].map(([name, body]) => ({ header: { name, type: 'file' as const, size: body.length, mode: 0o644, mtime: new Date(0) }, body })),
    ];
    expect(rebagged.some((e) => e.header.name === hostile)).toBe(true);
    const old = path.join(dir, 'old.sijil');
    fs.writeFileSync(path.join(dir, 'old.tar'), await packTar(rebagged));
    execFileSync('/usr/bin/age', ['-r', key.recipient, '-o', old, path.join(dir, 'old.tar')]);

    const target = tmpArchive();
    await invoke(target, 'bundle.import', { path: old, credentials: { identity: key.identity } });
    const original = target.get(id).files.find((f) => f.role === 'original');
    expect(original?.name).toBe(HOSTILE_NAME);
    expect(original?.sha256).toBe(sha256(new Uint8Array(fs.readFileSync(path.join(HOSTILE_DIR, FIXTURE)))));
  });

  it('keeps the marks of the Arabic paragraph, letter for letter', () => {
    const source = fs.readFileSync(path.join(HOSTILE_DIR, FIXTURE), 'utf8');
    const arabic = /<p lang="ar" dir="rtl">([^<]+)<\/p>/.exec(source)![1]!;
    expect(arabic).toMatch(/\u200F.*\u200E.*\u061C/);
    const { html, body } = archive.get(id);
    expect(body).toContain(arabic);
    expect(parseBody(html!).textContent).toContain(arabic);
  });
});
