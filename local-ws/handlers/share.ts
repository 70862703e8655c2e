import type { HandlerTable } from './types';

/** Shares and the P2P signaling that carries them. */
export const shareHandlers = {
  'share.start': {
    guard: 'member',
    run: (_ctx, m, params) => ({ shareId: m.room.shares.start(m, params).id }),
  },
  'share.stop': {
    guard: 'member',
    run: (_ctx, m, { shareId }) => {
      m.room.shares.stop(m, shareId);
      return {};
    },
  },
  signal: {
    guard: 'member',
    run: (_ctx, m, { to, session, signal }) => {
      m.room.forwardSignal(m, to, session, signal);
      return {};
    },
  },
} satisfies HandlerTable<'share.start' | 'share.stop' | 'signal'>;
