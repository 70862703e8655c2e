import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { STATIC_HEADERS } from './csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The content type for a file of a web build. */
export function contentType(file: string): string {
  return TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`: null when the path is malformed or escapes the
 * folder; unknown paths and folders give index.html (the client routes itself); null also when
 * there is no index.html.
 */
export async function resolveStatic(root: string, pathname: string): Promise<string | null> {
  const base = path.resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(base, '.' + path.posix.normalize(decoded));
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  const stat = await fs.stat(file).catch(() => null);
  if (stat?.isFile()) return file;
  const index = path.join(base, 'index.html');
  return (await fs.stat(index).catch(() => null))?.isFile() ? index : null;
}

/** Serves a web build (the browser client, the console) from a folder. Only GET/HEAD. */
export function createStaticHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = await resolveStatic(root, pathname);
    const stat = file ? await fs.stat(file).catch(() => null) : null;
    if (!file || !stat) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('not found (if this is the app page: run npm run build:web)');
      return;
    }
    const immutable = file.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, {
      'content-type': contentType(file),
      'content-length': stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...STATIC_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
