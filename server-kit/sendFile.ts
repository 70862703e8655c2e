/**
 * One file over HTTP with byte ranges (so browsers and players seek), for GET and HEAD. Used
 * by the room host's record links and by the cloud's record downloads.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';

export interface SendFileOptions {
  contentType: string;
  /** Sent with every answer (cache, sniffing, referrer). */
  headers?: Record<string, string>;
  /** Present: the browser saves it under this name. */
  downloadName?: string;
}

/** Sends `file`; false (nothing sent) when it is not a regular file. */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  opts: SendFileOptions,
): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) return false;
  const headers: Record<string, string | number> = {
    ...opts.headers,
    'content-type': opts.contentType,
    'accept-ranges': 'bytes',
    ...(opts.downloadName !== undefined && {
      'content-disposition': `attachment; filename="${opts.downloadName.replace(/["\\\r\n]/g, '_')}"`,
    }),
  };
  const ranges = req.headers.range ? parseRange(stat.size, req.headers.range) : -2;
  if (ranges === -1) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stat.size}` }).end();
    return true;
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
    return true;
  }
  const stream = createReadStream(file, { start, end });
  stream.once('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res);
  return true;
}
