import { ErrorCode, ProtocolError } from '../../protocol';
import { hashCredentialAsync, verifyCredential } from '../../server-kit/secrets';
import type { HandlerTable } from './types';

/** The host's teacher credential: a teacher may replace it by showing the current one. */
export const credentialHandlers = {
  'teacher.setCredential': {
    guard: 'teacher',
    run: async (ctx, _m, { current, next }) => {
      const hash = ctx.teacherCredentialHash;
      if (hash === undefined || !(await verifyCredential(current, hash))) {
        // A wrong guess like any other: it counts toward the code guard.
        ctx.registry.wrongGuess();
        throw new ProtocolError(ErrorCode.BAD_CREDENTIAL, 'wrong teacher credential');
      }
      ctx.setTeacherCredentialHash(await hashCredentialAsync(next));
      return {};
    },
  },
} satisfies HandlerTable<'teacher.setCredential'>;
