/** Recording the class: teachers only; the host's recorder does the work. */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { Member } from '../Member';
import type { Recorder } from '../RoomRecording';
import type { HandlerTable } from './types';

function recorderOf(m: Member): Recorder {
  const recorder = m.room.recording.recorder;
  if (!recorder) {
    throw new ProtocolError(ErrorCode.RECORDING_UNAVAILABLE, 'this host cannot record');
  }
  return recorder;
}

export const recordHandlers = {
  'record.start': {
    guard: 'teacher',
    run: async (_ctx, m) => {
      await recorderOf(m).start(m);
      return {};
    },
  },
  'record.stop': {
    guard: 'teacher',
    run: async (_ctx, m) => {
      await recorderOf(m).stop('stopped');
      return {};
    },
  },
} satisfies HandlerTable<'record.start' | 'record.stop'>;
