import {
  ErrorCode,
  fillLayout,
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

const MAX_SHARES_PER_PEER = 2;

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
    if (m.role === 'screen') throw new ProtocolError(ErrorCode.FORBIDDEN, 'screens do not share');
    if (m.role === 'student' && m.stage !== 'on') {
      throw new ProtocolError(ErrorCode.NOT_ON_STAGE, 'only students on stage may share');
    }
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
    const share: Share = { ...params, label: label.text, id: randomToken(6), peerId: m.id };
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
   * A share's track is now on the SFU: receivers may consume it. False when the share stopped
   * while the producer was being made (the caller closes the producer).
   */
  producerAdded(share: Share, producerId: string, kind: 'audio' | 'video'): boolean {
    if (this.byId.get(share.id) !== share) return false;
    if (kind === 'video') share.producerId = producerId;
    this.room.broadcast(
      {
        method: 'producerAdded',
        params: { shareId: share.id, peerId: share.peerId, producerId, kind },
      },
      this.room.members.get(share.peerId),
    );
    return true;
  }

  /** The SFU lost every producer (its worker died): senders publish again. */
  sfuReset(): void {
    for (const share of this.byId.values()) delete share.producerId;
    this.room.broadcast({ method: 'sfuReset', params: { reason: 'workerDied' } });
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
      if (id !== null && !this.byId.has(id)) {
        throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'layout names an unknown share');
      }
    }
    this.layout = fillLayout(layout.mode, layout.slots);
    this.room.broadcast({ method: 'layoutChanged', params: { layout: this.layout } });
  }

  /** After shares change: the smallest layout that shows them, oldest first. */
  relayout(): void {
    const ids = [...this.byId.keys()];
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
