/**
 * The operators' JSON API (the console uses it too). Every route needs the admin token.
 *
 *   GET    /api/rooms                    rooms grid: online, class, sharing, devices, health
 *   POST   /api/rooms {name}             a new room and its credential (shown once)
 *   GET    /api/rooms/:id                room detail: roster, stage, events, metrics, commands
 *   POST   /api/rooms/:id/token          a new credential (the old one stops; its link closes)
 *   DELETE /api/rooms/:id/token          revoke the credential (the link closes)
 *   POST   /api/rooms/:id/commands {…}   a command for the room (message, layout, endClass,
 *                                        rotateCode, reload) → 202 {id}
 *
 * Errors: {"error": {"code", "message"}} with UNAUTHORIZED, NOT_FOUND, INVALID_PARAMS,
 * PAYLOAD_TOO_LARGE, ROOM_OFFLINE, METHOD_NOT_ALLOWED.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { Command } from '../protocol';
import type { RoomSummary, RoomView } from '../protocol';
import type { CloudServer } from './CloudServer';
import { hashToken, newId, newRoomToken } from './ids';

const MAX_BODY = 64 * 1024;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NewRoom = z.object({ name: z.string().trim().min(1).max(80) });

export async function handleApi(
  cloud: CloudServer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (!cloud.isAdmin(req.headers.authorization)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'admin token required (Authorization: Bearer …)');
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).slice(1); // after "api"
    const result = await route(cloud, req, parts);
    send(res, result.status, result.body);
  } catch (err) {
    if (err instanceof ApiError)
      send(res, err.status, { error: { code: err.code, message: err.message } });
    else if (err instanceof z.ZodError) {
      send(res, 400, { error: { code: 'INVALID_PARAMS', message: z.prettifyError(err) } });
    } else throw err;
  }
}

async function route(
  cloud: CloudServer,
  req: IncomingMessage,
  parts: string[],
): Promise<{ status: number; body: unknown }> {
  const store = cloud.store;
  const [collection, id, sub] = parts;
  if (collection !== 'rooms' || parts.length > 3)
    throw new ApiError(404, 'NOT_FOUND', 'no such route');
  if (id === undefined) {
    if (req.method === 'GET') return { status: 200, body: await summaries(cloud) };
    if (req.method === 'POST') {
      const { name } = NewRoom.parse(await readJson(req));
      const token = newRoomToken();
      const record = { id: newId(10), name, tokenHash: hashToken(token), createdAt: Date.now() };
      await store.createRoom(record);
      return { status: 201, body: { id: record.id, name, token } };
    }
    throw notAllowed();
  }
  const record = await store.room(id);
  if (!record) throw new ApiError(404, 'NOT_FOUND', 'no such room');
  if (sub === undefined) {
    if (req.method !== 'GET') throw notAllowed();
    const [view, online] = await Promise.all([store.view(id), store.online()]);
    return {
      status: 200,
      body: { ...(view ?? emptyView(record.id, record.name)), online: online.has(id) },
    };
  }
  if (sub === 'token') {
    if (req.method === 'POST') {
      const token = newRoomToken();
      await store.setToken(id, hashToken(token));
      await store.revoked(id);
      return { status: 200, body: { id, token } };
    }
    if (req.method === 'DELETE') {
      await store.setToken(id, null);
      await store.revoked(id);
      return { status: 200, body: { id, revoked: true } };
    }
    throw notAllowed();
  }
  if (sub === 'commands') {
    if (req.method !== 'POST') throw notAllowed();
    const command = Command.parse(await readJson(req));
    const commandId = newId(10);
    const delivered = await store.sendCommand({ roomId: id, id: commandId, command });
    if (!delivered) throw new ApiError(409, 'ROOM_OFFLINE', 'the room is not connected');
    return { status: 202, body: { id: commandId } };
  }
  throw new ApiError(404, 'NOT_FOUND', 'no such route');
}

async function summaries(cloud: CloudServer): Promise<RoomSummary[]> {
  const [records, views, online] = await Promise.all([
    cloud.store.rooms(),
    cloud.store.views(),
    cloud.store.online(),
  ]);
  const byId = new Map(views.map((v) => [v.id, v]));
  return records
    .map((r) => {
      const v = byId.get(r.id);
      const live = online.has(r.id);
      return {
        id: r.id,
        name: v?.name ?? r.name,
        online: live,
        hasCredential: r.tokenHash !== null,
        classRunning: live && (v?.classRunning ?? false),
        sharing: live ? (v?.shares.map((s) => s.by) ?? []) : [],
        devices: live ? (v?.devices ?? 0) : 0,
        health: live ? (v?.health ?? 'unknown') : 'unknown',
        updatedAt: v?.updatedAt ?? null,
      };
    })
    .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
}

function emptyView(id: string, name: string): RoomView {
  return {
    id,
    name,
    online: false,
    classRunning: false,
    classId: null,
    locked: false,
    peers: [],
    shares: [],
    layout: null,
    devices: 0,
    health: 'unknown',
    events: [],
    series: [],
    host: null,
    hostSeries: [],
    iceFailures: 0,
    iceInterruptions: 0,
    commands: [],
    link: { connects: 0, resyncs: 0, received: 0, duplicates: 0 },
    updatedAt: 0,
  };
}

const notAllowed = () => new ApiError(405, 'METHOD_NOT_ALLOWED', 'method not allowed here');

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ApiError(400, 'INVALID_PARAMS', 'body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .end(JSON.stringify(body));
}
