// Resets a dialog's own state as it opens, in the render that opens it.
//
// An effect would run after that render is on screen: the dialog first showed what it held when it
// last closed (the name typed into a cancelled rename, the custody report from before the export
// that added to it), and a click or a read in that moment took the old value.
import { useState } from 'react';

/** Calls `reset` while rendering the opening: `open` turning true, or `key` changing while open. */
export function useOnOpen(open: boolean, key: string, reset: () => void): void {
  const opening = open ? key : null;
  const [seen, setSeen] = useState<string | null>(null);
  if (opening !== seen) {
    // React allows a component to set its own state while rendering: it renders again at once,
    // before anything is committed, so the stale state is never shown.
    setSeen(opening);
    if (opening !== null) reset();
  }
}
