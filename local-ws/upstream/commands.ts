import type { Command } from '../../protocol';
import { assertNever } from '../../protocol/util/assertNever';
import type { Room } from '../Room';
import type { RoomRegistry } from '../RoomRegistry';

/**
 * Carries out one operator command from the cloud on a room, with the same rules as a teacher's
 * request (a layout naming an unknown share is refused with SHARE_NOT_FOUND, and so on).
 */
export function applyCommand(registry: RoomRegistry, room: Room, command: Command): void {
  switch (command.type) {
    case 'message':
      room.broadcastPrivileged({
        method: 'screenMessage',
        params: { text: command.text, seconds: command.seconds },
      });
      return;
    case 'layout':
      room.shares.setLayout(command.layout);
      return;
    case 'endClass':
      room.endClass();
      return;
    case 'rotateCode':
      registry.rotateCode(room, 'operator');
      return;
    case 'reload':
      room.broadcastScreens({ method: 'reloadRequested', params: {} });
      return;
    default:
      assertNever(command, 'command');
  }
}
