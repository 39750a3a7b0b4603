// The route as React state, following the URL hash (route.ts).
import { useCallback, useEffect, useState } from 'react';
import { parseRoute, routeHash, type Route } from './route.ts';

/** How many screens were opened in this session: Back leaves the app when there were none. */
let moves = 0;

export function canGoBack(): boolean {
  return moves > 0;
}

export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => {
      moves++;
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback((next: Route) => {
    const hash = routeHash(next);
    if (window.location.hash !== hash) window.location.hash = hash;
  }, []);
  return [route, navigate];
}
