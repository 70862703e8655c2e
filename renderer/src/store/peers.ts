import type { PeerInfo } from '../../../protocol';
import type { Reducers } from './reducer';
import type { RoomState } from './state';

function upsert(s: RoomState, peer: PeerInfo): Partial<RoomState> {
  const mine = peer.id === s.me?.peerId;
  return {
    peers: { ...s.peers, [peer.id]: peer },
    // My invitation shows until my stage state moves on.
    ...(mine && peer.stage !== 'invited' ? { invitedBy: null } : {}),
  };
}

/** The roster, and the invitation and mute request addressed to me. */
export const peersReducers = {
  peerJoined: (s, { peer }) => upsert(s, peer),
  peerUpdated: (s, { peer }) => upsert(s, peer),
  peerLeft: (s, { peerId }) => {
    const { [peerId]: _gone, ...peers } = s.peers;
    return { peers };
  },
  stageInvited: (_s, { by }) => ({ invitedBy: by }),
  // What the teacher switched off (or back on: the notice goes).
  muteRequested: (_s, { kind, allowed }) => ({ muteRequested: allowed ? null : kind }),
  speaking: (_s, { peerIds }) => ({ speaking: peerIds }),
  bansChanged: (_s, { bans }) => ({ bans }),
  lobbyChanged: (_s, { waiting }) => ({ lobby: waiting }),
} satisfies Reducers<
  | 'peerJoined'
  | 'peerUpdated'
  | 'peerLeft'
  | 'stageInvited'
  | 'muteRequested'
  | 'speaking'
  | 'bansChanged'
  | 'lobbyChanged'
>;
