import { create } from 'zustand';
import type {
  ChatMessage,
  Layout,
  PeerInfo,
  RoomSnapshot,
  ServerNotification,
  Share,
} from '../../protocol';

/** Normalized room state; live objects (sockets) stay in controllers, never here. */
export interface RoomState {
  me: { peerId: string; role: PeerInfo['role'] } | null;
  room: RoomSnapshot['room'] | null;
  code: string | null;
  joinUrl: string | null;
  peers: Record<string, PeerInfo>;
  shares: Record<string, Share>;
  layout: Layout;
  chat: ChatMessage[];
  status: 'idle' | 'connecting' | 'joined' | 'closed';
  error: string | null;
}

export const initialState: RoomState = {
  me: null,
  room: null,
  code: null,
  joinUrl: null,
  peers: {},
  shares: {},
  layout: { mode: 'single', slots: [null] },
  chat: [],
  status: 'idle',
  error: null,
};

export const useRoom = create<RoomState>()(() => initialState);

const byId = <T extends { id: string }>(list: T[]) =>
  Object.fromEntries(list.map((x) => [x.id, x]));

export function applySnapshot(me: RoomState['me'], snap: RoomSnapshot): void {
  useRoom.setState({
    me,
    room: snap.room,
    code: snap.code ?? null,
    joinUrl: snap.joinUrl ?? null,
    peers: byId(snap.peers),
    shares: byId(snap.shares),
    layout: snap.layout,
    chat: snap.chat,
    status: 'joined',
    error: null,
  });
}

/** Folds one relay notification into the store. */
export function applyNotification(n: ServerNotification): void {
  const s = useRoom.getState();
  switch (n.method) {
    case 'peerJoined':
    case 'peerUpdated':
      useRoom.setState({ peers: { ...s.peers, [n.params.peer.id]: n.params.peer } });
      break;
    case 'peerLeft': {
      const { [n.params.peerId]: _gone, ...peers } = s.peers;
      useRoom.setState({ peers });
      break;
    }
    case 'chatPosted':
      useRoom.setState({ chat: [...s.chat, n.params.message].slice(-100) });
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
    default:
      break;
  }
}

/** Roster order: hands raised first, then by name. */
export function selectRoster(peers: RoomState['peers']): PeerInfo[] {
  return Object.values(peers)
    .filter((p) => p.role !== 'screen')
    .sort((a, b) => Number(b.hand) - Number(a.hand) || a.name.localeCompare(b.name));
}
