import {
  cloudApi,
  cloudApiPath,
  type CloudApiBody,
  type CloudApiResponses,
  type CloudRoute,
  type CommandInput,
} from '../../../protocol';

const TOKEN_KEY = 'lectern.adminToken';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The admin token for this browser tab (kept in sessionStorage, never in the URL). */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** One route of the cloud's API (protocol/cloudApi.ts), typed by its body and response. */
async function call<R extends CloudRoute>(
  route: R,
  id?: string,
  body?: CloudApiBody<R>,
): Promise<CloudApiResponses[R]> {
  const res = await fetch(cloudApiPath(route, id), {
    method: cloudApi[route].method,
    headers: {
      authorization: `Bearer ${token.get() ?? ''}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const data = (await res.json()) as CloudApiResponses[R] & {
    error?: { code: string; message: string };
  };
  if (!res.ok) {
    throw new ApiError(res.status, data.error?.code ?? 'HTTP_ERROR', data.error?.message ?? '');
  }
  return data;
}

export const api = {
  rooms: () => call('listRooms'),
  room: (id: string) => call('room', id),
  addRoom: (name: string) => call('createRoom', undefined, { name }),
  newToken: (id: string) => call('newToken', id),
  revoke: (id: string) => call('revokeToken', id),
  command: (id: string, command: CommandInput) => call('command', id, command),
  schedule: (id: string) => call('getSchedule', id),
  setSchedule: (id: string, classes: CloudApiBody<'schedule'>['classes']) =>
    call('schedule', id, { classes }),
  newCalendar: (id: string) => call('newCalendar', id),
  records: (id: string) => call('listRecords', id),
  deleteRecord: (id: string, record: string) => call('deleteRecord', id, { record }),
  remoteLinks: (id: string) => call('listRemoteLinks', id),
  createRemoteLink: (id: string, body: CloudApiBody<'createRemoteLink'>) =>
    call('createRemoteLink', id, body),
  revokeRemoteLink: (id: string, link?: string) =>
    call('revokeRemoteLink', id, link === undefined ? {} : { link }),
};
