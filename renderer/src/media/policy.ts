import type { PeerInfo, Share } from '../../../protocol';

/** Without an SFU, above this many student viewers the teacher's P2P encoders run out. */
export const P2P_STUDENT_LIMIT = 3;

type Me = { peerId: string; role: PeerInfo['role'] };

const onStage = (p: PeerInfo | undefined) => p?.role === 'student' && p.stage === 'on';
/** Someone outside the room whose shares the room receives: a remote teacher, or on stage. */
const remoteSender = (p: PeerInfo | undefined) =>
  p?.remote === true && (p.role === 'teacher' || onStage(p));

/**
 * The one place that decides which path carries a share. P2P: every share to every room screen
 * (the teacher's HD desktop reaches the big screen directly). Students: through the SFU when
 * the host runs one; without it, P2P from the teacher while they are few. A student on stage
 * reaches the teacher P2P when there is no SFU (a 1:1 lesson), through it when there is.
 * Someone outside the room with an SFU (the cloud's) sends everyone through it: the room
 * screens behind the school's NAT receive it from the host, which brings it down from the cloud.
 */
export function shareTargets(me: Me, peers: readonly PeerInfo[], sfu = false): string[] {
  if (sfu && peers.find((p) => p.id === me.peerId)?.remote) return [];
  const others = peers.filter((p) => p.id !== me.peerId && p.online);
  const screens = others.filter((p) => p.role === 'screen').map((p) => p.id);
  if (sfu || me.role === 'screen') return screens;
  if (me.role === 'student') {
    const self = peers.find((p) => p.id === me.peerId);
    if (!onStage(self)) return screens;
    return [...screens, ...others.filter((p) => p.role === 'teacher').map((p) => p.id)];
  }
  const students = others.filter((p) => p.role === 'student').map((p) => p.id);
  return students.length <= P2P_STUDENT_LIMIT ? [...screens, ...students] : screens;
}

/**
 * Whether my shares should be published on the SFU: a teacher with students to reach, or a
 * student on stage with classmates or a teacher to reach; anyone's while the class is being
 * recorded (the host records from the SFU).
 */
export function shouldPublish(
  me: Me,
  peers: readonly PeerInfo[],
  sfu: boolean,
  recording = false,
): boolean {
  if (!sfu) return false;
  if (recording && (me.role === 'teacher' || onStage(peers.find((p) => p.id === me.peerId)))) {
    return true;
  }
  const others = peers.filter((p) => p.id !== me.peerId && p.online);
  if (remoteSender(peers.find((p) => p.id === me.peerId))) return others.length > 0;
  if (me.role === 'teacher') return others.some((p) => p.role === 'student');
  if (me.role === 'student' && onStage(peers.find((p) => p.id === me.peerId))) {
    return others.some((p) => p.role === 'student' || p.role === 'teacher');
  }
  return false;
}

/**
 * The SFU producers this device should receive (picture and sound): a student gets what the
 * teacher and the students on stage publish; a teacher what students on stage publish. Room
 * screens receive everything P2P, except what comes from outside the room.
 */
export function sharesToReceive(
  me: Me,
  peers: Readonly<Record<string, PeerInfo>>,
  shares: readonly Share[],
  sfu: boolean,
): { producerId: string; streamId: string; kind: 'audio' | 'video' }[] {
  if (!sfu) return [];
  return shares.flatMap((s) => {
    const owner = peers[s.peerId];
    const wanted =
      s.streamId !== undefined &&
      s.peerId !== me.peerId &&
      (me.role === 'screen'
        ? remoteSender(owner)
        : onStage(owner) || (me.role === 'student' && owner?.role === 'teacher'));
    if (!wanted) return [];
    const out: { producerId: string; streamId: string; kind: 'audio' | 'video' }[] = [];
    if (s.producerId) out.push({ producerId: s.producerId, streamId: s.streamId!, kind: 'video' });
    // The sound of a share whose owner the teacher muted is not received at all.
    if (s.audioProducerId && s.audio && !owner?.muted?.audio) {
      out.push({ producerId: s.audioProducerId, streamId: s.streamId!, kind: 'audio' });
    }
    return out;
  });
}
