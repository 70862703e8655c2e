import type { PeerInfo, Share } from '../../../protocol';

/** Without an SFU, above this many student viewers the teacher's P2P encoders run out. */
export const P2P_STUDENT_LIMIT = 3;

type Me = { peerId: string; role: PeerInfo['role'] };

/**
 * The one place that decides which path carries a share. P2P: every share to every room screen
 * (the teacher's HD desktop reaches the big screen directly). Students: through the SFU when
 * the host runs one; without it, P2P from the teacher while they are few.
 */
export function shareTargets(me: Me, peers: readonly PeerInfo[], sfu = false): string[] {
  const others = peers.filter((p) => p.id !== me.peerId && p.online);
  const screens = others.filter((p) => p.role === 'screen').map((p) => p.id);
  if (me.role !== 'teacher' || sfu) return screens;
  const students = others.filter((p) => p.role === 'student').map((p) => p.id);
  return students.length <= P2P_STUDENT_LIMIT ? [...screens, ...students] : screens;
}

/** Whether my shares should be published on the SFU: a teacher with students to reach. */
export function shouldPublish(me: Me, peers: readonly PeerInfo[], sfu: boolean): boolean {
  return (
    sfu &&
    me.role === 'teacher' &&
    peers.some((p) => p.id !== me.peerId && p.online && p.role === 'student')
  );
}

/** The SFU producers this device should receive: a student gets every teacher share published. */
export function sharesToReceive(
  me: Me,
  peers: Readonly<Record<string, PeerInfo>>,
  shares: readonly Share[],
  sfu: boolean,
): { producerId: string; streamId: string }[] {
  if (!sfu || me.role !== 'student') return [];
  return shares.flatMap((s) =>
    s.producerId && s.streamId && s.peerId !== me.peerId && peers[s.peerId]?.role === 'teacher'
      ? [{ producerId: s.producerId, streamId: s.streamId }]
      : [],
  );
}
