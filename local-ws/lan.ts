import os from 'node:os';
import type { SfuOptions } from '../server-kit/sfuConfig';

/** IPv4 addresses other devices on the LAN can reach this host at. */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out;
}

/**
 * Where the SFU listens for a host bound to `listenIp`: on every interface, browsers are told
 * the first LAN address (their ICE candidates must name one they can reach), else `fallback`.
 */
export function sfuOptionsFor(listenIp: string, fallback?: string): SfuOptions {
  const announced = listenIp === '0.0.0.0' ? (lanAddresses()[0] ?? fallback) : undefined;
  return announced ? { listenIp, announcedIp: announced } : { listenIp };
}
