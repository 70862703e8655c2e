/**
 * The cloud's SFU for participants outside their room: a pool of mediasoup workers (started as
 * needed, replaced when one dies) and a CloudRoomSfu per room, driven by the room host's calls
 * over its link. A class that outgrows a worker spreads its receivers over several. A room whose link drops keeps its media for a while (the host's pipe and the remote
 * participants' transports do not go through the link, so pictures go on); after `idleMs`
 * without the link it is closed.
 */
import type { types } from 'mediasoup';
import {
  cloudSfuMethods,
  ErrorCode,
  isCloudSfuMethod,
  ProtocolError,
  type CloudSfuCall,
  type CloudSfuFrame,
} from '../../protocol';
import { ProbeService } from '../../server-kit/probe/ProbeService';
import type { SfuOptions } from '../../server-kit/sfuConfig';
import { CloudRoomSfu } from './CloudRoomSfu';
import { WorkerPool, type PoolOptions } from './WorkerPool';

export interface CloudSfuOptions extends SfuOptions, PoolOptions {
  /** How long a room without its link keeps its media (default 60 s). */
  idleMs?: number;
}

export interface CloudSfuStats {
  rooms: number;
  producers: number;
  consumers: number;
  restarts: number;
  /** Workers running, and consumers on each worker slot. */
  workers: number;
  workerConsumers: number[];
}

export class CloudSfu {
  readonly pool: WorkerPool;
  private readonly rooms = new Map<string, CloudRoomSfu>();
  private readonly idle = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private restarts = 0;
  /** The pre-join check's end for remote participants (`/probe?link=…`). */
  readonly probe: ProbeService;

  constructor(
    private readonly options: CloudSfuOptions,
    /** Sends a frame to a room's host now; false when its link is not here. */
    private readonly send: (roomId: string, frame: CloudSfuFrame) => boolean,
  ) {
    this.pool = new WorkerPool(options, options, (w) => void this.onWorkerDied(w));
    this.probe = new ProbeService(() => this.pool.first(), options);
  }

  /** One call from a room's host: carried out, and answered on its link. */
  async handle(roomId: string, call: CloudSfuCall): Promise<void> {
    const reply = (f: Omit<Extract<CloudSfuFrame, { t: 'p' }>, 't' | 'i'>) =>
      this.send(roomId, { t: 'p', i: call.i, ...f });
    try {
      if (!isCloudSfuMethod(call.m)) {
        throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `no SFU method ${call.m}`);
      }
      const parsed = cloudSfuMethods[call.m].params.safeParse(call.p);
      if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'bad SFU params');
      const room = await this.room(roomId);
      const r = await room.call(call.m, parsed.data as never);
      reply({ ok: true, r });
    } catch (err) {
      const code = err instanceof ProtocolError ? err.code : ErrorCode.SFU_UNAVAILABLE;
      const message = err instanceof Error ? err.message : String(err);
      reply({ ok: false, e: { code, message: message.slice(0, 500) } });
    }
  }

  /** The room's link is here (again): its media stays. */
  linkUp(roomId: string): void {
    const timer = this.idle.get(roomId);
    if (timer) clearTimeout(timer);
    this.idle.delete(roomId);
  }

  /** The room's link dropped: its media goes unless the link comes back in time. */
  linkLost(roomId: string): void {
    if (!this.rooms.has(roomId) || this.idle.has(roomId)) return;
    const timer = setTimeout(() => {
      this.idle.delete(roomId);
      this.rooms.get(roomId)?.close();
      this.rooms.delete(roomId);
    }, this.options.idleMs ?? 60_000);
    timer.unref();
    this.idle.set(roomId, timer);
  }

  /** A room's SFU, if it has one (tests and stats). */
  roomOf(roomId: string): CloudRoomSfu | undefined {
    return this.rooms.get(roomId);
  }

  stats(): CloudSfuStats {
    let producers = 0;
    let consumers = 0;
    for (const r of this.rooms.values()) {
      producers += r.producerCount;
      consumers += r.consumerCount();
    }
    return {
      rooms: this.rooms.size,
      producers,
      consumers,
      restarts: this.restarts,
      workers: this.pool.started,
      workerConsumers: this.pool.loads(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.probe.close();
    for (const t of this.idle.values()) clearTimeout(t);
    this.idle.clear();
    for (const r of this.rooms.values()) r.close();
    this.rooms.clear();
    await this.pool.close();
  }

  private async room(roomId: string): Promise<CloudRoomSfu> {
    if (this.closed) throw new Error('SFU closed');
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new CloudRoomSfu(this.pool, this.options, (e) => this.send(roomId, { t: 'n', ...e }));
      this.rooms.set(roomId, room);
    }
    return room;
  }

  /** The rooms with a router on the dead worker lose their media: each host is told. */
  private async onWorkerDied(worker: types.Worker): Promise<void> {
    if (this.closed) return;
    this.restarts++;
    for (const [roomId, room] of [...this.rooms]) {
      if (!(await room.uses(worker))) continue;
      room.close();
      this.rooms.delete(roomId);
      this.send(roomId, { t: 'n', m: 'sfuReset', p: { reason: 'workerDied' } });
    }
  }
}
