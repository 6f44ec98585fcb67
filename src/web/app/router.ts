import { useEffect, useState } from 'preact/hooks';

/** The screens, addressed by the URL hash so the server serves one page and links still work. */
export const SCREENS = ['billing', 'mapping', 'vendors', 'ledger', 'audit', 'psa', 'webhooks'] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  /** What follows the screen in the hash, e.g. the integration id on #/mapping/<id>. */
  rest: string[];
}

export function parseHash(hash: string): Route {
  const [first, ...rest] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const screen = SCREENS.find((s) => s === first) ?? 'billing';
  return { screen, rest };
}

export const hrefOf = (screen: Screen, ...rest: string[]): string =>
  `#/${[screen, ...rest].map(encodeURIComponent).join('/')}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
