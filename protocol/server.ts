import { z } from 'zod';
import {
  LobbyEntry,
  ChatMessage,
  CloudStatus,
  IceConfig,
  Id,
  JoinCode,
  Layout,
  PeerInfo,
  Reaction,
  RoomInfo,
  Share,
  Signal,
  StageMedia,
} from './model';
import { boardNotifications } from './board';
import { RecordExport, RecordId, RecordUpload } from './records';
import { sfuNotifications } from './sfu';

/** Relay → client notifications: name → payload schema. Names are past-tense events. */
export const serverNotifications = {
  peerJoined: z.object({ peer: PeerInfo }),
  peerUpdated: z.object({ peer: PeerInfo }),
  peerLeft: z.object({ peerId: Id, reason: z.enum(['left', 'timeout', 'removed', 'classEnded']) }),
  signal: z.object({ from: Id, session: z.string().optional(), signal: Signal }),
  chatPosted: z.object({ message: ChatMessage }),
  reacted: z.object({ from: Id, emoji: Reaction }),
  stageInvited: z.object({ by: Id, media: z.array(StageMedia).optional() }),
  shareStarted: z.object({ share: Share }),
  shareStopped: z.object({
    shareId: Id,
    peerId: Id,
    reason: z.enum(['stopped', 'offStage', 'left', 'muted']),
  }),
  /** A share changed (its sound was cut by a mute). */
  shareUpdated: z.object({ share: Share }),
  /** Who is speaking now, loudest first (from the SFU's audio levels); empty for silence. */
  speaking: z.object({ peerIds: z.array(Id).max(16) }),
  layoutChanged: z.object({ layout: Layout }),
  roomUpdated: z.object({ room: RoomInfo }),
  /** Sent to screens and teachers when the join code rotates. */
  codeChanged: z.object({
    code: JoinCode,
    reason: z.enum(['newClass', 'bruteForce', 'operator']),
  }),
  /** The teacher switched my microphone / camera off (or `allowed` them on again). */
  muteRequested: z.object({
    by: Id,
    kind: z.enum(['audio', 'video', 'all']),
    allowed: z.boolean().optional(),
  }),
  removed: z.object({ reason: z.enum(['removed', 'classEnded']) }),
  classEnded: z.object({ classId: Id }),
  /** A scheduled class ends soon (teachers): at `end` it ends by itself unless extended. */
  classEnding: z.object({ title: z.string(), end: z.number() }),
  /** The recording ended (teachers): a teacher stopped it, the class ended, or the disk filled. */
  recordingStopped: z.object({
    reason: z.enum(['stopped', 'classEnded', 'diskLow', 'failed']),
    /** Where the record is kept on the host (its folder name). */
    record: z.string().max(200),
  }),
  /** How a record's "export as one video" goes (teachers), at most about once a second. */
  recordExport: z.object({ id: RecordId, export: RecordExport }),
  /** How a record's upload to the cloud goes (teachers), at most about once a second. */
  recordUpload: z.object({ id: RecordId, upload: RecordUpload }),
  /** To a device knocking: it waits for a teacher to let it in (its join is answered then). */
  lobbyWaiting: z.object({}),
  /** Who waits in the lobby changed (teachers only). */
  lobbyChanged: z.object({ waiting: z.array(LobbyEntry) }),
  /** The class's removed devices changed (teachers only). */
  bansChanged: z.object({ bans: z.array(z.object({ id: Id, name: z.string() })) }),
  error: z.object({ code: z.string(), message: z.string(), method: z.string().optional() }),
  shuttingDown: z.object({}),
  /** An operator's message for the room screen (also shown to teachers), for `seconds`. */
  screenMessage: z.object({ text: z.string(), seconds: z.number() }),
  /** The operator asked room screens to reload their page. */
  reloadRequested: z.object({}),
  /** The room's cloud link changed state (teachers and screens). */
  cloudStatus: CloudStatus,
  /** New TURN/STUN servers (and credentials) for media beyond the LAN. */
  iceChanged: IceConfig,
  ...sfuNotifications,
  ...boardNotifications,
} as const;

export type ServerEvent = keyof typeof serverNotifications;
export type ServerPayload<E extends ServerEvent> = z.infer<(typeof serverNotifications)[E]>;

/** Relay → client notifications as a discriminated union on `method`. */
export type ServerNotification = {
  [E in ServerEvent]: { method: E; params: ServerPayload<E> };
}[ServerEvent];

/** The SFU's notifications (transport and consumer state for one member). */
export type SfuNotification = Extract<
  ServerNotification,
  { method: keyof typeof sfuNotifications }
>;
