import { ErrorCode, ProtocolError, type Command } from '../../protocol';
import type { Room } from '../Room';
import type { RoomRegistry } from '../RoomRegistry';

function assertNever(x: never): never {
  throw new ProtocolError(ErrorCode.INVALID_PARAMS, `unknown command ${String(x)}`);
}

/**
 * Carries out one operator command from the cloud on a room, with the same rules as a teacher's
 * request (a layout naming an unknown share is refused with SHARE_NOT_FOUND, and so on).
 */
export function applyCommand(registry: RoomRegistry, room: Room, command: Command): void {
  switch (command.type) {
    case 'message':
      room.broadcastPrivileged('screenMessage', { text: command.text, seconds: command.seconds });
      return;
    case 'layout':
      room.setLayout(command.layout);
      return;
    case 'endClass':
      room.endClass();
      return;
    case 'rotateCode':
      registry.rotateCode(room, 'operator');
      return;
    case 'reload':
      room.broadcastScreens('reloadRequested', {});
      return;
    default:
      assertNever(command);
  }
}
