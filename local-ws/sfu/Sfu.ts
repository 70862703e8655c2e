/**
 * The room host's SFU: one mediasoup worker (started on first use, replaced when it dies) and a
 * RoomSfu per room. When the worker dies every room is reset and told (`sfuReset`); the next
 * request starts a new worker and devices rebuild their transports.
 */
import type { types } from 'mediasoup';
import { createLogger } from '../../server-kit/log';
import type { Room } from '../Room';
import { RoomSfu } from './RoomSfu';
import type { SfuOptions } from './config';

const log = createLogger('sfu');

export class Sfu {
  private workerPromise: Promise<types.Worker> | null = null;
  private readonly rooms = new Map<Room, RoomSfu>();
  private closed = false;
  /** Worker restarts so far (for stats and tests). */
  restarts = 0;

  constructor(private readonly options: SfuOptions) {}

  /** False once closed (also when its worker could not start): clients use P2P then. */
  get available(): boolean {
    return !this.closed;
  }

  /** The current worker, started if needed. */
  worker(): Promise<types.Worker> {
    if (this.closed) return Promise.reject(new Error('SFU closed'));
    this.workerPromise ??= this.startWorker();
    return this.workerPromise;
  }

  /** Follows a room: a member that leaves takes its media along, a share that ends its producers. */
  follow(room: Room): void {
    room.events.on('memberLeft', (member) => this.rooms.get(room)?.removeMember(member.id));
    room.events.on('shareEnded', (share) => this.rooms.get(room)?.closeShare(share.id));
    room.events.on('shareAudioCut', (share) => this.rooms.get(room)?.closeShare(share.id, 'audio'));
  }

  forRoom(room: Room): RoomSfu {
    let sfu = this.rooms.get(room);
    if (!sfu) {
      sfu = new RoomSfu(
        () => this.worker(),
        this.options,
        (memberId, n) => room.members.get(memberId)?.notify(n.method, n.params),
        (peerIds) => room.broadcast({ method: 'speaking', params: { peerIds } }),
      );
      this.rooms.set(room, sfu);
    }
    return sfu;
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
    log.info(`mediasoup worker ${worker.pid} started`);
    return worker;
  }

  private onWorkerDied(worker: types.Worker, err: Error): void {
    log.warn(`mediasoup worker ${worker.pid} died: ${err.message}`);
    this.workerPromise = null;
    if (this.closed) return;
    this.restarts++;
    for (const [room, sfu] of this.rooms) {
      sfu.reset();
      room.shares.sfuReset();
    }
  }
}
