import { z } from 'zod';
import {
  ChatMessage,
  DeviceId,
  DisplayName,
  Id,
  JoinCode,
  Layout,
  LIMITS,
  QualityPreset,
  Reaction,
  Role,
  RoomSnapshot,
  ShareKind,
  Signal,
  StageMedia,
  ALL_STAGE_MEDIA,
  StreamId,
} from './model';
import { boardMethods } from './board';
import { recordMethods } from './records';
import { sfuMethods } from './sfu';
import { DeviceMetrics } from './metrics';

const Empty = z.object({});
const MuteKind = z.enum(['audio', 'video', 'all']);

export const RememberedDeviceInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['teacher', 'student']),
  issuedAt: z.number(),
  lastSeen: z.number(),
});
export type RememberedDeviceInfo = z.infer<typeof RememberedDeviceInfo>;

export const JoinParams = z.object({
  protocol: z.number().int(),
  role: Role,
  name: DisplayName,
  /** Six-digit join code shown on the room screen (teachers and students). */
  code: JoinCode.optional(),
  /** Teacher credential (teachers) or screen key (room screens). */
  credential: z.string().min(1).max(LIMITS.credentialMax).optional(),
  device: DeviceId.optional(),
  /** Resume token from an earlier join ACK; keeps identity, role and stage. */
  resumeToken: z.string().min(1).max(LIMITS.tokenMax).optional(),
  /**
   * A remembered device's credential (`device.remember`): in place of the join code, and of the
   * teacher credential for a teacher's device. Over https/wss only.
   */
  deviceCredential: z.string().min(1).max(LIMITS.tokenMax).optional(),
});
export type JoinParams = z.infer<typeof JoinParams>;

export const JoinResult = z.object({
  peerId: Id,
  resumeToken: z.string(),
  resumed: z.boolean(),
  role: Role,
  /**
   * Whether this connection may capture, teach or show the room: https/wss, or loopback. A
   * device on plain http over the LAN may view only (its signaling could be rewritten on the way).
   */
  secure: z.boolean(),
  snapshot: RoomSnapshot,
});
export type JoinResult = z.infer<typeof JoinResult>;

/**
 * Client → relay methods: name → params schema and result schema.
 * Any method may be sent as a request (answered) or a notification (errors come back as an
 * `error` notification).
 */
