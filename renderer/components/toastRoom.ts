// Which toasts stay when a new one comes: at most a few are shown, and one the pointer or the
// keyboard is in never leaves from under the person (Toasts.tsx).

/** The list with its oldest toasts not held left out, down to `room` if it can be. */
export function makeRoom<T extends { readonly id: number }>(list: readonly T[], held: ReadonlySet<number>, room: number): T[] {
  let over = list.length - room;
  return list.filter((x) => over <= 0 || held.has(x.id) || over-- <= 0);
}
