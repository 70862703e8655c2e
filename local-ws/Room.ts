import {
  CloseCode,
  encodeNotification,
  ErrorCode,
  judgeQuality,
  ProtocolError,
  type CloudStatus,
  type DeviceMetrics,
  type IceConfig,
  type Reaction,
  type RoomSnapshot,
  type ServerNotification,
  type ServerPayload,
  type Share,
  type Signal,
} from '../protocol';
import { createHmac } from 'node:crypto';
import { randomToken } from '../protocol/ids';
import { cleanText } from '../protocol/text';
import { Emitter } from '../protocol/util/Emitter';
import { createLogger } from '../server-kit/log';
import { Board, type SavedBoard } from './Board';
import { ChatLog } from './ChatLog';
import { RoomLobby } from './RoomLobby';
import { RoomMutes } from './RoomMutes';
import { RoomStage } from './RoomStage';
import { RoomRecording } from './RoomRecording';
import { RoomTimetable } from './RoomTimetable';
import { RoomShares } from './RoomShares';
import { checkSignal } from './security/signalPolicy';
import { TokenBucket } from '../server-kit/TokenBucket';
import type { Member } from './Member';

type LeaveReason = ServerPayload<'peerLeft'>['reason'];

const log = createLogger('room');

/** What a room tells whoever follows it (the registry, the SFU, the cloud link). */
export type RoomEvents = {
  /** Every notification broadcast in the room (the cloud link follows some). */
  notified: [notification: ServerNotification];
  /** A member is gone for good (left, removed, timed out): its resume token and media go. */
  memberLeft: [member: Member];
  /** A share ended: media published for it (SFU producers) must go. */
  shareEnded: [share: Share];
  /** Something on the board changed (the host saves it). */
  boardChanged: [];
  /** A class ended with this on its board (the host keeps it as images). */
  boardEnded: [board: SavedBoard];
  /** A share's sound was cut (its owner was muted): its audio producer must go. */
  shareAudioCut: [share: Share];
  /** A share's track is on the SFU now (a recording takes it from there). */
  producerAdded: [share: Share, producerId: string];
  /** The class ended: a new join code is due. */
  classEnded: [];
  /** A member's 10-second media figures (forwarded to the cloud, if any). */
  metricsReported: [member: Member, metrics: DeviceMetrics];
};

export interface RoomOptions {
  id: string;
  name: string;
  code: string;
  screenKey: string;
  chatHistory: number;
  /** Chat messages per second from the whole room, and the burst. */
  roomChatPerSecond: number;
  roomChatBurst: number;
  /** Whether the host's SFU is up (told to clients in the snapshot). */
  sfuAvailable(): boolean;
  /** Where devices reach the host (for the screen's QR code and the way to the https page). */
  addresses(): HostAddresses;
}

/** The host's http page (QR code), its https page and its key pin, when it has them. */
export type HostAddresses = Pick<RoomSnapshot, 'joinUrl' | 'secureUrl' | 'pin'>;

/**
 * One classroom: members, stage, shares, layout, chat. Every rule about who may do what inside
 * a room lives here; the relay never lets a message cross into another room. Collaborators
 * follow it through its typed events.
 */
export class Room {
  readonly id: string;
  readonly name: string;
  readonly screenKey: string;
  code: string;
  readonly members = new Map<string, Member>();
  /** The shares on the room's stage and the screen's layout. */
  readonly shares = new RoomShares(this);
  /** What the teacher switched off (microphones, cameras) and the stage's media rights. */
  readonly mutes = new RoomMutes(this);
  /** Hands, invitations on stage, answers. */
  readonly stage = new RoomStage(this);
  /** New devices waiting for a teacher, when approval is on. */
  readonly lobby = new RoomLobby(this);
  readonly events = new Emitter<RoomEvents>((err) => log.error({ err }, 'room listener failed'));
  /** The whiteboard and the annotations over shares. */
  readonly board = new Board(this);
  /** Whether the class is being recorded, and by what. */
  readonly recording = new RoomRecording(this);
  readonly timetable = new RoomTimetable(this);
  locked = false;
  /** The join code in a corner of the room screen over the stage (late students need it). */
  codeShown = true;
  classId = randomToken(6);
  /** The room host's cloud link, as teachers and screens see it (undefined: none). */
  private cloud: CloudStatus | undefined;
  /** TURN/STUN servers from the cloud, for every member's media beyond the LAN. */
  private ice: IceConfig | undefined;
  private readonly chat: ChatLog;
  private readonly roomChat: TokenBucket;
  /** Devices removed from this class, by ban id: their device and address stay out. */
  private readonly bans = new Map<string, { name: string; device?: string; address: string }>();

