import {
  ErrorCode,
  ProtocolError,
  stageMediaOf,
  type ServerPayload,
  type ShareKind,
} from '../protocol';
import type { Member } from './Member';
import type { Room } from './Room';

export type MuteKind = ServerPayload<'muteRequested'>['kind'];

const kindsOf = (kind: MuteKind): ('audio' | 'video')[] =>
  kind === 'all' ? ['audio', 'video'] : [kind];

/**
 * Moderation that holds: what the teacher switches off stays off until the teacher allows it.
 * A mute ends the member's microphone and camera shares and cuts the sound of their screen
 * shares (the SFU closes those producers, receivers drop the P2P tracks), and the relay then
 * refuses to announce them again (MUTED). The stage invitation's media are checked here too.
 */
export class RoomMutes {
  constructor(private readonly room: Room) {}

  /** Throws unless `m` may announce a share of this kind (with sound or not) now. */
  checkPublish(m: Member, kind: ShareKind, audio: boolean): void {
    if (m.role === 'screen') throw new ProtocolError(ErrorCode.FORBIDDEN, 'screens do not share');
    if (!m.secure) {
      throw new ProtocolError(
        ErrorCode.INSECURE_TRANSPORT,
        'sharing, speaking and cameras need the https page: plain http is for viewing only',
      );
    }
    if (m.role === 'student') {
      if (m.stage !== 'on') {
        throw new ProtocolError(ErrorCode.NOT_ON_STAGE, 'only students on stage may share');
      }
      if (!m.stageMedia.includes(stageMediaOf(kind))) {
        throw new ProtocolError(
          ErrorCode.NOT_INVITED_FOR,
          `the invitation is for ${m.stageMedia.join(', ')}, not ${stageMediaOf(kind)}`,
        );
      }
    }
    if ((audio || kind === 'mic') && m.muted.audio) {
      throw new ProtocolError(ErrorCode.MUTED, 'the teacher switched your microphone off');
    }
    if (kind === 'camera' && m.muted.video) {
      throw new ProtocolError(ErrorCode.MUTED, 'the teacher switched your camera off');
    }
  }

  mute(target: Member, by: Member, kind: MuteKind): void {
    if (target.role !== 'student') {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only students can be muted');
    }
    this.apply(target, by, kind);
  }

  muteAll(by: Member, kind: MuteKind): void {
    for (const m of [...this.room.members.values()]) {
      if (m.role === 'student') this.apply(m, by, kind);
    }
  }

  allow(target: Member, by: Member, kind: MuteKind): void {
    const before = { ...target.muted };
    for (const k of kindsOf(kind)) target.muted[k] = false;
    const changed = before.audio !== target.muted.audio || before.video !== target.muted.video;
    if (!target.muted.audio && !target.muted.video) target.unmuteAsked = false;
    if (!changed) return;
    target.notify('muteRequested', { by: by.id, kind, allowed: true });
    this.room.presenceChanged(target);
  }

  /** A muted member asks to be heard again; the teacher sees it on the roster. */
  ask(m: Member): void {
    if (!m.muted.audio && !m.muted.video) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'you are not muted');
    }
    if (m.unmuteAsked) return;
    m.unmuteAsked = true;
    this.room.presenceChanged(m);
  }

  /** The class ended: mutes go with it. */
  clear(m: Member): void {
    m.muted = { audio: false, video: false };
    m.unmuteAsked = false;
  }

  private apply(target: Member, by: Member, kind: MuteKind): void {
    const kinds = kindsOf(kind).filter((k) => !target.muted[k]);
    if (kinds.length === 0) return;
    for (const k of kinds) {
      target.muted[k] = true;
      this.room.shares.silence(target, k);
    }
    target.unmuteAsked = false;
    target.notify('muteRequested', { by: by.id, kind });
    this.room.presenceChanged(target);
  }
}
