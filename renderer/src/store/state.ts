import { initialBoard, type BoardState } from './board';
import type { RememberedRoom } from '../controller/rememberedRooms';
import type {
  ChatMessage,
  LobbyEntry,
  RememberedDeviceInfo,
  CloudStatus,
  IceConfig,
  Layout,
  PeerInfo,
  RecordSummary,
  RoomSnapshot,
  ServerPayload,
  Share,
} from '../../../protocol';
import { fillLayout } from '../../../protocol';
import type { StreamStats } from '../media/stats';
import type { LinkStatus } from '../signaling/SignalingClient';

/** The session: who I am, which room, its code and address, the link states. */
export interface SessionState {
  me: { peerId: string; role: PeerInfo['role'] } | null;
  room: RoomSnapshot['room'] | null;
  code: string | null;
  joinUrl: string | null;
  /** The host's https page and key pin (null: the host serves http only). */
  secureUrl: string | null;
  pin: string | null;
  /**
   * Whether this page may capture, teach or show the room (the relay's word: https or this
   * machine). False: a viewer on plain http over the LAN.
   */
  secure: boolean;
  /** Rooms this device may rejoin without the code (controller/rememberedRooms.ts). */
  rememberedRooms: RememberedRoom[];
  /** The room's remembered devices, as the teacher last listed them. */
  rememberedDevices: RememberedDeviceInfo[];
  /** The host's class records, as the teacher last listed them. */
  records: RecordSummary[];
  /** The host keeps copies of its records in the cloud (a teacher can upload them). */
  recordsCloud: boolean;
  /** The host runs an SFU (students receive through it). */
  sfu: boolean;
  status: LinkStatus;
  /** The room host's cloud link (teachers and screens; null: none configured). */
  cloud: CloudStatus | null;
  /** TURN/STUN servers from the cloud (media beyond the LAN), or null on a LAN-only room. */
  ice: IceConfig | null;
  /** This join waits in the lobby for a teacher (approval on). */
  waitingForTeacher: boolean;
  /** Why this page left the room for good (removed, class ended), or null. */
  endedReason: string | null;
}

/** The people in the room, and what concerns me about them. */
export interface PeersState {
  peers: Record<string, PeerInfo>;
  /** The teacher's invitation on stage, waiting for my answer. */
  invitedBy: string | null;
  /** What the teacher switched off for me (audio, video, all), or null. */
  muteRequested: string | null;
  /** Who is speaking now (from the SFU's audio levels), loudest first. */
  speaking: string[];
  /** Who this device hears speaking over its P2P links (getStats audio levels). */
  heard: string[];
  /** Devices the teacher removed from this class (teachers only), for "let back in". */
  bans: { id: string; name: string }[];
  /** Devices waiting in the lobby (teachers only). */
  lobby: LobbyEntry[];
}

/** The shares and the room screen's layout of them. */
export interface StageState {
  shares: Record<string, Share>;
  layout: Layout;
}

export interface ChatState {
  chat: ChatMessage[];
  reactions: { id: number; from: string; emoji: string }[];
}

/** What the media engine shows and measures (not from notifications). */
export interface MediaState {
  /**
   * Bumped on every change of the media engine: a stream can be replaced under the same id
   * (a link renegotiated onto a new connection), and what shows it must pick up the new one.
   */
  mediaRevision: number;
  stats: StreamStats[];
  statsHistory: Record<string, { bitrate: number; fps: number }[]>;
}

/** This device's microphone, camera and loudspeaker. */
export interface AvState {
  /** My microphone's share id while it is on. */
  mic: string | null;
  /** My camera's share id while it is on. */
  camera: string | null;
  /** Music mode for my next microphone (no voice processing, stereo, high bitrate). */
  music: boolean;
  /** This device plays the class's sound (the room screen does by default; others opt in). */
  soundOn: boolean;
  /** The browser blocked playback until a click. */
  soundBlocked: boolean;
  /** Chosen devices ('' = the system default). */
  micDevice: string;
  cameraDevice: string;
  speakerDevice: string;
  /** A local test of the microphone and camera is running (nothing is sent). */
  previewing: boolean;
  /** Inputs and outputs the browser lists (refreshed on `devicechange`). */
  devices: { id: string; kind: 'audioinput' | 'videoinput' | 'audiooutput'; label: string }[];
}

/** What the page tells the person (errors, operator messages). */
export interface NoticesState {
  /** A stable error code to show (BAD_CODE, NOT_ON_STAGE, …), or null. */
  error: string | null;
  /** An operator's message on the screen (cleared after its time by the controller). */
  operatorMessage: { text: string } | null;
  /** How the last recording ended (teachers), or null. */
  recordEnd: ServerPayload<'recordingStopped'> | null;
}

/**
 * Normalized page state, one slice per concern. Live objects (sockets, peer connections,
 * streams) stay in controllers; the store holds ids and plain data only.
 */
export type RoomState = BoardState &
  SessionState &
  PeersState &
  StageState &
  ChatState &
  MediaState &
  AvState &
  NoticesState;

export const initialState: RoomState = {
  ...initialBoard,
  me: null,
  room: null,
  code: null,
  joinUrl: null,
  secureUrl: null,
  pin: null,
  secure: true,
  rememberedRooms: [],
  rememberedDevices: [],
  records: [],
  recordsCloud: false,
  waitingForTeacher: false,
  sfu: false,
  status: 'idle',
  cloud: null,
  ice: null,
  endedReason: null,
  peers: {},
  invitedBy: null,
  muteRequested: null,
  speaking: [],
  heard: [],
  bans: [],
  lobby: [],
  shares: {},
  layout: fillLayout('single', []),
  chat: [],
  reactions: [],
  mediaRevision: 0,
  stats: [],
  statsHistory: {},
  mic: null,
  camera: null,
  music: false,
  soundOn: false,
  soundBlocked: false,
  micDevice: '',
  cameraDevice: '',
  speakerDevice: '',
  previewing: false,
  devices: [],
  error: null,
  recordEnd: null,
  operatorMessage: null,
};
