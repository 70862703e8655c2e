import type { HandlerTable } from './types';

/** Every 10 s a device reports its media figures; the room passes them to the cloud link. */
export const metricsHandlers = {
  'metrics.report': {
    guard: 'member',
    run: (_ctx, m, metrics, conn) => {
      conn.budget.charge('metrics');
      m.room.reportMetrics(m, metrics);
      return {};
    },
  },
} satisfies HandlerTable<'metrics.report'>;
