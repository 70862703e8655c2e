/**
 * The upstream link: ONE WebSocket from a room host to the cloud control server, carrying every
 * device's traffic, multiplexed by device and kind. Each direction is a sequenced stream:
 *
 * - A stream has an `epoch` (random id of its history) and messages numbered 1, 2, 3… in it.
 * - The receiver acks cumulatively (`{t:'a', s}`) and drops anything at or below what it has.
 * - The sender keeps unacked messages and resends them after a reconnect, from what the other
 *   side says it has (`hello` / `welcome`).
 * - A side that no longer knows the other's epoch (it restarted with empty memory) answers
 *   `recv: null`, and the sender starts a new epoch beginning with a full snapshot: no gaps.
 *
 * One WebSocket frame carries one frame object or an array of them (batched under load).
 */
import { z } from 'zod';
import { IceConfig, Id, Layout, LIMITS, RoomSnapshot } from './model';
import { DeviceMetrics, HostMetrics } from './metrics';
import { isExactMsg, parseExact } from './exact';
import { Timetable } from './schedule';
import { RemoteFrame } from './remote';
import { CloudSfuCall, CloudSfuEvent, CloudSfuReply } from './cloudSfu';
import { serverNotifications as n, type ServerNotification } from './server';

export const UPSTREAM_VERSION = 1;

/** WebSocket close codes of the link (4000–4999 are ours). */
export const LinkClose = {
  /** Bad room id or token, or the room's credential was revoked: do not hammer, back off long. */
  UNAUTHORIZED: 4401,
  /** The frame broke the link protocol (bad JSON, schema, sequence gap). */
  PROTOCOL: 4400,
  /** The same room connected again elsewhere; this older link is closed. */
  REPLACED: 4409,
  /** No hello in time. */
  HELLO_TIMEOUT: 4408,
} as const;

const Epoch = z.string().regex(/^[A-Za-z0-9_-]{8,40}$/);
const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Where a receiver stands in the other side's stream. */
export const Cursor = z.object({ epoch: Epoch, seq: Seq });
export type Cursor = z.infer<typeof Cursor>;

// ---- message kinds ---------------------------------------------------------------------------

/** What the cloud may ask of a room. */
export const Command = z.discriminatedUnion('type', [
  /** A message across the room screen for `seconds`. */
  z.object({
    type: z.literal('message'),
    text: z.string().trim().min(1).max(500),
    seconds: z.number().int().min(1).max(3600).default(30),
  }),
  z.object({ type: z.literal('layout'), layout: Layout }),
  z.object({ type: z.literal('endClass') }),
  z.object({ type: z.literal('rotateCode') }),
  z.object({ type: z.literal('reload') }),
]);
export type Command = z.infer<typeof Command>;
export type CommandInput = z.input<typeof Command>;

export const CommandResult = z.object({
  id: Id,
  ok: z.boolean(),
  /** A stable error code when not ok (SHARE_NOT_FOUND, …). */
  error: z.string().max(64).optional(),
});
export type CommandResult = z.infer<typeof CommandResult>;

/** The room notifications the cloud follows (never signaling, codes or SFU traffic). */
export const RoomEvent = z.discriminatedUnion('method', [
  z.object({ method: z.literal('peerJoined'), params: n.peerJoined }),
  z.object({ method: z.literal('peerUpdated'), params: n.peerUpdated }),
  z.object({ method: z.literal('peerLeft'), params: n.peerLeft }),
  z.object({ method: z.literal('shareStarted'), params: n.shareStarted }),
  z.object({ method: z.literal('shareStopped'), params: n.shareStopped }),
  z.object({ method: z.literal('layoutChanged'), params: n.layoutChanged }),
  z.object({ method: z.literal('roomUpdated'), params: n.roomUpdated }),
  z.object({ method: z.literal('classEnded'), params: n.classEnded }),
  z.object({ method: z.literal('chatPosted'), params: n.chatPosted }),
]);
export type RoomEvent = z.infer<typeof RoomEvent>;
const ROOM_EVENTS: ReadonlySet<string> = new Set(
  RoomEvent.options.map((o) => o.shape.method.value),
);

/** Whether a room notification is one the cloud follows. */
export function isRoomEvent(
  n: ServerNotification,
): n is Extract<ServerNotification, { method: RoomEvent['method'] }> {
  return ROOM_EVENTS.has(n.method);
}

/**
 * Room state for the cloud: the relay's snapshot without the join code. The host's addresses
 * (no code in them) go up so that the console can hand out scheduled classes' links.
 */
