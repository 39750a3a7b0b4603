// Where the app is, kept in the URL hash so Back and Forward work and a reload returns to the
// same screen. Both doors serve one page, so the hash is the only routing needed.
import { useCallback, useEffect, useState } from 'react';

export type Route =
  | { readonly name: 'library' }
  | { readonly name: 'trash' }
  | { readonly name: 'search' }
  | { readonly name: 'settings' }
  | { readonly name: 'verify' }
  | { readonly name: 'item'; readonly id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'item':
      return parts[1] ? { name: 'item', id: parts[1] } : { name: 'library' };
    case 'search':
      return { name: 'search' };
    case 'settings':
      return { name: 'settings' };
    case 'verify':
      return { name: 'verify' };
    case 'trash':
      return { name: 'trash' };
    default:
      return { name: 'library' };
  }
}

export function routeHash(route: Route): string {
  return route.name === 'item' ? `#/item/${encodeURIComponent(route.id)}` : `#/${route.name}`;
}

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
