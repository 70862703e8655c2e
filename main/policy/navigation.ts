/**
 * Where the app's windows may go. Every window shows only the app's own pages; links to a short
 * allowlist of https sites open in the OS browser; everything else is refused.
 */

import { APP_HOST, APP_ORIGIN, APP_SCHEME } from '../../protocol/desktop';

/** The custom scheme the app's pages are served from (see appProtocol.ts). */
export { APP_HOST, APP_ORIGIN, APP_SCHEME };

/** Hosts whose https pages may be opened in the OS browser (exact names, no subdomains). */
export const EXTERNAL_HOSTS: readonly string[] = ['lectern.app', 'docs.lectern.app', 'github.com'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a page of the app itself: `app://lectern/...`. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/** A window may navigate (or reload) only within the app. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * A link the user clicked that leaves the app: opened in the OS browser only for an https page
 * on an allowlisted host, with no credentials and the default port. URL parsing normalises
 * look-alikes (IDN → punycode, case, trailing dots are not stripped) so they fail the exact match.
 */
export function externalLinkAllowed(url: string): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '' || u.port !== '') return false;
  return EXTERNAL_HOSTS.includes(u.hostname);
}

/** What to do with a window.open / target=_blank request: never a new Electron window. */
export function windowOpenDecision(url: string): 'open-external' | 'deny' {
  return externalLinkAllowed(url) ? 'open-external' : 'deny';
}
