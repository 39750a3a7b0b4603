import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * A handler whose identity never changes and that always runs the latest one given. Passed to a
 * memoised child (the library's rows), it lets the child skip the render a new closure on every
 * parent render would force: scrolling re-renders the list, and only the rows that came into view
 * need drawing.
 */
export function useStableHandler<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