  constructor(private readonly opts: RoomOptions) {
    this.id = opts.id;
    this.name = opts.name;
    this.code = opts.code;
    this.screenKey = opts.screenKey;
    this.chat = new ChatLog(opts.chatHistory);
    this.roomChat = new TokenBucket(opts.roomChatPerSecond, opts.roomChatBurst);
  }

  /**
   * The id others see for a device: derived from the device's own id with the room's secret,
   * so it stays the same across relay restarts (links survive) but nobody can take another
   * device's id by reading it off the roster.
   */
  deviceHandle(device: string): string {
    return createHmac('sha256', this.screenKey)
      .update(`device:${device}`)
      .digest('base64url')
      .slice(0, 22);
  }

  /** The member that already speaks for a device, if any. */
  memberWithDevice(handle: string): Member | undefined {
    for (const m of this.members.values()) if (m.device === handle) return m;
    return undefined;
  }

  /** Names of the room's teachers (students may not take them). */
  teacherNames(): string[] {
    return [...this.members.values()].filter((m) => m.role === 'teacher').map((m) => m.name);
  }

  isBanned(handle: string | undefined, address: string): boolean {
    for (const ban of this.bans.values()) {
      if (ban.address === address || (handle !== undefined && ban.device === handle)) return true;
    }
    return false;
  }

  // ---- queries -------------------------------------------------------------------------------

  snapshotFor(member: Member): RoomSnapshot {
    const snap: RoomSnapshot = this.state();
    if (member.role === 'teacher') {
      snap.bans = this.banList();
      snap.lobby = this.lobby.list();
    }
    const { joinUrl, secureUrl, pin } = this.addresses();
    if (secureUrl !== undefined) snap.secureUrl = secureUrl;
    if (pin !== undefined) snap.pin = pin;
    // The join code never leaves the room: a remote teacher gets the room, not its code.
    if (this.ice) snap.ice = this.ice;
    if (member.role !== 'student' && !member.remote) {
      snap.code = this.code;
      if (joinUrl !== undefined) snap.joinUrl = joinUrl;
      if (this.cloud) snap.cloud = this.cloud;
    }
    return snap;
  }

  /** The host's pages (http, https) and its key's pin, as far as it knows them. */
  addresses(): HostAddresses {
    return this.opts.addresses();
  }

  /** What every member may know (no join code); the cloud gets this too. */
  state(): RoomSnapshot {
    const snap: RoomSnapshot = {
      room: this.info(),
      peers: [...this.members.values()].map((m) => m.info()),
      shares: this.shares.list(),
      layout: this.shares.layout,
      chat: [],
    };
    const chat = this.chat.recent();
    snap.chat = chat.messages;
    if (chat.more) snap.chatMore = true;
    if (this.opts.sfuAvailable()) snap.sfu = true;
    const board = this.board.snapshot();
    if (board) snap.board = board;
    return snap;
  }

  info(): RoomSnapshot['room'] {
    return {
      id: this.id,
      name: this.name,
      locked: this.locked,
      ...(this.lobby.enabled && { approval: true }),
      codeShown: this.codeShown,
      classId: this.classId,
      ...(this.recording.state && { recording: this.recording.state }),
      ...this.timetable.state,
    };
  }

