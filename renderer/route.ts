// Where the app is, kept in the URL hash so Back and Forward work and a reload returns to the
// same screen. Both doors serve one page, so the hash is the only routing needed. No React here:
// the launch (launch.ts) reads the route before the app's code has loaded; the hook is useRoute.ts.

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
