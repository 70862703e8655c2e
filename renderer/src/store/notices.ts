import { unchanged, type Reducers } from './reducer';

/** What the cloud's operator tells the room screen, and what the host tells about records. */
export const noticesReducers = {
  screenMessage: (_s, { text }) => ({ operatorMessage: { text } }),
  reloadRequested: unchanged,
  recordingStopped: (_s, ended) => ({ recordEnd: ended }),
  // An export's progress lands on its record in the list the teacher has open.
  recordExport: (s, { id, export: e }) => ({
    records: s.records.map((r) => (r.id === id ? { ...r, export: e } : r)),
  }),
  recordUpload: (s, { id, upload }) => ({
    records: s.records.map((r) => (r.id === id ? { ...r, upload } : r)),
  }),
  // The room's info says so too (scheduled.ending), which late joiners also get.
  classEnding: unchanged,
} satisfies Reducers<
  | 'screenMessage'
  | 'reloadRequested'
  | 'recordingStopped'
  | 'recordExport'
  | 'recordUpload'
  | 'classEnding'
>;
