import { LAYOUT_SLOTS, type LayoutMode, type Reaction, type StageMedia } from '../../../protocol';
import type { Session } from './Session';

/**
 * The room's interaction and the teacher's moderation, as calls to the relay. Each is fire and
 * forget: the relay's notification changes the store; a refusal shows its code.
 */
export class Moderation {
  constructor(private readonly session: Session) {}

  chat = (text: string) => this.session.call('chat', { text });
  setHand = (raised: boolean) => this.session.call('hand.set', { raised });
  react = (emoji: Reaction) => this.session.call('react', { emoji });
  invite = (peerId: string, media?: StageMedia[]) =>
    this.session.call('stage.invite', { peerId, ...(media && { media }) });
  respond = (accept: boolean) => this.session.call('stage.respond', { accept });
  takeOff = (peerId: string) => this.session.call('stage.remove', { peerId });
  lock = (locked: boolean) => this.session.call('room.lock', { locked });
  /** The join code in a corner of the room screen during the class. */
  showCode = (shown: boolean) => this.session.call('room.showCode', { shown });
  /** New devices wait in the lobby until admitted (remembered ones come straight in). */
  setApproval = (on: boolean) => this.session.call('room.approval', { on });
  admit = (id: string) => this.session.call('lobby.admit', { id });
  refuse = (id: string) => this.session.call('lobby.refuse', { id });
  remove = (peerId: string) => this.session.call('peer.remove', { peerId });
  unban = (banId: string) => this.session.call('peer.unban', { banId });
  mute = (peerId: string, kind: 'audio' | 'video' | 'all' = 'all') =>
    this.session.call('peer.mute', { peerId, kind });
  /** Every student's microphone off (the teacher lets each back with `allow`). */
  muteAll = () => this.session.call('peer.muteAll', { kind: 'audio' });
  allow = (peerId: string, kind: 'audio' | 'video' | 'all' = 'all') =>
    this.session.call('peer.allow', { peerId, kind });
  endClass = () => this.session.call('class.end', {});
  /** The scheduled class runs `minutes` longer (not into the next one). */
  extend = (minutes: number) => this.session.call('class.extend', { minutes });
  /** Records the class on the host, or stops (everyone sees "● REC" meanwhile). */
  record = (on: boolean) => this.session.call(on ? 'record.start' : 'record.stop', {});
  /** The screen shows these (shares, the board) in this layout (as many as it has slots). */
  setLayout = (mode: LayoutMode, items: readonly { id: string }[]) =>
    this.session.call('layout.set', {
      mode,
      slots: items.slice(0, LAYOUT_SLOTS[mode]).map((s) => s.id),
    });
}
