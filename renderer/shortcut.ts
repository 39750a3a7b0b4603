// Ctrl+letter (Cmd on a Mac) whatever the keyboard layout. With an Arabic layout the key marked K
// types ن, so e.key is 'ن' and a test of e.key alone never fires; e.code still names where the
// key sits (KeyK). A Latin letter in e.key is taken first, so that on AZERTY Ctrl+A is the key
// marked A (whose e.code is KeyQ).

interface KeyLike {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/** The Latin letter a key stands for in shortcuts, lower case, or null. */
export function shortcutLetter(e: Pick<KeyLike, 'key' | 'code'>): string | null {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  const at = /^Key([A-Z])$/.exec(e.code);
  return at ? (at[1] as string).toLowerCase() : null;
}

/** Whether this is Ctrl+letter (Cmd+letter), without Alt (AltGr types characters). */
export function isCommand(e: KeyLike, letter: string): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && shortcutLetter(e) === letter;
}
