import type { SfuOptions } from './sfu/config';
/** Every limit the relay enforces, with production defaults. Tests and benchmarks override. */
export interface RelayLimits {
  /** Largest accepted frame; signaling-sized (an SDP is well under 200 KB). */
  maxPayloadBytes: number;
  /** Sustained messages per second per connection, and the burst above it. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Consecutive rate-limited messages after which the connection is closed. */
  rateLimitStrikes: number;
  maxConnectionsPerAddress: number;
  maxConnections: number;
  /** Connections open but not yet joined. */
  maxPendingHandshakes: number;
  joinTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Bytes queued toward one slow client before it is closed (SLOW_CONSUMER). */
  maxBufferedBytes: number;
  maxPeersPerRoom: number;
  /** How long a dropped peer keeps its identity for a resume. */
  resumeGraceMs: number;
  /** Wrong join codes (all rooms, all addresses) per window before codes rotate. */
  wrongCodeLimit: number;
  wrongCodeWindowMs: number;
  chatHistory: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxPayloadBytes: 256 * 1024,
  messagesPerSecond: 200,
  messageBurst: 400,
  rateLimitStrikes: 100,
  maxConnectionsPerAddress: 16,
  maxConnections: 2000,
  maxPendingHandshakes: 128,
  joinTimeoutMs: 10_000,
  heartbeatIntervalMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxPeersPerRoom: 300,
  resumeGraceMs: 30_000,
  wrongCodeLimit: 10,
  wrongCodeWindowMs: 60_000,
  chatHistory: 100,
};

export const DEFAULT_PORT = 47800;

export interface RelayOptions {
  /** 0.0.0.0 in production so LAN devices reach it; 127.0.0.1 in tests. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  limits?: Partial<RelayLimits>;
  /** scrypt hash of the teacher credential (server-kit/secrets.ts); teachers are refused without it. */
  teacherCredentialHash?: string;
  /** Serves the browser client from this folder on the same port, if set. */
  staticDir?: string;
  /** The address other devices reach this host at: the join URL and QR code point there. */
  publicHost?: string;
  /** Path of the WebSocket endpoint. */
  wsPath?: string;
  /** Run an SFU (mediasoup) for fan-out to students; absent = P2P only. */
  sfu?: SfuOptions;
}

export function resolveLimits(overrides: Partial<RelayLimits> = {}): RelayLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