  /** A member of this room, or PEER_NOT_FOUND (also for members of other rooms). */
  member(peerId: string): Member {
    const m = this.members.get(peerId);
    if (!m) throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'no such peer in this room');
    return m;
  }

  // ---- fan-out ---------------------------------------------------------------------------------

  /** Encodes once (to UTF-8 bytes, not once per recipient) and sends to every member. */
  broadcast(n: ServerNotification, except?: Member): void {
    const frame = Buffer.from(encodeNotification(n.method, n.params));
    for (const m of this.members.values()) if (m !== except) m.sendRaw(frame);
    this.events.emit('notified', n);
  }

  /** To teachers and screens only (e.g. the join code). */
  broadcastPrivileged(n: ServerNotification): void {
    const frame = Buffer.from(encodeNotification(n.method, n.params));
    const local = n.method === 'codeChanged';
    for (const m of this.members.values()) {
      if (m.role !== 'student' && !(local && m.remote)) m.sendRaw(frame);
    }
    this.events.emit('notified', n);
  }

  /** To room screens only (operator commands such as reload). */
  broadcastScreens(n: ServerNotification): void {
    const frame = Buffer.from(encodeNotification(n.method, n.params));
    for (const m of this.members.values()) if (m.role === 'screen') m.sendRaw(frame);
  }

  /** Everyone is told what changed of `m` (its stage, hand, quality, presence). */
  peerUpdated(m: Member): void {
    this.broadcast({ method: 'peerUpdated', params: { peer: m.info() } });
  }

  // ---- membership ------------------------------------------------------------------------------

  add(member: Member): void {
    this.members.set(member.id, member);
    this.broadcast({ method: 'peerJoined', params: { peer: member.info() } }, member);
  }

  /**
   * The member's connection went away (kept, with its shares, through the resume grace) or came
   * back: everyone sees its online flag.
   */
  presenceChanged(member: Member): void {
    this.peerUpdated(member);
  }

  remove(member: Member, reason: LeaveReason): void {
    if (this.members.get(member.id) !== member) return;
    member.release();
    this.shares.endAllOf(member, 'left');
    this.members.delete(member.id);
    this.events.emit('memberLeft', member);
    this.broadcast({ method: 'peerLeft', params: { peerId: member.id, reason } });
  }

  // ---- interaction -----------------------------------------------------------------------------

  /**
   * Posts a chat message. `charge` is given what the broadcast costs (bytes × recipients)
   * before anything is sent, and throws when the sender cannot afford it.
   */
  postChat(from: Member, raw: string, charge: (fanoutBytes: number) => void): string {
    const text = cleanText(raw);
    if (!text.ok) throw new ProtocolError(ErrorCode.BAD_TEXT, `chat: ${text.reason}`);
    this.refuseIfPrivilegedBusy();
    charge(this.fanoutCost(Buffer.byteLength(JSON.stringify(text.text)) + 160));
    if (!this.roomChat.take()) {
      throw new ProtocolError(
        ErrorCode.RATE_LIMITED,
        'the class is chatting faster than it can read',
        this.roomChat.retryAfterMs(),
      );
    }
    const message = this.chat.post(this.classId, from, text.text);
    this.broadcast({ method: 'chatPosted', params: { message } });
    return message.id;
  }

  /** Older chat, a page at a time. */
  chatHistory(before: string | undefined, limit: number) {
    return this.chat.page(before, limit);
  }

  react(from: Member, emoji: Reaction, charge: (fanoutBytes: number) => void): void {
    this.refuseIfPrivilegedBusy();
    charge(this.fanoutCost(120));
    this.broadcast({ method: 'reacted', params: { from: from.id, emoji } });
  }

  /** What one broadcast of `bytes` costs: every other member receives it. */
  fanoutCost(bytes: number): number {
    return bytes * Math.max(1, this.members.size - 1);
  }

  /**
   * A teacher or room screen that is not keeping up is never closed for others' chatter: the
   * chatter waits instead.
   */
  refuseIfPrivilegedBusy(): void {
    for (const m of this.members.values()) {
      if (m.role !== 'student' && m.connection?.busy) {
        throw new ProtocolError(ErrorCode.PEER_BUSY, 'the room screen is busy; try again shortly');
      }
    }
  }

  /**
   * WebRTC signaling to another member of this room, stamped with the sender's id: only along
   * the links the media policy needs (see signalPolicy), and never to a member that is not
   * keeping up (the sender waits). `charge` is given the bytes forwarded.
   */
  forwardSignal(
    from: Member,
    to: string,
    session: string | undefined,
    signal: Signal,
    charge: (bytes: number) => void,
  ): void {
    const target = this.member(to);
    if (!target.online) throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'peer is offline');
    checkSignal(from, target, signal);
    if (target.connection?.busy) {
      throw new ProtocolError(ErrorCode.PEER_BUSY, 'the peer is not keeping up; try again');
    }
    charge(signal.kind === 'description' ? (signal.description.sdp?.length ?? 0) + 100 : 300);
    target.notify(
      'signal',
      session === undefined ? { from: from.id, signal } : { from: from.id, session, signal },
    );
  }

  reportMetrics(from: Member, metrics: DeviceMetrics): void {
    this.events.emit('metricsReported', from, metrics);
    // Teachers see each person's connection; only a change is broadcast (reports are 10 s).
    const quality = judgeQuality(metrics);
    if (quality !== from.quality) {
      from.quality = quality;
      this.peerUpdated(from);
    }
  }

  // ---- moderation ------------------------------------------------------------------------------

  setApproval(on: boolean): void {
    if (this.lobby.enabled === on) return;
    this.lobby.setEnabled(on);
    this.broadcast({ method: 'roomUpdated', params: { room: this.info() } });
  }

  setCodeShown(shown: boolean): void {
    if (this.codeShown === shown) return;
    this.codeShown = shown;
    this.broadcast({ method: 'roomUpdated', params: { room: this.info() } });
  }

  setLocked(locked: boolean): void {
    if (this.locked === locked) return;
    this.locked = locked;
    this.broadcast({ method: 'roomUpdated', params: { room: this.info() } });
  }

  /**
   * Removes a student's device for the rest of the class: it cannot join again (by its device
   * or its address) until the teacher undoes it or the class ends.
   */
  removeDevice(target: Member, by: Member): void {
    if (target === by) throw new ProtocolError(ErrorCode.FORBIDDEN, 'cannot remove yourself');
    if (target.role !== 'student') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only student devices can be removed');
    }
    const address = target.connection?.address ?? target.lastAddress;
    this.bans.set(randomToken(6), {
      name: target.name,
      ...(target.device !== undefined && { device: target.device }),
      address,
    });
    this.sendAway(target, 'removed', CloseCode.REMOVED, 'removed by teacher');
    this.bansChanged();
  }

  /** Undoes a removal. */
  unban(banId: string): void {
    if (!this.bans.delete(banId)) {
      throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'no such removal');
    }
    this.bansChanged();
  }

  private banList(): { id: string; name: string }[] {
    return [...this.bans].map(([id, b]) => ({ id, name: b.name }));
  }

  /** To teachers only. */
  sendTeachers(n: ServerNotification): void {
    const frame = Buffer.from(encodeNotification(n.method, n.params));
    for (const m of this.members.values()) if (m.role === 'teacher') m.sendRaw(frame);
  }

  private bansChanged(): void {
    const frame = Buffer.from(encodeNotification('bansChanged', { bans: this.banList() }));
    for (const m of this.members.values()) if (m.role === 'teacher') m.sendRaw(frame);
  }

  /** Ends the class: students leave, stage and shares clear, chat resets, a new code is issued. */
  endClass(): void {
    const ended = this.classId;
    this.shares.endAll();
    for (const m of [...this.members.values()]) {
      if (m.role !== 'student') {
        m.hand = false;
        m.stage = 'off';
        this.mutes.clear(m);
        continue;
      }
      this.sendAway(m, 'classEnded', CloseCode.CLASS_ENDED, 'class ended');
    }
    this.chat.clear();
    this.board.reset();
    if (this.bans.size > 0) {
      this.bans.clear();
      this.bansChanged();
    }
    this.locked = false;
    this.classId = randomToken(6);
    this.broadcast({ method: 'classEnded', params: { classId: ended } });
    this.shares.relayout();
    this.broadcast({ method: 'roomUpdated', params: { room: this.info() } });
    this.events.emit('classEnded');
  }

  /** The cloud link's state changed: teachers and screens see it (and it is in their snapshots). */
  setCloudStatus(status: CloudStatus): void {
    this.cloud = status;
    this.broadcastPrivileged({ method: 'cloudStatus', params: status });
  }

  /** New TURN/STUN servers from the cloud: every member uses them for its next connections. */
  setIce(config: IceConfig): void {
    if (this.ice && this.ice.expiresAt >= config.expiresAt) return;
    this.ice = config;
    const frame = Buffer.from(encodeNotification('iceChanged', config));
    for (const m of this.members.values()) m.sendRaw(frame);
  }

  private sendAway(
    m: Member,
    reason: 'removed' | 'classEnded',
    code: number,
    closeReason: string,
  ): void {
    const conn = m.connection;
    conn?.notify('removed', { reason });
    this.remove(m, reason);
    conn?.close(code, closeReason);
  }
}
