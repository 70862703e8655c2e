/**
 * The operators' JSON API: one handler per route of protocol/cloudApi.ts, typed by its response.
 * The router matches method and path from that table, validates the body with the route's
 * schema and answers errors as {"error": {"code", "message"}}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  ApiErrorCode,
  cloudApi,
  type CloudApiParsedBody,
  type CloudApiResponses,
  type CloudRoute,
  type RoomSummary,
  type RoomView,
  REMOTE_LINK_PARAM,
  REMOTE_PAGE_PATH,
  scheduleProblem,
} from '../protocol';
import { sendJson } from '../server-kit/http';
import { hashToken, randomToken } from '../server-kit/secrets';
import { calendarPath } from './calendar';
import type { CloudServer } from './CloudServer';
import { newId, newRoomToken } from './ids';
import { addressesOf, upcomingClasses, withKeys } from './schedule';
import type { RoomRecord } from './store/CloudStore';

const MAX_BODY = 64 * 1024;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface RouteContext<R extends CloudRoute> {
  cloud: CloudServer;
  /** The room the path names (routes with `:id`), looked up already. */
  room: RoomRecord | null;
  body: CloudApiParsedBody<R>;
}

type RouteHandler<R extends CloudRoute> = (
  ctx: RouteContext<R>,
) => Promise<{ status: number; body: CloudApiResponses[R] }>;

const ok = <T>(body: T, status = 200) => ({ status, body });

function needRoom(room: RoomRecord | null): RoomRecord {
  if (!room) throw new ApiError(404, ApiErrorCode.NOT_FOUND, 'no such room');
  return room;
}

const routes: { [R in CloudRoute]: RouteHandler<R> } = {
  listRooms: async ({ cloud }) => ok(await summaries(cloud)),
  createRoom: async ({ cloud, body }) => {
    const token = newRoomToken();
    const record = {
      id: newId(10),
      name: body.name,
      tokenHash: hashToken(token),
      createdAt: Date.now(),
    };
    await cloud.store.createRoom(record);
    return ok({ id: record.id, name: record.name, token }, 201);
  },
  room: async ({ cloud, room }) => {
    const record = needRoom(room);
    const [view, online] = await Promise.all([cloud.store.view(record.id), cloud.store.online()]);
    return ok({ ...(view ?? emptyView(record.id, record.name)), online: online.has(record.id) });
  },
  newToken: async ({ cloud, room }) => {
    const { id } = needRoom(room);
    const token = newRoomToken();
    await cloud.store.updateRoom(id, { tokenHash: hashToken(token) });
    await cloud.store.revoked(id);
    return ok({ id, token });
  },
  revokeToken: async ({ cloud, room }) => {
    const { id } = needRoom(room);
    await cloud.store.updateRoom(id, { tokenHash: null });
    await cloud.store.revoked(id);
    return ok({ id, revoked: true as const });
  },
  command: async ({ cloud, room, body }) => {
    const { id } = needRoom(room);
    const commandId = newId(10);
    const delivered = await cloud.store.sendCommand({ roomId: id, id: commandId, command: body });
    if (!delivered) throw new ApiError(409, ApiErrorCode.ROOM_OFFLINE, 'the room is not connected');
    return ok({ id: commandId }, 202);
  },
  schedule: async ({ cloud, room, body }) => {
    const { id, schedule } = needRoom(room);
    const problem = scheduleProblem(body.classes);
    if (problem) throw new ApiError(400, ApiErrorCode[problem.code], problem.message);
    await cloud.store.updateRoom(id, { schedule: withKeys(body.classes, schedule) });
    await cloud.store.scheduleChanged(id);
    const online = await cloud.store.online();
    return ok({ classes: body.classes.length, delivered: online.has(id) });
  },
  getSchedule: async ({ cloud, room }) => {
    const record = needRoom(room);
    const view = await cloud.store.view(record.id);
    const classes = record.schedule ?? [];
    return ok({
      classes,
      upcoming: upcomingClasses(classes, addressesOf(view)),
      calendar: calendarPath(record.id, record.calendar ?? (await newCalendar(cloud, record.id))),
    });
  },
  newCalendar: async ({ cloud, room }) => {
    const { id } = needRoom(room);
    return ok({ calendar: calendarPath(id, await newCalendar(cloud, id)) });
  },
  listRecords: async ({ cloud, room }) => {
    const { id } = needRoom(room);
    const records = cloud.records ? await cloud.records.list(id) : [];
    return ok({ records, uploads: cloud.records !== null });
  },
  deleteRecord: async ({ cloud, room, body }) => {
    const { id } = needRoom(room);
    if (!(await cloud.records?.remove(id, body.record))) {
      throw new ApiError(404, ApiErrorCode.NOT_FOUND, 'no such record in the cloud');
    }
    return ok({ id: body.record, deleted: true as const });
  },
  createRemoteLink: async ({ cloud, room, body }) => {
    const record = needRoom(room);
    const made = await cloud.remoteLinks.create(record, body.role, body.label, body.minutes);
    const path = `${REMOTE_PAGE_PATH}?${REMOTE_LINK_PARAM}=${encodeURIComponent(made.token)}`;
    return ok({ ...made, path }, 201);
  },
  listRemoteLinks: async ({ cloud, room }) => {
    const record = needRoom(room);
    const connected = cloud.remote.counts().get(record.id) ?? 0;
    return ok({ links: cloud.remoteLinks.list(record), connected });
  },
  revokeRemoteLink: async ({ cloud, room, body }) => {
    if (!(await cloud.remoteLinks.revoke(needRoom(room), body.link))) {
      throw new ApiError(404, ApiErrorCode.NOT_FOUND, 'no such remote link');
    }
    return ok({ revoked: true as const });
  },
} satisfies { [R in CloudRoute]: RouteHandler<R> };

