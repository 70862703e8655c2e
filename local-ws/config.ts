import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RememberedDevices } from './RememberedDevices';
import type { SfuOptions } from '../server-kit/sfuConfig';
/** Every limit the relay enforces, with production defaults. Tests and benchmarks override. */
export interface RelayLimits {
  /** Largest accepted frame; signaling-sized (an SDP is well under 200 KB). */
  maxPayloadBytes: number;
  /** Sustained messages per second per connection, and the burst above it. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Rate-limited messages, with no quiet second between them, after which the connection is closed. */
  rateLimitStrikes: number;
  maxConnectionsPerAddress: number;
  maxConnections: number;
  /** Connections open but not yet joined. */
  maxPendingHandshakes: number;
  joinTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Bytes queued toward one slow client before it is closed (SLOW_CONSUMER). */
  maxBufferedBytes: number;
  /** Members a room holds. */
  maxPeersPerRoom: number;
  /** Bytes queued toward a teacher or a room screen before they are closed (senders are refused long before). */
  maxBufferedBytesPrivileged: number;
  /** Past this many bytes queued toward a member, messages for it are refused to their senders (PEER_BUSY). */
  busyBytes: number;
  /** Past this many bytes queued toward a connection, the relay stops reading from it until it drains. */
  readPauseBytes: number;
  /** Per sender: chat messages per second (a human rate) and their burst. */
  chatPerSecond: number;
  chatBurst: number;
  /** Per sender: bytes × recipients of what it broadcasts, per second and burst. */
  fanoutBytesPerSecond: number;
  fanoutBurstBytes: number;
  /** Per room: chat messages per second from everyone, and burst. */
  roomChatPerSecond: number;
  roomChatBurst: number;
  /** Per sender: reactions per second and burst. */
  reactionsPerSecond: number;
  reactionsBurst: number;
  /** Per sender: hand, stage and share changes per second (each is broadcast) and burst. */
  rosterChangesPerSecond: number;
  rosterChangesBurst: number;
  /** Per sender: signaling bytes forwarded per second and burst. */
  signalBytesPerSecond: number;
  signalBurstBytes: number;
  /** Per sender: snapshots and chat history pages per second and burst. */
  heavyPerSecond: number;
  heavyBurst: number;
  /** Per sender: metrics reports per second and burst (one every 10 s is normal). */
  metricsPerSecond: number;
  metricsBurst: number;
  /** Per sender: board batches and steps per second (a pen sends ~30) and burst. */
  boardPerSecond: number;
  boardBurst: number;
  /** Per sender: laser pointer moves per second and burst. */
  laserPerSecond: number;
  laserBurst: number;
  /** Frames (and WebSocket pings) a connection may send before its join is answered. */
  preJoinFrames: number;
  /** WebSocket pings a connection may send per second (each costs a pong). */
  wsPingsPerSecond: number;
  /** Connections not yet joined from one address. */
  maxPendingPerAddress: number;
  /** TCP connections (upgraded or not) open from one address. */
  maxTcpPerAddress: number;
  /** New TCP connections per second from one address, and burst. */
  connectsPerSecondPerAddress: number;
  connectsBurstPerAddress: number;
  /** HTTP: time to send the request headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long a dropped peer keeps its identity for a resume. */
  resumeGraceMs: number;
  /** Wrong join codes one address may try at once, then one more per refill period. */
  codeGuessBurst: number;
  codeGuessRefillMs: number;
  /** Wrong join codes (all rooms, all addresses) per window before every code rotates. */
  wrongCodeLimit: number;
  wrongCodeWindowMs: number;
  /** Rotations for wrong codes happen at most this often. */
  codeRotationCooldownMs: number;
  /** How long a code replaced by such a rotation still opens its room. */
  previousCodeGraceMs: number;
  /** Wrong teacher credentials or screen keys one address may try at once, then one per period. */
  credentialGuessBurst: number;
  credentialGuessRefillMs: number;
  /** Wrong credentials (all addresses) per window after which only new addresses are checked. */
  wrongCredentialLimit: number;
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
  maxBufferedBytesPrivileged: 32 * 1024 * 1024,
  busyBytes: 1024 * 1024,
  readPauseBytes: 256 * 1024,
  chatPerSecond: 1,
  chatBurst: 5,
  fanoutBytesPerSecond: 1_500_000,
  fanoutBurstBytes: 3_000_000,
  roomChatPerSecond: 20,
  roomChatBurst: 40,
  reactionsPerSecond: 3,
  reactionsBurst: 10,
  rosterChangesPerSecond: 2,
  rosterChangesBurst: 8,
  signalBytesPerSecond: 512 * 1024,
  signalBurstBytes: 2 * 1024 * 1024,
  heavyPerSecond: 1,
  heavyBurst: 4,
  metricsPerSecond: 0.2,
  metricsBurst: 3,
  boardPerSecond: 40,
  boardBurst: 80,
  laserPerSecond: 30,
  laserBurst: 60,
  preJoinFrames: 4,
  wsPingsPerSecond: 5,
  maxPendingPerAddress: 4,
  maxTcpPerAddress: 32,
  connectsPerSecondPerAddress: 10,
  connectsBurstPerAddress: 40,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  resumeGraceMs: 30_000,
  codeGuessBurst: 5,
  codeGuessRefillMs: 12_000,
  wrongCodeLimit: 10,
  wrongCodeWindowMs: 60_000,
  codeRotationCooldownMs: 10_000,
  previousCodeGraceMs: 15_000,
  credentialGuessBurst: 5,
  credentialGuessRefillMs: 60_000,
  wrongCredentialLimit: 20,
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
  /** Answers an HTTP request before the static files (true when it did), e.g. board images. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The address other devices reach this host at: the join URL and QR code point there. */
  publicHost?: string;
  /** Path of the WebSocket endpoint. */
  wsPath?: string;
  /** Run an SFU (mediasoup) for fan-out to students; absent = P2P only. */
  sfu?: SfuOptions;
  /**
   * Host names browsers may use to reach the relay besides IP addresses and `localhost` (the
   * host's name, `<name>.local`); a page on any other name is refused (DNS rebinding).
   */
  hostNames?: string[];
  /** Page origins allowed to open the WebSocket besides the relay's own and the app's `app://lectern`. */
  extraOrigins?: string[];
  /**
   * Serve https and wss on the same port as http (local-ws/tls/RoomTls.ts). Without it the relay
   * speaks plain http only, and only loopback connections may teach, share or show the room.
   */
  tls?: RelayTls;
  /** Remembered devices (the host keeps them in its data dir); default: in memory. */
  devices?: RememberedDevices;
}

export interface RelayTls {
  /** Server certificate chain and key, PEM. */
  cert: string;
  key: string;
  /** The server key's pin (server-kit/tlsPin.ts): carried in the snapshot, QR code and mDNS. */
  pin: string;
  /** The room CA's certificate, served at protocol/tls.ts CA_PATH for browsers; null: none. */
  ca: string | null;
}

export function resolveLimits(overrides: Partial<RelayLimits> = {}): RelayLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
