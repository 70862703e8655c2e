import type { PeerInfo } from '../../../protocol';

/** Above this many student viewers the teacher's P2P encoders run out; the SFU takes over. */
export const P2P_STUDENT_LIMIT = 3;

/**
 * Who receives a share sent from this device over P2P: every room screen; for a teacher's share
 * also the students while they are few.
 */
export function shareTargets(
  me: { peerId: string; role: PeerInfo['role'] },
  peers: readonly PeerInfo[],
): string[] {
  const others = peers.filter((p) => p.id !== me.peerId && p.online);
  const screens = others.filter((p) => p.role === 'screen').map((p) => p.id);
  if (me.role !== 'teacher') return screens;
  const students = others.filter((p) => p.role === 'student').map((p) => p.id);
  return students.length <= P2P_STUDENT_LIMIT ? [...screens, ...students] : screens;
}
