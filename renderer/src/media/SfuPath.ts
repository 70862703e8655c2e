/**
 * The SFU path of the media engine: one mediasoup-client Device, one send and one receive
 * transport, producers for my shares and consumers for others', with remote streams keyed by
 * the share's stream id exactly like P2P streams. It never signals by itself: every call goes
 * through the relay with the `request` function it is given.
 */
import type { Device, types } from 'mediasoup-client';
import type { ClientMethod, ClientParams, ClientResult } from '../../../protocol';
import { createLog } from '../log';
import { lowLatencyAudio, opusProducerOptions } from './audio';
import { LAN_START_KBPS } from './PeerLink';
import { simulcastEncodings } from './layers';

/**
 * mediasoup-client (~180 KB) is its own file, fetched when the page is idle after its first
 * render or when the SFU is first needed, whichever comes first: not on the join form's path.
 */
export const loadMediasoup = () => import('mediasoup-client');

const log = createLog('sfu');

export type SfuRequest = <M extends ClientMethod>(
  method: M,
  params: ClientParams<M>,
) => Promise<ClientResult<M>>;

interface Received {
  consumer: types.Consumer;
  streamId: string;
}

/** How a track is published: its share's bitrate cap (video) and music mode (audio). */
export interface ProduceOptions {
  maxBitrate: number;
  music: boolean;
}

const key = (shareId: string, kind: string) => `${shareId}/${kind}`;

export class SfuPath {
  private device: Promise<Device> | null = null;
  private devicePrepared = false;
  private sendTransport: Promise<types.Transport> | null = null;
  private recvTransport: Promise<types.Transport> | null = null;
  /** My producers by share id and kind (`shareId/audio`, `shareId/video`). */
  private readonly producers = new Map<string, types.Producer>();
  /** Producers being created, by the same key (a second request waits for the first). */
  private readonly producing = new Map<string, Promise<void>>();
  /** Keys stopped while their producer was being created. */
  private readonly stopped = new Set<string>();
  /** Consumers by producer id. */
  private readonly received = new Map<string, Received>();
  /** The received tracks of a share (its picture and its sound) as one stream, by stream id. */
  private readonly streams = new Map<string, MediaStream>();
  private generation = 0;

  constructor(
    private readonly request: SfuRequest,
    private readonly changed: () => void,
  ) {}

  /** A remote stream received through the SFU, by stream id. */
  streamFor(streamId: string): MediaStream | undefined {
    return this.streams.get(streamId);
  }

  /**
   * Loads the device (the SFU's codecs against the browser's) before anything is published:
   * a page that may publish does this once it could, not when its first share starts.
   */
  prepareDevice(): void {
    // Asked on every room change: once is enough (a failed load is not retried from here on
    // each chat message; the first publish tries again).
    if (this.devicePrepared) return;
    this.devicePrepared = true;
    this.loadDevice().catch((err: unknown) => log.info('SFU device not loaded', err));
  }

  /**
   * Gets what a first publish needs (the device, the send transport on the SFU) while the share
   * is still being announced: its producer is then one request away, not three.
   */
  prepareSend(): void {
    this.transport('send').catch((err: unknown) => log.info('SFU send transport not ready', err));
  }

  isProducing(shareId: string, kind: 'audio' | 'video'): boolean {
    return this.producers.has(key(shareId, kind));
  }

  /**
   * Publishes a share's track (once, however often asked): video with three simulcast layers,
   * audio as Opus (stereo at a music bitrate in music mode).
   */
  produce(shareId: string, track: MediaStreamTrack, options: ProduceOptions): Promise<void> {
    const k = key(shareId, track.kind);
    if (this.producers.has(k)) return Promise.resolve();
    let pending = this.producing.get(k);
    if (!pending) {
      pending = this.startProducing(shareId, track, options).finally(() =>
        this.producing.delete(k),
      );
      this.producing.set(k, pending);
    }
    return pending;
  }

  private async startProducing(shareId: string, track: MediaStreamTrack, opts: ProduceOptions) {
    const generation = this.generation;
    const k = key(shareId, track.kind);
    const device = await this.loadDevice();
    const transport = await this.transport('send');
    const common = {
      track,
      appData: { shareId },
      // The track belongs to the share (the P2P path sends it too): closing must not stop it.
      stopTracks: false,
    };
    let producer: types.Producer;
    if (track.kind === 'audio') {
      producer = await transport.produce({
        ...common,
        codecOptions: opusProducerOptions(opts.music),
      });
    } else {
      const vp8 = device.rtpCapabilities.codecs?.find(
        (c) => c.mimeType.toLowerCase() === 'video/vp8',
      );
      const { width = 1920 } = track.getSettings();
      producer = await transport.produce({
        ...common,
        encodings: simulcastEncodings(width, opts.maxBitrate),
        codecOptions: { videoGoogleStartBitrate: LAN_START_KBPS },
        ...(vp8 && { codec: vp8 }),
      });
    }
    if (generation !== this.generation || this.stopped.delete(k)) {
      this.closeProducer(producer);
      return;
    }
    this.producers.set(k, producer);
  }

  /** Stops publishing a share (both its tracks). */
  stopProducing(shareId: string): void {
    for (const kind of ['audio', 'video']) {
      const k = key(shareId, kind);
      const producer = this.producers.get(k);
      if (!producer) {
        // Still being created: close it as soon as it exists.
        if (this.producing.has(k)) this.stopped.add(k);
        continue;
      }
      this.producers.delete(k);
      this.closeProducer(producer);
    }
  }

