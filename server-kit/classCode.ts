/**
 * A scheduled class's join code for one occurrence, from the class's secret key: the cloud shows
 * it (with its link and QR code) before the class, and the room host opens the class with the
 * same code at its start. HMAC-SHA-256 of "<class id>@<start>", cut to six digits the way HOTP
 * (RFC 4226) cuts its codes; without the key nobody can work one out.
 */
import { createHmac } from 'node:crypto';
import type { Occurrence } from '../protocol';

export function classCode(key: string, o: Pick<Occurrence, 'id' | 'start'>): string {
  const mac = createHmac('sha256', key).update(`${o.id}@${o.start}`).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const n = mac.readUInt32BE(offset) & 0x7fffffff;
  return (n % 1_000_000).toString().padStart(6, '0');
}
