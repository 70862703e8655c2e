import { ErrorCode, ProtocolError, type ServerPayload } from '../protocol';
import { randomToken } from '../protocol/ids';
import { createLogger } from '../server-kit/log';
import { sameSecret, verifyCredential } from '../server-kit/secrets';
import type { RelayLimits } from './config';
import { newJoinCode } from './joinCode';
import type { RememberedDevice, RememberedDevices } from './RememberedDevices';
import type { Member } from './Member';
import { Room, type HostAddresses } from './Room';
import { GuessGuard } from './security/GuessGuard';
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
  addresses(): HostAddresses;
}

/**
 * All rooms of one relay, their join codes and the members' resume tokens, and the guards on
 * guessing them (see the README's security model for the numbers).
 */
export class RoomRegistry {
  readonly rooms = new Map<string, Room>();
  private readonly byCode = new Map<string, Room>();
  /** Codes replaced by a brute-force rotation, still open for a short grace (see below). */
  private readonly previousCodes = new Map<string, { room: Room; until: number }>();
  private readonly byToken = new Map<string, Member>();
  private readonly codeGuesses: GuessGuard;
  private readonly credentialGuesses: GuessGuard;
  private lastBruteForceRotation = Number.NEGATIVE_INFINITY;
  private readonly codeListeners = new Set<(c: CodeChange) => void>();

