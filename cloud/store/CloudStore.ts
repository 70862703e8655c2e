import type { RoomView } from '../../protocol';
import type { Command, RemoteFrame, RemoteLinkInfo, ScheduledClass } from '../../protocol';

/** A remote link (protocol/remote.ts) as kept: its secret only hashed. */
export interface RemoteLinkRecord extends RemoteLinkInfo {
  secretHash: string;
}

/** A room the cloud knows: its name and the hash of its credential. */
export interface RoomRecord {
  id: string;
  name: string;
  tokenHash: string | null;
  createdAt: number;
  /** The room's timetable as the console last set it (sent to the host on every link). */
  schedule?: ScheduledClass[];
  /** The secret in the room's calendar feed address (`/calendar/<id>/<secret>.ics`). */
  calendar?: string;
  /** Links that let people outside the room join its class through the cloud. */
  remoteLinks?: RemoteLinkRecord[];
}

/** What can change of a room after it is created. */
export type RoomChange = Partial<
  Pick<RoomRecord, 'tokenHash' | 'schedule' | 'calendar' | 'remoteLinks'>
>;

export interface CommandEnvelope {
  roomId: string;
  id: string;
  command: Command;
}

/**
 * A remote participant's frame between two processes of the cloud: their socket reached one
 * (`up`: to the process holding the room's link, on to the host), the room's link is held by
 * another (`down`: the host's frame back to the process with the socket).
 */
export interface RelayedFrame {
  k: 'x';
  dir: 'up' | 'down';
  roomId: string;
  /** The sending process. */
  from: string;
  frame: RemoteFrame;
}

/** A call between two processes of the cloud (their SFUs share a class): see ProcessRpc. */
export interface RpcMessage {
  k: 'rpc';
  op: 'req' | 'res' | 'evt';
  from: string;
  id?: number;
  method?: string;
  params?: unknown;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

export type ProcessMessage = RelayedFrame | RpcMessage;

/** What every process of the cloud shares: one process alone, or many through Redis. */
export interface CloudStore {
  /** This process's id (who holds a room's link). */
  readonly processId: string;

  // Room credentials (per room, revocable).
  createRoom(record: RoomRecord): Promise<void>;
  room(id: string): Promise<RoomRecord | null>;
  rooms(): Promise<RoomRecord[]>;
  /** Changes a room's credential, timetable or calendar secret (nothing if it is unknown). */
  updateRoom(id: string, change: RoomChange): Promise<void>;

  // Presence: which rooms' links are held, by whom; expires if the holder dies.
  claim(roomId: string): Promise<void>;
  release(roomId: string): Promise<void>;
  /** Room id → the process holding its link, for those online. */
  online(): Promise<Map<string, string>>;
  /** The process holding a room's link now (null: none). */
  holder(roomId: string): Promise<string | null>;

  // Room views, for the console on any process.
  putView(view: RoomView): Promise<void>;
  view(id: string): Promise<RoomView | null>;
  views(): Promise<RoomView[]>;

  // Routing to the process that holds a room's link.
  /** Delivers to the holder; false when no process holds the room. */
  sendCommand(envelope: CommandEnvelope): Promise<boolean>;
  /** The handler returns whether this process knows the room (and queued the command). */
  onCommand(handler: (envelope: CommandEnvelope) => boolean): void;
  /** A room's credential changed: its live link must close, wherever it is held. */
  revoked(roomId: string): Promise<void>;
  onRevoked(handler: (roomId: string) => void): void;
  /** A room's timetable changed: its holder sends it down the link. */
  scheduleChanged(roomId: string): Promise<void>;
  onScheduleChanged(handler: (roomId: string) => void): void;
  /** A room's remote links changed: its holder ends the sessions of links that are gone. */
  remoteLinksChanged(roomId: string): Promise<void>;
  onRemoteLinksChanged(handler: (roomId: string) => void): void;
  /** A message to one process (remote participants' frames, SFU calls between processes). */
  relay(processId: string, message: ProcessMessage): Promise<void>;
  /** Every handler gets every message to this process (each takes the kinds it knows). */
  onRelayed(handler: (message: ProcessMessage) => void): void;

  close(): Promise<void>;
}
