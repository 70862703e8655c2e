import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { CloudServer, type CloudServerOptions } from '../../cloud/CloudServer';
import type { CloudStore } from '../../cloud/store/CloudStore';
import { MemoryStore } from '../../cloud/store/MemoryStore';
import type { RelayLimits, RelayServer, Room } from '../../local-ws';
import type { Timetable } from '../../protocol';
import { until } from './media';
import { startRelay, type TestRelay } from './relay';
import { RoomFeed, type CloudOptions } from '../../local-ws/upstream/RoomFeed';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestCloud {
  cloud: CloudServer;
  /** http://127.0.0.1:port */
  base: string;
  linkUrl: string;
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  addRoom(name?: string): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
}

/** A real cloud server on 127.0.0.1 (port 0 unless given) with the embedded store by default. */
export async function startCloud(
  opts: Partial<Omit<CloudServerOptions, 'store'>> & { store?: CloudStore } = {},
): Promise<TestCloud> {
  const cloud = new CloudServer({
    host: '127.0.0.1',
    port: 0,
    adminToken: ADMIN_TOKEN,
    heartbeatMs: 1000,
    publishMs: 100,
    ...opts,
    store: opts.store ?? new MemoryStore(),
  });
  const port = await cloud.listen();
  const base = `http://127.0.0.1:${port}`;
  const api = adminApi(base);
  return {
    cloud,
    base,
    linkUrl: `ws://127.0.0.1:${port}/link`,
    api,
    async addRoom(name = 'Room 101') {
      const res = await api<{ id: string; token: string }>('POST', '/api/rooms', { name });
      if (res.status !== 201) throw new Error(`addRoom: ${res.status}`);
      return res.body;
    },
    stop: () => cloud.close(),
  };
}

/** Until a room's link to the cloud is online (5 s at most). */
export async function linkOnline(feed: RoomFeed): Promise<void> {
  await until(
    'link online',
    async () => feed.link.status.state,
    (s) => s === 'online',
    5000,
    20,
  );
}

/** Waits until the room's host knows that its cloud runs an SFU (its leg is available). */
export async function cloudSfuReady(feed: RoomFeed): Promise<void> {
  await until(
    'cloud SFU known to the host',
    async () => feed.media?.available,
    (a) => a === true,
    10_000,
    50,
  );
}

/** Links a test relay's room to a cloud with fast timings; the caller closes the feed. */
export function linkRoom(
  relay: RelayServer,
  room: Room,
  opts: Pick<CloudOptions, 'url' | 'roomId' | 'token'> & Partial<CloudOptions>,
  schedule?: (timetable: Timetable) => void,
): RoomFeed {
  const feed = new RoomFeed(
    relay,
    room,
    {
      backoff: { minMs: 50, maxMs: 1000 },
      heartbeatMs: 1000,
      handshakeTimeoutMs: 2000,
      ...opts,
    },
    schedule,
  );
  feed.start();
  return feed;
}

/**
 * The operators' API of a cloud at `base`, with the test admin token. A fresh connection per
 * call (no keep-alive), so tests can count the links' connections. `ca`: the certificate an
 * https cloud is trusted by.
 */
export function adminApi(base: string, token = ADMIN_TOKEN, ca?: string) {
  const send = base.startsWith('https:') ? requestTls : request;
  return <T = unknown>(method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: T }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = send(
        `${base}${path}`,
        {
          method,
          agent: false,
          ...(ca !== undefined && { ca }),
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            // Node sends a DELETE's body unframed unless its length is given.
            ...(text !== undefined && { 'content-length': Buffer.byteLength(text) }),
          },
        },
        (res) => {
          let answer = '';
          res.on('data', (d: Buffer) => (answer += d.toString()));
          // JSON, or the text itself (/metrics).
          const json = String(res.headers['content-type']).startsWith('application/json');
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: (json ? JSON.parse(answer) : answer) as T,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });
}

export interface LinkedRoom {
  cloud: TestCloud;
  relay: TestRelay;
  id: string;
  token: string;
  feed: RoomFeed;
  stop(): Promise<void>;
}

/** A cloud, a relay whose room is linked to it, and one stop() for all of them. */
export async function linkedRoom(
  opts: Partial<CloudOptions> & { limits?: Partial<RelayLimits>; name?: string } = {},
  cloudOpts: Parameters<typeof startCloud>[0] = {},
): Promise<LinkedRoom> {
  const { limits, name, ...feedOpts } = opts;
  const cloud = await startCloud(cloudOpts);
  const relay = await startRelay(limits);
  const { id, token } = await cloud.addRoom(name);
  const feed = linkRoom(relay.relay, relay.room, {
    url: cloud.linkUrl,
    roomId: id,
    token,
    ...feedOpts,
  });
  return {
    cloud,
    relay,
    id,
    token,
    feed,
    async stop() {
      feed.close();
      await relay.stop();
      await cloud.stop();
    },
  };
}
