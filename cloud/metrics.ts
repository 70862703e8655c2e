/**
 * The cloud's Prometheus metrics (`GET /metrics`, the admin token as a bearer credential, as
 * Prometheus' `authorization` scrape setting sends it): what this process holds now (room
 * links, rooms, their devices, TCP connections) and what it did since it started (host
 * messages by kind, link connects, resyncs and duplicates, commands, uploaded record files and
 * bytes), plus Node's own process metrics. One registry per server (tests run several).
 */
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Msg } from '../protocol';
import type { CloudRoom } from './CloudRoom';
import type { CloudSfuStats } from './sfu/CloudSfu';

export interface MetricsSource {
  readonly rooms: ReadonlyMap<string, CloudRoom>;
  stats(): {
    links: number;
    tcpOpen: number;
    tcpAccepted: number;
    remote: number;
    sfu?: CloudSfuStats;
  };
  onApplied(listener: (roomId: string, msg: Msg) => void): () => void;
}

export class CloudMetrics {
  readonly registry = new Registry();
  private readonly commands: Counter;
  private readonly uploads: Counter;
  private readonly uploadBytes: Counter;

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lectern_cloud_' });
    const rooms = () => [...source.rooms.values()];
    new Gauge({
      name: 'lectern_cloud_links',
      help: 'Room links (one WebSocket per room host) held by this process',
      registers,
      collect() {
        this.set(source.stats().links);
      },
    });
    new Gauge({
      name: 'lectern_cloud_rooms_online',
      help: 'Rooms whose host is linked to this process',
      registers,
      collect() {
        this.set(rooms().filter((r) => r.online).length);
      },
    });
    new Gauge({
      name: 'lectern_cloud_devices',
      help: 'Devices connected in the rooms linked to this process (as their hosts tell)',
      registers,
      collect() {
        this.set(rooms().reduce((n, r) => n + (r.online ? r.devices : 0), 0));
      },
    });
    new Gauge({
      name: 'lectern_cloud_remote_participants',
      help: 'Participants outside the room connected through this process (over room links)',
      registers,
      collect() {
        this.set(source.stats().remote);
      },
    });
    new Gauge({
      name: 'lectern_cloud_tcp_connections',
      help: 'TCP connections open on the cloud port now',
      registers,
      collect() {
        this.set(source.stats().tcpOpen);
      },
    });
    // The cloud SFU (sfu/CloudSfu.ts), zero where this process runs none.
    const sfuGauge = (name: string, help: string, pick: (s: CloudSfuStats) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const sfu = source.stats().sfu;
          this.set(sfu ? pick(sfu) : 0);
        },
      });
    sfuGauge('lectern_cloud_sfu_rooms', 'Rooms with media on this process’s SFU', (s) => s.rooms);
    sfuGauge(
      'lectern_cloud_sfu_producers',
      'Room streams piped to this process’s SFU from their hosts',
      (s) => s.producers,
    );
    sfuGauge(
      'lectern_cloud_sfu_consumers',
      'Streams this process’s SFU sends to remote participants',
      (s) => s.consumers,
    );
    sfuGauge(
      'lectern_cloud_sfu_workers',
      'mediasoup workers running on this process (a class spills over at --sfu-worker-consumers)',
      (s) => s.workers,
    );
    /** A counter that follows a total kept elsewhere (it only ever grows). */
    const following = (name: string, help: string, total: () => number) => {
      let seen = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const now = total();
          if (now > seen) this.inc(now - seen);
          seen = Math.max(seen, now);
        },
      });
    };
    following(
      'lectern_cloud_tcp_accepted_total',
      'TCP connections accepted',
      () => source.stats().tcpAccepted,
    );
    following(
      'lectern_cloud_sfu_worker_restarts_total',
      'SFU workers that died and were replaced',
      () => source.stats().sfu?.restarts ?? 0,
    );
    following('lectern_cloud_link_connects_total', 'Room links established', () =>
      rooms().reduce((n, r) => n + r.connects, 0),
    );
    following('lectern_cloud_link_resyncs_total', 'Full room snapshots received', () =>
      rooms().reduce((n, r) => n + r.resyncs, 0),
    );
    following(
      'lectern_cloud_link_duplicates_total',
      'Host messages received twice and dropped',
      () => rooms().reduce((n, r) => n + r.recv.duplicates, 0),
    );
    // Counted in a plain map and handed to the counter when scraped: a labelled inc() per
    // message cost the link's hot path more than the message's own bookkeeping.
    const byKind = new Map<string, number>();
    const reported = new Map<string, number>();
    new Counter({
      name: 'lectern_cloud_host_messages_total',
      help: 'Host messages applied, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const [kind, n] of byKind) {
          const seen = reported.get(kind) ?? 0;
          if (n > seen) this.inc({ kind }, n - seen);
          reported.set(kind, n);
        }
      },
    });
    source.onApplied((_room, msg) => byKind.set(msg.k, (byKind.get(msg.k) ?? 0) + 1));
    this.commands = new Counter({
      name: 'lectern_cloud_commands_total',
      help: 'Operator commands handed to a room link',
      registers,
    });
    this.uploads = new Counter({
      name: 'lectern_cloud_record_files_total',
      help: 'Class record files uploaded by room hosts',
      registers,
    });
    this.uploadBytes = new Counter({
      name: 'lectern_cloud_record_bytes_total',
      help: 'Bytes of class record files uploaded by room hosts',
      registers,
    });
  }

  commanded(): void {
    this.commands.inc();
  }

  uploaded(bytes: number): void {
    this.uploads.inc();
    this.uploadBytes.inc(bytes);
  }

  /** Answers a scrape (the caller has checked the credential). */
  async serve(res: ServerResponse): Promise<void> {
    const text = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
    res.end(text);
  }
}
