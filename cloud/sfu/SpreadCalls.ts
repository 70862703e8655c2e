/**
 * Which of a room's SFU calls another process carries out. Behind a load balancer a remote
 * participant's socket may reach another process than the room's link; that process then serves
 * their receive transports and consumers (it pulls the room's producers over a pipe, EdgePipe),
 * so a class's receivers spread over machines as its sockets do. The host's calls still come
 * over the room's one link to the holder, which forwards those of such members here by what it
 * remembers: their transports, their consumers.
 */
import type { CloudSfuMethod } from '../../protocol';

interface RoomPlaces {
  transports: Map<string, string>;
  consumers: Map<string, string>;
  members: Map<string, string>;
}

type Params = Record<string, unknown>;

export class SpreadCalls {
  private readonly rooms = new Map<string, RoomPlaces>();

  constructor(
    private readonly me: string,
    /** The process serving a channel's socket (null: here, or unknown). */
    private readonly placeOf: (roomId: string, channel: string) => string | null,
  ) {}

  /** The process that carries out this call (null: this one). */
  where(roomId: string, method: CloudSfuMethod, p: Params): string | null {
    const places = this.rooms.get(roomId);
    const away = (id: unknown, map: Map<string, string> | undefined) =>
      typeof id === 'string' ? (map?.get(id) ?? null) : null;
    switch (method) {
      case 'transport.create': {
        // Only receivers spread: what a member sends stays with the room's producers.
        if (p['direction'] !== 'recv' || typeof p['channel'] !== 'string') return null;
        const there = this.placeOf(roomId, p['channel']);
        return there !== null && there !== this.me ? there : null;
      }
      case 'transport.connect':
      case 'transport.restartIce':
      case 'consume':
        return away(p['transportId'], places?.transports);
      case 'resume':
        return away(p['consumerId'], places?.consumers);
      case 'member.remove':
        return away(p['member'], places?.members);
      default:
        return null;
    }
  }

  /** A forwarded call succeeded there: what it made lives there. */
  done(roomId: string, method: CloudSfuMethod, p: Params, result: unknown, process: string): void {
    const places = this.places(roomId);
    const r = (result ?? {}) as Params;
    if (method === 'transport.create' && typeof r['id'] === 'string') {
      places.transports.set(r['id'], process);
      places.members.set(String(p['member']), process);
    } else if (method === 'consume' && typeof r['consumerId'] === 'string') {
      places.consumers.set(r['consumerId'], process);
    } else if (method === 'member.remove') {
      this.forgetMember(roomId, String(p['member']));
    }
  }

  /** A consumer served elsewhere closed (its producer went). */
  consumerClosed(roomId: string, consumerId: string): void {
    this.rooms.get(roomId)?.consumers.delete(consumerId);
  }

  /** The processes serving some of the room's receivers. */
  processesOf(roomId: string): string[] {
    return [...new Set(this.rooms.get(roomId)?.members.values() ?? [])];
  }

  forgetRoom(roomId: string): void {
    this.rooms.delete(roomId);
  }

  private forgetMember(roomId: string, member: string): void {
    const places = this.rooms.get(roomId);
    if (!places) return;
    places.members.delete(member);
    // Its transports and consumers went with it (their ids are not reused).
    if (places.members.size === 0) this.rooms.delete(roomId);
  }

  private places(roomId: string): RoomPlaces {
    let places = this.rooms.get(roomId);
    if (!places) {
      places = { transports: new Map(), consumers: new Map(), members: new Map() };
      this.rooms.set(roomId, places);
    }
    return places;
  }
}
