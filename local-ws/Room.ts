import {
  CloseCode,
  encodeNotification,
  ErrorCode,
  LAYOUT_SLOTS,
  LIMITS,
  ProtocolError,
  type ChatMessage,
  type CloudStatus,
  type Layout,
  type RoomSnapshot,
  type ServerEvent,
  type ServerPayload,
  type Share,
} from '../protocol';
import type { Member } from './Member';
import { newToken } from './secrets';

type LeaveReason = ServerPayload<'peerLeft'>['reason'];

/** What a room asks of whoever holds it (the registry). */
export interface RoomHost {
  /** A member is gone for good: forget its resume token. */
  memberGone(member: Member): void;
  /** The class ended: a new join code is due. */
  classEnded(room: Room): void;
  /** A share ended: media published for it (SFU producers) must go. */
  shareDropped(room: Room, share: Share): void;
  /** Whether the host runs an SFU (told to clients in the snapshot). */
  readonly hasSfu: boolean;
  /** Every notification broadcast in the room (the cloud link follows some). */
  roomEvent(room: Room, event: ServerEvent, params: unknown): void;
  /** The cloud link's state, for teachers' and screens' snapshots (undefined: none). */
  cloudStatus(room: Room): CloudStatus | undefined;
}

const MAX_SHARES_PER_PEER = 2;

/**
 * One classroom: members, stage, shares, layout, chat. Every rule about who may do what inside
 * a room lives here; the relay never lets a message cross into another room.
 */
