/** Recording the class, and the records the host keeps: teachers only. */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { Member } from '../Member';
import type { RecordLibrary } from '../record/RecordLibrary';
import type { Recorder } from '../RoomRecording';
import type { HandlerTable } from './types';

function recorderOf(m: Member): Recorder {
  const recorder = m.room.recording.recorder;
  if (!recorder) {
    throw new ProtocolError(ErrorCode.RECORDING_UNAVAILABLE, 'this host cannot record');
  }
  return recorder;
}

function libraryOf(m: Member): RecordLibrary {
  const library = m.room.recording.library;
  if (!library) {
    throw new ProtocolError(ErrorCode.RECORDING_UNAVAILABLE, 'this host keeps no records');
  }
  return library;
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
  'records.list': {
    guard: 'teacher',
    run: async (_ctx, m) => {
      const library = libraryOf(m);
      return { records: await library.list(), cloud: library.uploads !== null };
    },
  },
  'records.share': {
    guard: 'teacher',
    run: async (_ctx, m, p) => ({ link: await libraryOf(m).share(p.id) }),
  },
  'records.unshare': {
    guard: 'teacher',
    run: async (_ctx, m, p) => {
      await libraryOf(m).unshare(p.id);
      return {};
    },
  },
  'records.delete': {
    guard: 'teacher',
    run: async (_ctx, m, p) => {
      await libraryOf(m).delete(p.id);
      return {};
    },
  },
  'records.export': {
    guard: 'teacher',
    run: async (_ctx, m, p) => {
      const jobs = libraryOf(m).exports;
      if (!jobs) {
        throw new ProtocolError(ErrorCode.RECORDING_UNAVAILABLE, 'this host cannot export');
      }
      return { export: await jobs.start(p.id) };
    },
  },
  'records.upload': {
    guard: 'teacher',
    run: async (_ctx, m, p) => {
      const uploads = libraryOf(m).uploads;
      if (!uploads) {
        throw new ProtocolError(ErrorCode.CLOUD_UNAVAILABLE, 'this host is not linked to a cloud');
      }
      return { upload: await uploads.start(p.id) };
    },
  },
} satisfies HandlerTable<
  | 'record.start'
  | 'record.stop'
  | 'records.list'
  | 'records.share'
  | 'records.unshare'
  | 'records.delete'
  | 'records.export'
  | 'records.upload'
>;
