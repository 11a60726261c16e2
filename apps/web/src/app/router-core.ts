/** A tiny history-API router: path patterns with `:params`, navigate(), a subscribable location. */

export type Params = Record<string, string>;

/** Matches `/host/:id` against `/host/abc` → `{id: 'abc'}`; trailing slashes are ignored. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const split = (p: string) => p.split('/').filter(Boolean);
  const want = split(pattern);
  const got = split(pathname);
  if (want.length !== got.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return null;
      }
      params[w.slice(1)] = value;
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

export interface RouteDef<T> {
  path: string;
  value: T;
}

export function findRoute<T>(
  routes: readonly RouteDef<T>[],
  pathname: string,
): { value: T; params: Params } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { value: route.value, params };
  }
  return null;
}

/** Only same-origin paths are accepted as a "go back to" target (no open redirects). */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

const NAV_EVENT = 'rstream:navigate';

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAV_EVENT));
  if (!opts.replace) window.scrollTo?.(0, 0);
}

export function subscribeLocation(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAV_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAV_EVENT, onChange);
  };
}

/** The current path + search, as one string (stable between renders for useSyncExternalStore). */
export function currentLocation(): string {
  return window.location.pathname + window.location.search;
}
