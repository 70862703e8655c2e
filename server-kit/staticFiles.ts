import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { STATIC_HEADERS } from './csp';

const gzipAsync = promisify(gzip);
/** Text worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest']);
/** Larger files are sent as they are rather than held compressed in memory. */
const MAX_COMPRESSED_SOURCE = 8 * 1024 * 1024;

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

/** Whether the request takes gzip (`accept-encoding`, without `gzip;q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Serves a web build (the browser client, the console) from a folder. Only GET/HEAD. Text
 * files go gzip-compressed to browsers that take it (the client is ~790 KB, ~210 KB gzip: what
 * 30 phones on the room's Wi-Fi fetch at once), each compressed once and kept while unchanged.
 */
export function createStaticHandler(root: string, prefix = '/') {
  const compressed = new Map<string, { mtimeMs: number; body: Promise<Buffer> }>();
  const gzipped = (file: string, mtimeMs: number): Promise<Buffer> => {
    const hit = compressed.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.body;
    const body = fs.readFile(file).then((raw) => gzipAsync(raw, { level: 9 }));
    const entry = { mtimeMs, body };
    // A failure is not kept (the next request tries again); a newer version stays.
    body.catch(() => compressed.get(file) === entry && compressed.delete(file));
    compressed.set(file, entry);
    return body;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
      // Served under a path (the cloud's /join/): the folder's root is there.
      if (pathname.startsWith(prefix)) pathname = pathname.slice(prefix.length - 1);
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
    const headers = {
      'content-type': contentType(file),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...STATIC_HEADERS,
    };
    const compressible = COMPRESSIBLE.has(path.extname(file));
    if (
      compressible &&
      stat.size <= MAX_COMPRESSED_SOURCE &&
      acceptsGzip(req.headers['accept-encoding'])
    ) {
      const body = await gzipped(file, stat.mtimeMs).catch(() => null);
      if (body) {
        res.writeHead(200, {
          ...headers,
          'content-encoding': 'gzip',
          'content-length': body.length,
          vary: 'accept-encoding',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    res.writeHead(200, {
      ...headers,
      'content-length': stat.size,
      ...(compressible && { vary: 'accept-encoding' }),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
