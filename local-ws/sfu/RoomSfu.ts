/**
 * One room's SFU state: a router (created on first use), and per member the WebRTC transports,
 * producers and consumers it owns. Everything is looked up within the room and the member, so a
 * device can only touch its own transports and only consume producers of its own room.
 */
import type { types } from 'mediasoup';
import { ErrorCode, ProtocolError, type SfuNotification, type TransportInfo } from '../../protocol';
import {
  createBrowserTransport,
  guarded,
  KEYFRAME_REQUEST_DELAY_MS,
  MEDIA_CODECS,
  rejected,
  SFU_LIMITS,
  transportInfo,
  type SfuOptions,
} from '../../server-kit/sfuConfig';

interface MemberMedia {
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
}

/** Sends one of the SFU's notifications to one member of the room. */
export type NotifyMember = (memberId: string, notification: SfuNotification) => void;
/** Who is speaking now (member ids, loudest first; empty: silence). */
export type SpeakersChanged = (memberIds: string[]) => void;

export class RoomSfu {
  private routerPromise: Promise<types.Router> | null = null;
  private levels: Promise<types.AudioLevelObserver> | null = null;
  private speakers: string[] = [];
  private readonly members = new Map<string, MemberMedia>();
  /** Every producer in the room by id: anyone in the room may consume it. */
  private readonly producers = new Map<string, types.Producer>();

  constructor(
    private readonly worker: () => Promise<types.Worker>,
    private readonly options: SfuOptions,
    private readonly notify: NotifyMember,
    private readonly speakersChanged: SpeakersChanged = () => undefined,
  ) {}

  /**
   * The room's audio levels: every audio producer is watched, and who speaks (above -55 dBov,
   * in 500 ms windows) is told to the room when it changes.
   */
  private levelObserver(router: types.Router): Promise<types.AudioLevelObserver> {
    this.levels ??= router
      .createAudioLevelObserver({ maxEntries: 4, threshold: -55, interval: 500 })
      .then((observer) => {
        const tell = (ids: string[]) => {
          if (ids.join() === this.speakers.join()) return;
          this.speakers = ids;
          this.speakersChanged(ids);
        };
        observer.on('volumes', (volumes) =>
          tell([...new Set(volumes.map((v) => String(v.producer.appData.memberId)))]),
        );
        observer.on('silence', () => tell([]));
        return observer;
      });
    return this.levels;
  }

