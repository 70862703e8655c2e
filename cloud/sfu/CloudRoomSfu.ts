/**
 * One room on the cloud's SFU: a home router with the room host's codecs, the room's pipe (one
 * SRTP-encrypted plain RTP transport the host sends the room's producers over, and receives
 * remote members' producers back on) and, per remote participant, its transports, producers
 * (on stage) and consumers. The host decided who may send and receive what; this only keeps
 * each member to its own transports and producers, and to the room's producers.
 *
 * A large class outgrows one worker: receive transports then go to routers on other workers of
 * the pool, and each producer a receiver there consumes is piped to that router once
 * (`pipeToRouter`). The pipe, the producers and the send transports stay on the home router.
 */
import type { types } from 'mediasoup';
import {
  ErrorCode,
  ProtocolError,
  type CloudSfuEvent,
  type CloudSfuMethod,
  type CloudSfuParams,
  type CloudSfuResult,
} from '../../protocol';
import {
  connectPipe,
  createProcessPipe,
  endOf,
  type EdgePipe,
  type PipeEnd,
  type PipedProducer,
} from './EdgePipe';
import { RoomRouters } from './RoomRouters';
import type { WorkerPool } from './WorkerPool';
import {
  createBrowserTransport,
  guarded,
  KEYFRAME_REQUEST_DELAY_MS,
  rejected,
  SFU_LIMITS,
  transportInfo,
  type SfuOptions,
} from '../../server-kit/sfuConfig';

/** Caps per room, so one room (or its host) cannot exhaust the cloud's worker. */
export const CLOUD_ROOM_LIMITS = { members: 500, pipeProducers: 64 };

interface MemberMedia {
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
}

