import type { PeerInfo, Share } from '../../../protocol';

/** Without an SFU, above this many student viewers the teacher's P2P encoders run out. */
export const P2P_STUDENT_LIMIT = 3;

type Me = { peerId: string; role: PeerInfo['role'] };

/** What this page knows of its own P2P links, by peer id. */
export interface Reach {
  /** The link to this peer failed (or never connected): use the SFU instead. */
  failed(peerId: string): boolean;
  /** Media flow on a live link to this peer now. */
  connected(peerId: string): boolean;
}

const NO_REACH: Reach = { failed: () => false, connected: () => false };

const onStage = (p: PeerInfo | undefined) => p?.role === 'student' && p.stage === 'on';
/** Someone outside the room whose shares the room receives: a remote teacher, or on stage. */
const remoteSender = (p: PeerInfo | undefined) =>
  p?.remote === true && (p.role === 'teacher' || onStage(p));

/**
 * A one-to-one lesson across the room's walls: apart from room screens, the class is a teacher
 * and one student on stage, and one of the two is outside the room. Their media go P2P to each
 * other (through TURN when direct paths are blocked): cheaper than the cloud SFU, and one hop
 * shorter. Returns the other one's peer id.
 */
export function lessonPartner(me: Me, peers: readonly PeerInfo[]): string | undefined {
  const people = peers.filter((p) => p.online && p.role !== 'screen');
  const self = people.find((p) => p.id === me.peerId);
  const other = people.find((p) => p.id !== me.peerId);
  if (people.length !== 2 || !self || !other || (!self.remote && !other.remote)) return undefined;
  const pair = [self, other];
  const ok = pair.some((p) => p.role === 'teacher') && pair.some(onStage);
  return ok ? other.id : undefined;
}

/** The lesson partner this page reaches P2P now (not after the link to them failed). */
function directPartner(me: Me, peers: readonly PeerInfo[], reach: Reach): string | undefined {
  const partner = lessonPartner(me, peers);
  return partner !== undefined && !reach.failed(partner) ? partner : undefined;
}

/**
 * The one place that decides which path carries a share. P2P: every share to every room screen
 * (the teacher's HD desktop reaches the big screen directly). Students: through the SFU when
 * the host runs one; without it, P2P from the teacher while they are few. A student on stage
 * reaches the teacher P2P when there is no SFU (a 1:1 lesson), through it when there is.
 * Someone outside the room with an SFU (the cloud's) sends everyone through it: the room
 * screens behind the school's NAT receive it from the host, which brings it down from the cloud.
 */
export function shareTargets(
  me: Me,
  peers: readonly PeerInfo[],
  sfu = false,
  reach: Reach = NO_REACH,
): string[] {
  const partner = sfu ? directPartner(me, peers, reach) : undefined;
  const lesson = partner !== undefined ? [partner] : [];
  if (sfu && peers.find((p) => p.id === me.peerId)?.remote) return lesson;
  const others = peers.filter((p) => p.id !== me.peerId && p.online);
  const screens = others.filter((p) => p.role === 'screen').map((p) => p.id);
  if (sfu || me.role === 'screen') return [...screens, ...lesson];
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
 * recorded (the host records from the SFU). A lesson partner reached P2P needs nothing there.
 */
export function shouldPublish(
  me: Me,
  peers: readonly PeerInfo[],
  sfu: boolean,
  recording = false,
  reach: Reach = NO_REACH,
): boolean {
  if (!sfu) return false;
  if (recording && (me.role === 'teacher' || onStage(peers.find((p) => p.id === me.peerId)))) {
    return true;
  }
  const partner = directPartner(me, peers, reach);
  const others = peers.filter((p) => p.id !== me.peerId && p.online && p.id !== partner);
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
 * screens receive everything P2P, except what comes from outside the room. A lesson partner's
 * media come P2P while that link is up (their producers, if any, serve the room screens).
 */
export function sharesToReceive(
  me: Me,
  peers: Readonly<Record<string, PeerInfo>>,
  shares: readonly Share[],
  sfu: boolean,
  reach: Reach = NO_REACH,
): { producerId: string; streamId: string; kind: 'audio' | 'video' }[] {
  if (!sfu) return [];
  const partner = lessonPartner(me, Object.values(peers));
  const viaP2p = partner !== undefined && reach.connected(partner) ? partner : undefined;
  return shares.flatMap((s) => {
    const owner = peers[s.peerId];
    const wanted =
      s.streamId !== undefined &&
      s.peerId !== me.peerId &&
      s.peerId !== viaP2p &&
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
