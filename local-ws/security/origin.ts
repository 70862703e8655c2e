import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The host part of a Host header (`[::1]:47800` → `::1`, `room.local:47800` → `room.local`). */
function hostOf(header: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (m) return m[1]!;
  return header.replace(/:\d+$/, '').toLowerCase();
}

/**
 * Whether a WebSocket upgrade comes from a page the relay may talk to:
 * - the Host must be an IP address, `localhost` or one of the host's own names, so a web page
 *   on another name that resolves to this host (DNS rebinding) is refused;
 * - a browser's Origin must be the relay's own page (same host and port) or one of `extra`
 *   (the desktop app's `app://lectern`): any other site a student opens cannot reach the relay.
 *   Clients that are not browsers send no Origin.
 */
export function upgradeAllowed(
  req: IncomingMessage,
  names: readonly string[],
  extra: readonly string[],
): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  const name = hostOf(host);
  if (isIP(name) === 0 && name !== 'localhost' && !names.includes(name)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (extra.includes(origin)) return true;
  return origin === `http://${host}` || origin === `https://${host}`;
}