export const clientMethods = {
  join: { params: JoinParams, result: JoinResult },
  leave: { params: Empty, result: Empty },
  ping: { params: z.object({ t: z.number().optional() }), result: z.object({ t: z.number() }) },
  snapshot: { params: Empty, result: RoomSnapshot },
  signal: {
    params: z.object({ to: Id, session: z.string().max(LIMITS.idMax).optional(), signal: Signal }),
    result: Empty,
  },
  chat: {
    params: z.object({ text: z.string().trim().min(1).max(LIMITS.chatMax) }),
    result: z.object({ id: Id }),
  },
  /** Older chat of the class, newest first, `limit` at a time, before the message `before`. */
  'chat.history': {
    params: z.object({ before: Id.optional(), limit: z.number().int().min(1).max(50).default(50) }),
    result: z.object({ messages: z.array(ChatMessage), more: z.boolean() }),
  },
  'hand.set': { params: z.object({ raised: z.boolean() }), result: Empty },
  react: { params: z.object({ emoji: Reaction }), result: Empty },
  /** Invites a student on stage for their voice, camera, screen, or any mix (default: all). */
  'stage.invite': {
    params: z.object({
      peerId: Id,
      media: z
        .array(StageMedia)
        .min(1)
        .max(3)
        .default([...ALL_STAGE_MEDIA]),
    }),
    result: Empty,
  },
  'stage.respond': { params: z.object({ accept: z.boolean() }), result: Empty },
  'stage.remove': { params: z.object({ peerId: Id }), result: Empty },
  'share.start': {
    params: z.object({
      kind: ShareKind,
      label: z.string().max(LIMITS.labelMax),
      preset: QualityPreset,
      audio: z.boolean().default(false),
      music: z.boolean().default(false),
      streamId: StreamId.optional(),
    }),
    result: z.object({ shareId: Id }),
  },
  'share.stop': { params: z.object({ shareId: Id }), result: Empty },
  'layout.set': { params: Layout, result: Empty },
  'room.lock': { params: z.object({ locked: z.boolean() }), result: Empty },
  /** Approve new devices: those not remembered wait in the lobby until a teacher answers. */
  'room.approval': { params: z.object({ on: z.boolean() }), result: Empty },
  /** The room screen shows the join code and QR in a corner while a class runs. */
  'room.showCode': { params: z.object({ shown: z.boolean() }), result: Empty },
  'lobby.admit': { params: z.object({ id: Id }), result: Empty },
  'lobby.refuse': { params: z.object({ id: Id }), result: Empty },
  /** Removes a student's device for the rest of the class (a ban the teacher can undo). */
  'peer.remove': { params: z.object({ peerId: Id }), result: Empty },
  'peer.unban': { params: z.object({ banId: Id }), result: Empty },
  /**
   * Switches a member's microphone (audio), camera (video) or both off: their sound or camera
   * shares end, their screen's sound is cut, and they cannot start them again until allowed.
   */
  'peer.mute': { params: z.object({ peerId: Id, kind: MuteKind }), result: Empty },
  /** The same for every student of the room. */
  'peer.muteAll': { params: z.object({ kind: MuteKind }), result: Empty },
  /** Lets a muted member switch their microphone / camera on again (answers their request). */
  'peer.allow': { params: z.object({ peerId: Id, kind: MuteKind }), result: Empty },
  /** A muted member asks to be allowed again (the teacher sees it in the roster). */
  'unmute.ask': { params: Empty, result: Empty },
  'class.end': { params: Empty, result: Empty },
  /** A scheduled class runs longer (5–60 minutes more; not into the next class). */
  'class.extend': {
    params: z.object({ minutes: z.number().int().min(5).max(60) }),
    result: z.object({ end: z.number() }),
  },
  /** Records the class on the host (every share, voice and camera at source quality). */
  'record.start': { params: Empty, result: Empty },
  'record.stop': { params: Empty, result: Empty },
  /** Every 10 s: this device's per-stream figures, forwarded to the cloud (if any). */
  'metrics.report': { params: DeviceMetrics, result: Empty },
  /** A teacher replaces the host's teacher credential (the current one must be shown). */
  'teacher.setCredential': {
    params: z.object({
      current: z.string().min(1).max(LIMITS.credentialMax),
      next: z.string().min(8).max(LIMITS.credentialMax),
    }),
    result: Empty,
  },
  /** This device may come back without the code: its credential, shown once (https only). */
  'device.remember': {
    params: Empty,
    result: z.object({ id: z.string(), credential: z.string() }),
  },
  /** The devices this room remembers (teachers): never their credentials. */
  'device.list': { params: Empty, result: z.object({ devices: z.array(RememberedDeviceInfo) }) },
  /** Forgets one remembered device, or all of them: their credentials stop working at once. */
  'device.forget': {
    params: z.union([
      z.object({ id: z.string().min(1).max(40) }),
      z.object({ all: z.literal(true) }),
    ]),
    result: z.object({ forgotten: z.number() }),
  },
  ...sfuMethods,
  ...boardMethods,
  ...recordMethods,
} as const;

export type ClientMethod = keyof typeof clientMethods;
export type ClientParams<M extends ClientMethod> = z.input<(typeof clientMethods)[M]['params']>;
export type ParsedClientParams<M extends ClientMethod> = z.output<
  (typeof clientMethods)[M]['params']
>;
export type ClientResult<M extends ClientMethod> = z.output<(typeof clientMethods)[M]['result']>;

/** Client → relay messages as a discriminated union on `method` (after validation). */
export type ClientCall = {
  [M in ClientMethod]: { method: M; params: ParsedClientParams<M> };
}[ClientMethod];

export function isClientMethod(method: string): method is ClientMethod {
  return Object.prototype.hasOwnProperty.call(clientMethods, method);
}
