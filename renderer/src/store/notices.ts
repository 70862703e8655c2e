import { unchanged, type Reducers } from './reducer';

/** What the cloud's operator tells the room screen. */
export const noticesReducers = {
  screenMessage: (_s, { text }) => ({ operatorMessage: { text } }),
  reloadRequested: unchanged,
  recordingStopped: (_s, ended) => ({ recordEnd: ended }),
  // The room's info says so too (scheduled.ending), which late joiners also get.
  classEnding: unchanged,
} satisfies Reducers<'screenMessage' | 'reloadRequested' | 'recordingStopped' | 'classEnding'>;
