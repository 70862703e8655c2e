/**
 * The cloud's tus endpoint for class records (`/uploads`, @tus/server with a file store).
 * Every request carries the room's credential (`Authorization: Bearer <room token>` and the
 * room's id in `Lectern-Room`), checked before the tus server sees it; a room reaches only the
 * uploads it created (their ids begin with its id). Each upload names its record and file; a
 * finished one moves into the record. Unfinished uploads are dropped after a week.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import { UPLOAD_PATH, UPLOAD_ROOM_HEADER, UploadMetadata } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { tokenMatches } from '../../server-kit/secrets';
import type { CloudStore } from '../store/CloudStore';
import type { CloudRecords } from './CloudRecords';

const log = createLogger('uploads');
const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface UploadsOptions {
  records: CloudRecords;
  store: CloudStore;
  /** Largest single file accepted. */
  maxFileBytes: number;
  /** A file arrived whole (its size). */
  onFinished?: (bytes: number) => void;
}

/** A tus refusal: the status and a body that starts with a stable code. */
const refusal = (status_code: number, code: string, message: string) => ({
  status_code,
  body: `${code}: ${message}\n`,
});

export interface Uploads {
  /** Answers a request under `/uploads`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Drops unfinished uploads older than a week; returns how many. */
  sweep(): Promise<number>;
}

export function createUploads(opts: UploadsOptions): Uploads {
  const { records } = opts;
  const roomOf = (id: string) => id.slice(0, id.lastIndexOf('-'));
  const tus = new Server({
    path: UPLOAD_PATH,
    datastore: new FileStore({
      directory: records.incoming,
      expirationPeriodInMilliseconds: WEEK_MS,
    }),
    relativeLocation: true,
    maxSize: opts.maxFileBytes,
    // The request was authenticated for this room before tus saw it.
    namingFunction: (req) =>
      `${req.headers.get(UPLOAD_ROOM_HEADER) ?? ''}-${randomBytes(16).toString('hex')}`,
    onUploadCreate: async (_req, upload) => {
      const meta = UploadMetadata.safeParse(upload.metadata ?? {});
      if (!meta.success) throw refusal(400, 'UPLOAD_INVALID', 'record and file name required');
      if (upload.size === undefined) {
        throw refusal(400, 'UPLOAD_INVALID', 'the upload length must be known');
      }
      const used = await records.roomBytes(roomOf(upload.id));
      if (used + upload.size > records.quotaBytes) {
        throw refusal(413, 'UPLOAD_QUOTA', "the room's records are over its quota");
      }
      return {};
    },
    onUploadFinish: async (_req, upload: Upload) => {
      const meta = UploadMetadata.parse(upload.metadata);
      const room = roomOf(upload.id);
      await records.accept(room, meta, path.join(records.incoming, upload.id));
      await fs.rm(path.join(records.incoming, `${upload.id}.json`), { force: true });
      log.info(`room ${room}: record ${meta.record} received ${meta.name}`);
      opts.onFinished?.(upload.size ?? 0);
      return {};
    },
  });

  return {
    handle: async (req, res) => {
      const problem = await check(req, opts.store);
      if (problem) {
        res.writeHead(problem.status_code, { 'content-type': 'text/plain' }).end(problem.body);
        return;
      }
      await tus.handle(req, res);
    },
    sweep: () => tus.cleanUpExpiredUploads(),
  };
}

/** Null when the request may go to the tus server; else the refusal. */
async function check(
  req: IncomingMessage,
  store: CloudStore,
): Promise<{ status_code: number; body: string } | null> {
  const method = req.method ?? 'GET';
  if (!['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'].includes(method)) {
    return refusal(405, 'METHOD_NOT_ALLOWED', 'uploads are written, not read');
  }
  if (method === 'OPTIONS') return null;
  const header = req.headers[UPLOAD_ROOM_HEADER];
  const room = typeof header === 'string' && /^[A-Za-z0-9]{1,64}$/.test(header) ? header : null;
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const record = room === null ? null : await store.room(room);
  if (!room || !record?.tokenHash || !token || !tokenMatches(token, record.tokenHash)) {
    return refusal(401, 'UNAUTHORIZED', "the room's credential is required");
  }
  const { pathname } = new URL(req.url ?? '/', 'http://x');
  if (method === 'POST') {
    return pathname === UPLOAD_PATH ? null : refusal(404, 'NOT_FOUND', 'no such upload');
  }
  const own = new RegExp(`^${UPLOAD_PATH}/${room}-[0-9a-f]{32}$`);
  return own.test(pathname) ? null : refusal(404, 'NOT_FOUND', 'no such upload');
}
