import type { RelayLimits } from './config';
import type { Connection } from './Connection';
import type { RememberedDevices } from './RememberedDevices';
import type { RoomRegistry } from './RoomRegistry';
import type { Sfu } from './sfu/Sfu';

/** What the relay's handlers work with: the rooms, the SFU, the limits and credentials. */
export interface RelayContext {
  registry: RoomRegistry;
  /** The host's SFU, if it runs one. */
  sfu: Sfu | null;
  limits: RelayLimits;
  /** Devices that may come back without the code. */
  devices: RememberedDevices;
  /** The scrypt hash of the teacher credential (undefined: no teachers on this host). */
  readonly teacherCredentialHash: string | undefined;
  /** Replaces it (the host keeps the new hash in its config). */
  setTeacherCredentialHash(hash: string): void;
  /** The connection has a member now: it no longer counts as a pending handshake. */
  joined(conn: Connection): void;
}
