import type { PeerInfo, Role, StageState } from '../protocol';
import type { Peer } from './Peer';
import type { Room } from './Room';

/**
 * A participant of a room. Lives from join until leave, removal, or the end of the resume grace;
 * its connection (`peer`) may be swapped by a resume.
 */
export class Member {
  hand = false;
  stage: StageState = 'off';
  peer: Peer | null;
  resumeToken: string;
  graceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly role: Role,
    readonly room: Room,
    peer: Peer,
    resumeToken: string,
    readonly device?: string,
  ) {
    this.peer = peer;
    this.resumeToken = resumeToken;
  }

  get online(): boolean {
    return this.peer !== null;
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
    return info;
  }

  /** Sends an encoded frame if connected; dropped while the member is in its resume grace. */
  sendRaw(frame: string | Buffer): void {
    this.peer?.sendRaw(frame);
  }
}
