import { ErrorCode, LIMITS, ProtocolError, type StageMedia } from '../protocol';
import type { Member } from './Member';
import type { Room } from './Room';

/**
 * The stage (上麦): hands, the teacher's invitation (for voice, camera, screen or a mix), the
 * student's answer, taking someone off; at most LIMITS.stageMax on stage. What a member on
 * stage may publish is RoomMutes' and RoomShares' to check.
 */
export class RoomStage {
  constructor(private readonly room: Room) {}

  setHand(m: Member, raised: boolean): void {
    if (m.role === 'screen') throw new ProtocolError(ErrorCode.FORBIDDEN, 'screens have no hands');
    if (m.hand === raised) return;
    m.hand = raised;
    this.room.peerUpdated(m);
  }

  invite(target: Member, by: Member, media: StageMedia[]): void {
    if (target.role !== 'student') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only students can be invited on stage');
    }
    if (target.stage !== 'off') return;
    if (this.onStageCount() >= LIMITS.stageMax) {
      throw new ProtocolError(ErrorCode.STAGE_FULL, `at most ${LIMITS.stageMax} on stage`);
    }
    target.stage = 'invited';
    target.stageMedia = [...new Set(media)];
    target.notify('stageInvited', { by: by.id, media: target.stageMedia });
    this.room.peerUpdated(target);
  }

  respond(m: Member, accept: boolean): void {
    if (m.stage !== 'invited') throw new ProtocolError(ErrorCode.NO_INVITATION, 'not invited');
    if (accept && this.onStageCount() >= LIMITS.stageMax) {
      m.stage = 'off';
      this.room.peerUpdated(m);
      throw new ProtocolError(ErrorCode.STAGE_FULL, `at most ${LIMITS.stageMax} on stage`);
    }
    m.stage = accept ? 'on' : 'off';
    if (accept) m.hand = false;
    else m.stageMedia = [];
    this.room.peerUpdated(m);
  }

  takeOffStage(target: Member): void {
    if (target.stage === 'off') return;
    target.stage = 'off';
    target.stageMedia = [];
    this.room.shares.endAllOf(target, 'offStage');
    this.room.peerUpdated(target);
  }

  /** How many are on stage now. */
  onStageCount(): number {
    let n = 0;
    for (const m of this.room.members.values()) if (m.stage === 'on') n++;
    return n;
  }
}
