/** A record file over a signed link (`/records/<room>/<record>/<file>?exp&sig`), with ranges. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordFileType } from '../../protocol';
import { sendFile } from '../../server-kit/sendFile';
import type { CloudRecords } from './CloudRecords';

const HEADERS = {
  'cache-control': 'private, max-age=3600',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export const isRecordPath = (pathname: string) => pathname.startsWith('/records/');

export async function serveRecordFile(
  records: CloudRecords | null,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const found = req.method === 'GET' || req.method === 'HEAD' ? records?.fileFor(url) : null;
  const sent =
    !!found &&
    (await sendFile(req, res, found.file, {
      contentType: recordFileType(found.name),
      headers: HEADERS,
      ...(url.searchParams.has('download') && { downloadName: `${found.record}-${found.name}` }),
    }));
  if (!sent) res.writeHead(404, HEADERS).end();
}
