import { useRoom } from '../context';
import { selectMe } from '../store';

/**
 * Whether this device may draw on the board and annotate shares: a teacher; a student on stage,
 * or any student once the teacher opens the board to the class. The relay checks it again.
 */
export function useMayDraw(): boolean {
  const me = useRoom(selectMe);
  const everyone = useRoom((s) => s.board?.everyone === true);
  if (!me) return false;
  return me.role === 'teacher' || (me.role === 'student' && (me.stage === 'on' || everyone));
}
