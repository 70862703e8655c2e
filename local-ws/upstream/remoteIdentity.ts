import { z } from 'zod';
import { Id, RemoteOpen } from '../../protocol';

/**
 * Who a bridged connection speaks for: a remote participant the cloud checked, in the room
 * whose link carries it. The bridge (RemoteBridge.ts) hands it to its own relay in a header
 * that only a loopback connection holding the process's bridge secret may use.
 */
export const RemoteIdentity = RemoteOpen.extend({
  room: Id,
  /** The channel of the room's link it came by (the cloud places its media by it). */
  channel: z.string().max(64).optional(),
});
export type RemoteIdentity = z.infer<typeof RemoteIdentity>;

export const BRIDGE_HEADER = 'lectern-bridge';
export const REMOTE_HEADER = 'lectern-remote';

export function encodeIdentity(who: RemoteIdentity): string {
  return Buffer.from(JSON.stringify(who)).toString('base64url');
}

/** The identity in the header, or null when it is not one. */
export function decodeIdentity(header: string | string[] | undefined): RemoteIdentity | null {
  if (typeof header !== 'string' || header.length > 2048) return null;
  try {
    const parsed = RemoteIdentity.safeParse(
      JSON.parse(Buffer.from(header, 'base64url').toString()),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
