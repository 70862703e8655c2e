import type { HandlerTable } from './types';

/** Shares and the P2P signaling that carries them. */
export const shareHandlers = {
  'share.start': {
    guard: 'member',
    run: (_ctx, m, params, conn) => {
      conn.budget.charge('roster');
      return { shareId: m.room.shares.start(m, params).id };
    },
  },
  'share.stop': {
    guard: 'member',
    run: (_ctx, m, { shareId }, conn) => {
      conn.budget.charge('roster');
      m.room.shares.stop(m, shareId);
      return {};
    },
  },
  signal: {
    guard: 'member',
    run: (_ctx, m, { to, session, signal }, conn) => {
      m.room.forwardSignal(m, to, session, signal, (bytes) => conn.budget.charge('signal', bytes));
      return {};
    },
  },
} satisfies HandlerTable<'share.start' | 'share.stop' | 'signal'>;
