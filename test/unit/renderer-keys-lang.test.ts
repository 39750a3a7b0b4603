// Shortcuts whatever the keyboard layout, the language a title is marked with for screen readers, and toasts that stay while in use.
import { describe, expect, it } from 'vitest';
import { textLang } from '../../renderer/format.ts';
import { isCommand, shortcutLetter } from '../../renderer/shortcut.ts';
import { makeRoom } from '../../renderer/components/toastRoom.ts';

const key = (key: string, code: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean } = { ctrl: true }) => ({
  key,
  code,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
});

describe('isCommand', () => {
  it.each([
    ['Latin layout', key('k', 'KeyK'), 'k', true],
    ['Latin layout, Shift held', key('K', 'KeyK'), 'k', true],
    ['Cmd on a Mac', key('k', 'KeyK', { meta: true }), 'k', true],
    ['Arabic layout: the key marked K types ن', key('ن', 'KeyK'), 'k', true],
    ['Arabic layout: the key marked A types ش', key('ش', 'KeyA'), 'a', true],
    ['AZERTY: the key marked A sits where QWERTY has Q', key('a', 'KeyQ'), 'a', true],
    ['AZERTY: that key is not Ctrl+Q', key('a', 'KeyQ'), 'q', false],
    ['without Ctrl', key('k', 'KeyK', {}), 'k', false],
    ['AltGr (Ctrl+Alt) types a character', key('k', 'KeyK', { ctrl: true, alt: true }), 'k', false],
    ['another letter', key('j', 'KeyJ'), 'k', false],
  ])('%s', (_, event, letter, expected) => {
    expect(isCommand(event, letter)).toBe(expected);
  });

  it('has no letter for a key that is none', () => {
    expect(shortcutLetter({ key: 'Enter', code: 'Enter' })).toBeNull();
    expect(shortcutLetter({ key: '١', code: 'Digit1' })).toBeNull();
  });
});

describe('textLang', () => {
  it.each([
    ['an Arabic title of an Arabic item', 'شهادة من الناصرية', 'ar', 'ar'],
    ['an Arabic title, language not given', 'شهادة من الناصرية', null, 'ar'],
    ['an English title of an Arabic article: English', 'Mother appeals for her son', 'ar', 'en'],
    ['a French title of a French item', 'Rapport sur Nassiriya', 'fr', 'fr'],
    ['a Persian title of a Persian item keeps fa', 'گزارش', 'fa', 'fa'],
    ['a Latin title, language not given', 'Checkpoint log', undefined, 'en'],
    ['mixed scripts: left to the interface', 'Kadhimi الكاظمي', 'ar', undefined],
    ['no letters: left to the interface', '2020-07-02', 'en', undefined],
    ['a byte order mark is no Arabic letter', '\ufeffCheckpoint log', null, 'en'],
  ])('%s', (_, text, declared, expected) => {
    expect(textLang(text, declared)).toBe(expected);
  });
});

describe('makeRoom (toasts)', () => {
  const list = [1, 2, 3, 4].map((id) => ({ id }));
  it('leaves out the oldest toasts to make room', () => {
    expect(makeRoom(list, new Set(), 2).map((t) => t.id)).toEqual([3, 4]);
    expect(makeRoom(list, new Set(), 5).map((t) => t.id)).toEqual([1, 2, 3, 4]);
  });
  it('never leaves out one the pointer or focus is in, even past the room', () => {
    expect(makeRoom(list, new Set([1]), 2).map((t) => t.id)).toEqual([1, 4]);
    expect(makeRoom(list, new Set([1, 2, 3]), 2).map((t) => t.id)).toEqual([1, 2, 3]);
  });
});
