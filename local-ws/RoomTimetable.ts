/**
 * The room's scheduled class as every member sees it (`RoomInfo.scheduled` and `next`: the idle
 * room screen's "Next: Violin — 15:00"), and the host's scheduler that opens and ends classes
 * (none: nothing is scheduled on this host).
 */
import type { RoomInfo } from '../protocol';
import type { Room } from './Room';

export type TimetableState = Pick<RoomInfo, 'scheduled' | 'next'>;

export interface Scheduler {
  /** The running scheduled class lasts `minutes` more; resolves with its new end. */
  extend(minutes: number): Promise<number>;
}

export class RoomTimetable {
  state: TimetableState = {};
  scheduler: Scheduler | null = null;

  constructor(private readonly room: Room) {}

  /** What is scheduled changed: everyone sees it (only when it did change). */
  set(state: TimetableState): void {
    if (JSON.stringify(state) === JSON.stringify(this.state)) return;
    this.state = state;
    this.room.broadcast({ method: 'roomUpdated', params: { room: this.room.info() } });
  }
}