  /** Stops sending here and tells the SFU (best effort: a reset SFU has forgotten it anyway). */
  private closeProducer(producer: types.Producer): void {
    producer.close();
    void this.request('sfu.closeProducer', { producerId: producer.id }).catch((err: unknown) =>
      log.debug('producer already gone on the SFU', err),
    );
  }

  /** Receives a producer; its stream appears under `streamId`. */
  async consume(producerId: string, streamId: string): Promise<string> {
    const existing = this.received.get(producerId);
    if (existing) return existing.consumer.id;
    const generation = this.generation;
    const device = await this.loadDevice();
    const transport = await this.transport('recv');
    const info = await this.request('sfu.consume', {
      transportId: transport.id,
      producerId,
      rtpCapabilities: device.recvRtpCapabilities as Record<string, unknown>,
    });
    const consumer = await transport.consume({
      id: info.consumerId,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as unknown as types.RtpParameters,
      // Sound in a stream of its own: Chromium then plays it as soon as it can instead of
      // holding it back to the picture's decode time (lip sync cost ~25 ms through the SFU;
      // the sound leads the picture by a few ms without it, far inside what people notice).
      ...(info.kind === 'audio' && { streamId: `audio-${info.producerId}` }),
    });
    if (generation !== this.generation) {
      consumer.close();
      throw new Error('SFU reset while consuming');
    }
    lowLatencyAudio(consumer.rtpReceiver);
    this.received.set(producerId, { consumer, streamId });
    this.restream(streamId);
    await this.request('sfu.resume', { consumerId: consumer.id });
    this.changed();
    return consumer.id;
  }

  /** The simulcast layer this device wants for a producer (from its viewport size). */
  async setLayer(producerId: string, spatialLayer: number): Promise<void> {
    const r = this.received.get(producerId);
    if (!r) return;
    await this.request('sfu.setLayers', { consumerId: r.consumer.id, spatialLayer });
  }

  /** The relay says a consumer ended (its producer closed). */
  consumerClosed(consumerId: string): void {
    for (const [producerId, r] of this.received) {
      if (r.consumer.id === consumerId) this.dropConsumer(producerId);
    }
  }

  /** Consumers whose producer is no longer wanted (share stopped). */
  dropConsumer(producerId: string): void {
    const r = this.received.get(producerId);
    if (!r) return;
    r.consumer.close();
    this.received.delete(producerId);
    this.restream(r.streamId);
    this.changed();
  }

  /**
   * A share's stream anew from its consumers' tracks (a new object, so a <video> or <audio>
   * element that shows it picks up the change).
   */
  private restream(streamId: string): void {
    const tracks = [...this.received.values()]
      .filter((r) => r.streamId === streamId)
      .map((r) => r.consumer.track);
    if (tracks.length === 0) this.streams.delete(streamId);
    else this.streams.set(streamId, new MediaStream(tracks));
  }

  /**
   * The SFU lost its state (worker restart) or the relay restarted: forget transports,
   * producers and consumers; the controller publishes and consumes again.
   */
  reset(): void {
    this.generation++;
    for (const p of this.producers.values()) p.close();
    for (const r of this.received.values()) r.consumer.close();
    this.producers.clear();
    this.received.clear();
    this.streams.clear();
    for (const t of [this.sendTransport, this.recvTransport])
    // A transport whose creation failed has nothing to close.
    {
      void t?.then((x) => x.close()).catch(() => undefined);
    }
    this.sendTransport = this.recvTransport = null;
    this.changed();
  }

  /** Transports for stats sampling. */
  async transports(): Promise<types.Transport[]> {
    const all = await Promise.allSettled([this.sendTransport, this.recvTransport]);
    return all.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  }

  close(): void {
    this.reset();
    this.device = null;
  }

  private loadDevice(): Promise<Device> {
    this.device ??= (async () => {
      const [{ rtpCapabilities }, { Device }] = await Promise.all([
        this.request('sfu.capabilities', {}),
        loadMediasoup(),
      ]);
      const device = await Device.factory();
      await device.load({
        routerRtpCapabilities: rtpCapabilities as unknown as types.RtpCapabilities,
      });
      return device;
    })();
    this.device.catch(() => (this.device = null));
    return this.device;
  }

  private transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const key = direction === 'send' ? 'sendTransport' : 'recvTransport';
    const existing = this[key];
    if (existing) return existing;
    const created = this.createTransport(direction);
    this[key] = created;
    created.catch(() => {
      if (this[key] === created) this[key] = null;
    });
    return created;
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const device = await this.loadDevice();
    const info = await this.request('sfu.createTransport', { direction });
    const options = {
      id: info.id,
      iceParameters: info.iceParameters as unknown as types.IceParameters,
      iceCandidates: info.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as unknown as types.DtlsParameters,
    };
    const transport =
      direction === 'send'
        ? device.createSendTransport(options)
        : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.request('sfu.connectTransport', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
      }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      this.request('sfu.produce', {
        transportId: transport.id,
        shareId: String(appData.shareId),
        kind,
        rtpParameters: rtpParameters as unknown as Record<string, unknown>,
      }).then(({ producerId }) => done({ id: producerId }), fail);
    });
    transport.on('connectionstatechange', (state) => {
      if (state !== 'failed' || transport.closed) return;
      void this.request('sfu.restartIce', { transportId: transport.id })
        .then(({ iceParameters }) =>
          transport.restartIce({ iceParameters: iceParameters as unknown as types.IceParameters }),
        )
        .catch((err: unknown) => log.warn('SFU ICE restart failed', err));
    });
    return transport;
  }
}
