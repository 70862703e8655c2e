import { createHmac } from 'node:crypto';
import type { IceConfig } from '../../protocol';

/** A TURN server the cloud hands out credentials for (TURN REST: a secret shared with it). */
export interface TurnOptions {
  /** `turn:host:3478?transport=udp`, `turn:host:3478?transport=tcp`, `turns:host:5349`… */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long a credential works (default 6 h; handed out again well before it ends). */
  ttlSec?: number;
}

export const DEFAULT_TURN_TTL_SEC = 6 * 3600;

/**
 * Time-limited TURN credentials, the TURN REST scheme coturn checks with `use-auth-secret`:
 * the username is `<unix expiry>:<who>`, the password the base64 HMAC-SHA1 of it under the
 * shared secret. Nothing is stored; a credential stops working at its expiry by itself.
 */
export function turnCredentials(
  secret: string,
  who: string,
  ttlSec: number,
  now = Date.now(),
): { username: string; credential: string; expiresAt: number } {
  const expiry = Math.floor(now / 1000) + ttlSec;
  const username = `${expiry}:${who}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** The ICE servers of a room's devices: the TURN server's URLs with the room's credential. */
export function iceConfig(turn: TurnOptions, roomId: string, now = Date.now()): IceConfig {
  const c = turnCredentials(turn.secret, roomId, turn.ttlSec ?? DEFAULT_TURN_TTL_SEC, now);
  return {
    iceServers: [{ urls: turn.urls, username: c.username, credential: c.credential }],
    expiresAt: c.expiresAt,
  };
}
