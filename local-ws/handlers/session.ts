import { CloseCode } from '../../protocol';
import { join } from './join';
import type { HandlerTable } from './types';

/** Joining, leaving, liveness and the room's state. */
export const sessionHandlers = {
  join: { guard: 'connection', run: (ctx, conn, params) => join(ctx, conn, params) },
  ping: { guard: 'connection', run: (_ctx, _conn, params) => ({ t: params.t ?? Date.now() }) },
  leave: {
    guard: 'member',
    run: (_ctx, m) => {
      const conn = m.connection;
      m.room.remove(m, 'left');
      // After the answer has gone out.
      setImmediate(() => conn?.close(CloseCode.LEFT, 'left'));
      return {};
    },
  },
  snapshot: {
    guard: 'member',
    run: (_ctx, m, _params, conn) => {
      conn.budget.charge('heavy');
      return m.room.snapshotFor(m);
    },
  },
} satisfies HandlerTable<'join' | 'ping' | 'leave' | 'snapshot'>;
