import type { Layout, PeerInfo, Share } from '../../../protocol';
import type { RoomState } from './state';

// Pure selectors, unit-tested.

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

/** Shares by teachers (what a student watches). */
export function selectTeacherShares(
  shares: RoomState['shares'],
  peers: RoomState['peers'],
): Share[] {
  return Object.values(shares).filter((s) => peers[s.peerId]?.role === 'teacher');
}

/** My own roster entry (stage state, hand), from the room's state. */
export function selectMe(s: Pick<RoomState, 'me' | 'peers'>): PeerInfo | undefined {
  return s.me ? s.peers[s.me.peerId] : undefined;
}

/** A peer's media key: its device id when it sent one, else its peer id. */
export function selectDevice(peers: RoomState['peers'], peerId: string): string {
  return peers[peerId]?.device ?? peerId;
}

/** The current peer id of a device (peer ids change when the relay restarts). */
export function selectPeerOfDevice(peers: RoomState['peers'], device: string): string | undefined {
  const all = Object.values(peers);
  return (all.find((p) => p.device === device && p.online) ?? all.find((p) => p.id === device))?.id;
}
