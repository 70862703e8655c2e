import type { CommandInput, RoomSummary, RoomView } from '../../../protocol';

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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token.get() ?? ''}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const data = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) {
    throw new ApiError(res.status, data.error?.code ?? 'HTTP_ERROR', data.error?.message ?? '');
  }
  return data;
}

/** The cloud's operator API (see cloud/api.ts). */
export const api = {
  rooms: () => call<RoomSummary[]>('GET', '/api/rooms'),
  room: (id: string) => call<RoomView>('GET', `/api/rooms/${encodeURIComponent(id)}`),
  addRoom: (name: string) =>
    call<{ id: string; name: string; token: string }>('POST', '/api/rooms', { name }),
  newToken: (id: string) =>
    call<{ token: string }>('POST', `/api/rooms/${encodeURIComponent(id)}/token`),
  revoke: (id: string) => call<unknown>('DELETE', `/api/rooms/${encodeURIComponent(id)}/token`),
  command: (id: string, command: CommandInput) =>
    call<{ id: string }>('POST', `/api/rooms/${encodeURIComponent(id)}/commands`, command),
};
