/**
 * Rooms on the LAN by DNS-SD/mDNS (`_lectern._tcp`): the room host advertises, clients browse
 * and stream the list to the renderer. The join code is never advertised: finding a room is not
 * joining it. Discovery is a convenience; typed addresses and the QR link always work.
 */
import { Bonjour, type Browser, type Service, type ServiceConfig } from 'bonjour-service';
import { PROTOCOL_VERSION } from '../protocol';
import { KEY_PIN_PATTERN } from '../protocol/tls';
import type { DiscoveredRoom } from '../protocol/desktop';

export const SERVICE_TYPE = 'lectern';
/** DNS-SD instance names are at most 63 bytes. */
const MAX_INSTANCE_BYTES = 63;

export interface AdvertisedRoom {
  id: string;
  name: string;
  port: number;
  /** The host's key pin: the app trusts the certificate that matches it. */
  pin?: string;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/** The DNS-SD service for a room: unique instance name, version and display name in TXT. */
export function roomServiceConfig(room: AdvertisedRoom): ServiceConfig {
  const suffix = ` · ${room.id.slice(0, 6)}`;
  const base = truncateUtf8(room.name, MAX_INSTANCE_BYTES - Buffer.byteLength(suffix));
  return {
    name: `${base}${suffix}`,
    type: SERVICE_TYPE,
    protocol: 'tcp',
    port: room.port,
    txt: {
      v: String(PROTOCOL_VERSION),
      room: room.name,
      id: room.id,
      ...(room.pin !== undefined && { pin: room.pin }),
    },
  };
}

type FoundService = Pick<Service, 'name' | 'port' | 'addresses' | 'referer' | 'txt'>;

function pickAddress(service: FoundService): string | null {
  const candidates = [...(service.addresses ?? []), service.referer?.address ?? ''].filter(
    (a) => a !== '',
  );
  const v4 = candidates.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('169.254.'));
  if (v4) return v4;
  const v6 = candidates.find((a) => a.includes(':') && !a.toLowerCase().startsWith('fe80:'));
  return v6 ? `[${v6}]` : null;
}

/** A browsed service → a room the start screen can list, or null if it is not a valid one. */
export function roomFromService(service: FoundService): DiscoveredRoom | null {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const version = Number(txt.v);
  const name = typeof txt.room === 'string' ? txt.room.slice(0, 60) : '';
  if (!Number.isInteger(version) || name === '') return null;
  if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) return null;
  const host = pickAddress(service);
  if (host === null) return null;
  const pin = typeof txt.pin === 'string' && KEY_PIN_PATTERN.test(txt.pin) ? txt.pin : undefined;
  return {
    id: service.name,
    name,
    address: `${host}:${service.port}`,
    protocolVersion: version,
    ...(pin !== undefined && { pin }),
  };
}

/** Options passed to multicast-dns (interface, loopback…); defaults suit a LAN. */
export type MdnsOptions = Record<string, unknown>;

/** One mDNS socket for advertising and browsing. `close()` is safe to call twice. */
export class RoomDiscovery {
  private readonly bonjour: Bonjour;
  private browser: Browser | null = null;
  private closed = false;

  constructor(opts: MdnsOptions = {}, onError: (err: Error) => void = () => undefined) {
    this.bonjour = new Bonjour(opts as Partial<ServiceConfig>, onError);
  }

  /** Advertise a room until the returned function is called. */
  advertise(room: AdvertisedRoom): () => void {
    const service = this.bonjour.publish(roomServiceConfig(room));
    return () => service.stop?.();
  }

  /** Browse for rooms; `onChange` gets the whole current list on every change. */
  browse(onChange: (rooms: DiscoveredRoom[]) => void): () => void {
    this.browser?.stop();
    const browser = this.bonjour.find({ type: SERVICE_TYPE, protocol: 'tcp' });
    const emit = () => onChange(this.list());
    browser.on('up', emit);
    browser.on('down', emit);
    browser.on('txt-update', emit);
    browser.on('srv-update', emit);
    this.browser = browser;
    return () => {
      browser.stop();
      if (this.browser === browser) this.browser = null;
    };
  }

  /** The rooms seen so far (valid ones only), by name. */
  list(): DiscoveredRoom[] {
    const rooms = (this.browser?.services ?? [])
      .map(roomFromService)
      .filter((r): r is DiscoveredRoom => r !== null);
    return rooms.sort((a, b) => a.name.localeCompare(b.name));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.browser?.stop();
    return new Promise((resolve) => this.bonjour.unpublishAll(() => this.bonjour.destroy(resolve)));
  }
}