export const CloudSnapshot = RoomSnapshot.omit({ code: true, ice: true });
export type CloudSnapshot = z.infer<typeof CloudSnapshot>;

/** Host → cloud: kind → body. `lossy` kinds may be shed under pressure; the rest never. */
export const hostKinds = {
  /** Full room state; starts every epoch and replaces whatever the cloud had. */
  snapshot: CloudSnapshot,
  /** One room notification (roster, stage, shares, layout, class, chat when allowed). */
  event: RoomEvent,
  result: CommandResult,
  metrics: DeviceMetrics,
  host: HostMetrics,
} as const;
export type HostKind = keyof typeof hostKinds;

/** Cloud → host: kind → body. */
export const cloudKinds = {
  command: z.object({ id: Id, command: Command }),
  /** The room's whole timetable (protocol/schedule.ts), whenever it changes. */
  schedule: Timetable,
  /** TURN/STUN servers with fresh credentials, on every link and before they expire. */
  ice: IceConfig,
} as const;

export const LOSSY_KINDS: ReadonlySet<string> = new Set<HostKind>(['metrics', 'host']);

/** The device a message is about: a peer id, or ROOM_DEVICE for the room/host itself. */
export const ROOM_DEVICE = 'room';

// ---- frames ----------------------------------------------------------------------------------

export const Hello = z.object({
  t: z.literal('hello'),
  v: z.number().int(),
  room: Id,
  token: z.string().min(1).max(LIMITS.tokenMax),
  name: z.string().max(LIMITS.labelMax),
  /** The host's outgoing stream. */
  epoch: Epoch,
  /** How far the host has received the cloud's stream (null: nothing known). */
  recv: Cursor.nullable(),
});
export type Hello = z.infer<typeof Hello>;

export const Welcome = z.object({
  t: z.literal('welcome'),
  /** The cloud's outgoing stream for this room. */
  epoch: Epoch,
  /** How far the cloud has the host's stream; null: it has none of it (the host resets). */
  recv: Cursor.nullable(),
});
export type Welcome = z.infer<typeof Welcome>;

/** A sequenced message; `k` is validated against the direction's kinds by the receiver. */
export const Msg = z.object({
  t: z.literal('m'),
  s: Seq.min(1),
  k: z.string().max(32),
  d: z.string().max(LIMITS.idMax),
  b: z.unknown(),
});
export type Msg = z.infer<typeof Msg>;

export const Ack = z.object({ t: z.literal('a'), s: Seq });
export type Ack = z.infer<typeof Ack>;

/**
 * "My stream starts over as this epoch, from seq 1": sent when the other side's cursor shows it
 * lost history (or never had it). The host's new epoch begins with a full snapshot.
 */
export const Reset = z.object({ t: z.literal('r'), epoch: Epoch });
export type Reset = z.infer<typeof Reset>;

/**
 * Remote participants' relay frames (protocol/remote.ts) and the cloud SFU's calls
 * (protocol/cloudSfu.ts) ride the same socket, unsequenced.
 */
export const Frame = z.discriminatedUnion('t', [
  Hello,
  Welcome,
  Msg,
  Ack,
  Reset,
  RemoteFrame,
  CloudSfuCall,
  CloudSfuReply,
  CloudSfuEvent,
]);
export type Frame = z.infer<typeof Frame>;

/** Parses one WebSocket message into frames; throws on anything malformed. */
export function decodeFrames(text: string): Frame[] {
  const raw: unknown = JSON.parse(text);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || list.length > 4096) throw new Error('bad batch size');
  return list.map((f) => (isExactMsg(f) ? (f as Msg) : Frame.parse(f)));
}

export function encodeFrames(frames: readonly Frame[]): string {
  return JSON.stringify(frames.length === 1 ? frames[0] : frames);
}

/** A message body of one direction, discriminated on its kind. */
export type Parsed<K extends Record<string, z.ZodType>> = {
  [N in keyof K & string]: { kind: N; body: z.output<K[N]> };
}[keyof K & string];

/** Validates a message body against its direction's kinds; throws on unknown kinds. */
export function parseBody<K extends Record<string, z.ZodType>>(
  kinds: K,
  kind: string,
  body: unknown,
): Parsed<K> {
  if (!Object.prototype.hasOwnProperty.call(kinds, kind)) throw new Error(`unknown kind ${kind}`);
  return { kind, body: parseExact(kinds[kind]!, body) } as Parsed<K>;
}
