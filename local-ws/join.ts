import type { Sfu } from './sfu/Sfu';
import {
  CloseCode,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  type JoinParams,
  type JoinResult,
} from '../protocol';
import type { RelayLimits } from './config';
import { Member } from './Member';
import type { Peer } from './Peer';
import type { Room } from './Room';
import type { RoomRegistry } from './RoomRegistry';
import { newToken, verifyCredential } from './secrets';

export interface JoinContext {
  registry: RoomRegistry;
  /** The host's SFU, if it runs one. */
  sfu: Sfu | null;
  limits: RelayLimits;
  teacherCredentialHash: string | undefined;
  /** The peer has a member now: it no longer counts as a pending handshake. */
  joined(peer: Peer): void;
}

/**
 * Admits a connection into a room: a resume token restores an earlier identity; otherwise the
 * role decides what must be shown (screen key; join code; join code + teacher credential).
 */
export async function join(ctx: JoinContext, peer: Peer, params: JoinParams): Promise<JoinResult> {
  if (peer.member || peer.joining)
    throw new ProtocolError(ErrorCode.ALREADY_JOINED, 'already joined');
  if (params.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      ErrorCode.VERSION_MISMATCH,
      `relay speaks protocol ${PROTOCOL_VERSION}, client ${params.protocol}`,
    );
  }
  if (params.resumeToken !== undefined) return resume(ctx, peer, params.resumeToken);

  peer.joining = true;
  let room: Room;
  try {
    room = await admit(ctx, params);
  } finally {
    peer.joining = false;
  }
  if (!peer.isOpen) throw new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'closed while joining');
  if (room.members.size >= ctx.limits.maxPeersPerRoom) {
    throw new ProtocolError(ErrorCode.ROOM_FULL, 'room is full');
  }
  const member = new Member(newToken(8), params.name, params.role, room, peer, '', params.device);
  const resumeToken = ctx.registry.issueToken(member);
  peer.member = member;
  ctx.joined(peer);
  room.add(member);
  return {
    peerId: member.id,
    resumeToken,
    resumed: false,
    role: member.role,
    snapshot: room.snapshotFor(member),
  };
}

async function admit(ctx: JoinContext, params: JoinParams): Promise<Room> {
  if (params.role === 'screen') return ctx.registry.roomForScreenKey(params.credential);
  const room = ctx.registry.roomForCode(params.code);
  if (params.role === 'teacher') {
    const hash = ctx.teacherCredentialHash;
    if (hash === undefined) {
      throw new ProtocolError(
        ErrorCode.BAD_CREDENTIAL,
        'no teacher credential is set on this host',
      );
    }
    if (params.credential === undefined || !(await verifyCredential(params.credential, hash))) {
      ctx.registry.wrongGuess();
      throw new ProtocolError(ErrorCode.BAD_CREDENTIAL, 'wrong teacher credential');
    }
  } else if (room.locked) {
    throw new ProtocolError(ErrorCode.ROOM_LOCKED, 'the room is locked');
  }
  return room;
}

/** Same identity, role and stage position; the old connection, if any, is replaced. */
function resume(ctx: JoinContext, peer: Peer, token: string): JoinResult {
  const member = ctx.registry.memberForToken(token);
  if (!member)
    throw new ProtocolError(ErrorCode.BAD_RESUME_TOKEN, 'resume token unknown or expired');
  const old = member.peer;
  if (old && old !== peer) {
    old.member = null;
    old.close(CloseCode.REPLACED, 'replaced by a newer connection');
  }
  if (member.graceTimer) clearTimeout(member.graceTimer);
  member.graceTimer = null;
  member.peer = peer;
  peer.member = member;
  ctx.joined(peer);
  const resumeToken = ctx.registry.issueToken(member);
  member.room.presenceChanged(member);
  return {
    peerId: member.id,
    resumeToken,
    resumed: true,
    role: member.role,
    snapshot: member.room.snapshotFor(member),
  };
}
