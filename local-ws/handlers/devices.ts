import { ErrorCode, ProtocolError } from '../../protocol';
import { MAX_REMEMBERED } from '../RememberedDevices';
import type { HandlerTable } from './types';

/** Remembered devices: a device asks to be remembered; the teacher sees and forgets them. */
export const deviceHandlers = {
  'device.remember': {
    guard: 'member',
    run: (ctx, m) => {
      if (m.role === 'screen') {
        throw new ProtocolError(ErrorCode.FORBIDDEN, 'the room screen is the host itself');
      }
      // Its link is its way back: a remembered device is one that reaches the host on the LAN.
      if (m.remote) {
        throw new ProtocolError(ErrorCode.NOT_IN_ROOM, 'a device outside the room uses its link');
      }
      if (!m.secure) {
        throw new ProtocolError(
          ErrorCode.INSECURE_TRANSPORT,
          'a device is remembered on the https page only (its credential must not cross in clear)',
        );
      }
      // One per member: a classmate cannot fill the host's list from one seat.
      if (m.rememberedAs !== null) {
        throw new ProtocolError(ErrorCode.FORBIDDEN, 'this device is remembered already');
      }
      if (ctx.devices.count() >= MAX_REMEMBERED) {
        throw new ProtocolError(
          ErrorCode.FORBIDDEN,
          `this host remembers ${MAX_REMEMBERED} devices: the teacher must forget some first`,
        );
      }
      const issued = ctx.devices.issue(m.room.id, m.name, m.role);
      m.rememberedAs = issued.id;
      return issued;
    },
  },
  'device.list': {
    guard: 'teacher',
    run: (ctx, m) => ({ devices: ctx.devices.list(m.room.id) }),
  },
  'device.forget': {
    guard: 'teacher',
    run: (ctx, m, params) => ({
      forgotten: ctx.devices.forget(m.room.id, 'id' in params ? params.id : undefined),
    }),
  },
} satisfies HandlerTable<'device.remember' | 'device.list' | 'device.forget'>;
