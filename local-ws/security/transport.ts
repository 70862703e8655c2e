import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

/**
 * Whether a request's signaling is safe from the LAN: it came over TLS, or from this machine
 * (the room screen's own window, a teacher on the host). Plain http from another device could
 * be read and rewritten on the Wi-Fi, DTLS fingerprints included (RFC 8827), so it views only.
 */
export function secureTransport(req: IncomingMessage): boolean {
  return (
    (req.socket as Partial<TLSSocket>).encrypted === true || isLoopback(req.socket.remoteAddress)
  );
}
