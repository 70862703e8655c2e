import { z } from 'zod';
import { BoardSnapshot } from './board';
import { ConnectionQuality } from './quality';

/** Bumped on any incompatible wire change; join answers VERSION_MISMATCH otherwise. */
export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  nameMax: 40,
  chatMax: 2000,
  sdpMax: 200_000,
  candidateMax: 1024,
  /** Largest view size a receiver reports (device pixels: 8K). */
  viewMax: 7680,
  labelMax: 120,
  idMax: 64,
  tokenMax: 128,
  credentialMax: 256,
  stageMax: 4,
  /** Chat messages in a snapshot (older ones: `chat.history`). */
  chatInSnapshot: 20,
} as const;

export const Role = z.enum(['teacher', 'student', 'screen']);
export type Role = z.infer<typeof Role>;

export const StageState = z.enum(['off', 'invited', 'on']);
export type StageState = z.infer<typeof StageState>;

export const Id = z.string().min(1).max(LIMITS.idMax);
/**
 * A device's own random id, stable across its reconnects and a relay restart, so peers can keep
 * their media links when peer ids change. Never used for authorization.
 */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const JoinCode = z.string().regex(/^\d{6}$/);

/** A name as typed (bounded); the relay checks its characters (protocol/text.ts: BAD_NAME). */
const trimmedName = z.string().trim().min(1).max(LIMITS.nameMax);

/** What a stage invitation lets a student send: their voice, their camera, their screen. */
export const StageMedia = z.enum(['mic', 'camera', 'screen']);
export type StageMedia = z.infer<typeof StageMedia>;
export const ALL_STAGE_MEDIA: readonly StageMedia[] = StageMedia.options;

/** What the teacher has switched off for a member; only the teacher switches it on again. */
export const Muted = z.object({ audio: z.boolean(), video: z.boolean() });
export type Muted = z.infer<typeof Muted>;

