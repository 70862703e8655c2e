/** What renderers and the room host measure and report upstream every 10 s. */
import { z } from 'zod';
import { LIMITS } from './model';
import { CheckResult } from './probe';

/** One stream's figures as a renderer measured them (getStats), every 10 s. */
export const StreamMetrics = z.object({
  id: z.string().max(LIMITS.idMax),
  kind: z.enum(['audio', 'video']).optional(),
  direction: z.enum(['in', 'out']),
  /** 'p2p' (to the screen) or 'sfu'. */
  path: z.enum(['p2p', 'sfu']),
  codec: z.string().max(32),
  width: z.number().int().min(0).max(16384),
  height: z.number().int().min(0).max(16384),
  fps: z.number().min(0).max(1000),
  bitrateKbps: z.number().min(0).max(10_000_000),
  packetsLost: z.number().int().min(0),
  /** Fraction of packets lost since the previous report, 0–1. */
  lossRate: z.number().min(0).max(1),
  jitterMs: z.number().min(0).nullable(),
  rttMs: z.number().min(0).nullable(),
  /** Audio: level 0–1, and the share of received samples concealed (lost or late), 0–1. */
  audioLevel: z.number().min(0).max(1).nullable().optional(),
  concealedRatio: z.number().min(0).max(1).nullable().optional(),
  /**
   * How the connection carries it (the selected ICE pair): a TURN relay or a direct candidate,
   * over UDP or TCP. What tells an operator "P2P via TURN" or "UDP blocked".
   */
  route: z.enum(['host', 'srflx', 'prflx', 'relay']).optional(),
  transport: z.enum(['udp', 'tcp']).optional(),
});
export type StreamMetrics = z.infer<typeof StreamMetrics>;

export const DeviceMetrics = z.object({
  streams: z.array(StreamMetrics).max(16),
  /** ICE connections that failed, and that dropped to `disconnected`, since the last report. */
  iceFailures: z.number().int().min(0).max(1_000_000),
  iceInterruptions: z.number().int().min(0).max(1_000_000),
  /** The device's last pre-join check (its network to where its media go), if it ran one. */
  check: CheckResult.optional(),
});
export type DeviceMetrics = z.infer<typeof DeviceMetrics>;

/** The room host's own health, every 10 s. */
export const HostMetrics = z.object({
  cpuPct: z.number().min(0),
  rssMb: z.number().min(0),
  connections: z.number().int().min(0),
  members: z.number().int().min(0),
  /** The link's own outbox: waiting messages and lossy ones shed so far. */
  outbox: z.number().int().min(0),
  dropped: z.number().int().min(0),
});
export type HostMetrics = z.infer<typeof HostMetrics>;
