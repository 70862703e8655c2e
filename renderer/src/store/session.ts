import { unchanged, type Reducers } from './reducer';

/** The room's own state, the join code, the cloud link and how this page's session ends. */
export const sessionReducers = {
  roomUpdated: (_s, { room }) => ({ room }),
  codeChanged: (_s, { code }) => ({ code }),
  cloudStatus: (_s, cloud) => ({ cloud }),
  iceChanged: (_s, ice) => ({ ice }),
  removed: (_s, { reason }) => ({ endedReason: reason }),
  classEnded: unchanged,
  shuttingDown: unchanged,
  error: unchanged,
  lobbyWaiting: () => ({ waitingForTeacher: true }),
} satisfies Reducers<
  | 'lobbyWaiting'
  | 'roomUpdated'
  | 'codeChanged'
  | 'cloudStatus'
  | 'iceChanged'
  | 'removed'
  | 'classEnded'
  | 'shuttingDown'
  | 'error'
>;
