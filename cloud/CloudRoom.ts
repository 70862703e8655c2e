import {
  RecvStream,
  SendStream,
  type CloudSnapshot,
  type Command,
  type CommandRecord,
  type CommandResult,
  type DeviceMetrics,
  type Health,
  type HostMetrics,
  type Layout,
  type PeerInfo,
  type RoomEvent,
  type RoomEventKind,
  type RoomEventRecord,
  type RoomView,
  type Share,
  type StreamSeries,
} from '../protocol';
import { newId } from './ids';
import { pathOf } from './paths';

const EVENTS_KEPT = 100;
const POINTS_KEPT = 60;
const SERIES_KEPT = 200;
const COMMANDS_KEPT = 30;

/**
 * One room as the cloud knows it: the live state its host reported (replaced by each snapshot,
 * then updated event by event), recent events, metrics series, and both streams of its link,
 * which outlive a connection so a reconnecting host resumes where it was.
 */
export class CloudRoom {
  /** Host → cloud stream (null until a hello: then it is the host's current epoch). */
  recv = new RecvStream();
  /** Cloud → host commands; `keep`: never shed, resent in a new epoch if the host lost history. */
  readonly send = new SendStream({
    maxEntries: 10_000,
    maxInflight: 1024,
    newEpoch: () => newId(12),
    classOf: () => 'keep',
  });
  online = false;
  connects = 0;
  resyncs = 0;
  private room: CloudSnapshot['room'] | null = null;
  private readonly peers = new Map<string, PeerInfo>();
  private readonly shares = new Map<string, Share>();
  private layout: Layout | null = null;
  private addresses: Pick<RoomView, 'joinUrl' | 'secureUrl' | 'pin'> = {
    joinUrl: null,
    secureUrl: null,
    pin: null,
  };
  private readonly events: RoomEventRecord[] = [];
  private readonly series = new Map<string, StreamSeries & { width: number; height: number }>();
  private host: RoomView['host'] = null;
  private readonly hostSeries: RoomView['hostSeries'] = [];
  private readonly commands: CommandRecord[] = [];
  private iceFailures = 0;
  private iceInterruptions = 0;
  private latest = new Map<string, DeviceMetrics & { at: number }>();

  constructor(
    readonly id: string,
    public name: string,
  ) {}

  /** The room's devices connected now, as its host last told. */
  get devices(): number {
    let n = 0;
    for (const p of this.peers.values()) if (p.online) n++;
    return n;
  }

  // ---- host → cloud ----------------------------------------------------------------------------

  snapshot(s: CloudSnapshot): void {
    this.resyncs++;
    this.room = s.room;
    this.peers.clear();
    for (const p of s.peers) this.peers.set(p.id, p);
    this.shares.clear();
    for (const sh of s.shares) this.shares.set(sh.id, sh);
    this.layout = s.layout;
    this.addresses = {
      joinUrl: s.joinUrl ?? null,
      secureUrl: s.secureUrl ?? null,
      pin: s.pin ?? null,
    };
    this.note(
      'room',
      'resynced',
      { count: s.peers.length },
      `state resynced (${s.peers.length} devices)`,
    );
  }

  event(e: RoomEvent): void {
    switch (e.method) {
      case 'peerJoined':
        this.peers.set(e.params.peer.id, e.params.peer);
        this.note(
          e.params.peer.id,
          'joined',
          { name: e.params.peer.name, role: e.params.peer.role },
          `${e.params.peer.name} joined as ${e.params.peer.role}`,
        );
        break;
      case 'peerUpdated':
        this.peers.set(e.params.peer.id, e.params.peer);
        break;
      case 'peerLeft': {
        const name = this.peers.get(e.params.peerId)?.name ?? e.params.peerId;
        this.peers.delete(e.params.peerId);
        this.note(
          e.params.peerId,
          'left',
          { name, reason: e.params.reason },
          `${name} left (${e.params.reason})`,
        );
        break;
      }
      case 'shareStarted': {
        this.shares.set(e.params.share.id, e.params.share);
        const name = this.nameOf(e.params.share.peerId);
        this.note(e.params.share.peerId, 'shareStarted', { name }, `${name} started sharing`);
        break;
      }
      case 'shareStopped': {
        this.shares.delete(e.params.shareId);
        const name = this.nameOf(e.params.peerId);
        this.note(e.params.peerId, 'shareStopped', { name }, `${name} stopped sharing`);
        break;
      }
      case 'layoutChanged':
        this.layout = e.params.layout;
        break;
      case 'roomUpdated':
        this.room = e.params.room;
        break;
      case 'classEnded':
        this.note('room', 'classEnded', {}, 'class ended');
        break;
      case 'chatPosted':
        this.note(
          e.params.message.from,
          'chat',
          { name: e.params.message.name, text: e.params.message.text },
          `${e.params.message.name}: ${e.params.message.text}`,
        );
        break;
    }
  }

  result(r: CommandResult): void {
    const rec = this.commands.find((c) => c.id === r.id);
    if (!rec) return;
    rec.state = r.ok ? 'done' : 'failed';
    if (r.error !== undefined) rec.error = r.error;
  }

