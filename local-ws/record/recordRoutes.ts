/**
 * A record's link over HTTP: `/records/<token>/review.json` (what the review page plays) and
 * `/records/<token>/<stream file>` (with byte ranges, so a browser seeks; `?download` saves it).
 * Anything else under `/records/` is a 404, the same for a wrong token, a revoked one and a
 * path that tries to leave the record's folder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXPORT_FILE, RECORD_TOKEN, recordFileType } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { sendFile } from '../../server-kit/sendFile';
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
  const sent =
    file !== null &&
    (await sendFile(req, res, file, {
      contentType: recordFileType(name),
      headers: HEADERS,
      ...(download && { downloadName: `${id}-${name}` }),
    }));
  if (!sent) res.writeHead(404, HEADERS).end();
}