  router(): Promise<types.Router> {
    if (!this.routerPromise) {
      const created = this.worker().then((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS }));
      // A failed creation must not stick: the next call tries again.
      created.catch(() => {
        if (this.routerPromise === created) this.routerPromise = null;
      });
      this.routerPromise = created;
    }
    return this.routerPromise;
  }

  async capabilities(): Promise<types.RtpCapabilities> {
    return (await this.router()).rtpCapabilities;
  }

  async createTransport(memberId: string, direction: 'send' | 'recv'): Promise<TransportInfo> {
    const media = this.media(memberId);
    if (media.transports.size >= SFU_LIMITS.transports) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU transports');
    }
    const transport = await createBrowserTransport(await this.router(), this.options, direction);
    media.transports.set(transport.id, transport);
    transport.observer.once('close', () => media.transports.delete(transport.id));
    return transportInfo(transport);
  }

  /**
   * Registers a transport made elsewhere on this room's router (a plain RTP/SRTP transport for
   * a recorder, a cloud relay leg, or the SFU benchmark) so produce/consume treat it like the
   * member's WebRTC transports.
   */
  adoptTransport(memberId: string, transport: types.Transport, direction: 'send' | 'recv'): void {
    const media = this.media(memberId);
    transport.appData.direction = direction;
    media.transports.set(transport.id, transport as types.WebRtcTransport);
    transport.observer.once('close', () => media.transports.delete(transport.id));
  }

  connect(memberId: string, transportId: string, dtlsParameters: object): Promise<void> {
    const transport = this.transport(memberId, transportId);
    return guarded(() =>
      transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
    );
  }

  async produce(
    memberId: string,
    transportId: string,
    shareId: string,
    kind: types.MediaKind,
    rtpParameters: object,
  ): Promise<types.Producer> {
    const media = this.media(memberId);
    if (media.producers.size >= SFU_LIMITS.producers) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU producers');
    }
    const transport = this.transport(memberId, transportId);
    if (transport.appData.direction !== 'send') throw rejected('not a send transport');
    const producer = await guarded(() =>
      transport.produce({
        kind,
        rtpParameters: rtpParameters as types.RtpParameters,
        keyFrameRequestDelay: KEYFRAME_REQUEST_DELAY_MS,
        appData: { shareId, memberId },
      }),
    );
    await this.adoptProducer(memberId, producer);
    return producer;
  }

  /**
   * Registers a producer made elsewhere on this room's router as the member's (a remote
   * member's, brought down from the cloud's SFU): consumable by the room, and heard speaking.
   */
  async adoptProducer(memberId: string, producer: types.Producer): Promise<void> {
    const media = this.media(memberId);
    if (producer.kind === 'audio') {
      const observer = await this.levelObserver(await this.router());
      await observer.addProducer({ producerId: producer.id }).catch(() => undefined);
    }
    media.producers.set(producer.id, producer);
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      media.producers.delete(producer.id);
      this.producers.delete(producer.id);
    });
  }

  closeProducer(memberId: string, producerId: string): void {
    const producer = this.media(memberId).producers.get(producerId);
    if (!producer) throw rejected('no such producer');
    producer.close();
  }

  /** Closes the producers of a share (it stopped), or only its `kind`; consumers are told. */
  closeShare(shareId: string, kind?: types.MediaKind): void {
    for (const p of [...this.producers.values()]) {
      if (p.appData.shareId === shareId && (kind === undefined || p.kind === kind)) p.close();
    }
  }

  async consume(
    memberId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: object,
  ): Promise<types.Consumer> {
    const media = this.media(memberId);
    if (media.consumers.size >= SFU_LIMITS.consumers) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'too many SFU consumers');
    }
    if (!this.producers.has(producerId)) throw rejected('no such producer');
    const transport = this.transport(memberId, transportId);
    if (transport.appData.direction !== 'recv') throw rejected('not a receive transport');
    const router = await this.router();
    const caps = rtpCapabilities as types.RtpCapabilities;
    if (!router.canConsume({ producerId, rtpCapabilities: caps })) {
      throw rejected('cannot consume this producer with these capabilities');
    }
    // Paused until the receiver has set up its track: the first frame it gets is a keyframe.
    const consumer = await guarded(() =>
      transport.consume({ producerId, rtpCapabilities: caps, paused: true }),
    );
    media.consumers.set(consumer.id, consumer);
    const gone = () => {
      if (!media.consumers.delete(consumer.id)) return;
      this.notify(memberId, { method: 'consumerClosed', params: { consumerId: consumer.id } });
    };
    consumer.on('producerclose', gone);
    consumer.on('transportclose', () => media.consumers.delete(consumer.id));
    consumer.on('layerschange', (layers) =>
      this.notify(memberId, {
        method: 'layersChanged',
        params: {
          consumerId: consumer.id,
          spatialLayer: layers?.spatialLayer ?? null,
          temporalLayer: layers?.temporalLayer ?? null,
        },
      }),
    );
    return consumer;
  }

  resume(memberId: string, consumerId: string): Promise<void> {
    const consumer = this.consumer(memberId, consumerId);
    return guarded(() => consumer.resume());
  }

  setLayers(memberId: string, consumerId: string, spatial: number, temporal?: number) {
    const consumer = this.consumer(memberId, consumerId);
    return guarded(() =>
      consumer.setPreferredLayers({
        spatialLayer: spatial,
        ...(temporal !== undefined && { temporalLayer: temporal }),
      }),
    );
  }

  restartIce(memberId: string, transportId: string): Promise<types.IceParameters> {
    const transport = this.transport(memberId, transportId);
    return guarded(() => transport.restartIce());
  }

  /** A member left: its transports close, taking its producers and consumers along. */
  removeMember(memberId: string): void {
    const media = this.members.get(memberId);
    if (!media) return;
    this.members.delete(memberId);
    for (const t of [...media.transports.values()]) t.close();
    // Producers made elsewhere (adopted) are not on its transports.
    for (const p of [...media.producers.values()]) p.close();
  }

  /** The worker died: the router and everything on it are gone. */
  reset(): void {
    this.members.clear();
    this.producers.clear();
    this.routerPromise = null;
    this.levels = null;
  }

  close(): void {
    for (const id of [...this.members.keys()]) this.removeMember(id);
    void this.routerPromise?.then((r) => r.close()).catch(() => undefined);
    this.routerPromise = null;
    this.levels = null;
  }

  /** A producer of this room (a recorder consumes it). */
  producer(producerId: string): types.Producer | undefined {
    return this.producers.get(producerId);
  }

  /** Consumers in the room (for stats and tests). */
  consumerCount(): number {
    let n = 0;
    for (const m of this.members.values()) n += m.consumers.size;
    return n;
  }

  private media(memberId: string): MemberMedia {
    let media = this.members.get(memberId);
    if (!media) {
      media = { transports: new Map(), producers: new Map(), consumers: new Map() };
      this.members.set(memberId, media);
    }
    return media;
  }

  private transport(memberId: string, transportId: string): types.WebRtcTransport {
    const t = this.members.get(memberId)?.transports.get(transportId);
    if (!t) throw rejected('no such transport');
    return t;
  }

  private consumer(memberId: string, consumerId: string): types.Consumer {
    const c = this.members.get(memberId)?.consumers.get(consumerId);
    if (!c) throw rejected('no such consumer');
    return c;
  }
}
