// What the page loads before the library can draw (issue 5, launch to interactive): the built
// index.html names it (the entry script, its stylesheets and the modules it preloads). The entry
// must stay small (it sends the launch's calls before the app's code runs), the app's code must be
// preloaded beside it (not fetched one round trip later), and none of it may carry zod: the
// contract's schemas are for the engine's side and the forms, not for the first screen.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from '../../shared/phrases/index.ts';
import { buildRenderer } from '../support/renderer.ts';
import { tmpDir } from '../support/tmp.ts';

describe('the renderer build, as launch loads it', () => {
  let out = '';
  let html = '';
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1] ?? '';
  const tags = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[0]);
  const read = (href: string) => fs.readFileSync(path.join(out, href), 'utf8');

  beforeAll(() => {
    out = path.join(tmpDir('sijil-renderer-launch-'), 'renderer');
    buildRenderer(out);
    html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  });

  it('is React’s production build, as people run it (not the development one vitest’s NODE_ENV would give)', () => {
    const scripts = fs.readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.filter((f) => fs.readFileSync(path.join(out, 'assets', f), 'utf8').includes('jsxDEV'))).toEqual([]);
    expect(scripts.some((f) => fs.readFileSync(path.join(out, 'assets', f), 'utf8').includes('createRoot'))).toBe(true);
  });

  it('has a small entry that preloads the app beside it', () => {
    const [entry] = tags(/<script type="module"[^>]*>/g).map((t) => attr(t, 'src'));
    expect(entry).toBeTruthy();
    const entryCode = read(entry!);
    expect(entryCode.length).toBeLessThan(20_000);
    const preloaded = tags(/<link rel="modulepreload"[^>]*>/g).map((t) => attr(t, 'href'));
    // The app's code (React's renderer among it) is one of the preloaded modules, and the entry imports it.
    const app = preloaded.find((href) => read(href).includes('createRoot'));
    expect(app, `preloaded: ${preloaded.join(', ')}`).toBeTruthy();
    expect(entryCode).toContain(path.basename(app!));
  });

  it('carries no zod in anything launch loads', () => {
    const scripts = [...tags(/<script type="module"[^>]*>/g).map((t) => attr(t, 'src')), ...tags(/<link rel="modulepreload"[^>]*>/g).map((t) => attr(t, 'href'))];
    expect(scripts.length).toBeGreaterThan(1);
    for (const href of scripts) expect(read(href), href).not.toMatch(/ZodError|\$ZodType/);
  });

  it('leaves the engine’s sentences out of launch: they load after the first screen', () => {
    const scripts = [...tags(/<script type="module"[^>]*>/g).map((t) => attr(t, 'src')), ...tags(/<link rel="modulepreload"[^>]*>/g).map((t) => attr(t, 'href'))];
    const sentence = catalogues.en['bundle.wrongPassphrase'] as string;
    for (const href of scripts) expect(read(href).includes(sentence), `${href} holds "${sentence}"`).toBe(false);
    // They are in the build, in a chunk of their own.
    const all = fs.readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.js'));
    expect(all.filter((f) => fs.readFileSync(path.join(out, 'assets', f), 'utf8').includes(sentence))).toHaveLength(1);
  });
});