export const PeerInfo = z.object({
  id: Id,
  name: z.string(),
  role: Role,
  hand: z.boolean(),
  stage: StageState,
  online: z.boolean(),
  device: DeviceId.optional(),
  /** What the member's stage invitation allows (students invited or on stage). */
  stageMedia: z.array(StageMedia).optional(),
  /** Set while the teacher holds the member's microphone or camera off. */
  muted: Muted.optional(),
  /** A muted member asked the teacher to be heard again. */
  unmuteAsked: z.boolean().optional(),
  /** From its last media report (protocol/quality.ts); absent until it reports streams. */
  quality: ConnectionQuality.optional(),
  /** Joined from outside the room, through the cloud (protocol/remote.ts). */
  remote: z.boolean().optional(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;

/**
 * What a share carries: a screen, window or tab (video, maybe with its sound), a camera, or a
 * microphone alone ('mic': audio only).
 */
export const ShareKind = z.enum(['screen', 'window', 'tab', 'camera', 'mic']);
export type ShareKind = z.infer<typeof ShareKind>;

/** The stage permission a share of this kind needs. */
export function stageMediaOf(kind: ShareKind): StageMedia {
  return kind === 'mic' ? 'mic' : kind === 'camera' ? 'camera' : 'screen';
}

/** Whether a share of this kind carries video. */
export const hasVideo = (kind: ShareKind): boolean => kind !== 'mic';
/** A MediaStream id (browsers make UUIDs, some in braces). */
export const StreamId = z.string().regex(/^[A-Za-z0-9{}-]{1,64}$/);
export const QualityPreset = z.enum(['sharp', 'smooth', 'auto']);
export type QualityPreset = z.infer<typeof QualityPreset>;

/**
 * A track label that is a browser's internal name ("screen:-3:0", a canvas capture's random
 * base64 id), not a person's words.
 */
export const machineLabel = (label: string): boolean =>
  /^[a-z-]+:[-\d:]+$/i.test(label) ||
  /^[\w-]+:\/\//.test(label) ||
  randomId(label) ||
  label.trim() === '';

/** A long run of base64 with digits and both cases and a `+`, `/` or `=`, or 40 such chars. */
function randomId(label: string): boolean {
  if (!/^[A-Za-z0-9+/]{24,}={0,2}$/.test(label)) return false;
  if (!/\d/.test(label) || !/[a-z]/.test(label) || !/[A-Z]/.test(label)) return false;
  return /[+/=]/.test(label) || label.length >= 40;
}

export const Share = z.object({
  id: Id,
  peerId: Id,
  kind: ShareKind,
  label: z.string(),
  preset: QualityPreset,
  /** It carries sound: a microphone, or a screen or tab shared with its sound. */
  audio: z.boolean(),
  /** Music mode: stereo, full band, no voice processing (a musician's microphone). */
  music: z.boolean().optional(),
  /**
   * The MediaStream id that carries this share, unique in the room: receivers accept a track
   * only from the sharer's link and only for this stream id.
   */
  streamId: StreamId.optional(),
  /** The SFU producer carrying its video, once published there. */
  producerId: z.string().max(LIMITS.idMax).optional(),
  /** The SFU producer carrying its sound, once published there. */
  audioProducerId: z.string().max(LIMITS.idMax).optional(),
});
export type Share = z.infer<typeof Share>;

export const LayoutMode = z.enum(['single', '2up', '2x2']);
export type LayoutMode = z.infer<typeof LayoutMode>;
export const LAYOUT_MODES = LayoutMode.options;
export const LAYOUT_SLOTS: Record<LayoutMode, number> = { single: 1, '2up': 2, '2x2': 4 };

/** Which share sits in which slot of the room screen; null is an empty slot. */
export const Layout = z.object({
  mode: LayoutMode,
  slots: z.array(Id.nullable()).max(4),
});
export type Layout = z.infer<typeof Layout>;

/** The smallest layout that shows `count` shares (one → single, two → 2-up, more → 2×2). */
export function layoutFor(count: number): LayoutMode {
  return count <= 1 ? 'single' : count === 2 ? '2up' : '2x2';
}

/** `mode` with these shares in its slots, in order; extra shares are left out, empty slots null. */
export function fillLayout(mode: LayoutMode, shareIds: readonly (string | null)[]): Layout {
  const slots = shareIds.slice(0, LAYOUT_SLOTS[mode]);
  while (slots.length < LAYOUT_SLOTS[mode]) slots.push(null);
  return { mode, slots };
}

export const ChatMessage = z.object({
  id: Id,
  from: Id,
  name: z.string(),
  /** The sender's role when posting: pages show it beside the name. */
  role: Role,
  text: z.string(),
  at: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const REACTIONS = ['👍', '👏', '😂', '😮', '❤️', '❓'] as const;
export const Reaction = z.enum(REACTIONS);
export type Reaction = z.infer<typeof Reaction>;

export const RoomInfo = z.object({
  id: Id,
  name: z.string(),
  locked: z.boolean(),
  /** New devices wait in the lobby until a teacher admits them (remembered ones do not). */
  approval: z.boolean().optional(),
  /** The room screen shows the join code in a corner over the stage. */
  codeShown: z.boolean().optional(),
  classId: Id,
  /** The class is being recorded: since when (host clock, ms) and by whom (a teacher's name). */
  recording: z.object({ since: z.number(), by: z.string() }).optional(),
  /** The scheduled class running now (its end moves when a teacher extends it). */
  scheduled: z
    .object({
      title: z.string(),
      teacher: z.string(),
      start: z.number(),
      end: z.number(),
      /** Its end is near: teachers see "ends at …" with a way to extend it. */
      ending: z.boolean().optional(),
    })
    .optional(),
  /** The next scheduled class: what the idle room screen announces. */
  next: z.object({ title: z.string(), start: z.number() }).optional(),
});

/** A device waiting in the lobby, as teachers see it. */
export const LobbyEntry = z.object({
  id: Id,
  name: z.string(),
  /** What kind of device it says it is (from its browser), e.g. "iPhone · Safari". */
  device: z.string(),
});
export type LobbyEntry = z.infer<typeof LobbyEntry>;
export type RoomInfo = z.infer<typeof RoomInfo>;

/** The room host's link to the cloud control server, as teachers and screens see it. */
export const CloudStatus = z.object({
  /** off: no cloud configured; rejected: the cloud refused the room's credential. */
  state: z.enum(['off', 'connecting', 'online', 'offline', 'rejected']),
  since: z.number(),
});
export type CloudStatus = z.infer<typeof CloudStatus>;

/**
 * A STUN/TURN server for RTCPeerConnection. TURN credentials are the cloud's time-limited ones
 * (TURN REST: `username` = `<expiry>:<room>`, `credential` = its HMAC), never a static password.
 */
export const IceServer = z.object({
  urls: z
    .array(
      z
        .string()
        .max(256)
        .regex(/^(stun|turns?):[^\s]+$/),
    )
    .min(1)
    .max(6),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** The ICE servers the room's devices use now (from the cloud), and when they stop working. */
export const IceConfig = z.object({
  iceServers: z.array(IceServer).max(4),
  expiresAt: z.number(),
});
export type IceConfig = z.infer<typeof IceConfig>;

export const RoomSnapshot = z.object({
  room: RoomInfo,
  /** The join code, sent only to teachers and screens. */
  code: JoinCode.optional(),
  /** The address students open (LAN URL of the host), for the screen's QR code. */
  joinUrl: z.string().max(300).optional(),
  /** The host's https page: where a device must be to share, speak or teach. */
  secureUrl: z.string().max(300).optional(),
  /** The host's key pin (base64 SHA-256 of its SPKI), shown in short form by the room screen. */
  pin: z.string().max(60).optional(),
  peers: z.array(PeerInfo),
  shares: z.array(Share),
  layout: Layout,
  /** The latest messages of the class; older ones with `chat.history`. */
  chat: z.array(ChatMessage),
  /** There are older messages than these. */
  chatMore: z.boolean().optional(),
  /** Devices waiting to be let in (teachers only). */
  lobby: z.array(LobbyEntry).optional(),
  /** Devices the teacher removed from this class (teachers only), for "undo". */
  bans: z.array(z.object({ id: Id, name: z.string() })).optional(),
  /** The host runs an SFU: fan-out to students goes through it. */
  sfu: z.boolean().optional(),
  /** The whiteboard and annotations, when anything is open or drawn. */
  board: BoardSnapshot.optional(),
  /** The cloud link's state (teachers and screens only). */
  cloud: CloudStatus.optional(),
  /** TURN/STUN servers for media beyond the LAN (when the room is linked to a cloud with TURN). */
  ice: IceConfig.optional(),
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;

/** WebRTC signaling payloads forwarded peer to peer. */
export const SessionDescription = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(LIMITS.sdpMax).optional(),
});
export const IceCandidate = z.object({
  candidate: z.string().max(LIMITS.candidateMax),
  sdpMid: z.string().max(LIMITS.idMax).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(LIMITS.idMax).nullable().optional(),
});
export const Signal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: SessionDescription }),
  z.object({ kind: z.literal('candidate'), candidate: IceCandidate.nullable() }),
  z.object({ kind: z.literal('restart') }),
  /**
   * Receiver to sender: the device pixels this stream is shown at now (the largest of its
   * views; 0×0 when nowhere). The sender encodes no larger than that (a 2×2 slot needs half).
   */
  z.object({
    kind: z.literal('view'),
    streamId: StreamId,
    width: z.number().int().min(0).max(LIMITS.viewMax),
    height: z.number().int().min(0).max(LIMITS.viewMax),
  }),
  /**
   * Sender to receiver: a share's tracks (today its picture only) now go on these transceivers,
   * negotiated when the link was made ready (before any share), so its first frame waits for no
   * offer.
   */
  z.object({
    kind: z.literal('tracks'),
    streamId: StreamId,
    mids: z.array(z.string().min(1).max(LIMITS.idMax)).min(1).max(2),
  }),
]);
export type Signal = z.infer<typeof Signal>;

export { trimmedName as DisplayName };
