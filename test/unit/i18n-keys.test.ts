// Every string of the interface exists in English and in Arabic: the same namespaces, the same keys
// (plural forms aside, since Arabic has six and English two), no empty translations, and the same
// {{placeholders}}, so no screen shows a raw key or loses a value in one language.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CUSTODY_ACTIONS } from '../../shared/domain.ts';

const LOCALES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer', 'locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function namespaces(lang: string): string[] {
  return fs
    .readdirSync(path.join(LOCALES, lang))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

function load(lang: string, ns: string): Map<string, unknown> {
  return flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${ns}.json`), 'utf8')), '', new Map());
}

const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!));

describe('translations', () => {
  it('has the same namespaces in English and Arabic', () => {
    expect(namespaces('en').length).toBeGreaterThan(0);
    expect(namespaces('ar')).toEqual(namespaces('en'));
  });

  for (const ns of namespaces('en')) {
    describe(ns, () => {
      const en = load('en', ns);
      const ar = fs.existsSync(path.join(LOCALES, 'ar', `${ns}.json`)) ? load('ar', ns) : new Map<string, unknown>();

      it('has the same keys in both languages', () => {
        const enKeys = [...new Set([...en.keys()].map(base))].sort();
        const arKeys = [...new Set([...ar.keys()].map(base))].sort();
        expect(arKeys.filter((k) => !enKeys.includes(k)), 'in Arabic only').toEqual([]);
        expect(enKeys.filter((k) => !arKeys.includes(k)), 'in English only').toEqual([]);
      });

      it('has no empty or non-text values', () => {
        for (const [lang, map] of [['en', en], ['ar', ar]] as const) {
          const bad = [...map].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => `${lang}:${k}`);
          expect(bad).toEqual([]);
        }
      });

      it('gives plural forms completely', () => {
        const plurals = new Set([...en.keys(), ...ar.keys()].filter((k) => PLURAL.test(k)).map(base));
        for (const key of plurals) {
          // English needs one and other whenever a key is plural; Arabic either all six or one plain text.
          if ([...en.keys()].some((k) => base(k) === key && PLURAL.test(k))) {
            expect([en.has(`${key}_one`), en.has(`${key}_other`)], `en:${key}`).toEqual([true, true]);
          }
          const arForms = ['zero', 'one', 'two', 'few', 'many', 'other'].map((f) => ar.has(`${key}_${f}`));
          if (arForms.some(Boolean)) expect(arForms, `ar:${key}`).toEqual([true, true, true, true, true, true]);
          else expect(ar.has(key), `ar:${key}`).toBe(true);
        }
      });

      it('uses the same placeholders', () => {
        const byBase = (map: Map<string, unknown>) => {
          const out = new Map<string, Set<string>>();
          for (const [k, v] of map) {
            const set = out.get(base(k)) ?? new Set<string>();
            for (const p of placeholders(String(v))) set.add(p);
            out.set(base(k), set);
          }
          return out;
        };
        const enP = byBase(en);
        const arP = byBase(ar);
        for (const [key, want] of enP) {
          const got = arP.get(key);
          if (!got) continue;
          // An Arabic plural form may spell the number out ("عنصران"), so it may use fewer.
          const extra = [...got].filter((p) => !want.has(p));
          expect(extra, `ar:${key} uses placeholders English does not`).toEqual([]);
          const plural = [...ar.keys()].some((k) => base(k) === key && PLURAL.test(k));
          if (!plural) expect([...got].sort(), `ar:${key}`).toEqual([...want].sort());
        }
      });
    });
  }
});

describe('translations of the engine’s vocabularies', () => {
  it('name every custody action in both languages (the history shows each one)', () => {
    for (const lang of ['en', 'ar']) {
      const item = load(lang, 'item');
      expect(CUSTODY_ACTIONS.filter((action) => !item.has(`actions.${action}`)), lang).toEqual([]);
    }
  });
});
