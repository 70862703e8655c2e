import {
  CloseCode,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  type JoinParams,
  type JoinResult,
} from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { claimsRole, cleanName } from '../../protocol/text';
import type { Connection } from '../Connection';
import { Member } from '../Member';
import type { RelayContext } from '../RelayContext';
import type { Room } from '../Room';

/**
 * Admits a connection into a room: a resume token restores an earlier identity (from the same
 * device only); otherwise the role decides what must be shown (screen key; join code; the
 * teacher credential).
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
  if (params.role !== 'student' && !conn.secure) throw insecure(params.role);
  if (params.resumeToken !== undefined) return resume(ctx, conn, params.resumeToken, params.device);
  const name = cleanName(params.name);
  if (!name.ok) throw new ProtocolError(ErrorCode.BAD_NAME, `name: ${name.reason}`);

  conn.joining = true;
  let room: Room;
  let remembered: string | null = null;
  try {
    if (conn.remote) room = remoteRoom(ctx, conn, params);
    else if (params.deviceCredential !== undefined) {
      ({ room, remembered } = rememberedRoom(ctx, conn, params, params.deviceCredential));
    } else room = await admit(ctx, conn, params);
  } finally {
    conn.joining = false;
  }
  if (!conn.isOpen) throw new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'closed while joining');
  if (params.role === 'student' && claimsRole(name.text, room.teacherNames())) {
    throw new ProtocolError(
      ErrorCode.NAME_RESERVED,
      'that name is the teacher’s, or a role word: choose your own name',
    );
  }
  if (room.members.size >= ctx.limits.maxPeersPerRoom) {
    throw new ProtocolError(ErrorCode.ROOM_FULL, 'room is full');
  }
  const device = params.device === undefined ? undefined : room.deviceHandle(params.device);
  if (device !== undefined && room.memberWithDevice(device)) {
    throw new ProtocolError(ErrorCode.DEVICE_TAKEN, 'this device is already in the room');
  }
  if (params.role === 'student' && room.isBanned(device, conn.address)) {
    throw new ProtocolError(ErrorCode.BANNED, 'the teacher removed this device from the class');
  }
  // Approval on: a device that is not remembered waits for a teacher, with nothing of the room.
  if (params.role === 'student' && remembered === null && room.lobby.enabled) {
    conn.joining = true;
    try {
      await room.lobby.knock(conn, name.text);
    } finally {
      conn.joining = false;
    }
    if (!conn.isOpen) throw new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'closed while waiting');
    if (room.members.size >= ctx.limits.maxPeersPerRoom) {
      throw new ProtocolError(ErrorCode.ROOM_FULL, 'room is full');
    }
  }
  const member = new Member(
    randomToken(8),
    name.text,
    params.role,
    room,
    device,
    conn.remote !== null,
  );
  member.rememberedAs = remembered;
  member.attach(conn);
  const resumeToken = ctx.registry.issueToken(member);
  ctx.joined(conn);
  room.add(member);
  return {
    peerId: member.id,
    resumeToken,
    resumed: false,
    role: member.role,
    secure: conn.secure,
    snapshot: room.snapshotFor(member),
  };
}

function insecure(role: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.INSECURE_TRANSPORT,
    `a ${role} joins over the https page: plain http is for viewing only`,
  );
}

/** A remembered device comes back: its credential stands for the code (and the teacher's). */
function rememberedRoom(
  ctx: RelayContext,
  conn: Connection,
  params: JoinParams,
  credential: string,
): { room: Room; remembered: string } {
  if (!conn.secure) {
    throw new ProtocolError(
      ErrorCode.INSECURE_TRANSPORT,
      'a remembered device comes back over https only',
    );
  }
  const { room, device } = ctx.registry.roomForDevice(credential, conn.address, ctx.devices);
  if (device.role !== params.role) {
    throw new ProtocolError(
      ErrorCode.BAD_DEVICE_CREDENTIAL,
      `this device is remembered as a ${device.role}`,
    );
  }
  if (params.role === 'student' && room.locked) {
    throw new ProtocolError(ErrorCode.ROOM_LOCKED, 'the room is locked');
  }
  return { room, remembered: device.id };
}

/**
 * A participant outside the room, carried by the cloud: its remote link stands for the join
 * code (which never leaves the room) and, on a teacher's link, for the teacher credential.
 */
function remoteRoom(ctx: RelayContext, conn: Connection, params: JoinParams): Room {
  const remote = conn.remote!;
  if (params.role === 'screen') {
    throw new ProtocolError(ErrorCode.NOT_IN_ROOM, 'the room screen is in the room');
  }
  if (params.role === 'teacher' && remote.role !== 'teacher') {
    throw new ProtocolError(ErrorCode.FORBIDDEN, 'this link is for students');
  }
  if (params.deviceCredential !== undefined) {
    throw new ProtocolError(ErrorCode.NOT_IN_ROOM, 'a device outside the room uses its link');
  }
  const room = ctx.registry.rooms.get(remote.room);
  if (!room) throw new ProtocolError(ErrorCode.ROOM_OFFLINE, 'the room is not open');
  if (params.role === 'student' && room.locked) {
    throw new ProtocolError(ErrorCode.ROOM_LOCKED, 'the room is locked');
  }
  return room;
}

async function admit(ctx: RelayContext, conn: Connection, params: JoinParams): Promise<Room> {
  const { registry } = ctx;
  if (params.role === 'screen') return registry.roomForScreenKey(params.credential, conn.address);
  if (params.role === 'teacher') {
    // The credential first: a teacher who has it gets in whatever the code's rotations.
    await registry.checkTeacherCredential(
      params.credential,
      ctx.teacherCredentialHash,
      conn.address,
    );
    return registry.roomForTeacher(params.code);
  }
  const room = registry.roomForCode(params.code, conn.address);
  if (room.locked) throw new ProtocolError(ErrorCode.ROOM_LOCKED, 'the room is locked');
  return room;
}

/**
 * Same identity, role and stage position; the old connection, if any, is replaced. A token
 * works only from the device it was issued to: a stolen token alone takes over nobody.
 */
function resume(
  ctx: RelayContext,
  conn: Connection,
  token: string,
  device: string | undefined,
): JoinResult {
  const member = ctx.registry.memberForToken(token);
  // A token comes back the way it was issued: through the cloud, or on the LAN.
  const sameDevice =
    member !== undefined &&
    member.remote === (conn.remote !== null) &&
    (conn.remote === null || conn.remote.room === member.room.id) &&
    (member.device === undefined
      ? device === undefined
      : device !== undefined && member.room.deviceHandle(device) === member.device);
  if (!member || !sameDevice) {
    throw new ProtocolError(ErrorCode.BAD_RESUME_TOKEN, 'resume token unknown or expired');
  }
  if (member.role !== 'student' && !conn.secure) throw insecure(member.role);
  member.attach(conn)?.close(CloseCode.REPLACED, 'replaced by a newer connection');
  ctx.joined(conn);
  const resumeToken = ctx.registry.issueToken(member);
  member.room.presenceChanged(member);
  return {
    peerId: member.id,
    resumeToken,
    resumed: true,
    role: member.role,
    secure: conn.secure,
    snapshot: member.room.snapshotFor(member),
  };
}
