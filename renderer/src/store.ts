import { create } from 'zustand';
import type {
  ChatMessage,
  CloudStatus,
  Layout,
  PeerInfo,
  RoomSnapshot,
  ServerNotification,
  Share,
} from '../../protocol';
import type { StreamStats } from './media/stats';
import type { LinkStatus } from './signaling/SignalingClient';

/**
 * Normalized page state. Live objects (sockets, peer connections, streams) stay in controllers;
 * the store holds ids and plain data only.
 */
export interface RoomState {
  me: { peerId: string; role: PeerInfo['role'] } | null;
  room: RoomSnapshot['room'] | null;
  code: string | null;
  joinUrl: string | null;
  /** The host runs an SFU (students receive through it). */
  sfu: boolean;
  peers: Record<string, PeerInfo>;
  shares: Record<string, Share>;
  layout: Layout;
  chat: ChatMessage[];
  reactions: { id: number; from: string; emoji: string }[];
  status: LinkStatus;
  /** A stable error code to show (BAD_CODE, NOT_ON_STAGE, …), or null. */
  error: string | null;
  invitedBy: string | null;
  muteRequested: string | null;
  /** Stream ids the media engine can show right now (local or received). */
  streams: string[];
  stats: StreamStats[];
  statsHistory: Record<string, { bitrate: number; fps: number }[]>;
  endedReason: string | null;
  /** The room host's cloud link (teachers and screens; null: none configured). */
  cloud: CloudStatus | null;
  /** An operator's message on the screen (cleared after its time by the controller). */
  operatorMessage: { text: string } | null;
}

export const initialState: RoomState = {
  me: null,
  room: null,
  code: null,
  joinUrl: null,
  sfu: false,
  peers: {},
  shares: {},
  layout: { mode: 'single', slots: [null] },
  chat: [],
  reactions: [],
  status: 'idle',
  error: null,
  invitedBy: null,
  muteRequested: null,
  streams: [],
  stats: [],
  statsHistory: {},
  endedReason: null,
  cloud: null,
  operatorMessage: null,
};

export const useRoom = create<RoomState>()(() => initialState);

const byId = <T extends { id: string }>(list: T[]) =>
  Object.fromEntries(list.map((x) => [x.id, x]));
let reactionSeq = 0;

export function applySnapshot(me: RoomState['me'], snap: RoomSnapshot): void {
  useRoom.setState({
    me,
    room: snap.room,
    code: snap.code ?? null,
    joinUrl: snap.joinUrl ?? null,
    sfu: snap.sfu ?? false,
    cloud: snap.cloud ?? null,
    peers: byId(snap.peers),
    shares: byId(snap.shares),
    layout: snap.layout,
    chat: snap.chat,
    error: null,
    invitedBy: snap.peers.find((p) => p.id === me?.peerId)?.stage === 'invited' ? 'teacher' : null,
  });
}

/** Folds one relay notification into the store. */
export function applyNotification(n: ServerNotification): void {
  const s = useRoom.getState();
  switch (n.method) {
    case 'peerJoined':
    case 'peerUpdated': {
      const peer = n.params.peer;
      const mine = peer.id === s.me?.peerId;
      useRoom.setState({
        peers: { ...s.peers, [peer.id]: peer },
        ...(mine && peer.stage !== 'invited' ? { invitedBy: null } : {}),
      });
      break;
    }
    case 'peerLeft': {
      const { [n.params.peerId]: _gone, ...peers } = s.peers;
      useRoom.setState({ peers });
      break;
    }
    case 'chatPosted':
      useRoom.setState({ chat: [...s.chat, n.params.message].slice(-100) });
      break;
    case 'reacted':
      useRoom.setState({
        reactions: [...s.reactions, { id: ++reactionSeq, ...n.params }].slice(-20),
      });
      break;
    case 'stageInvited':
      useRoom.setState({ invitedBy: n.params.by });
      break;
    case 'shareStarted':
      useRoom.setState({ shares: { ...s.shares, [n.params.share.id]: n.params.share } });
      break;
    case 'shareStopped': {
      const { [n.params.shareId]: _gone, ...shares } = s.shares;
      useRoom.setState({ shares });
      break;
    }
    case 'layoutChanged':
      useRoom.setState({ layout: n.params.layout });
      break;
    case 'roomUpdated':
      useRoom.setState({ room: n.params.room });
      break;
    case 'codeChanged':
      useRoom.setState({ code: n.params.code });
      break;
    case 'muteRequested':
      useRoom.setState({ muteRequested: n.params.kind });
      break;
    case 'removed':
      useRoom.setState({ endedReason: n.params.reason });
      break;
    case 'producerAdded': {
      const share = s.shares[n.params.shareId];
      if (share && n.params.kind === 'video') {
        const updated = { ...share, producerId: n.params.producerId };
        useRoom.setState({ shares: { ...s.shares, [share.id]: updated } });
      }
      break;
    }
    case 'sfuReset': {
      // Every producer is gone with the old worker; senders publish again.
      const shares = Object.fromEntries(
        Object.values(s.shares).map(({ producerId: _old, ...share }) => [share.id, share]),
      );
      useRoom.setState({ shares });
      break;
    }
    case 'cloudStatus':
      useRoom.setState({ cloud: n.params });
      break;
    case 'screenMessage':
      useRoom.setState({ operatorMessage: { text: n.params.text } });
      break;
    case 'reloadRequested':
    case 'consumerClosed':
    case 'layersChanged':
    case 'classEnded':
    case 'signal':
    case 'error':
    case 'shuttingDown':
      break;
  }
}

/** Keeps the last 30 samples per stream for the overlay's graphs. */
export function applyStats(stats: StreamStats[]): void {
  const history = { ...useRoom.getState().statsHistory };
  for (const st of stats) {
    history[st.id] = [...(history[st.id] ?? []), { bitrate: st.bitrate, fps: st.fps }].slice(-30);
  }
  useRoom.setState({ stats, statsHistory: history });
}

// ---- selectors (pure; unit-tested) ----------------------------------------------------------

/** Roster order: hands raised first, then by name; screens are not people. */
export function selectRoster(peers: RoomState['peers']): PeerInfo[] {
  return Object.values(peers)
    .filter((p) => p.role !== 'screen')
    .sort((a, b) => Number(b.hand) - Number(a.hand) || a.name.localeCompare(b.name));
}

/** The shares in the layout's slots that still exist, in slot order. */
export function selectStage(shares: RoomState['shares'], layout: Layout): Share[] {
  return layout.slots.flatMap((id) => (id !== null && shares[id] ? [shares[id]] : []));
}

/** My own shares. */
export function selectMyShares(shares: RoomState['shares'], myId: string | undefined): Share[] {
  return Object.values(shares).filter((s) => s.peerId === myId);
}
