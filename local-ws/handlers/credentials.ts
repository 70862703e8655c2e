import { hashCredentialAsync } from '../../server-kit/secrets';
import type { HandlerTable } from './types';

/** The host's teacher credential: a teacher may replace it by showing the current one. */
export const credentialHandlers = {
  'teacher.setCredential': {
    guard: 'teacher',
    run: async (ctx, _m, { current, next }, conn) => {
      // A guess like a join's: charged to the address before it is checked.
      await ctx.registry.checkTeacherCredential(current, ctx.teacherCredentialHash, conn.address);
      ctx.setTeacherCredentialHash(await hashCredentialAsync(next));
      return {};
    },
  },
} satisfies HandlerTable<'teacher.setCredential'>;
