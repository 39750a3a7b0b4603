// Where focus goes when an entry of a list (a tag chip, a link) is removed with its own button.
// The button leaves the page with its entry and takes the focus with it, to <body>: a keyboard
// user started again from the top of the page, and a screen reader said nothing.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export interface RemovalFocus {
  /** The list: its remove buttons carry `data-remove`. */
  readonly list: RefObject<HTMLElement | null>;
  /** Where focus goes when the list is left empty (the field that adds to it, say). */
  readonly fallback: RefObject<HTMLElement | null>;
  /** Call as the remove starts; `done` false when it failed and the entry stays. */
  removing(key: string): (done: boolean) => void;
}

/**
 * Focus goes to the remove button that took the removed one's place, else the one before it, else
 * `fallback`, once `keys` (the entries shown) no longer hold the removed one.
 */
export function useRemovalFocus(keys: readonly string[]): RemovalFocus {
  const list = useRef<HTMLElement | null>(null);
  const fallback = useRef<HTMLElement | null>(null);
  const pending = useRef<{ key: string; index: number } | null>(null);

  useLayoutEffect(() => {
    const removed = pending.current;
    if (removed === null || keys.includes(removed.key)) return;
    pending.current = null;
    const buttons = list.current?.querySelectorAll<HTMLElement>('[data-remove]') ?? [];
    const next = buttons[Math.min(removed.index, buttons.length - 1)] ?? fallback.current;
    // Only if focus was lost with the button: the person may have moved on meanwhile.
    const active = document.activeElement;
    if (active === null || active === document.body) next?.focus();
  }, [keys]);

  return {
    list,
    fallback,
    removing(key) {
      pending.current = { key, index: keys.indexOf(key) };
      return (done) => {
        if (!done && pending.current?.key === key) pending.current = null;
      };
    },
  };
}
