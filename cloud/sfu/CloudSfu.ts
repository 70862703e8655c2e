/**
 * The cloud's SFU for participants outside their room: a pool of mediasoup workers (started as
 * needed, replaced when one dies) and a CloudRoomSfu per room, driven by the room host's calls
 * over its link. A class that outgrows a worker spreads its receivers over several; behind a
 * load balancer, a remote participant whose socket reached another process is served by that
 * process's SFU, which pulls the room's producers from here (SpreadCalls, EdgePipe). A room
 * whose link drops keeps its media for a while (the host's pipe and the remote participants'
 * transports do not go through the link, so pictures go on); after `idleMs` without the link it
 * is closed.
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
import { EdgePipe, type PipeEnd } from './EdgePipe';
import type { ProcessRpc } from './ProcessRpc';
import { SpreadCalls } from './SpreadCalls';
import { WorkerPool, type PoolOptions } from './WorkerPool';

/** Several cloud processes: calls between them, and where a remote participant's socket is. */
export interface SfuCluster {
  rpc: ProcessRpc;
  placeOf(roomId: string, channel: string): string | null;
}

type Params = Record<string, unknown>;

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

  private readonly spread: SpreadCalls | null;

  constructor(
    private readonly options: CloudSfuOptions,
    /** Sends a frame to a room's host now; false when its link is not here. */
    private readonly send: (roomId: string, frame: CloudSfuFrame) => boolean,
    private readonly cluster: SfuCluster | null = null,
  ) {
    this.pool = new WorkerPool(options, options, (w) => void this.onWorkerDied(w));
    this.probe = new ProbeService(() => this.pool.first(), options);
    this.spread = cluster ? new SpreadCalls(cluster.rpc.me, cluster.placeOf) : null;
    if (cluster) this.serveCluster(cluster.rpc);
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
      const p = parsed.data as Params;
      const away = this.spread?.where(roomId, call.m, p) ?? null;
      const room = await this.room(roomId);
      // Another process serves this member's receivers: it carries the call out.
      if (away !== null && this.cluster) {
        const r = await this.cluster.rpc.call(away, 'sfu.call', { roomId, m: call.m, p });
        this.spread!.done(roomId, call.m, p, r, away);
        if (call.m === 'member.remove') await room.call(call.m, p as never);
        reply({ ok: true, r });
        return;
      }
      const r = await room.call(call.m, p as never);
      if (call.m === 'room.close') this.closeEdges(roomId);
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
      this.closeEdges(roomId);
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

  // ---- several processes (see SpreadCalls and EdgePipe) ------------------------------------

  private serveCluster(rpc: ProcessRpc): void {
    const held = (roomId: unknown) => {
      const room = this.rooms.get(String(roomId));
      if (!room || room.isEdge) throw new ProtocolError(ErrorCode.SFU_UNAVAILABLE, 'not held here');
      return room;
    };
    // On the room's holder: another process serving some of its receivers.
    rpc.handle('pipe.open', async (params, from) => {
      const { roomId, end } = params as { roomId: string; end: PipeEnd };
      return held(roomId).openEdge(from, end);
    });
    rpc.handle('pipe.producer', async (params, from) => {
      const { roomId, producerId } = params as { roomId: string; producerId: string };
      return held(roomId).pipeToEdge(from, producerId, () =>
        rpc.emit(from, 'pipe.closed', { roomId, producerId }),
      );
    });
    rpc.on('sfu.event', (params) => {
      const { roomId, event } = params as { roomId: string; event: Params };
      if (event['m'] === 'consumerClosed') {
        this.spread?.consumerClosed(roomId, String((event['p'] as Params)['consumerId']));
      }
      this.send(roomId, { t: 'n', ...(event as Omit<Extract<CloudSfuFrame, { t: 'n' }>, 't'>) });
    });
    // On a process serving receivers of a room held elsewhere.
    rpc.handle('sfu.call', async (params, from) => {
      const { roomId, m, p } = params as { roomId: string; m: string; p: unknown };
      if (!isCloudSfuMethod(m)) throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, m);
      const parsed = cloudSfuMethods[m].params.safeParse(p);
      if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'bad SFU params');
      const room = this.edgeRoom(roomId, from, rpc);
      const r = await room.call(m, parsed.data as never);
      if (m === 'member.remove' && room.memberCount === 0) this.dropRoom(roomId);
      return r;
    });
    rpc.on('pipe.closed', (params) => {
      const { roomId, producerId } = params as { roomId: string; producerId: string };
      this.rooms.get(roomId)?.dropProducer(producerId);
    });
    rpc.on('edge.close', (params) => this.dropRoom(String((params as Params)['roomId'])));
  }

  private edgeRoom(roomId: string, holder: string, rpc: ProcessRpc): CloudRoomSfu {
    let room = this.rooms.get(roomId);
    if (room && !room.isEdge) throw new ProtocolError(ErrorCode.SFU_UNAVAILABLE, 'held here');
    if (!room) {
      room = new CloudRoomSfu(
        this.pool,
        this.options,
        (event) => rpc.emit(holder, 'sfu.event', { roomId, event }),
        new EdgePipe(roomId, holder, rpc, this.options),
      );
      this.rooms.set(roomId, room);
    }
    return room;
  }

  private dropRoom(roomId: string): void {
    this.rooms.get(roomId)?.close();
    this.rooms.delete(roomId);
  }

  /** The room closes here: the processes serving its receivers close their part. */
  private closeEdges(roomId: string): void {
    for (const process of this.spread?.processesOf(roomId) ?? []) {
      this.cluster?.rpc.emit(process, 'edge.close', { roomId });
    }
    this.spread?.forgetRoom(roomId);
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