  constructor(private readonly opts: RegistryOptions) {
    const l = opts.limits;
    this.codeGuesses = new GuessGuard(
      {
        sourceBurst: l.codeGuessBurst,
        sourceRefillMs: l.codeGuessRefillMs,
        globalLimit: l.wrongCodeLimit,
        globalWindowMs: l.wrongCodeWindowMs,
      },
      (now) => this.bruteForceRotation(now),
    );
    this.credentialGuesses = new GuessGuard(
      {
        sourceBurst: l.credentialGuessBurst,
        sourceRefillMs: l.credentialGuessRefillMs,
        globalLimit: l.wrongCredentialLimit,
        globalWindowMs: l.wrongCodeWindowMs,
      },
      () => log.warn('many wrong teacher credentials or screen keys: only new sources are checked'),
      true,
    );
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
      roomChatPerSecond: this.opts.limits.roomChatPerSecond,
      roomChatBurst: this.opts.limits.roomChatBurst,
      sfuAvailable: () => sfu?.available ?? false,
      addresses: () => this.opts.addresses(),
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

  /**
   * The room a join code opens, for a guess from `source`. The guess is charged to the source
   * before the lookup; a right code costs nothing.
   */
  roomForCode(code: string | undefined, source: string): Room {
    const admission = this.codeGuesses.admit(source);
    if (!admission.ok) {
      throw new ProtocolError(
        ErrorCode.RATE_LIMITED,
        'too many wrong codes from this device; try again soon',
        admission.retryAfterMs,
      );
    }
    const room = this.lookupCode(code);
    if (room) {
      admission.reservation.right();
      return room;
    }
    admission.reservation.wrong();
    throw new ProtocolError(ErrorCode.BAD_CODE, 'wrong join code');
  }

  /**
   * The room a teacher (already authenticated by the credential) means: the one its code
   * opens, or, when the code is stale (rotated meanwhile), the host's only room. A teacher with
   * the credential is never kept out by rotations someone else caused.
   */
  roomForTeacher(code: string | undefined): Room {
    const room = this.lookupCode(code);
    if (room) return room;
    if (this.rooms.size === 1) return this.rooms.values().next().value!;
    throw new ProtocolError(ErrorCode.BAD_CODE, 'wrong join code');
  }

  /**
   * Checks a teacher credential from `source` against the host's hash. The guess is reserved
   * before the (asynchronous) check, so parallel guesses cannot outrun the budget.
   */
  async checkTeacherCredential(
    credential: string | undefined,
    hash: string | undefined,
    source: string,
  ): Promise<void> {
    if (hash === undefined) {
      throw new ProtocolError(
        ErrorCode.BAD_CREDENTIAL,
        'no teacher credential is set on this host',
      );
    }
    const reservation = this.reserveCredentialGuess(source);
    if (credential !== undefined && (await verifyCredential(credential, hash))) {
      reservation.right();
      return;
    }
    reservation.wrong();
    throw new ProtocolError(ErrorCode.BAD_CREDENTIAL, 'wrong teacher credential');
  }

  roomForScreenKey(key: string | undefined, source: string): Room {
    const reservation = this.reserveCredentialGuess(source);
    if (key !== undefined) {
      for (const room of this.rooms.values()) {
        if (sameSecret(room.screenKey, key)) {
          reservation.right();
          return room;
        }
      }
    }
    reservation.wrong();
    throw new ProtocolError(ErrorCode.BAD_CREDENTIAL, 'wrong screen key');
  }

  /**
   * The room and device a remembered device's credential opens; a wrong one is charged like a
   * wrong teacher credential (the same guess budget per address).
   */
  roomForDevice(
    credential: string,
    source: string,
    devices: RememberedDevices,
  ): { room: Room; device: RememberedDevice } {
    const reservation = this.reserveCredentialGuess(source);
    const device = devices.find(credential);
    const room = device && this.rooms.get(device.roomId);
    if (!device || !room) {
      reservation.wrong();
      throw new ProtocolError(
        ErrorCode.BAD_DEVICE_CREDENTIAL,
        'this device is not remembered here (forgotten, or another host): join with the code',
      );
    }
    reservation.right();
    return { room, device };
  }

  private reserveCredentialGuess(source: string) {
    const admission = this.credentialGuesses.admit(source);
    if (!admission.ok) {
      throw new ProtocolError(
        ErrorCode.RATE_LIMITED,
        'too many wrong credentials from this device; try again later',
        admission.retryAfterMs,
      );
    }
    return admission.reservation;
  }

  /** The current code, or one a brute-force rotation replaced moments ago. */
  private lookupCode(code: string | undefined): Room | undefined {
    if (code === undefined) return undefined;
    const room = this.byCode.get(code);
    if (room) return room;
    const previous = this.previousCodes.get(code);
    if (previous && previous.until > Date.now()) return previous.room;
    return undefined;
  }

  /**
   * Too many wrong codes: every code rotates, at most once per cooldown. The code just replaced
   * keeps opening its room for a short grace, so a student who read it from the screen a moment
   * ago is not turned away by someone else's guessing.
   */
  private bruteForceRotation(now: number): void {
    if (now - this.lastBruteForceRotation < this.opts.limits.codeRotationCooldownMs) return;
    this.lastBruteForceRotation = now;
    this.codeGuesses.resetCount();
    log.warn('wrong-code limit reached: rotating every join code');
    for (const [code, p] of this.previousCodes) if (p.until <= now) this.previousCodes.delete(code);
    for (const room of this.rooms.values()) {
      const old = room.code;
      this.rotateCode(room, 'bruteForce');
      this.previousCodes.set(old, { room, until: now + this.opts.limits.previousCodeGraceMs });
    }
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

  /** A new join code for the room: `wanted` (a scheduled class's own) unless another room has it. */
  rotateCode(room: Room, reason: CodeChange['reason'], wanted?: string): void {
    this.byCode.delete(room.code);
    // A new class or an operator's new code closes every earlier code of the room at once.
    for (const [code, p] of this.previousCodes) {
      if (p.room === room) this.previousCodes.delete(code);
    }
    const taken = new Set([...this.byCode.keys(), ...this.previousCodes.keys()]);
    if (wanted !== undefined && taken.has(wanted)) {
      log.warn(`${room.name}: its class's code is another room's; a random one instead`);
    }
    room.code = wanted !== undefined && !taken.has(wanted) ? wanted : newJoinCode(taken);
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