  metrics(device: string, m: DeviceMetrics): void {
    const at = Date.now();
    // Built field by field: spreading a report parsed from JSON took V8's slow path (~1 µs, half
    // of this method at link speed).
    const entry: DeviceMetrics & { at: number } = {
      streams: m.streams,
      iceFailures: m.iceFailures,
      iceInterruptions: m.iceInterruptions,
      at,
    };
    if (m.check) entry.check = m.check;
    this.latest.set(device, entry);
    this.iceFailures += m.iceFailures;
    this.iceInterruptions += m.iceInterruptions;
    for (const st of m.streams) {
      const key = `${device}/${st.id}`;
      let s = this.series.get(key);
      if (!s) {
        if (this.series.size >= SERIES_KEPT) this.series.delete(this.series.keys().next().value!);
        s = {
          device,
          name: this.nameOf(device),
          stream: st.id,
          direction: st.direction,
          path: st.path,
          codec: st.codec,
          resolution: '',
          width: -1,
          height: -1,
          points: [],
        };
        this.series.set(key, s);
      }
      s.codec = st.codec;
      if (s.width !== st.width || s.height !== st.height) {
        s.width = st.width;
        s.height = st.height;
        s.resolution = `${st.width}×${st.height}`;
      }
      s.points.push({
        at,
        bitrateKbps: st.bitrateKbps,
        fps: st.fps,
        lossRate: st.lossRate,
        rttMs: st.rttMs,
        jitterMs: st.jitterMs,
      });
      // Trimmed in one go once twice the kept length (a shift per point copied the array).
      if (s.points.length >= 2 * POINTS_KEPT) s.points.splice(0, s.points.length - POINTS_KEPT);
    }
  }

  hostMetrics(h: HostMetrics): void {
    const at = Date.now();
    this.host = { ...h, at };
    this.hostSeries.push({ at, cpuPct: h.cpuPct, rssMb: h.rssMb, connections: h.connections });
    if (this.hostSeries.length > POINTS_KEPT) this.hostSeries.shift();
  }

  // ---- cloud → host ----------------------------------------------------------------------------

  /** Queues a command for the host; returns its record (state `queued` until the result). */
  command(id: string, command: Command): CommandRecord {
    const rec: CommandRecord = { id, command, at: Date.now(), state: 'queued' };
    this.commands.push(rec);
    if (this.commands.length > COMMANDS_KEPT) this.commands.shift();
    this.send.push('command', 'room', { id, command });
    return rec;
  }

  // ---- views -----------------------------------------------------------------------------------

  view(): RoomView {
    const peers = [...this.peers.values()];
    return {
      id: this.id,
      name: this.room?.name ?? this.name,
      online: this.online,
      classRunning: peers.some((p) => p.role !== 'screen' && p.online),
      classId: this.room?.classId ?? null,
      locked: this.room?.locked ?? false,
      ...this.addresses,
      peers,
      paths: Object.fromEntries(peers.map((p) => [p.id, pathOf(p, this.latest.get(p.id))])),
      shares: [...this.shares.values()].map((s) => ({ ...s, by: this.nameOf(s.peerId) })),
      layout: this.layout,
      devices: this.devices,
      health: this.health(),
      events: [...this.events],
      series: [...this.series.values()].map(({ width: _w, height: _h, points, ...s }) => ({
        ...s,
        points: points.slice(-POINTS_KEPT),
      })),
      host: this.host,
      hostSeries: [...this.hostSeries],
      iceFailures: this.iceFailures,
      iceInterruptions: this.iceInterruptions,
      commands: [...this.commands],
      link: {
        connects: this.connects,
        resyncs: this.resyncs,
        received: this.recv.received,
        duplicates: this.recv.duplicates,
      },
      updatedAt: Date.now(),
    };
  }

  /** From the last minute of metrics: loss, freezes, RTT, and the host's own load. */
  private health(): Health {
    const since = Date.now() - 60_000;
    let worst: Health = 'unknown';
    const rank = { unknown: 0, ok: 1, warn: 2, bad: 3 } as const;
    const raise = (h: Health) => {
      if (rank[h] > rank[worst]) worst = h;
    };
    for (const m of this.latest.values()) {
      if (m.at < since) continue;
      raise('ok');
      if (m.iceFailures > 0) raise('bad');
      for (const s of m.streams) {
        if (s.lossRate > 0.05 || (s.bitrateKbps > 0 && s.fps < 5)) raise('bad');
        else if (s.lossRate > 0.01 || (s.rttMs ?? 0) > 150 || (s.fps > 0 && s.fps < 15)) {
          raise('warn');
        }
      }
    }
    if (this.host && this.host.at >= since) {
      raise(this.host.cpuPct > 90 ? 'warn' : 'ok');
      if (this.host.dropped > 0) raise('warn');
    }
    return worst;
  }

  private nameOf(device: string): string {
    return this.peers.get(device)?.name ?? device;
  }

  private note(
    device: string,
    kind: RoomEventKind,
    vars: RoomEventRecord['vars'],
    text: string,
  ): void {
    this.events.push({ at: Date.now(), device, kind, vars, text });
    if (this.events.length > EVENTS_KEPT) this.events.shift();
  }
}
