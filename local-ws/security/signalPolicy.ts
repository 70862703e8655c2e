import { ErrorCode, ProtocolError, type Signal } from '../../protocol';
import type { Member } from '../Member';

/**
 * Which P2P links the media policy needs, and who may offer on them: a sharer (a teacher, a
 * student on stage) sends to room screens, a teacher to students when there is no SFU, and a
 * student on stage to the teacher when there is none.
 * Only the sending side offers; the receiving side answers. Nobody else signals anybody:
 * students never signal each other, screens never each other, an off-stage student never the
 * screen. Throws the code the sender gets.
 */
export function checkSignal(from: Member, to: Member, signal: Signal): void {
  const senders = sendersOf(from, to);
  if (senders.length === 0) {
    if (isStudentScreenPair(from, to)) {
      throw new ProtocolError(ErrorCode.NOT_ON_STAGE, 'only students on stage send to the screen');
    }
    throw new ProtocolError(ErrorCode.FORBIDDEN, 'no media link between these two');
  }
  // Offering, or naming the tracks a share goes on, is sending.
  const sends =
    (signal.kind === 'description' && signal.description.type === 'offer') ||
    signal.kind === 'tracks';
  if (sends && !senders.includes(from)) {
    throw new ProtocolError(ErrorCode.FORBIDDEN, 'only the sending side offers on this link');
  }
  // A viewer on plain http answers what it receives; it never sends media of its own.
  if (sends && !from.secure) {
    throw new ProtocolError(ErrorCode.INSECURE_TRANSPORT, 'sending media needs the https page');
  }
}

/** Which of `a` and `b` send media on their link (both in a 1:1 lesson; none: no link). */
function sendersOf(a: Member, b: Member): Member[] {
  const out: Member[] = [];
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.role === 'teacher' && (y.role === 'screen' || y.role === 'student')) out.push(x);
    // A student on stage: to the room screen, and to the teacher (their voice and camera
    // reach a teacher who is not in the room; a 1:1 lesson goes both ways).
    if (x.role === 'student' && x.stage === 'on' && (y.role === 'screen' || y.role === 'teacher')) {
      out.push(x);
    }
  }
  return out;
}

function isStudentScreenPair(a: Member, b: Member): boolean {
  return (
    (a.role === 'student' && b.role === 'screen') || (a.role === 'screen' && b.role === 'student')
  );
}