const ROUTES = Object.keys(cloudApi) as CloudRoute[];

/** The route a request names and the room id in its path; 404/405 otherwise. */
function match(method: string, pathname: string): { route: CloudRoute; id: string | null } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const spec = cloudApi[route];
    const pattern = new RegExp(`^${spec.path.replace(':id', '([A-Za-z0-9]{1,64})')}$`);
    const m = pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (spec.method === method) return { route, id: m[1] ?? null };
  }
  if (pathMatched) {
    throw new ApiError(405, ApiErrorCode.METHOD_NOT_ALLOWED, 'method not allowed here');
  }
  throw new ApiError(404, ApiErrorCode.NOT_FOUND, 'no such route');
}

export async function handleApi(
  cloud: CloudServer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (!cloud.isAdmin(req.headers.authorization)) {
      throw new ApiError(
        401,
        ApiErrorCode.UNAUTHORIZED,
        'admin token required (Authorization: Bearer …)',
      );
    }
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const { route, id } = match(req.method ?? 'GET', pathname);
    const result = await runRoute(route, cloud, id, req);
    sendJson(res, result.status, result.body);
  } catch (err) {
    if (err instanceof ApiError) {
      sendJson(res, err.status, { error: { code: err.code, message: err.message } });
    } else if (err instanceof z.ZodError) {
      sendJson(res, 400, {
        error: { code: ApiErrorCode.INVALID_PARAMS, message: z.prettifyError(err) },
      });
    } else throw err;
  }
}

async function runRoute<R extends CloudRoute>(
  route: R,
  cloud: CloudServer,
  id: string | null,
  req: IncomingMessage,
): Promise<{ status: number; body: CloudApiResponses[R] }> {
  const room = id === null ? null : await cloud.store.room(id);
  if (id !== null) needRoom(room);
  const schema: z.ZodType | null = cloudApi[route].body;
  // The route's own schema produced it; the table types it per route.
  const body = (schema ? schema.parse(await readJson(req)) : undefined) as CloudApiParsedBody<R>;
  const handler: RouteHandler<R> = routes[route];
  return handler({ cloud, room, body });
}

/** A new secret for the room's calendar feed (the old address stops working). */
async function newCalendar(cloud: CloudServer, id: string): Promise<string> {
  const secret = randomToken(16);
  await cloud.store.updateRoom(id, { calendar: secret });
  return secret;
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
    joinUrl: null,
    secureUrl: null,
    pin: null,
    peers: [],
    paths: {},
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      throw new ApiError(413, ApiErrorCode.PAYLOAD_TOO_LARGE, `body over ${MAX_BODY} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ApiError(400, ApiErrorCode.INVALID_PARAMS, 'body is not JSON');
  }
}
