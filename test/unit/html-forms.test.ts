// A form inside a saved article, as real pages write them: a search box whose markup leaves an
// element open, or an obsolete <isindex>, so that the rest of the article is parsed into the form.
// Readability alone then keeps only what is inside the form and loses the paragraphs before it.
// The reading copy must keep every paragraph, and still hold no form or control.
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { extractHtml } from '../../electron/archive/ingest/html.ts';

const checker = new JSDOM('', { virtualConsole: new VirtualConsole() });
afterAll(() => checker.window.close());

const BEFORE = 'Witnesses said the convoy stopped at the checkpoint before dawn, and that four men, all from the same street, were taken away.';
const AFTER = [
  'Their families have filed complaints with the prosecutor, who has not yet answered any of them, and the police deny holding the men.',
  'A lawyer for the families said the detentions broke the law on arrest warrants, and that the men must be charged or released at once.',
  'Neighbours who saw the arrests said the men were blindfolded and driven north, towards the old military base outside the town.',
  'The governorate spokesman declined to comment on the case, saying only that an investigation into the incident had been opened.',
];

function page(form: string): Uint8Array {
  return new TextEncoder().encode(
    '<!doctype html><html lang="en"><head><title>Four men taken at a checkpoint</title></head><body>' +
      `<article><h1>Four men taken at a checkpoint</h1><p>${BEFORE}</p>${form}` +
      AFTER.map((p) => `<p>${p}</p>`).join('') +
      '</article></body></html>',
  );
}

const FORMS: Record<string, string> = {
  'a search form that leaves a <div> open': '<form action="/search"><input name="q" value="SEARCHVALUE"><div class="search"><input type="submit" value="SUBMITVALUE"></form>',
  'a form whose <select> comes before an open <div>': '<form action="/search"><select name="s"><option>SELECTVALUE</option></select><div><input name="q"></form>',
  'an obsolete <isindex>, which the parser never closes': '<form action="/search"><textarea name="n">TEXTAREAVALUE</textarea><isindex prompt="Search"></form>',
};

describe.each(Object.entries(FORMS))('extractHtml: %s', (_, form) => {
  const result = extractHtml(page(form));

  it('keeps the paragraph before the form and every one after it, in order', () => {
    const body = result.body ?? '';
    const at = [BEFORE, ...AFTER].map((p) => body.indexOf(p));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);

    const doc = checker.window.document.implementation.createHTMLDocument('');
    doc.body.innerHTML = result.html ?? '';
    const paragraphs = Array.from(doc.querySelectorAll('p'), (p) => p.textContent);
    expect(paragraphs).toEqual([BEFORE, ...AFTER]);
  });

  it('lets no form, control or control value into the reading copy', () => {
    const doc = checker.window.document.implementation.createHTMLDocument('');
    doc.body.innerHTML = result.html ?? '';
    expect(doc.querySelectorAll('form, input, button, select, option, textarea, isindex, fieldset')).toHaveLength(0);
    expect(`${result.html}\n${result.body}`).not.toMatch(/SEARCHVALUE|SUBMITVALUE|SELECTVALUE|TEXTAREAVALUE|\/search/);
  });
});
