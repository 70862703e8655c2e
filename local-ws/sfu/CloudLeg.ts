/**
 * The room's leg to the cloud's SFU, for participants outside the room: their receive
 * transports and consumers live on the cloud (they cannot reach this host's LAN address), and
 * the room's producers they receive go up once each over one SRTP pipe that this host dials.
 *
 * The host stays the authority: a remote member's calls are checked here as any member's are
 * (own transports, own consumers, producers of this room only) before the cloud is asked.
 * A producer is piped only while some remote member receives it, and the pipe carries one
 * simulcast layer (the top one: the cloud cannot pick layers of a single stream).
 *
 * A remote member on stage publishes on the cloud too (the relay checked that it may), and each
 * of its producers comes down the same pipe once, produced here under the cloud's id as the
 * member's: the room screen and the devices in the room receive it from this host's SFU, the
 * relay's rules (stage, mute) close it here, and closing it here closes it on the cloud.
 */
import type { types } from 'mediasoup';
import type { CloudSfuEvent, TransportInfo } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { rejected } from '../../server-kit/sfuConfig';
import {
  openCloudPipe,
  pipeDown,
  pipeProducer,
  type CloudPipe,
  type CloudSfuClient,
} from './cloudPipe';
import type { ConsumerInfo, MemberSfu } from './MemberSfu';
import type { NotifyMember, RoomSfu } from './RoomSfu';

const log = createLogger('cloud-leg');

interface RemoteMedia {
  transports: Set<string>;
  consumers: Set<string>;
}

export class CloudLeg implements MemberSfu {
  private pipePromise: Promise<CloudPipe> | null = null;
  /** Room producer id → the pipe consumer carrying it to the cloud. */
  private readonly piped = new Map<string, Promise<types.Consumer>>();
  private readonly members = new Map<string, RemoteMedia>();
  /** The cloud answered that it runs an SFU (asked whenever the link comes up). */
  private cloudHasSfu = false;

  constructor(
    private readonly room: RoomSfu,
    private readonly cloud: CloudSfuClient,
    /** The address this host's end of the pipe binds to (its SFU's). */
    private readonly listenIp: string,
    private readonly notify: NotifyMember,
    /** Remote members now (told when the cloud's SFU restarted). */
    private readonly remoteMembers: () => string[],
    /**
     * A remote member's producer is gone here, whoever closed it (the cloud's worker died, its
     * transport closed there): its share stops naming it, so the member can publish again.
     */
    private readonly producerGone: (memberId: string, producerId: string) => void = () => undefined,
    /** The channel of the room's link a remote member speaks through now. */
    private readonly channelOf: (memberId: string) => string | undefined = () => undefined,
  ) {}

  /** Whether remote members are served by the cloud's SFU now. */
  get available(): boolean {
    return this.cloudHasSfu;
  }

  /** The link is up: does the cloud run an SFU? */
  async probe(): Promise<boolean> {
    this.cloudHasSfu = await this.cloud.call('capabilities', {}).then(
      () => true,
      () => false,
    );
    return this.cloudHasSfu;
  }

  /** The link is down: new remote members receive P2P until it is back. */
  linkDown(): void {
    this.cloudHasSfu = false;
  }

  // ---- a remote member's calls ---------------------------------------------------------------

  async capabilities(): Promise<types.RtpCapabilities> {
    const { rtpCapabilities } = await this.cloud.call('capabilities', {});
    return rtpCapabilities as unknown as types.RtpCapabilities;
  }

  async createTransport(memberId: string, direction: 'send' | 'recv'): Promise<TransportInfo> {
    const channel = this.channelOf(memberId);
    const info = await this.cloud.call('transport.create', {
      member: memberId,
      direction,
      ...(channel !== undefined && { channel }),
    });
    this.media(memberId).transports.add(info.id);
    return info;
  }

  async connect(memberId: string, transportId: string, dtlsParameters: object): Promise<void> {
    if (!this.onCloud(memberId, transportId)) {
      return this.room.connect(memberId, transportId, dtlsParameters);
    }
    await this.cloud.call('transport.connect', {
      member: memberId,
      transportId,
      dtlsParameters: dtlsParameters as Record<string, unknown>,
    });
  }

  async produce(
    memberId: string,
    transportId: string,
    shareId: string,
    kind: 'audio' | 'video',
    rtpParameters: object,
  ): Promise<{ id: string; close(): void }> {
    if (!this.onCloud(memberId, transportId)) {
      return this.room.produce(memberId, transportId, shareId, kind, rtpParameters);
    }
    const { producerId } = await this.cloud.call('produce', {
      member: memberId,
      transportId,
      kind,
      rtpParameters: rtpParameters as Record<string, unknown>,
    });
    const closeOnCloud = () =>
      this.cloud.call('closeProducer', { member: memberId, producerId }).catch(() => undefined);
    let copy: types.Producer;
    try {
      copy = await pipeDown(await this.pipe(), await this.room.router(), producerId, this.cloud, {
        shareId,
        memberId,
        fromCloud: true,
      });
    } catch (err) {
      void closeOnCloud();
      throw err;
    }
    // Closed here (stage, mute, share ended, member left): closed on the cloud too.
    copy.observer.once('close', () => {
      void closeOnCloud();
      this.producerGone(memberId, producerId);
    });
    if (!this.members.has(memberId)) {
      copy.close();
      throw rejected('member left');
    }
    await this.room.adoptProducer(memberId, copy);
    return copy;
  }

  /** A remote member's producer is the member's on this host too (its copy from the cloud). */
  closeProducer(memberId: string, producerId: string): void {
    this.room.closeProducer(memberId, producerId);
  }