export class Room {
  readonly members = new Map<string, Member>();
  readonly shares = new Map<string, Share>();
  locked = false;
  classId = newToken(6);
  layout: Layout = { mode: 'single', slots: [null] };
  private readonly chat: ChatMessage[] = [];
  private chatSeq = 0;
  /** The host's LAN URL for students (set by the host). */
  joinUrl: string | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    public code: string,
    readonly screenKey: string,
    private readonly host: RoomHost,
    private readonly chatHistory: number,
  ) {}

  // ---- queries -------------------------------------------------------------------------------

  snapshotFor(member: Member): RoomSnapshot {
    const snap: RoomSnapshot = this.state();
    if (member.role !== 'student') {
      snap.code = this.code;
      if (this.joinUrl !== undefined) snap.joinUrl = this.joinUrl;
      const cloud = this.host.cloudStatus(this);
      if (cloud) snap.cloud = cloud;
    }
    return snap;
  }

  /** What every member may know (no join code); the cloud gets this too. */
  state(): RoomSnapshot {
    const snap: RoomSnapshot = {
      room: this.info(),
      peers: [...this.members.values()].map((m) => m.info()),
      shares: [...this.shares.values()],
      layout: this.layout,
      chat: [...this.chat],
    };
    if (this.host.hasSfu) snap.sfu = true;
    return snap;
  }

  info(): RoomSnapshot['room'] {
    return { id: this.id, name: this.name, locked: this.locked, classId: this.classId };
  }

  /** A member of this room, or PEER_NOT_FOUND (also for members of other rooms). */
  member(peerId: string): Member {
    const m = this.members.get(peerId);
    if (!m) throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'no such peer in this room');
    return m;
  }

  // ---- fan-out ---------------------------------------------------------------------------------

  /** Encodes once (to UTF-8 bytes, not once per recipient) and sends to every member. */
  broadcast<E extends ServerEvent>(event: E, params: ServerPayload<E>, except?: Member): void {
    const frame = Buffer.from(encodeNotification(event, params));
    for (const m of this.members.values()) if (m !== except) m.sendRaw(frame);
    this.host.roomEvent(this, event, params);
  }

  /** To teachers and screens only (e.g. the join code). */
  broadcastPrivileged<E extends ServerEvent>(event: E, params: ServerPayload<E>): void {
    const frame = Buffer.from(encodeNotification(event, params));
    for (const m of this.members.values()) if (m.role !== 'student') m.sendRaw(frame);
    this.host.roomEvent(this, event, params);
  }

  /** To room screens only (operator commands such as reload). */
  broadcastScreens<E extends ServerEvent>(event: E, params: ServerPayload<E>): void {
    for (const m of this.members.values()) if (m.role === 'screen') m.peer?.notify(event, params);
  }

  private peerUpdated(m: Member): void {
    this.broadcast('peerUpdated', { peer: m.info() });
  }

  // ---- membership ------------------------------------------------------------------------------

  add(member: Member): void {
    this.members.set(member.id, member);
    this.broadcast('peerJoined', { peer: member.info() }, member);
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
    if (member.graceTimer) clearTimeout(member.graceTimer);
    member.graceTimer = null;
    this.stopSharesOf(member, 'left');
    this.members.delete(member.id);
    this.host.memberGone(member);
    this.broadcast('peerLeft', { peerId: member.id, reason });
  }

  // ---- interaction -----------------------------------------------------------------------------

  postChat(from: Member, text: string): ChatMessage {
    // Ids need only be unique within the class (no secret): a counter, not a crypto call.
    const message: ChatMessage = {
      id: `${this.classId}.${(++this.chatSeq).toString(36)}`,
      from: from.id,
      name: from.name,
      text,
      at: Date.now(),
    };
    this.chat.push(message);
    if (this.chat.length > this.chatHistory) this.chat.shift();
    this.broadcast('chatPosted', { message });
    return message;
  }

  setHand(m: Member, raised: boolean): void {
    if (m.role === 'screen') throw new ProtocolError(ErrorCode.FORBIDDEN, 'screens have no hands');
    if (m.hand === raised) return;
    m.hand = raised;
    this.peerUpdated(m);
  }

  // ---- stage -----------------------------------------------------------------------------------

  invite(target: Member, by: Member): void {
    if (target.role !== 'student') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only students can be invited on stage');
    }
    if (target.stage !== 'off') return;
    if (this.onStageCount() >= LIMITS.stageMax) {
      throw new ProtocolError(ErrorCode.STAGE_FULL, `at most ${LIMITS.stageMax} on stage`);
    }
    target.stage = 'invited';
    target.peer?.notify('stageInvited', { by: by.id });
    this.peerUpdated(target);
  }

  respond(m: Member, accept: boolean): void {
    if (m.stage !== 'invited') throw new ProtocolError(ErrorCode.NO_INVITATION, 'not invited');
    if (accept && this.onStageCount() >= LIMITS.stageMax) {
      m.stage = 'off';
      this.peerUpdated(m);
      throw new ProtocolError(ErrorCode.STAGE_FULL, `at most ${LIMITS.stageMax} on stage`);
    }
    m.stage = accept ? 'on' : 'off';
    if (accept) m.hand = false;
    this.peerUpdated(m);
  }

  takeOffStage(target: Member): void {
    if (target.stage === 'off') return;
    target.stage = 'off';
    this.stopSharesOf(target, 'offStage');
    this.peerUpdated(target);
  }

  private onStageCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.stage === 'on') n++;
    return n;
  }

  // ---- shares and layout -------------------------------------------------------------------------

  startShare(m: Member, params: Omit<Share, 'id' | 'peerId'>): Share {
    if (m.role === 'screen') throw new ProtocolError(ErrorCode.FORBIDDEN, 'screens do not share');
    if (m.role === 'student' && m.stage !== 'on') {
      throw new ProtocolError(ErrorCode.NOT_ON_STAGE, 'only students on stage may share');
    }
    let own = 0;
    for (const s of this.shares.values()) if (s.peerId === m.id) own++;
    if (own >= MAX_SHARES_PER_PEER) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, `at most ${MAX_SHARES_PER_PEER} shares each`);
    }
    const share: Share = { ...params, id: newToken(6), peerId: m.id };
    this.shares.set(share.id, share);
    this.broadcast('shareStarted', { share });
    this.autoLayout();
    return share;
  }

  stopShare(m: Member, shareId: string): void {
    const share = this.shares.get(shareId);
    if (!share) throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'no such share');
    if (share.peerId !== m.id && m.role !== 'teacher') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'not your share');
    }
    this.dropShare(share, 'stopped');
    this.autoLayout();
  }

  private stopSharesOf(m: Member, reason: 'offStage' | 'left'): void {
    let changed = false;
    for (const share of [...this.shares.values()]) {
      if (share.peerId === m.id) {
        this.dropShare(share, reason);
        changed = true;
      }
    }
    if (changed) this.autoLayout();
  }

  private dropShare(share: Share, reason: ServerPayload<'shareStopped'>['reason']): void {
    this.shares.delete(share.id);
    this.host.shareDropped(this, share);
    this.broadcast('shareStopped', { shareId: share.id, peerId: share.peerId, reason });
  }

  /** Teacher's explicit layout; every slot must name a live share or be empty. */
  setLayout(layout: Layout): void {
    const size = LAYOUT_SLOTS[layout.mode];
    if (layout.slots.length > size) {
      throw new ProtocolError(ErrorCode.INVALID_PARAMS, `${layout.mode} has ${size} slots`);
    }
    for (const id of layout.slots) {
      if (id !== null && !this.shares.has(id)) {
        throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'layout names an unknown share');
      }
    }
    const slots = [...layout.slots];
    while (slots.length < size) slots.push(null);
    this.layout = { mode: layout.mode, slots };
    this.broadcast('layoutChanged', { layout: this.layout });
  }

  /** After shares change: one share → single, two → 2-up, more → 2×2, oldest first. */
  private autoLayout(): void {
    const ids = [...this.shares.keys()].slice(0, 4);
    const mode = ids.length <= 1 ? 'single' : ids.length === 2 ? '2up' : '2x2';
    const slots: (string | null)[] = [...ids];
    while (slots.length < LAYOUT_SLOTS[mode]) slots.push(null);
    this.layout = { mode, slots };
    this.broadcast('layoutChanged', { layout: this.layout });
  }

  // ---- moderation ------------------------------------------------------------------------------

  setLocked(locked: boolean): void {
    if (this.locked === locked) return;
    this.locked = locked;
    this.broadcast('roomUpdated', { room: this.info() });
  }

  /** Removes a student's device; it must join again with the code (if the room is open). */
  removeDevice(target: Member, by: Member): void {
    if (target === by) throw new ProtocolError(ErrorCode.FORBIDDEN, 'cannot remove yourself');
    if (target.role !== 'student') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only student devices can be removed');
    }
    const peer = target.peer;
    peer?.notify('removed', { reason: 'removed' });
    this.remove(target, 'removed');
    peer?.close(CloseCode.REMOVED, 'removed by teacher');
  }

  /** Ends the class: students leave, stage and shares clear, chat resets, a new code is issued. */
  endClass(): void {
    const ended = this.classId;
    for (const share of [...this.shares.values()]) this.dropShare(share, 'stopped');
    for (const m of [...this.members.values()]) {
      if (m.role !== 'student') {
        m.hand = false;
        m.stage = 'off';
        continue;
      }
      const peer = m.peer;
      peer?.notify('removed', { reason: 'classEnded' });
      this.remove(m, 'classEnded');
      peer?.close(CloseCode.CLASS_ENDED, 'class ended');
    }
    this.chat.length = 0;
    this.locked = false;
    this.classId = newToken(6);
    this.broadcast('classEnded', { classId: ended });
    this.autoLayout();
    this.broadcast('roomUpdated', { room: this.info() });
    this.host.classEnded(this);
  }
}
