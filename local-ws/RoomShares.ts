import {
  ErrorCode,
  BOARD_SLOT,
  fillLayout,
  hasVideo,
  LAYOUT_SLOTS,
  layoutFor,
  ProtocolError,
  type Layout,
  type ServerPayload,
  type Share,
} from '../protocol';
import { randomToken } from '../protocol/ids';
import { cleanText } from '../protocol/text';
import type { Member } from './Member';
import type { Room } from './Room';

/** A screen, a camera and a microphone, with one more to switch sources without a gap. */
const MAX_SHARES_PER_PEER = 4;

type EndReason = ServerPayload<'shareStopped'>['reason'];

/**
 * A room's shares (what teachers and on-stage students send) and the room screen's layout of
 * them. Who may share, stop, publish on the SFU and arrange the screen is decided here.
 */
export class RoomShares {
  private readonly byId = new Map<string, Share>();
  layout: Layout = fillLayout('single', []);

  constructor(private readonly room: Room) {}

  get(shareId: string): Share | undefined {
    return this.byId.get(shareId);
  }

  list(): Share[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  start(m: Member, params: Omit<Share, 'id' | 'peerId'>): Share {
    this.room.mutes.checkPublish(m, params.kind, params.audio);
    let own = 0;
    for (const s of this.byId.values()) if (s.peerId === m.id) own++;
    if (own >= MAX_SHARES_PER_PEER) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, `at most ${MAX_SHARES_PER_PEER} shares each`);
    }
    const label = cleanText(params.label);
    if (!label.ok) throw new ProtocolError(ErrorCode.BAD_TEXT, `label: ${label.reason}`);
    // A stream id names one share's media in the whole room: receivers accept a track for it
    // only from its sharer, so nobody may announce another's stream as their own.
    if (params.streamId !== undefined) {
      for (const s of this.byId.values()) {
        if (s.streamId === params.streamId) {
          throw new ProtocolError(ErrorCode.FORBIDDEN, 'that stream belongs to another share');
        }
      }
    }
    // A microphone share is sound and nothing else.
    const audio = params.kind === 'mic' ? true : params.audio;
    const { music, ...rest } = params;
    const share: Share = {
      ...rest,
      audio,
      ...(audio && music === true && { music: true }),
      label: label.text,
      id: randomToken(6),
      peerId: m.id,
    };
    this.byId.set(share.id, share);
    this.room.broadcast({ method: 'shareStarted', params: { share } });
    this.relayout();
    return share;
  }

  /** The sharer or a teacher stops a share. */
  stop(m: Member, shareId: string): void {
    const share = this.byId.get(shareId);
    if (!share) throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'no such share');
    if (share.peerId !== m.id && m.role !== 'teacher') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'not your share');
    }
    this.end(share, 'stopped');
    this.relayout();
  }

  /** One of the member's own live shares, or SHARE_NOT_FOUND / FORBIDDEN. */
  own(m: Member, shareId: string): Share {
    const share = this.byId.get(shareId);
    if (!share) throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'no such share');
    if (share.peerId !== m.id) throw new ProtocolError(ErrorCode.FORBIDDEN, 'not your share');
    return share;
  }

  /**
   * Throws unless `m` may publish this kind of track of its share on the SFU now: only what
   * the share carries, nothing the teacher switched off, one producer a kind.
   */
  checkProduce(m: Member, share: Share, kind: 'audio' | 'video'): void {
    this.room.mutes.checkPublish(m, share.kind, kind === 'audio');
    if (kind === 'audio' ? !share.audio : !hasVideo(share.kind)) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, `this share carries no ${kind}`);
    }
    if ((kind === 'audio' ? share.audioProducerId : share.producerId) !== undefined) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, `this share's ${kind} is already published`);
    }
  }

  /**
   * A share's track is now on the SFU: receivers may consume it. False when the share stopped
   * (or was muted, or got another producer) while the producer was being made: the caller
   * closes the producer.
   */
  producerAdded(m: Member, share: Share, producerId: string, kind: 'audio' | 'video'): boolean {
    if (this.byId.get(share.id) !== share) return false;
    try {
      this.checkProduce(m, share, kind);
    } catch {
      return false;
    }
    if (kind === 'video') share.producerId = producerId;
    else share.audioProducerId = producerId;
    this.room.broadcast(
      {
        method: 'producerAdded',
        params: { shareId: share.id, peerId: share.peerId, producerId, kind },
      },
      this.room.members.get(share.peerId),
    );
    this.room.events.emit('producerAdded', share, producerId);
    return true;
  }

  /**
   * A member closed one of its producers (it stopped publishing: nobody left to reach on the
   * SFU). Its share no longer names it, so receivers who come later are not sent to a producer
   * that is gone, and the sender can publish again when someone needs it.
   */
  producerClosed(m: Member, producerId: string): void {
    for (const share of this.byId.values()) {
      if (share.peerId !== m.id) continue;
      if (share.producerId === producerId) delete share.producerId;
      else if (share.audioProducerId === producerId) delete share.audioProducerId;
      else continue;
      this.room.broadcast({ method: 'shareUpdated', params: { share } });
      return;
    }
  }

  /** The SFU lost every producer (its worker died): senders publish again. */
  sfuReset(): void {
    for (const share of this.byId.values()) {
      delete share.producerId;
      delete share.audioProducerId;
    }
    this.room.broadcast({ method: 'sfuReset', params: { reason: 'workerDied' } });
  }

  /**
   * The teacher switched a member's microphone (audio) or camera (video) off: those shares
   * end, and screen shares lose their sound (the SFU closes that producer on `shareAudioCut`).
   */
  silence(m: Member, kind: 'audio' | 'video'): void {
    let ended = false;
    for (const share of [...this.byId.values()]) {
      if (share.peerId !== m.id) continue;
      if (share.kind === (kind === 'audio' ? 'mic' : 'camera')) {
        this.end(share, 'muted');
        ended = true;
      } else if (kind === 'audio' && share.audio) {
        share.audio = false;
        delete share.music;
        delete share.audioProducerId;
        this.room.events.emit('shareAudioCut', share);
        this.room.broadcast({ method: 'shareUpdated', params: { share } });
      }
    }
    if (ended) this.relayout();
  }

  /** Ends every share of a member (taken off stage, or gone). */
  endAllOf(m: Member, reason: 'offStage' | 'left'): void {
    let changed = false;
    for (const share of [...this.byId.values()]) {
      if (share.peerId === m.id) {
        this.end(share, reason);
        changed = true;
      }
    }
    if (changed) this.relayout();
  }

  /** Ends every share (the class ended); the caller lays the screen out again. */
  endAll(): void {
    for (const share of [...this.byId.values()]) this.end(share, 'stopped');
  }

  /** Teacher's explicit layout; every slot must name a live share or be empty. */
  setLayout(layout: Layout): void {
    const size = LAYOUT_SLOTS[layout.mode];
    if (layout.slots.length > size) {
      throw new ProtocolError(ErrorCode.INVALID_PARAMS, `${layout.mode} has ${size} slots`);
    }
    for (const id of layout.slots) {
      if (id === null) continue;
      if (id === BOARD_SLOT) {
        if (!this.room.board.current) {
          throw new ProtocolError(ErrorCode.BOARD_CLOSED, 'no board is open to place');
        }
        continue;
      }
      const share = this.byId.get(id);
      if (!share) {
        throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'layout names an unknown share');
      }
      if (!hasVideo(share.kind)) {
        throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'a microphone has no picture to place');
      }
    }
    this.layout = fillLayout(layout.mode, layout.slots);
    this.room.broadcast({ method: 'layoutChanged', params: { layout: this.layout } });
  }

  /**
   * After shares change: the smallest layout that shows them, oldest first. Microphones have
   * no picture; a camera of someone who also shares their screen rides on that share as a
   * corner picture (the screen draws it) instead of taking a slot of its own.
   */
  relayout(): void {
    const all = [...this.byId.values()];
    const sharesScreen = new Set(
      all.filter((s) => s.kind !== 'camera' && hasVideo(s.kind)).map((s) => s.peerId),
    );
    const ids = all
      .filter((s) => hasVideo(s.kind) && !(s.kind === 'camera' && sharesScreen.has(s.peerId)))
      .map((s) => s.id);
    // An open board takes a slot after the shares: alone it fills the screen, with one share
    // it sits beside it.
    if (this.room.board.current) ids.push(BOARD_SLOT);
    this.layout = fillLayout(layoutFor(ids.length), ids);
    this.room.broadcast({ method: 'layoutChanged', params: { layout: this.layout } });
  }

  private end(share: Share, reason: EndReason): void {
    this.byId.delete(share.id);
    this.room.events.emit('shareEnded', share);
    this.room.broadcast({
      method: 'shareStopped',
      params: { shareId: share.id, peerId: share.peerId, reason },
    });
  }
}