  async consume(
    memberId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: object,
  ): Promise<ConsumerInfo> {
    if (!this.onCloud(memberId, transportId)) {
      return this.room.consume(memberId, transportId, producerId, rtpCapabilities);
    }
    const producer = this.room.producer(producerId);
    if (!producer) throw rejected('no such producer');
    // A remote member's producer is on the cloud already, under the same id.
    if (!producer.appData.fromCloud) await this.pipeProducer(producerId);
    const c = await this.cloud.call('consume', {
      member: memberId,
      transportId,
      producerId,
      rtpCapabilities: rtpCapabilities as Record<string, unknown>,
    });
    // The member may have left while the cloud was creating it.
    const media = this.members.get(memberId);
    if (!media) throw rejected('member left');
    media.consumers.add(c.consumerId);
    const rtpParameters = c.rtpParameters as unknown as types.RtpParameters;
    return { id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters };
  }

  async resume(memberId: string, consumerId: string): Promise<void> {
    if (!this.members.get(memberId)?.consumers.has(consumerId)) {
      return this.room.resume(memberId, consumerId);
    }
    await this.cloud.call('resume', { member: memberId, consumerId });
  }

  async setLayers(memberId: string, consumerId: string, spatial: number, temporal?: number) {
    // The pipe carries one layer; the cloud has no other to give.
    if (this.members.get(memberId)?.consumers.has(consumerId)) return;
    await this.room.setLayers(memberId, consumerId, spatial, temporal);
  }

  async restartIce(memberId: string, transportId: string): Promise<types.IceParameters> {
    if (!this.onCloud(memberId, transportId)) return this.room.restartIce(memberId, transportId);
    const r = await this.cloud.call('transport.restartIce', { member: memberId, transportId });
    return r.iceParameters as unknown as types.IceParameters;
  }

  // ---- the room ------------------------------------------------------------------------------

  /** A remote member left: its media on the cloud goes, and the pipe if no one needs it. */
  removeMember(memberId: string): void {
    if (!this.members.delete(memberId)) return;
    this.cloud.call('member.remove', { member: memberId }).catch(() => undefined);
    if (this.members.size === 0) this.unpipeAll();
  }

  /** A notification from the cloud's SFU. */
  event(e: CloudSfuEvent): void {
    if (e.m === 'producerClosed') {
      // A remote member's producer ended on the cloud (its transport closed): its copy goes.
      const producerId = (e.p as { producerId?: unknown }).producerId;
      if (!e.member || typeof producerId !== 'string') return;
      const copy = this.room.producer(producerId);
      if (copy?.appData.fromCloud && copy.appData.memberId === e.member) copy.close();
      return;
    }
    if (e.m === 'consumerClosed') {
      const consumerId = (e.p as { consumerId?: unknown }).consumerId;
      if (!e.member || typeof consumerId !== 'string') return;
      if (!this.members.get(e.member)?.consumers.delete(consumerId)) return;
      this.notify(e.member, { method: 'consumerClosed', params: { consumerId } });
      return;
    }
    // The cloud's worker died: everything there is gone; remote members start over.
    log.warn('the cloud SFU restarted: remote members rebuild their transports');
    this.forget();
    for (const id of this.remoteMembers()) {
      this.notify(id, { method: 'sfuReset', params: { reason: 'workerDied' } });
    }
  }

  /** This host's worker died (its RoomSfu was reset): the cloud's half goes too. */
  reset(): void {
    this.forget();
    this.cloud.call('room.close', {}).catch(() => undefined);
  }

  /** Producers piped to the cloud now (stats and tests). */
  get pipedCount(): number {
    return this.piped.size;
  }

  private forget(): void {
    this.members.clear();
    this.piped.clear();
    // The pipe's close takes the remote members' producers here along.
    const pipe = this.pipePromise;
    this.pipePromise = null;
    void pipe?.then((p) => p.transport.close()).catch(() => undefined);
  }

  private unpipeAll(): void {
    const piped = [...this.piped];
    this.piped.clear();
    for (const [producerId, p] of piped) {
      void p.then((c) => c.close()).catch(() => undefined);
      this.cloud.call('pipe.closeProducer', { producerId }).catch(() => undefined);
    }
  }

  private onCloud(memberId: string, transportId: string): boolean {
    return this.members.get(memberId)?.transports.has(transportId) ?? false;
  }

  private media(memberId: string): RemoteMedia {
    let media = this.members.get(memberId);
    if (!media) {
      media = { transports: new Set(), consumers: new Set() };
      this.members.set(memberId, media);
    }
    return media;
  }

  /** The producer on the cloud, under its own id (piped once, however many receive it). */
  private pipeProducer(producerId: string): Promise<types.Consumer> {
    let piped = this.piped.get(producerId);
    if (!piped) {
      // `gone` acts only on this piping: after an unpipe and a new piping of the same producer,
      // the old consumer's close must not take the new one's entry (or its cloud producer).
      const current = () => this.piped.get(producerId) === created;
      const created = this.startPiping(producerId, current);
      this.piped.set(producerId, created);
      created.catch(() => {
        if (current()) this.piped.delete(producerId);
      });
      piped = created;
    }
    return piped;
  }

  private async startPiping(producerId: string, current: () => boolean): Promise<types.Consumer> {
    return pipeProducer(await this.pipe(), producerId, this.cloud, () => {
      if (!current()) return;
      this.piped.delete(producerId);
      this.cloud.call('pipe.closeProducer', { producerId }).catch(() => undefined);
    });
  }

  private pipe(): Promise<CloudPipe> {
    if (!this.pipePromise) {
      const created = this.room
        .router()
        .then((router) => openCloudPipe(router, this.listenIp, this.cloud));
      created.catch(() => {
        if (this.pipePromise === created) this.pipePromise = null;
      });
      this.pipePromise = created;
    }
    return this.pipePromise;
  }
}
