import { encodeNotification, ErrorCode, ProtocolError, type LobbyEntry } from '../protocol';
import { randomToken } from '../protocol/ids';
import type { Connection } from './Connection';
import type { Room } from './Room';
import { TokenBucket } from '../server-kit/TokenBucket';

/** Devices waiting at once per room, and per address (a class arriving fits; a flood does not). */
export const MAX_WAITING = 40;
export const MAX_WAITING_PER_ADDRESS = 2;
/** Knocks per address: one a second, five at once (like wrong codes: a person's rate). */
const KNOCKS_PER_SECOND = 1;
const KNOCK_BURST = 5;
/** A knock nobody answers ends after this. */
export const LOBBY_WAIT_MS = 5 * 60_000;

interface Waiting {
  entry: LobbyEntry;
  conn: Connection;
  settle(admitted: boolean | 'timeout' | 'closed'): void;
}

/**
 * "Approve new devices": when the teacher switches it on, a student who is not remembered waits
 * here — knowing nothing of the room, holding no member — until a teacher admits or refuses it.
 * Bounded per room and per address, knocks rate-limited per address; a closed socket leaves.
 */
export class RoomLobby {
  enabled = false;
  private readonly waiting = new Map<string, Waiting>();
  private readonly knocks = new Map<string, TokenBucket>();

  constructor(private readonly room: Room) {}

  list(): LobbyEntry[] {
    return [...this.waiting.values()].map((w) => w.entry);
  }

  /** Waits for a teacher's answer; throws LOBBY_REFUSED, LOBBY_FULL, RATE_LIMITED or TIMEOUT. */
  async knock(conn: Connection, name: string): Promise<void> {
    let bucket = this.knocks.get(conn.address);
    if (!bucket) {
      if (this.knocks.size > 10_000) this.knocks.clear();
      this.knocks.set(conn.address, (bucket = new TokenBucket(KNOCKS_PER_SECOND, KNOCK_BURST)));
    }
    if (!bucket.take()) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'too many requests to join; wait a moment');
    }
    const fromAddress = [...this.waiting.values()].filter((w) => w.conn.address === conn.address);
    if (this.waiting.size >= MAX_WAITING || fromAddress.length >= MAX_WAITING_PER_ADDRESS) {
      throw new ProtocolError(ErrorCode.LOBBY_FULL, 'too many devices are waiting; try again soon');
    }
    const id = randomToken(6);
    const outcome = await new Promise<boolean | 'timeout' | 'closed'>((resolve) => {
      const timer = setTimeout(() => settle('timeout'), LOBBY_WAIT_MS);
      timer.unref();
      const onClose = () => settle('closed');
      conn.socket.once('close', onClose);
      const settle = (how: boolean | 'timeout' | 'closed') => {
        if (!this.waiting.delete(id)) return;
        clearTimeout(timer);
        conn.socket.off('close', onClose);
        this.changed();
        resolve(how);
      };
      this.waiting.set(id, { entry: { id, name, device: conn.deviceLabel }, conn, settle });
      conn.notify('lobbyWaiting', {});
      this.changed();
    });
    if (outcome === true) return;
    if (outcome === 'timeout') throw new ProtocolError(ErrorCode.TIMEOUT, 'nobody answered');
    if (outcome === 'closed') throw new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'left');
    throw new ProtocolError(ErrorCode.LOBBY_REFUSED, 'the teacher did not let this device in');
  }

  /** A teacher's answer; throws PEER_NOT_FOUND for one no longer waiting. */
  answer(id: string, admit: boolean): void {
    const w = this.waiting.get(id);
    if (!w) throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'no longer waiting');
    w.settle(admit);
  }

  /** Switched off: everyone waiting is let in (the teacher chose an open room again). */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) for (const w of [...this.waiting.values()]) w.settle(true);
  }

  private changed(): void {
    const frame = Buffer.from(encodeNotification('lobbyChanged', { waiting: this.list() }));
    for (const m of this.room.members.values()) if (m.role === 'teacher') m.sendRaw(frame);
  }
}
