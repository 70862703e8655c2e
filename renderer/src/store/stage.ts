import { unchanged, type Reducers } from './reducer';

/** Shares, their SFU producers and the screen's layout. */
export const stageReducers = {
  shareStarted: (s, { share }) => ({ shares: { ...s.shares, [share.id]: share } }),
  shareStopped: (s, { shareId }) => {
    const { [shareId]: _gone, ...shares } = s.shares;
    return { shares };
  },
  shareUpdated: (s, { share }) =>
    s.shares[share.id] ? { shares: { ...s.shares, [share.id]: share } } : null,
  layoutChanged: (_s, { layout }) => ({ layout }),
  producerAdded: (s, { shareId, producerId, kind }) => {
    const share = s.shares[shareId];
    if (!share) return null;
    const patch = kind === 'video' ? { producerId } : { audioProducerId: producerId };
    return { shares: { ...s.shares, [shareId]: { ...share, ...patch } } };
  },
  // Every producer is gone with the old worker; senders publish again.
  sfuReset: (s) => ({
    shares: Object.fromEntries(
      Object.values(s.shares).map(({ producerId: _v, audioProducerId: _a, ...share }) => [
        share.id,
        share,
      ]),
    ),
  }),
  consumerClosed: unchanged,
  layersChanged: unchanged,
  signal: unchanged,
} satisfies Reducers<
  | 'shareStarted'
  | 'shareStopped'
  | 'shareUpdated'
  | 'layoutChanged'
  | 'producerAdded'
  | 'sfuReset'
  | 'consumerClosed'
  | 'layersChanged'
  | 'signal'
>;
