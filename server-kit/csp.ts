/**
 * The Content-Security-Policy of every page Lectern serves (the relay's browser client, the
 * desktop app's app:// pages, the cloud console): a page may talk only to the host it came from
 * (HTTP and its WebSocket). Plain data, so the web builds can put it in a <meta> tag too.
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
] as const;

/** The header form (frame-ancestors works only as a header). */
export const CSP = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** The same policy as a <meta> tag in the page itself. */
export const CSP_META = CSP_DIRECTIVES.join('; ');

export const STATIC_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;
