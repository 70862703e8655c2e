import {
  parseRemoteToken,
  remoteToken,
  type RemoteLinkInfo,
  type RemoteRole,
  type ScheduledClass,
} from '../../protocol';
import { hashToken, randomToken, tokenMatches } from '../../server-kit/secrets';
import { newId } from '../ids';
import { upcomingClasses } from '../schedule';
import type { CloudStore, RemoteLinkRecord, RoomRecord } from '../store/CloudStore';

/** Links a room keeps at once (expired ones are dropped when a new one is made). */
export const MAX_REMOTE_LINKS = 50;
const NO_CLASS_MS = 3 * 3600_000;

/** Why a token does not let anyone in (the browser is told only LINK_INVALID). */
export type LinkRefusal = 'malformed' | 'unknown' | 'expired';

/**
 * Remote links of a room: made by the console, kept hashed in the room's record, checked when a
 * remote participant connects, revoked at once (the holder ends their sessions).
 */
export class RemoteLinks {
  constructor(private readonly store: CloudStore) {}

  /** A new link: its token is shown once. Lasts `minutes`, or until the class on now ends. */
  async create(
    room: RoomRecord,
    role: RemoteRole,
    label: string,
    minutes: number | undefined,
    now = Date.now(),
  ): Promise<{ link: RemoteLinkInfo; token: string }> {
    const secret = randomToken(24);
    const record: RemoteLinkRecord = {
      id: newId(10),
      role,
      label,
      createdAt: now,
      expiresAt: minutes === undefined ? classEnd(room.schedule, now) : now + minutes * 60_000,
      secretHash: hashToken(secret),
    };
    const kept = (room.remoteLinks ?? []).filter((l) => l.expiresAt > now);
    if (kept.length >= MAX_REMOTE_LINKS) kept.shift();
    await this.store.updateRoom(room.id, { remoteLinks: [...kept, record] });
    return { link: info(record), token: remoteToken(room.id, record.id, secret) };
  }

  list(room: RoomRecord, now = Date.now()): RemoteLinkInfo[] {
    return (room.remoteLinks ?? []).filter((l) => l.expiresAt > now).map(info);
  }

  /** Revokes one link (or all when `id` is absent); false when there was no such link. */
  async revoke(room: RoomRecord, id?: string): Promise<boolean> {
    const links = room.remoteLinks ?? [];
    const kept = id === undefined ? [] : links.filter((l) => l.id !== id);
    if (id !== undefined && kept.length === links.length) return false;
    await this.store.updateRoom(room.id, { remoteLinks: kept });
    await this.store.remoteLinksChanged(room.id);
    return true;
  }

  /** The room and link a token stands for, or why it stands for nothing. */
  async check(
    token: string,
    now = Date.now(),
  ): Promise<{ room: RoomRecord; link: RemoteLinkRecord } | LinkRefusal> {
    const parts = parseRemoteToken(token);
    if (!parts) return 'malformed';
    const room = await this.store.room(parts.room);
    const link = room?.remoteLinks?.find((l) => l.id === parts.link);
    if (!room || !link || !tokenMatches(parts.secret, link.secretHash)) return 'unknown';
    if (link.expiresAt <= now) return 'expired';
    return { room, link };
  }
}

function info({ secretHash: _s, ...link }: RemoteLinkRecord): RemoteLinkInfo {
  return link;
}

/** When the class on now ends (by the timetable), or in three hours when none is on. */
function classEnd(schedule: ScheduledClass[] | undefined, now: number): number {
  const running = upcomingClasses(
    schedule ?? [],
    { joinUrl: null, secureUrl: null, pin: null },
    now,
  )
    .filter((c) => c.running)
    .map((c) => c.end);
  return running.length > 0 ? Math.max(...running) : now + NO_CLASS_MS;
}
