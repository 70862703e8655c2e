/**
 * The room host's SFU: one mediasoup worker (started on first use, replaced when it dies) and a
 * RoomSfu per room. When the worker dies every room is reset and told (`sfuReset`); the next
 * request starts a new worker and devices rebuild their transports.
 */
import type { types } from 'mediasoup';
import { createLogger } from '../../server-kit/log';
import type { Member } from '../Member';
import type { Room } from '../Room';
import type { CloudLeg } from './CloudLeg';
import type { MemberSfu } from './MemberSfu';
import { RoomSfu } from './RoomSfu';
import { ProbeService } from '../../server-kit/probe/ProbeService';
import { startWorker, type SfuOptions } from '../../server-kit/sfuConfig';

const log = createLogger('sfu');

export class Sfu {
  private workerPromise: Promise<types.Worker> | null = null;
  private readonly rooms = new Map<Room, RoomSfu>();
  /** Rooms linked to a cloud that serves their remote members (RoomFeed attaches it). */
  private readonly legs = new Map<Room, CloudLeg>();
  private closed = false;
  /** Worker restarts so far (for stats and tests). */
  restarts = 0;
  /** The pre-join check's end on this worker (`/probe`). */
  readonly probe: ProbeService;

  constructor(readonly options: SfuOptions) {
    this.probe = new ProbeService(() => this.worker(), options);
  }

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
    room.events.on('memberLeft', (member) => {
      this.rooms.get(room)?.removeMember(member.id);
      if (member.remote) this.legs.get(room)?.removeMember(member.id);
    });
    room.events.on('shareEnded', (share) => this.rooms.get(room)?.closeShare(share.id));
    room.events.on('shareAudioCut', (share) => this.rooms.get(room)?.closeShare(share.id, 'audio'));
  }

  /** The room's leg to the cloud's SFU (null: detach it). */
  attachCloud(room: Room, leg: CloudLeg | null): void {
    if (leg) this.legs.set(room, leg);
    else this.legs.delete(room);
  }

  /** The SFU that serves this member: the cloud's for one outside the room, when it has one. */
  forMember(member: Member): MemberSfu {
    const leg = member.remote ? this.legs.get(member.room) : undefined;
    return leg?.available ? leg : this.forRoom(member.room);
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
    await this.probe.close();
    for (const sfu of this.rooms.values()) sfu.close();
    this.rooms.clear();
    const worker = await this.workerPromise?.catch(() => null);
    worker?.close();
  }

  private async startWorker(): Promise<types.Worker> {
    const worker = await startWorker(this.options);
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
      this.legs.get(room)?.reset();
      room.shares.sfuReset();
    }
  }
}
