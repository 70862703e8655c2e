/**
 * The pre-join check: before joining, a page measures the path its media will take — to the room
 * host's SFU on the LAN, to the cloud's SFU from outside — with a real WebRTC loopback: it
 * sends a video to the SFU on a probe router and receives it back. From the two connections'
 * own statistics come the round trip, jitter, loss, the rate it could send and receive, and how
 * it got there (UDP, TCP, a TURN relay). The page also tests its microphone, camera and
 * speaker; the verdict is said in plain words, and the figures go into the 10 s metrics.
 *
 * On the wire (`/probe` WebSocket, JSON, one request at a time): `{ i, m, p }` requests and
 * `{ i, ok, r | e }` replies. A session ends with its socket, and after PROBE_LIMITS.sessionMs.
 */
import { z } from 'zod';
import { LIMITS } from './model';

export const PROBE_PATH = '/probe';

export const PROBE_LIMITS = {
  /** A session's socket closes after this. */
  sessionMs: 20_000,
  /** Probe sessions at once per server, and per address. */
  sessions: 6,
  perAddress: 1,
  /** Largest message, and requests per session. */
  frameBytes: 64 * 1024,
  requests: 16,
  /** What a probe may send the SFU (bits/s). */
  maxIncomingBitrate: 8_000_000,
} as const;

const Opaque = z.record(z.string(), z.unknown());
const SfuId = z.string().min(1).max(LIMITS.idMax);

export const probeMethods = {
  /** The probe router's capabilities and the two transports (send, then receive back). */
  start: { params: z.object({}) },
  connect: { params: z.object({ transportId: SfuId, dtlsParameters: Opaque }) },
  /** The probe's video (one, video only); answered with its producer id. */
  produce: { params: z.object({ kind: z.literal('video'), rtpParameters: Opaque }) },
  /** The same video back, for these capabilities. */
  consume: { params: z.object({ rtpCapabilities: Opaque }) },
} as const;
export type ProbeMethod = keyof typeof probeMethods;

export const ProbeRequest = z.object({
  i: z.number().int().min(1).max(1_000_000),
  m: z.string().max(32),
  p: z.unknown(),
});
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export interface ProbeReply {
  i: number;
  ok: boolean;
  r?: unknown;
  e?: { code: string; message: string };
}

/** What a transport end needs (as the host and cloud SFUs hand them to browsers). */
export interface ProbeTransport {
  id: string;
  iceParameters: Record<string, unknown>;
  iceCandidates: Record<string, unknown>[];
  dtlsParameters: Record<string, unknown>;
}

export interface ProbeStart {
  rtpCapabilities: Record<string, unknown>;
  send: ProbeTransport;
  recv: ProbeTransport;
}

export interface ProbeConsumer {
  id: string;
  producerId: string;
  kind: 'video';
  rtpParameters: Record<string, unknown>;
}

/** What the check found, as a page reports it (and the 10 s metrics carry it). */
export const CheckResult = z.object({
  /** Where the media go: the room host (LAN) or the cloud. */
  target: z.enum(['host', 'cloud']),
  verdict: z.enum(['hd', 'video', 'audio', 'none']),
  /** How the connection got there; null when it did not. */
  route: z.enum(['host', 'srflx', 'prflx', 'relay']).nullable(),
  transport: z.enum(['udp', 'tcp']).nullable(),
  rttMs: z.number().min(0).max(60_000).nullable(),
  jitterMs: z.number().min(0).max(60_000).nullable(),
  /** Share of the probe's packets lost, 0–1. */
  loss: z.number().min(0).max(1).nullable(),
  upKbps: z.number().min(0).max(10_000_000),
  downKbps: z.number().min(0).max(10_000_000),
  /** When it ran (ms since the epoch). */
  at: z.number().int().min(0),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** The figures a verdict needs, measured. */
export type CheckFigures = Pick<
  CheckResult,
  'route' | 'transport' | 'rttMs' | 'jitterMs' | 'loss' | 'upKbps' | 'downKbps'
>;

/** Rates a use needs, both ways (kbit/s), and the worst loss and round trip it takes. */
export const VERDICT_NEEDS = {
  /** A 1080p screen share (sharp text) as it is sent on a LAN, and received at full size. */
  hd: { kbps: 2500, loss: 0.02, rttMs: 250 },
  /** Cameras and a share at a smaller size. */
  video: { kbps: 500, loss: 0.05, rttMs: 400 },
  /** Voices only. */
  audio: { kbps: 64, loss: 0.1, rttMs: 800 },
} as const;

/** The plain verdict from the figures: the best use the path carries both ways. */
export function verdictOf(f: CheckFigures): CheckResult['verdict'] {
  if (f.route === null) return 'none';
  for (const v of ['hd', 'video', 'audio'] as const) {
    const need = VERDICT_NEEDS[v];
    const rate = Math.min(f.upKbps, f.downKbps) >= need.kbps;
    const loss = (f.loss ?? 0) <= need.loss;
    const rtt = (f.rttMs ?? 0) <= need.rttMs;
    if (rate && loss && rtt) return v;
  }
  return 'none';
}
