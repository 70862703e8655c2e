import { ErrorCode, ProtocolError, type ServerPayload } from '../protocol';
import { randomToken } from '../protocol/ids';
import { createLogger } from '../server-kit/log';
import { sameSecret } from '../server-kit/secrets';
import { CodeGuard } from './CodeGuard';
import type { RelayLimits } from './config';
import { newJoinCode } from './joinCode';
import type { Member } from './Member';
import { Room } from './Room';
import type { Sfu } from './sfu/Sfu';

const log = createLogger('rooms');

export type CodeChange = { room: Room } & ServerPayload<'codeChanged'>;

/** What identifies a room across host restarts. */
export interface RoomKeys {
  id: string;
  code: string;
  screenKey: string;
}

export interface RegistryOptions {
  limits: RelayLimits;
  /** The host's SFU, if it runs one: it follows every room's members and shares. */
  sfu: Sfu | null;
  /** The address students open (known once the relay listens). */
  joinUrl(): string | undefined;
}

/** All rooms of one relay, their join codes and the members' resume tokens. */
export class RoomRegistry {
  readonly rooms = new Map<string, Room>();
  private readonly byCode = new Map<string, Room>();
  private readonly byToken = new Map<string, Member>();
  private readonly guard: CodeGuard;
  private readonly codeListeners = new Set<(c: CodeChange) => void>();

  constructor(private readonly opts: RegistryOptions) {
    this.guard = new CodeGuard(opts.limits.wrongCodeLimit, opts.limits.wrongCodeWindowMs);
  }

  /**
   * Opens a room. `restore` brings back a room a restarted host had (same id, code and screen
   * key), so its devices can rejoin.
   */
  createRoom(name: string, restore?: RoomKeys): Room {
    const taken = new Set(this.byCode.keys());
    const code = restore && !taken.has(restore.code) ? restore.code : newJoinCode(taken);
    const sfu = this.opts.sfu;
    const room = new Room({
      id: restore?.id ?? randomToken(6),
      name,
      code,
      screenKey: restore?.screenKey ?? randomToken(24),
      chatHistory: this.opts.limits.chatHistory,
      sfuAvailable: () => sfu?.available ?? false,
      joinUrl: () => this.opts.joinUrl(),
    });
    room.events.on('memberLeft', (member) => this.forgetToken(member));
    room.events.on('classEnded', () => this.rotateCode(room, 'newClass'));
    sfu?.follow(room);
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
    member.resumeToken = randomToken();
    this.byToken.set(member.resumeToken, member);
    return member.resumeToken;
  }

  rotateCode(room: Room, reason: CodeChange['reason']): void {
    this.byCode.delete(room.code);
    room.code = newJoinCode(new Set(this.byCode.keys()));
    this.byCode.set(room.code, room);
    room.broadcastPrivileged({ method: 'codeChanged', params: { code: room.code, reason } });
    for (const l of this.codeListeners) l({ room, code: room.code, reason });
  }

  /** The relay stops: no member waits out a resume grace any more. */
  releaseAll(): void {
    for (const room of this.rooms.values()) for (const m of room.members.values()) m.release();
  }

  private forgetToken(member: Member): void {
    if (this.byToken.get(member.resumeToken) === member) this.byToken.delete(member.resumeToken);
  }
}
