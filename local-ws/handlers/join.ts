import {
  CloseCode,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  type JoinParams,
  type JoinResult,
} from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { verifyCredential } from '../../server-kit/secrets';
import type { Connection } from '../Connection';
import { Member } from '../Member';
import type { RelayContext } from '../RelayContext';
import type { Room } from '../Room';

/**
 * Admits a connection into a room: a resume token restores an earlier identity; otherwise the
 * role decides what must be shown (screen key; join code; join code + teacher credential).
 */
export async function join(
  ctx: RelayContext,
  conn: Connection,
  params: JoinParams,
): Promise<JoinResult> {
  if (conn.member || conn.joining) {
    throw new ProtocolError(ErrorCode.ALREADY_JOINED, 'already joined');
  }
  if (params.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      ErrorCode.VERSION_MISMATCH,
      `relay speaks protocol ${PROTOCOL_VERSION}, client ${params.protocol}`,
    );
  }
  if (params.resumeToken !== undefined) return resume(ctx, conn, params.resumeToken);

  conn.joining = true;
  let room: Room;
  try {
    room = await admit(ctx, params);
  } finally {
    conn.joining = false;
  }
  if (!conn.isOpen) throw new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'closed while joining');
  if (room.members.size >= ctx.limits.maxPeersPerRoom) {
    throw new ProtocolError(ErrorCode.ROOM_FULL, 'room is full');
  }
  const member = new Member(randomToken(8), params.name, params.role, room, params.device);
  member.attach(conn);
  const resumeToken = ctx.registry.issueToken(member);
  ctx.joined(conn);
  room.add(member);
  return {
    peerId: member.id,
    resumeToken,
    resumed: false,
    role: member.role,
    snapshot: room.snapshotFor(member),
  };
}

async function admit(ctx: RelayContext, params: JoinParams): Promise<Room> {
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
function resume(ctx: RelayContext, conn: Connection, token: string): JoinResult {
  const member = ctx.registry.memberForToken(token);
  if (!member) {
    throw new ProtocolError(ErrorCode.BAD_RESUME_TOKEN, 'resume token unknown or expired');
  }
  member.attach(conn)?.close(CloseCode.REPLACED, 'replaced by a newer connection');
  ctx.joined(conn);
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
