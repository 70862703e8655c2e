import {
  ErrorCode,
  ProtocolError,
  type CloudStatus,
  type DeviceMetrics,
  type ServerEvent,
  type ServerPayload,
  type Share,
} from '../protocol';
import { CodeGuard } from './CodeGuard';
import type { RelayLimits } from './config';
import { createLogger } from './log';
import type { Member } from './Member';
import { Room, type RoomHost } from './Room';
import { newJoinCode, newToken, sameSecret } from './secrets';

const log = createLogger('rooms');

export type CodeChange = { room: Room } & ServerPayload<'codeChanged'>;

/** What identifies a room across host restarts. */
export interface RoomKeys {
  id: string;
  code: string;
  screenKey: string;
}

/** What the registry tells the host's media side (the SFU) about rooms. */
export interface MediaHooks {
  memberGone(member: Member): void;
  shareDropped(room: Room, shareId: string): void;
}

/** What the registry tells the cloud link about rooms (set when a cloud is configured). */
export interface FeedHooks {
  roomEvent(room: Room, event: ServerEvent, params: unknown): void;
  metrics(member: Member, metrics: DeviceMetrics): void;
  cloudStatus(room: Room): CloudStatus | undefined;
}

/** All rooms of one relay, their join codes and the members' resume tokens. */
export class RoomRegistry implements RoomHost {
  readonly rooms = new Map<string, Room>();
  private readonly byCode = new Map<string, Room>();
  private readonly byToken = new Map<string, Member>();
  private readonly guard: CodeGuard;
  private readonly codeListeners = new Set<(c: CodeChange) => void>();

  /** The host's LAN URL for students, shown by room screens. */
  joinUrl: string | undefined;
  /** Media hooks (the SFU), when the host runs one. */
  media: MediaHooks | null = null;
  /** Cloud link hooks, when the host has a cloud configured. */
  feed: FeedHooks | null = null;

  constructor(private readonly limits: RelayLimits) {
    this.guard = new CodeGuard(limits.wrongCodeLimit, limits.wrongCodeWindowMs);
  }

  /**
   * Opens a room. `restore` brings back a room a restarted host had (same id, code and screen
   * key), so its devices can rejoin.
   */
  createRoom(name: string, restore?: RoomKeys): Room {
    const taken = new Set(this.byCode.keys());
    const code = restore && !taken.has(restore.code) ? restore.code : newJoinCode(taken);
    const room = new Room(
      restore?.id ?? newToken(6),
      name,
      code,
      restore?.screenKey ?? newToken(24),
      this,
      this.limits.chatHistory,
    );
    room.joinUrl = this.joinUrl;
    this.rooms.set(room.id, room);
    this.byCode.set(code, room);
    return room;
  }

  /** Subscribes to join-code changes (the host prints them); returns the unsubscribe function. */
  onCodeChanged(listener: (c: CodeChange) => void): () => void {
    this.codeListeners.add(listener);
    return () => this.codeListeners.delete(listener);
  }

  /** The room a join code opens. Wrong codes count toward the global brute-force limit. */
  roomForCode(code: string | undefined): Room {
    const wait = this.guard.frozenFor();
    if (wait > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'too many wrong codes; try again soon', wait);
    }
    const room = code === undefined ? undefined : this.byCode.get(code);
    if (room) return room;
    this.wrongGuess();
    throw new ProtocolError(ErrorCode.BAD_CODE, 'wrong join code');
  }

  /** A wrong code or teacher credential: rotate every code once the limit trips. */
  wrongGuess(): void {
    if (!this.guard.recordWrong()) return;
    log.warn('wrong-code limit reached: rotating every join code');
    for (const room of this.rooms.values()) this.rotateCode(room, 'bruteForce');
  }

  roomForScreenKey(key: string | undefined): Room {
    if (key !== undefined) {
      for (const room of this.rooms.values()) if (sameSecret(room.screenKey, key)) return room;
    }
    throw new ProtocolError(ErrorCode.BAD_CREDENTIAL, 'wrong screen key');
  }

  memberForToken(token: string): Member | undefined {
    return this.byToken.get(token);
  }

  /** Gives the member a fresh resume token (the previous one stops working). */
  issueToken(member: Member): string {
    this.byToken.delete(member.resumeToken);
    member.resumeToken = newToken();
    this.byToken.set(member.resumeToken, member);
    return member.resumeToken;
  }

  rotateCode(room: Room, reason: CodeChange['reason']): void {
    this.byCode.delete(room.code);
    room.code = newJoinCode(new Set(this.byCode.keys()));
    this.byCode.set(room.code, room);
    room.broadcastPrivileged('codeChanged', { code: room.code, reason });
    for (const l of this.codeListeners) l({ room, code: room.code, reason });
  }

  memberGone(member: Member): void {
    if (this.byToken.get(member.resumeToken) === member) this.byToken.delete(member.resumeToken);
    this.media?.memberGone(member);
  }

  shareDropped(room: Room, share: Share): void {
    this.media?.shareDropped(room, share.id);
  }

  roomEvent(room: Room, event: ServerEvent, params: unknown): void {
    this.feed?.roomEvent(room, event, params);
  }

  cloudStatus(room: Room): CloudStatus | undefined {
    return this.feed?.cloudStatus(room);
  }

  get hasSfu(): boolean {
    return this.media !== null;
  }

  classEnded(room: Room): void {
    this.rotateCode(room, 'newClass');
  }
}
