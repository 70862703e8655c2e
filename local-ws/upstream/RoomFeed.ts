import {
  isRoomEvent,
  ROOM_DEVICE,
  type CloudSnapshot,
  type DeviceMetrics,
  type HostMetrics,
  type RoomEvent,
  type ServerNotification,
  type Timetable,
} from '../../protocol';
import type { Member } from '../Member';
import type { RelayServer } from '../RelayServer';
import type { Room } from '../Room';
import { CloudLeg } from '../sfu/CloudLeg';
import { applyCommand } from './commands';
import { RemoteBridge } from './RemoteBridge';
import { UpstreamLink, type UpstreamOptions } from './UpstreamLink';

export interface CloudOptions extends Omit<UpstreamOptions, 'name'> {
  /** Forward chat to the cloud (the school's policy; off by default). */
  chat?: boolean;
  /** How often the host reports its own health (default 10 s). */
  hostMetricsMs?: number;
}

/** A link over TLS, or to this machine: what it carries cannot be read on the way. */
function linkSecure(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'wss:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/** The device an event is about, for multiplexing on the link. */
function deviceOf(e: RoomEvent): string {
  switch (e.method) {
    case 'peerJoined':
    case 'peerUpdated':
      return e.params.peer.id;
    case 'peerLeft':
    case 'shareStopped':
      return e.params.peerId;
    case 'shareStarted':
      return e.params.share.peerId;
    case 'chatPosted':
      return e.params.message.from;
    default:
      return ROOM_DEVICE;
  }
}

/**
 * Connects one room to the cloud: its roster, stage, shares, layout and class events (chat if
 * allowed), every device's metrics and the host's own health go up the room's one link; operator
 * commands come down and are carried out on the room. Teachers and the screen see the link state.
 */
export class RoomFeed {
  readonly link: UpstreamLink;
  /** Remote participants, carried over the link into this host's relay. */
  readonly remote: RemoteBridge;
  /** Their media through the cloud's SFU, when this host runs an SFU (and the cloud one). */
  readonly media: CloudLeg | null = null;
  private hostTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private cpu = process.cpuUsage();
  private cpuAt = process.hrtime.bigint();

  constructor(
    private readonly relay: RelayServer,
    private readonly room: Room,
    private readonly opts: CloudOptions,
    /** Where the console's timetable goes (the host's scheduler). */
    schedule?: (timetable: Timetable) => void,
  ) {
    this.link = new UpstreamLink(
      { ...opts, name: room.name },
      {
        snapshot: () => this.snapshot(),
        command: (command) => applyCommand(relay.registry, room, command),
        ...(schedule && { schedule }),
        status: (status) => {
          if (status.state !== 'online') {
            this.remote.closeAll();
            this.media?.linkDown();
          } else {
            void this.media?.probe();
          }
          room.setCloudStatus(status);
        },
        sfuEvent: (event) => this.media?.event(event),
        remote: (frame) => this.remote.receive(frame),
        ice: (config) => room.setIce(config),
      },
    );
    const link = this.link;
    this.remote = new RemoteBridge(
      {
        relayUrl: () => relay.bridgeUrl,
        secret: relay.bridgeSecret,
        roomId: room.id,
        linkSecure: linkSecure(opts.url),
      },
      {
        sendRemote: (frame) => link.sendRemote(frame),
        get buffered() {
          return link.buffered;
        },
      },
    );
    const sfu = relay.sfu;
    if (sfu) {
      this.media = new CloudLeg(
        sfu.forRoom(room),
        link.sfu,
        sfu.options.listenIp,
        (id, n) => room.members.get(id)?.notify(n.method, n.params),
        () => [...room.members.values()].filter((m) => m.remote).map((m) => m.id),
        (id, producerId) => {
          const member = room.members.get(id);
          if (member) room.shares.producerClosed(member, producerId);
        },
        (id) => room.members.get(id)?.connection?.remote?.channel,
      );
      sfu.attachCloud(room, this.media);
    }
  }

  start(): void {
    this.room.setCloudStatus(this.link.status);
    this.unsubscribe.push(
      this.room.events.on('notified', (n) => this.roomEvent(n)),
      this.room.events.on('metricsReported', (m, metrics) => this.metrics(m, metrics)),
    );
    this.link.start();
    this.hostTimer = setInterval(() => this.reportHost(), this.opts.hostMetricsMs ?? 10_000);
    this.hostTimer.unref();
  }

  close(): void {
    if (this.hostTimer) clearInterval(this.hostTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    this.remote.closeAll();
    this.relay.sfu?.attachCloud(this.room, null);
    this.link.close();
  }

  private roomEvent(n: ServerNotification): void {
    if (!isRoomEvent(n)) return;
    if (n.method === 'chatPosted' && !this.opts.chat) return;
    this.link.push('event', deviceOf(n), n);
  }

  private metrics(member: Member, metrics: DeviceMetrics): void {
    this.link.push('metrics', member.id, metrics);
  }

  private snapshot(): CloudSnapshot {
    const { code: _c, cloud: _s, ...room } = this.room.state();
    // The host's pages (never the code): the console hands out scheduled classes' links.
    const state = { ...room, ...this.room.addresses() };
    return this.opts.chat ? state : { ...state, chat: [] };
  }

  private reportHost(): void {
    const now = process.hrtime.bigint();
    const used = process.cpuUsage(this.cpu);
    const wallUs = Number(now - this.cpuAt) / 1000;
    this.cpu = process.cpuUsage();
    this.cpuAt = now;
    const relay = this.relay.stats();
    const link = this.link.stats();
    const body: HostMetrics = {
      cpuPct: wallUs > 0 ? Math.round(((used.user + used.system) / wallUs) * 1000) / 10 : 0,
      rssMb: Math.round(process.memoryUsage.rss() / 1e5) / 10,
      connections: relay.connections,
      members: relay.members,
      outbox: link.outbox,
      dropped: link.dropped,
    };
    this.link.push('host', ROOM_DEVICE, body);
  }
}
