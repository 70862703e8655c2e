import { RelayServer, type RelayLimits, type RelayOptions } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';
import type { Room, RoomKeys } from '../../local-ws';
import { TestClient } from './TestClient';

export { LOAD_LIMITS } from './loadLimits';

export const TEACHER_SECRET = 'correct horse battery staple';

const teacherHash = hashCredential(TEACHER_SECRET);

export interface TestRelay {
  relay: RelayServer;
  room: Room;
  url: string;
  /** Opens a client; closed automatically by stop(). */
  connect(): Promise<TestClient>;
  teacher(name?: string): Promise<TestClient>;
  student(name: string, room?: Room): Promise<TestClient>;
  screen(room?: Room): Promise<TestClient>;
  stop(): Promise<void>;
}

/** A real relay on 127.0.0.1:0 with one room, and helpers to join it as each role. */
export async function startRelay(
  limits: Partial<RelayLimits> = {},
  extra: Partial<RelayOptions> = {},
  /** Bring back a room a stopped relay had (same id, code and screen key). */
  restore?: RoomKeys,
): Promise<TestRelay> {
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    limits,
    ...extra,
    teacherCredentialHash: teacherHash,
  });
  const room = relay.registry.createRoom('Room 101', restore);
  const port = await relay.listen();
  const url = `ws://127.0.0.1:${port}/ws`;
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(url);
    clients.push(c);
    return c;
  };
  return {
    relay,
    room,
    url,
    connect,
    async teacher(name = 'Ms. Teacher') {
      const c = await connect();
      await c.join({ role: 'teacher', name, code: room.code, credential: TEACHER_SECRET });
      return c;
    },
    async student(name, inRoom = room) {
      const c = await connect();
      await c.join({ role: 'student', name, code: inRoom.code });
      return c;
    },
    async screen(inRoom = room) {
      const c = await connect();
      await c.join({ role: 'screen', name: 'Screen', credential: inRoom.screenKey });
      return c;
    },
    async stop() {
      for (const c of clients) c.ws.terminate();
      await relay.close();
    },
  };
}

/** Asserts that a promise rejects with a ProtocolError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    const got = (err as { code?: string }).code;
    if (got === code) return;
    throw new Error(`expected ${code}, got ${got ?? String(err)}`);
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the client's socket was closed, or null when it is still open after `ms`. */
export const closedWithin = (client: TestClient, ms: number) =>
  Promise.race([client.closed, sleep(ms).then(() => null)]);
