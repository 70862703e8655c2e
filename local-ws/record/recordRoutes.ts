/**
 * A record's link over HTTP: `/records/<token>/review.json` (what the review page plays) and
 * `/records/<token>/<stream file>` (with byte ranges, so a browser seeks; `?download` saves it).
 * Anything else under `/records/` is a 404, the same for a wrong token, a revoked one and a
 * path that tries to leave the record's folder.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { EXPORT_FILE, RECORD_TOKEN } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { BOARD_PAGE_FILE } from './boardPages';
import type { RecordLibrary } from './RecordLibrary';

const log = createLogger('record');
const ROUTE = /^\/records\/([^/]+)\/([^/]+)$/;
const STREAM_FILE = /^\d{2}-(audio|video)\.(webm|mkv)$/;
const servable = (name: string) =>
  STREAM_FILE.test(name) || name === EXPORT_FILE || BOARD_PAGE_FILE.test(name);
const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Serves the library's links; false when the path is not under `/records/`. */
export function serveRecords(
  library: RecordLibrary,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/records/')) return false;
  const match = ROUTE.exec(url.pathname);
  const [, token = '', name = ''] = match ?? [];
  if (!match || !RECORD_TOKEN.test(token) || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, HEADERS).end();
    return true;
  }
  void answer(library, req, res, token, name, url.searchParams.has('download')).catch(
    (err: unknown) => {
      log.warn({ err }, 'record request failed');
      if (!res.headersSent) res.writeHead(500, HEADERS);
      res.end();
    },
  );
  return true;
}

async function answer(
  library: RecordLibrary,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  name: string,
  download: boolean,
): Promise<void> {
  const id = await library.byToken(token);
  if (id && name === 'review.json') {
    const review = await library.review(id);
    if (review) {
      res.writeHead(200, { ...HEADERS, 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(review));
      return;
    }
  }
  const file = id && servable(name) ? await library.file(id, name) : null;
  const stat = file ? await fs.stat(file).catch(() => null) : null;
  if (!file || !stat?.isFile()) {
    res.writeHead(404, HEADERS).end();
    return;
  }
  const headers: Record<string, string | number> = {
    ...HEADERS,
    'content-type': contentType(name),
    'accept-ranges': 'bytes',
    ...(download && {
      'content-disposition': `attachment; filename="${id}-${name}"`,
    }),
  };
  const ranges = req.headers.range ? parseRange(stat.size, req.headers.range) : -2;
  if (ranges === -1) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stat.size}` }).end();
    return;
  }
  // One range is what players ask for; several (rare) are answered with the whole file.
  const range = Array.isArray(ranges) && ranges.length === 1 ? ranges[0]! : null;
  const start = range?.start ?? 0;
  const end = range?.end ?? stat.size - 1;
  headers['content-length'] = stat.size === 0 ? 0 : end - start + 1;
  if (range) headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || stat.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.once('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}

function contentType(name: string): string {
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.mp4')) return 'video/mp4';
  if (name.endsWith('.mkv')) return 'video/x-matroska';
  return name.includes('-audio.') ? 'audio/webm' : 'video/webm';
}
