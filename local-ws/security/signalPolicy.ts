import { ErrorCode, ProtocolError, type Signal } from '../../protocol';
import type { Member } from '../Member';

/**
 * Which P2P links the media policy needs, and who may offer on them: a sharer (a teacher, a
 * student on stage) sends to room screens, and a teacher to students when there is no SFU.
 * Only the sending side offers; the receiving side answers. Nobody else signals anybody:
 * students never signal each other, screens never each other, an off-stage student never the
 * screen. Throws the code the sender gets.
 */
export function checkSignal(from: Member, to: Member, signal: Signal): void {
  const sender = senderOf(from, to);
  if (sender === null) {
    if (isStudentScreenPair(from, to)) {
      throw new ProtocolError(ErrorCode.NOT_ON_STAGE, 'only students on stage send to the screen');
    }
    throw new ProtocolError(ErrorCode.FORBIDDEN, 'no media link between these two');
  }
  const offer = signal.kind === 'description' && signal.description.type === 'offer';
  if (offer && sender !== from) {
    throw new ProtocolError(ErrorCode.FORBIDDEN, 'only the sending side offers on this link');
  }
}

/** The member that sends media on a link between `a` and `b`, or null for no link at all. */
function senderOf(a: Member, b: Member): Member | null {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.role === 'teacher' && (y.role === 'screen' || y.role === 'student')) return x;
    if (x.role === 'student' && x.stage === 'on' && y.role === 'screen') return x;
  }
  return null;
}

function isStudentScreenPair(a: Member, b: Member): boolean {
  return (
    (a.role === 'student' && b.role === 'screen') || (a.role === 'screen' && b.role === 'student')
  );
}
