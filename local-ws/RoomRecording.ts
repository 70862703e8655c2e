/**
 * Whether the room is being recorded, as every member sees it (the "● REC" in `RoomInfo`), and
 * the host's recorder that does the work (none: this host cannot record).
 */
import type { RoomInfo } from '../protocol';
import type { Member } from './Member';
import type { Room } from './Room';
import type { RecordLibrary } from './record/RecordLibrary';

export type RecordingState = NonNullable<RoomInfo['recording']>;
export type RecordingEnd = 'stopped' | 'classEnded' | 'diskLow' | 'failed';

export interface Recorder {
  /**
   * Starts recording the class (refused with RECORDING_UNAVAILABLE or DISK_LOW). `upload`: the
   * record goes to the cloud by itself once it ends (a scheduled class's, when linked).
   */
  start(by: Pick<Member, 'name'>, opts?: { upload?: boolean }): Promise<void>;
  stop(reason: RecordingEnd): Promise<void>;
}

export class RoomRecording {
  state: RecordingState | null = null;
  recorder: Recorder | null = null;
  /** The records this host keeps (none: it cannot record). */
  library: RecordLibrary | null = null;

  constructor(private readonly room: Room) {}

  /** The recording began or ended: everyone sees it at once. */
  set(state: RecordingState | null): void {
    this.state = state;
    this.room.broadcast({ method: 'roomUpdated', params: { room: this.room.info() } });
  }
}
