/** A scheduled class: a teacher lets it run longer. */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { HandlerTable } from './types';

export const scheduleHandlers = {
  'class.extend': {
    guard: 'teacher',
    run: async (_ctx, m, p) => {
      const scheduler = m.room.timetable.scheduler;
      if (!scheduler) throw new ProtocolError(ErrorCode.NOT_SCHEDULED, 'nothing is scheduled here');
      return { end: await scheduler.extend(p.minutes) };
    },
  },
} satisfies HandlerTable<'class.extend'>;
