/**
 * The room host's SFU: one mediasoup worker (started on first use, replaced when it dies) and a
 * RoomSfu per room. When the worker dies every room is reset and told (`sfuReset`); the next
 * request starts a new worker and devices rebuild their transports.
 */
import type { types } from 'mediasoup';
import type { Member } from '../Member';
import type { Room } from '../Room';
import { RoomSfu } from './RoomSfu';
import type { SfuOptions } from './config';

type Log = (message: string) => void;

export class Sfu {
  private workerPromise: Promise<types.Worker> | null = null;
  private readonly rooms = new Map<Room, RoomSfu>();
  private closed = false;
  /** Worker restarts so far (for stats and tests). */
  restarts = 0;

  constructor(
    private readonly options: SfuOptions,
    private readonly log: Log = () => undefined,
  ) {}

  /** The current worker, started if needed. */
  worker(): Promise<types.Worker> {
    if (this.closed) return Promise.reject(new Error('SFU closed'));
    this.workerPromise ??= this.startWorker();
    return this.workerPromise;
  }

  forRoom(room: Room): RoomSfu {
    let sfu = this.rooms.get(room);
    if (!sfu) {
      sfu = new RoomSfu(
        () => this.worker(),
        this.options,
        (memberId, method, params) =>
          room.members.get(memberId)?.peer?.notify(method as never, params as never),
      );
      this.rooms.set(room, sfu);
    }
    return sfu;
  }

  /** Hooks from the room registry. */
  memberGone(member: Member): void {
    this.rooms.get(member.room)?.removeMember(member.id);
  }

  shareDropped(room: Room, shareId: string): void {
    this.rooms.get(room)?.closeShare(shareId);
  }

  roomClosed(room: Room): void {
    this.rooms.get(room)?.close();
    this.rooms.delete(room);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const sfu of this.rooms.values()) sfu.close();
    this.rooms.clear();
    const worker = await this.workerPromise?.catch(() => null);
    worker?.close();
  }

  private async startWorker(): Promise<types.Worker> {
    const mediasoup = await import('mediasoup');
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      ...(this.options.rtcMinPort !== undefined && { rtcMinPort: this.options.rtcMinPort }),
      ...(this.options.rtcMaxPort !== undefined && { rtcMaxPort: this.options.rtcMaxPort }),
    });
    worker.on('died', (err) => this.onWorkerDied(worker, err));
    this.log(`mediasoup worker ${worker.pid} started`);
    return worker;
  }

  private onWorkerDied(worker: types.Worker, err: Error): void {
    this.log(`mediasoup worker ${worker.pid} died: ${err.message}`);
    this.workerPromise = null;
    if (this.closed) return;
    this.restarts++;
    for (const [room, sfu] of this.rooms) {
      sfu.reset();
      for (const share of room.shares.values()) delete share.producerId;
      room.broadcast('sfuReset', { reason: 'workerDied' });
    }
  }
}
