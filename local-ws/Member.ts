import type {
  ConnectionQuality,
  Muted,
  PeerInfo,
  Role,
  ServerEvent,
  ServerPayload,
  StageMedia,
  StageState,
} from '../protocol';
import type { Connection } from './Connection';
import type { Room } from './Room';

/**
 * A participant of a room (a "peer" on the wire). Lives from join until leave, removal, or the
 * end of the resume grace; its connection may be swapped by a resume (`attach`) or be absent
 * for a while (`detach` with a grace period).
 */
export class Member {
  hand = false;
  stage: StageState = 'off';
  /** What the stage invitation allows (empty off stage). */
  stageMedia: StageMedia[] = [];
  /** What the teacher holds off; only the teacher lifts it (a resume keeps it). */
  muted: Muted = { audio: false, video: false };
  /** A muted member asked to be heard again. */
  unmuteAsked = false;
  /** Judged from its last media report. */
  quality: ConnectionQuality | null = null;
  resumeToken = '';
  /** The address it last connected from (a removal keeps it out by address too). */
  lastAddress = '';
  private conn: Connection | null = null;
  /** The remembered-device id issued to this member (one per member), or null. */
  rememberedAs: string | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly role: Role,
    readonly room: Room,
    readonly device?: string,
    /** Joined through the cloud from outside the room: never told the room's join code. */
    readonly remote = false,
  ) {}

  get connection(): Connection | null {
    return this.conn;
  }

  get online(): boolean {
    return this.conn !== null;
  }

  /** Speaks over TLS or loopback now (see security/transport.ts); false while offline. */
  get secure(): boolean {
    return this.conn?.secure ?? false;
  }

  /**
   * Speaks through `conn` from now on (a join or a resume). Returns the connection it replaced,
   * if any, for the caller to close; a pending grace expiry is cancelled.
   */
  attach(conn: Connection): Connection | null {
    this.cancelGrace();
    const old = this.conn !== conn ? this.conn : null;
    old?.bind(null);
    this.conn = conn;
    this.lastAddress = conn.address;
    conn.bind(this);
    return old;
  }

  /**
   * The connection went away: the member stays (with its shares and stage) for `graceMs`, then
   * `expired` runs unless a resume attached a new connection meanwhile.
   */
  detach(graceMs: number, expired: () => void): void {
    this.conn?.bind(null);
    this.conn = null;
    this.cancelGrace();
    this.graceTimer = setTimeout(expired, graceMs);
    this.graceTimer.unref();
  }

  /** Gone for good (or the relay stops): no connection, no timer. */
  release(): void {
    this.cancelGrace();
    this.conn?.bind(null);
    this.conn = null;
  }

  info(): PeerInfo {
    const info: PeerInfo = {
      id: this.id,
      name: this.name,
      role: this.role,
      hand: this.hand,
      stage: this.stage,
      online: this.online,
    };
    if (this.device !== undefined) info.device = this.device;
    if (this.stage !== 'off') info.stageMedia = [...this.stageMedia];
    if (this.muted.audio || this.muted.video) info.muted = { ...this.muted };
    if (this.unmuteAsked) info.unmuteAsked = true;
    if (this.quality) info.quality = this.quality;
    if (this.remote) info.remote = true;
    return info;
  }

  notify<E extends ServerEvent>(event: E, params: ServerPayload<E>): void {
    this.conn?.notify(event, params);
  }

  /** Sends an encoded frame if connected; dropped while the member is in its resume grace. */
  sendRaw(frame: string | Buffer): void {
    this.conn?.sendRaw(frame);
  }

  private cancelGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }
}
