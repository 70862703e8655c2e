import type { Plugin } from 'vite';
import { CSP_META } from '../server-kit/csp';

/**
 * Puts the relay's CSP into the built page as a <meta> tag too, so the page is covered however
 * it is loaded (relay HTTP, the app:// protocol, a file opened by hand). Build only: the dev
 * server's inline preamble would not pass it.
 */
export function cspMeta(): Plugin {
  return {
    name: 'lectern-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META },
        injectTo: 'head-prepend',
      },
    ],
  };
}
