/**
 * The app's pages come from `app://lectern/…`, served from the packaged renderer folder with the
 * same CSP as the relay's HTTP server — never from a remote URL.
 */
import { promises as fs } from 'node:fs';
import { protocol } from 'electron';
import { STATIC_HEADERS } from '../server-kit/csp';
import { contentType, resolveStatic } from '../server-kit/staticFiles';
import { APP_HOST, APP_SCHEME } from './policy/navigation';

/** Must run before app `ready`: a standard, secure scheme (getDisplayMedia needs a secure page). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveApp(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? await resolveStatic(root, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    return new Response(await fs.readFile(file), {
      headers: { 'content-type': contentType(file), ...STATIC_HEADERS },
    });
  });
}