export class CloudRoomSfu {
  private readonly routers: RoomRouters;
  private pipePromise: Promise<types.PlainTransport> | null = null;
  /** Pipes to other processes serving some of this class's receivers, by process id. */
  private readonly edgePipes = new Map<string, types.PipeTransport>();
  /** Every producer in the room, piped up from the host or a remote member's: all consumable. */
  private readonly producers = new Map<string, types.Producer>();
  private readonly members = new Map<string, MemberMedia>();
  /** Remote members' producers sent down the pipe (once each). */
  private readonly pipedDown = new Set<string>();
  private closed = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly options: SfuOptions,
    private readonly notify: (event: Omit<CloudSfuEvent, 't'>) => void,
    /** On a process that serves receivers of a class held elsewhere: where producers come from. */
    private readonly edge: EdgePipe | null = null,
  ) {
    this.routers = new RoomRouters(pool);
  }

  /** Carries out one of the host's calls (params already validated). */
  async call<M extends CloudSfuMethod>(
    method: M,
    params: CloudSfuParams<M>,
  ): Promise<CloudSfuResult<M>> {
    if (this.closed) throw new ProtocolError(ErrorCode.SFU_UNAVAILABLE, 'room closed');
    const run = this.table[method] as (p: CloudSfuParams<M>) => Promise<CloudSfuResult<M>>;
    return guarded(() => run(params));
  }

  private readonly table: {
    [M in CloudSfuMethod]: (p: CloudSfuParams<M>) => Promise<CloudSfuResult<M>>;
  } = {
    capabilities: async () => ({ rtpCapabilities: { ...(await this.router()).rtpCapabilities } }),
    'transport.create': async ({ member, direction }) => {
      const media = this.media(member);
      if (media.transports.size >= SFU_LIMITS.transports) {
        throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU transports');
      }
      const dir = direction ?? 'recv';
      const router = dir === 'recv' ? await this.routers.forReceiver() : await this.router();
      const t = await createBrowserTransport(router, this.options, dir);
      t.appData.router = router;
      media.transports.set(t.id, t);
      t.observer.once('close', () => media.transports.delete(t.id));
      return transportInfo(t);
    },
    'transport.connect': async ({ member, transportId, dtlsParameters }) => {
      const t = this.transport(member, transportId);
      await t.connect({ dtlsParameters: dtlsParameters as unknown as types.DtlsParameters });
      return {};
    },
    'transport.restartIce': async ({ member, transportId }) => ({
      iceParameters: { ...(await this.transport(member, transportId).restartIce()) },
    }),
    consume: async ({ member, transportId, producerId, rtpCapabilities }) =>
      this.consume(member, transportId, producerId, rtpCapabilities),
    resume: async ({ member, consumerId }) => {
      const c = this.members.get(member)?.consumers.get(consumerId);
      if (!c) throw rejected('no such consumer');
      await c.resume();
      return {};
    },
    produce: async ({ member, transportId, kind, rtpParameters }) =>
      this.produce(member, transportId, kind, rtpParameters),
    closeProducer: async ({ member, producerId }) => {
      const p = this.members.get(member)?.producers.get(producerId);
      if (!p) throw rejected('no such producer');
      p.close();
      return {};
    },
    'member.remove': async ({ member }) => {
      this.removeMember(member);
      return {};
    },
    'pipe.open': async () => {
      const pipe = await this.pipe();
      return {
        ip: pipe.tuple.localIp,
        port: pipe.tuple.localPort,
        srtpParameters: { ...pipe.srtpParameters! },
        rtpCapabilities: { ...(await this.router()).rtpCapabilities },
      };
    },
    'pipe.connect': async ({ srtpParameters }) => {
      const pipe = await this.pipe();
      await pipe.connect({ srtpParameters: srtpParameters as unknown as types.SrtpParameters });
      return {};
    },
    'pipe.produce': async ({ producerId, kind, rtpParameters }) => {
      if (this.producers.has(producerId)) return {};
      if (this.producers.size >= CLOUD_ROOM_LIMITS.pipeProducers) {
        throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many producers in this room');
      }
      const producer = await (
        await this.pipe()
      ).produce({
        id: producerId,
        kind,
        rtpParameters: rtpParameters as unknown as types.RtpParameters,
      });
      this.producers.set(producer.id, producer);
      producer.observer.once('close', () => this.producers.delete(producer.id));
      return {};
    },
    'pipe.closeProducer': async ({ producerId }) => {
      this.producers.get(producerId)?.close();
      return {};
    },
    'pipe.consume': async ({ producerId, rtpCapabilities }) => {
      // Only a remote member's producer goes down: the host's own came up this pipe.
      const producer = this.producers.get(producerId);
      if (!producer || producer.appData.member === undefined) throw rejected('no such producer');
      if (this.pipedDown.has(producerId)) throw rejected('already on the pipe');
      const pipe = await this.pipe();
      const caps = rtpCapabilities as unknown as types.RtpCapabilities;
      if (!(await this.router()).canConsume({ producerId, rtpCapabilities: caps })) {
        throw rejected('cannot consume this producer with these capabilities');
      }
      const consumer = await pipe.consume({ producerId, rtpCapabilities: caps });
      this.pipedDown.add(producerId);
      consumer.observer.once('close', () => this.pipedDown.delete(producerId));
      return { kind: consumer.kind, rtpParameters: { ...consumer.rtpParameters } };
    },
    'room.close': async () => {
      this.reset();
      return {};
    },
  };

  private async consume(
    member: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: Record<string, unknown>,
  ): Promise<CloudSfuResult<'consume'>> {
    const media = this.media(member);
    if (media.consumers.size >= SFU_LIMITS.consumers) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU consumers');
    }
    const transport = this.transport(member, transportId);
    if (transport.appData.direction !== 'recv') throw rejected('not a receive transport');
    if (!this.producers.has(producerId)) {
      if (!this.edge) throw rejected('no such producer');
      // Served here, held elsewhere: the producer comes over from the holder's process.
      const pulled = await this.edge.pull(await this.router(), producerId);
      this.producers.set(pulled.id, pulled);
      pulled.observer.once('close', () => this.producers.delete(pulled.id));
    }
    const router = (transport.appData.router as types.Router | undefined) ?? (await this.router());
    await this.routers.pipeTo(this.producers.get(producerId)!, router);
    const caps = rtpCapabilities as unknown as types.RtpCapabilities;
    if (!router.canConsume({ producerId, rtpCapabilities: caps })) {
      throw rejected('cannot consume this producer with these capabilities');
    }
    const consumer = await transport.consume({ producerId, rtpCapabilities: caps, paused: true });
    media.consumers.set(consumer.id, consumer);
    const worker = await this.routers.workerOf(router);
    this.pool.count(worker, 1);
    consumer.observer.once('close', () => this.pool.count(worker, -1));
    consumer.on('producerclose', () => {
      if (!media.consumers.delete(consumer.id)) return;
      this.notify({ m: 'consumerClosed', member, p: { consumerId: consumer.id } });
    });
    consumer.on('transportclose', () => media.consumers.delete(consumer.id));
    return {
      consumerId: consumer.id,
      producerId: consumer.producerId,
      kind: consumer.kind,
      rtpParameters: { ...consumer.rtpParameters },
    };
  }

  private async produce(
    member: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: Record<string, unknown>,
  ): Promise<CloudSfuResult<'produce'>> {
    const media = this.media(member);
    if (media.producers.size >= SFU_LIMITS.producers) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU producers');
    }
    if (this.producers.size >= CLOUD_ROOM_LIMITS.pipeProducers) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many producers in this room');
    }
    const transport = this.transport(member, transportId);
    if (transport.appData.direction !== 'send') throw rejected('not a send transport');
    const producer = await transport.produce({
      kind,
      rtpParameters: rtpParameters as unknown as types.RtpParameters,
      keyFrameRequestDelay: KEYFRAME_REQUEST_DELAY_MS,
      appData: { member },
    });
    media.producers.set(producer.id, producer);
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      media.producers.delete(producer.id);
      this.producers.delete(producer.id);
      if (this.closed) return;
      this.notify({ m: 'producerClosed', member, p: { producerId: producer.id } });
    });
    return { producerId: producer.id };
  }

  /**
   * A receive transport made elsewhere on one of this room's routers (the home router unless
   * `router` says: benchmarks' and tests' plain RTP receivers).
   */
  adoptTransport(member: string, transport: types.Transport, router?: types.Router): void {
    const media = this.media(member);
    transport.appData.direction = 'recv';
    if (router) transport.appData.router = router;
    media.transports.set(transport.id, transport as types.WebRtcTransport);
    transport.observer.once('close', () => media.transports.delete(transport.id));
  }

  // ---- the holder's end of pipes to other processes (see EdgePipe) -----------------------

  /** Another process serves some receivers of this class: the pipe's end here, connected. */
  async openEdge(process: string, end: PipeEnd): Promise<PipeEnd> {
    this.edgePipes.get(process)?.close();
    const t = await createProcessPipe(await this.router(), this.options);
    await connectPipe(t, end);
    this.edgePipes.set(process, t);
    t.observer.once('close', () => {
      if (this.edgePipes.get(process) === t) this.edgePipes.delete(process);
    });
    return endOf(t, this.options);
  }

  /** One of the room's producers, sent to that process (it is told when it ends: `gone`). */
  async pipeToEdge(process: string, producerId: string, gone: () => void): Promise<PipedProducer> {
    const t = this.edgePipes.get(process);
    if (!t) throw rejected('no pipe to that process');
    if (!this.producers.has(producerId)) throw rejected('no such producer');
    const c = await t.consume({ producerId });
    c.observer.once('close', gone);
    return { kind: c.kind, rtpParameters: { ...c.rtpParameters }, paused: c.producerPaused };
  }

  /** Remote members' consumers now (stats and tests). */
  consumerCount(): number {
    let n = 0;
    for (const m of this.members.values()) n += m.consumers.size;
    return n;
  }

  get producerCount(): number {
    return this.producers.size;
  }

  /** Everything goes; the next call starts afresh (new routers and pipe). */
  reset(): void {
    this.members.clear();
    this.producers.clear();
    this.pipePromise = null;
    this.routers.reset();
  }

  close(): void {
    this.closed = true;
    for (const t of this.edgePipes.values()) t.close();
    this.edgePipes.clear();
    this.edge?.close();
    this.reset();
  }

  /** Whether any of this room's routers is on `worker` (it died: the room starts over). */
  uses(worker: types.Worker): Promise<boolean> {
    return this.routers.uses(worker);
  }

  /** Workers this room's routers are on (stats and tests). */
  get workers(): number {
    return this.routers.workers;
  }

  /** The room's home router (created on first use, on the least loaded worker). */
  router(): Promise<types.Router> {
    return this.routers.home();
  }

  /** Where a new receiver goes (public for benchmarks and tests that make plain receivers). */
  receiveRouter(): Promise<types.Router> {
    return this.routers.forReceiver();
  }

  /**
   * The room's pipe: comedia (it answers to wherever the host's first packet came from, so the
   * school's NAT needs no port forwarding), SRTP with keys exchanged over the TLS link.
   */
  private pipe(): Promise<types.PlainTransport> {
    if (!this.pipePromise) {
      const created = this.router().then((router) =>
        router.createPlainTransport({
          listenIp: {
            ip: this.options.listenIp,
            ...(this.options.announcedIp && { announcedIp: this.options.announcedIp }),
          },
          rtcpMux: true,
          comedia: true,
          enableSrtp: true,
          srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
        }),
      );
      created.catch(() => {
        if (this.pipePromise === created) this.pipePromise = null;
      });
      this.pipePromise = created;
    }
    return this.pipePromise;
  }

  private media(member: string): MemberMedia {
    let media = this.members.get(member);
    if (!media) {
      if (this.members.size >= CLOUD_ROOM_LIMITS.members) {
        throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many remote members');
      }
      media = { transports: new Map(), producers: new Map(), consumers: new Map() };
      this.members.set(member, media);
    }
    return media;
  }

  private transport(member: string, transportId: string): types.WebRtcTransport {
    const t = this.members.get(member)?.transports.get(transportId);
    if (!t) throw rejected('no such transport');
    return t;
  }

  /** Whether this process serves receivers of a room held by another. */
  get isEdge(): boolean {
    return this.edge !== null;
  }

  /** A producer pulled from the holder ended there: its consumers here are told. */
  dropProducer(producerId: string): void {
    this.producers.get(producerId)?.close();
  }

  /** Remote members with media here (an edge room with none left can go). */
  get memberCount(): number {
    return this.members.size;
  }

  private removeMember(member: string): void {
    const media = this.members.get(member);
    if (!media) return;
    this.members.delete(member);
    for (const t of [...media.transports.values()]) t.close();
  }
}
