import { ErrorCode } from '../../../protocol';
import { createLog } from '../log';
import { selectMe, type RoomStore } from '../store';
import {
  dropRoom,
  loadRooms,
  saveRoom,
  type RememberedRoom,
  type StorageLike,
} from './rememberedRooms';
import { codeOf, type Session } from './Session';

const log = createLog('devices');

/**
 * Remembered devices: this device asks the host to remember it after a join on a secure page,
 * keeps the credential, and rejoins with it from the start screen; a teacher lists and forgets
 * the room's remembered devices and changes the teacher credential.
 */
export class Devices {
  constructor(
    private readonly store: RoomStore,
    private readonly session: Session,
    private readonly storage: StorageLike | null,
  ) {
    this.store.set({ rememberedRooms: loadRooms(storage) });
  }

  /** After a join: asks the host for a credential and keeps it (secure connections only). */
  async remember(address: string): Promise<void> {
    const { me, room, secure, pin } = this.store.state;
    if (!me || !room || !secure || me.role === 'screen') return;
    const name = selectMe(this.store.state)?.name ?? '';
    try {
      const { credential } = await this.session.request('device.remember', {});
      const entry: RememberedRoom = {
        address,
        roomName: room.name,
        name,
        role: me.role,
        credential,
        pin,
        savedAt: Date.now(),
      };
      this.store.set({ rememberedRooms: saveRoom(this.storage, entry) });
    } catch (err) {
      log.info('not remembered', err);
    }
  }

  /** Joins a remembered room; a credential the host no longer knows is dropped from the list. */
  async rejoin(entry: RememberedRoom, join: (address: string) => Promise<void>): Promise<void> {
    await join(entry.address);
    if (this.store.state.error === ErrorCode.BAD_DEVICE_CREDENTIAL) {
      this.store.set({ rememberedRooms: dropRoom(this.storage, entry.credential) });
    }
  }

  forgetHere(entry: RememberedRoom): void {
    this.store.set({ rememberedRooms: dropRoom(this.storage, entry.credential) });
  }

  /** The room's remembered devices (teacher), into the store. */
  async refresh(): Promise<void> {
    try {
      const { devices } = await this.session.request('device.list', {});
      this.store.set({ rememberedDevices: devices });
    } catch (err) {
      this.store.set({ error: codeOf(err) });
    }
  }

  async forget(id: string | 'all'): Promise<void> {
    try {
      await this.session.request('device.forget', id === 'all' ? { all: true } : { id });
    } catch (err) {
      this.store.set({ error: codeOf(err) });
    }
    await this.refresh();
  }

  /** Replaces the host's teacher credential; resolves whether it was changed. */
  async changeTeacherCredential(current: string, next: string): Promise<boolean> {
    try {
      await this.session.request('teacher.setCredential', { current, next });
      return true;
    } catch (err) {
      this.store.set({ error: codeOf(err) });
      return false;
    }
  }
}
