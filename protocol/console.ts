/**
 * What the cloud's JSON API answers (and its console reads): the rooms grid and a room's detail.
 * Types only; the cloud server builds them, the console renders them.
 */
import type { HostMetrics } from './metrics';
import type { CheckResult } from './probe';
import type { Layout, PeerInfo, Share } from './model';
import type { Command } from './upstream';

export type Health = 'ok' | 'warn' | 'bad' | 'unknown';

export interface MetricPoint {
  at: number;
  bitrateKbps: number;
  fps: number;
  lossRate: number;
  rttMs: number | null;
  jitterMs: number | null;
}

export interface StreamSeries {
  device: string;
  name: string;
  stream: string;
  direction: 'in' | 'out';
  path: 'p2p' | 'sfu';
  codec: string;
  resolution: string;
  points: MetricPoint[];
}

export interface CommandRecord {
  id: string;
  command: Command;
  at: number;
  state: 'queued' | 'done' | 'failed';
  error?: string;
}

/** What happened, for the console to say in its operator's language. */
export type RoomEventKind =
  'resynced' | 'joined' | 'left' | 'shareStarted' | 'shareStopped' | 'classEnded' | 'chat';

export interface RoomEventRecord {
  at: number;
  device: string;
  kind: RoomEventKind;
  /** The names and figures the sentence needs (name, role, reason, count, text). */
  vars: Record<string, string | number>;
  /** The same in English, for the API and logs. */
  text: string;
}

/** How one person's media travel (the console's roster), from their device's metrics. */
export interface DevicePath {
  /** In the room (the host's LAN), or through the cloud from outside. */
  joined: 'lan' | 'cloud';
  /**
   * What carries their media now: an SFU (the host's in the room, the cloud's from outside),
   * P2P, or P2P through a TURN relay; null while nothing flows.
   */
  media: 'sfu' | 'p2p' | 'turn' | null;
  /** Some of it goes over TCP (a network that drops UDP). */
  tcp: boolean;
  /** Their pre-join check, if they ran one. */
  check: CheckResult | null;
}

/** What the console and API show of a room (also what processes share through Redis). */
export interface RoomView {
  id: string;
  name: string;
  online: boolean;
  classRunning: boolean;
  classId: string | null;
  locked: boolean;
  /** The host's page on its LAN (http, to watch) and its https page, as the host last told. */
  joinUrl: string | null;
  secureUrl: string | null;
  /** The room key's pin, for links that open the https page. */
  pin: string | null;
  peers: PeerInfo[];
  /** How each person's media travel, by peer id. */
  paths: Record<string, DevicePath>;
  shares: (Share & { by: string })[];
  layout: Layout | null;
  devices: number;
  health: Health;
  events: RoomEventRecord[];
  series: StreamSeries[];
  host: (HostMetrics & { at: number }) | null;
  hostSeries: { at: number; cpuPct: number; rssMb: number; connections: number }[];
  iceFailures: number;
  iceInterruptions: number;
  commands: CommandRecord[];
  link: { connects: number; resyncs: number; received: number; duplicates: number };
  updatedAt: number;
}

/** One line of the rooms grid. */
export interface RoomSummary {
  id: string;
  name: string;
  online: boolean;
  hasCredential: boolean;
  classRunning: boolean;
  sharing: string[];
  devices: number;
  health: RoomView['health'];
  updatedAt: number | null;
}
