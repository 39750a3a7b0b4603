// The engine's half of "nothing a hostile page contains can run or phone home": every hostile
// fixture is imported into a real archive, its original kept byte for byte as evidence, and the
// reading copy made from it holds no element or attribute that can run script and no reference
// that could load anything. The sanitiser is also checked on its own over each whole page (the
// path taken when Readability finds no article), and for stability: sanitising its own output
// changes nothing, so a browser re-parsing the stored HTML sees the tree that was checked.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../electron/archive/index.ts';
import { extractHtml, resanitizeHtml } from '../../electron/archive/ingest/html.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { createSanitizer } from '../../electron/archive/ingest/sanitize.ts';
import { checker, parseBody, remoteReferences, scriptOrLoadProblems } from '../fixtures/hostile/inert.ts';
import { HOSTILE_DIR, HOSTILE_FIXTURES, SENTINEL } from '../fixtures/hostile/manifest.ts';
import { tmpArchive } from '../support/tmp.ts';

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
