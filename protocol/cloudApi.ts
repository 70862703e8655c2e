/**
 * The cloud's operator API (the console uses it too): every route with its HTTP method, path,
 * request body schema and response type. The server's router and the console's client are both
 * built from this one table, so they cannot drift apart.
 *
 * Every route needs `Authorization: Bearer <admin token>`. Errors answer
 * `{"error": {"code", "message"}}` with one of {@link ApiErrorCode}.
 */
import { z } from 'zod';
import type { RoomSummary, RoomView } from './console';
import type { CloudRecord } from './recordUploads';
import { RecordId } from './records';
import { NewRemoteLinkBody, type RemoteLinkInfo } from './remote';
import { Timetable, type ScheduledClass } from './schedule';
import { Command } from './upstream';

export const NewRoomBody = z.object({ name: z.string().trim().min(1).max(80) });
const RecordRef = z.object({ record: RecordId });

export const ApiErrorCode = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  INVALID_PARAMS: 'INVALID_PARAMS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A command for a room whose host is not linked now. */
  ROOM_OFFLINE: 'ROOM_OFFLINE',
  /** A timetable refused (protocol/schedule.ts): a class too short or long, an overlap, too many. */
  SCHEDULE_INVALID: 'SCHEDULE_INVALID',
  SCHEDULE_OVERLAP: 'SCHEDULE_OVERLAP',
  SCHEDULE_FULL: 'SCHEDULE_FULL',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** Route name → method, path (`:id` is a room id) and body schema (null: no body). */
export const cloudApi = {
  /** The rooms grid: online, class running, who shares, devices, health. */
  listRooms: { method: 'GET', path: '/api/rooms', body: null },
  /** A new room and its credential (shown once). */
  createRoom: { method: 'POST', path: '/api/rooms', body: NewRoomBody },
  /** Room detail: roster, stage, events, metrics, commands. */
  room: { method: 'GET', path: '/api/rooms/:id', body: null },
  /** A new credential (the old one stops; its live link closes with 4401). */
  newToken: { method: 'POST', path: '/api/rooms/:id/token', body: null },
  /** Revokes the credential (the live link closes). */
  revokeToken: { method: 'DELETE', path: '/api/rooms/:id/token', body: null },
  /** A command for the room (message, layout, endClass, rotateCode, reload) → 202. */
  command: { method: 'POST', path: '/api/rooms/:id/commands', body: Command },
  /** The room's whole timetable; kept, and sent to its host now or when it next links. */
  schedule: { method: 'PUT', path: '/api/rooms/:id/schedule', body: Timetable },
  /** The timetable, each class's next occurrence with its code and link, the calendar feed. */
  getSchedule: { method: 'GET', path: '/api/rooms/:id/schedule', body: null },
  /** A new calendar feed address (the old one stops working). */
  newCalendar: { method: 'POST', path: '/api/rooms/:id/calendar', body: null },
  /** The class records the room's host uploaded, newest first, with signed download links. */
  listRecords: { method: 'GET', path: '/api/rooms/:id/records', body: null },
  /** Removes one uploaded record from the cloud (the host's own copy stays). */
  deleteRecord: { method: 'DELETE', path: '/api/rooms/:id/records', body: RecordRef },
  /** A link for people outside the room (its token is shown once; see protocol/remote.ts). */
  createRemoteLink: {
    method: 'POST',
    path: '/api/rooms/:id/remote-links',
    body: NewRemoteLinkBody,
  },
  /** The room's remote links that have not expired, and who is connected through the cloud. */
  listRemoteLinks: { method: 'GET', path: '/api/rooms/:id/remote-links', body: null },
  /** Revokes one link (`link`) or all of them; whoever came by it leaves the class at once. */
  revokeRemoteLink: {
    method: 'DELETE',
    path: '/api/rooms/:id/remote-links',
    body: z.object({ link: z.string().max(64).optional() }),
  },
} as const;

export type CloudRoute = keyof typeof cloudApi;

/** What each route answers on success. */
export interface CloudApiResponses {
  listRooms: RoomSummary[];
  createRoom: { id: string; name: string; token: string };
  room: RoomView;
  newToken: { id: string; token: string };
  revokeToken: { id: string; revoked: true };
  command: { id: string };
  /** `delivered`: the host is linked now (else it gets it when it links). */
  schedule: { classes: number; delivered: boolean };
  getSchedule: ScheduleView;
  newCalendar: { calendar: string };
  /** `uploads`: this cloud keeps records (it was started with a records folder). */
  listRecords: { records: CloudRecord[]; uploads: boolean };
  deleteRecord: { id: string; deleted: true };
  /** `path`: the join page on this server with the token (`/join/?link=…`). */
  createRemoteLink: { link: RemoteLinkInfo; token: string; path: string };
  listRemoteLinks: { links: RemoteLinkInfo[]; connected: number };
  revokeRemoteLink: { revoked: true };
}

/** A scheduled class's running or next occurrence, as the console hands it out. */
export interface UpcomingClass {
  id: string;
  title: string;
  teacher: string;
  start: number;
  end: number;
  weekly: boolean;
  record: boolean;
  /** It is on now (by the timetable: the host opened it, unless a teacher ended it early). */
  running: boolean;
  /** The join code the host opens this occurrence with. */
  code: string;
  /** The join link (the host's page with the code), once the host has told its address. */
  link: string | null;
  /** The same on the host's https page (to teach, share or speak), when it serves one. */
  secureLink: string | null;
}

export interface ScheduleView {
  classes: ScheduledClass[];
  /** Soonest first; classes that are over are left out. */
  upcoming: UpcomingClass[];
  /** The calendar feed's path on this server (`/calendar/<room>/<secret>.ics`). */
  calendar: string;
}

type BodySchema<R extends CloudRoute> = (typeof cloudApi)[R]['body'];

/** The body a client sends on a route (before the server's defaults apply). */
export type CloudApiBody<R extends CloudRoute> =
  BodySchema<R> extends z.ZodType ? z.input<BodySchema<R>> : undefined;

/** The body as the server's handler sees it (validated, defaults applied). */
export type CloudApiParsedBody<R extends CloudRoute> =
  BodySchema<R> extends z.ZodType ? z.output<BodySchema<R>> : undefined;

/** The path of a route for a room id. */
export function cloudApiPath(route: CloudRoute, id?: string): string {
  return cloudApi[route].path.replace(':id', encodeURIComponent(id ?? ''));
}
