import { Redis } from 'ioredis';
import type { RoomView } from '../../protocol';
import { newId } from '../ids';
import { createLogger } from '../../server-kit/log';
import type {
  CloudStore,
  CommandEnvelope,
  ProcessMessage,
  RoomChange,
  RoomRecord,
} from './CloudStore';

const log = createLogger('redis');

const K = {
  rooms: 'lectern:rooms',
  presence: (id: string) => `lectern:presence:${id}`,
  view: (id: string) => `lectern:view:${id}`,
  commands: 'lectern:commands',
  revoked: 'lectern:revoked',
  schedules: 'lectern:schedules',
  remoteLinks: 'lectern:remote-links',
  /** One process's own channel (remote participants' frames to it). */
  process: (id: string) => `lectern:process:${id}`,
};

export interface RedisStoreOptions {
  url: string;
  /** A held room's presence lives this long unless refreshed (a dead process's rooms expire). */
  presenceTtlMs?: number;
}

/**
 * Several cloud processes behind a load balancer: room credentials and views in Redis, each
 * held link's presence as a key with expiry (refreshed by its holder), and commands routed to
 * the holder by pub/sub.
 */
export class RedisStore implements CloudStore {
  readonly processId = newId(8);
  private readonly redis: Redis;
  private readonly sub: Redis;
  private readonly held = new Set<string>();
  private readonly ttl: number;
  private readonly refresher: NodeJS.Timeout;
  private commandHandler: ((e: CommandEnvelope) => boolean) | null = null;
  private revokedHandler: ((id: string) => void) | null = null;
  private scheduleHandler: ((id: string) => void) | null = null;
  private remoteLinksHandler: ((id: string) => void) | null = null;
  private readonly relayedHandlers: ((message: ProcessMessage) => void)[] = [];

  constructor(opts: RedisStoreOptions) {
    const common = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
    this.redis = new Redis(opts.url, common);
    this.sub = new Redis(opts.url, common);
    for (const r of [this.redis, this.sub]) r.on('error', (err) => log.warn(err.message));
    this.ttl = opts.presenceTtlMs ?? 15_000;
    void this.sub.subscribe(
      K.commands,
      K.revoked,
      K.schedules,
      K.remoteLinks,
      K.process(this.processId),
    );
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === K.commands) {
        const e = JSON.parse(text) as CommandEnvelope;
        if (this.held.has(e.roomId)) this.commandHandler?.(e);
      } else if (channel === K.revoked) {
        this.revokedHandler?.(text);
      } else if (channel === K.schedules && this.held.has(text)) {
        this.scheduleHandler?.(text);
      } else if (channel === K.remoteLinks) {
        // Every process: remote participants' sockets of a room may be on any of them.
        this.remoteLinksHandler?.(text);
      } else if (channel === K.process(this.processId)) {
        const message = JSON.parse(text) as ProcessMessage;
        for (const h of this.relayedHandlers) h(message);
      }
    });
    this.refresher = setInterval(() => void this.refresh(), Math.max(200, this.ttl / 3));
    this.refresher.unref();
  }

  /** Resolves once both connections (and the subscription) are ready. */
  async ready(): Promise<void> {
    await Promise.all([this.redis.ping(), this.sub.ping().catch(() => undefined)]);
    await new Promise<void>((resolve) => {
      if (this.sub.status === 'ready') resolve();
      else this.sub.once('ready', () => resolve());
    });
  }

  async createRoom(record: RoomRecord): Promise<void> {
    await this.redis.hset(K.rooms, record.id, JSON.stringify(record));
  }
  async room(id: string): Promise<RoomRecord | null> {
    const text = await this.redis.hget(K.rooms, id);
    return text ? (JSON.parse(text) as RoomRecord) : null;
  }
  async rooms(): Promise<RoomRecord[]> {
    const all = await this.redis.hvals(K.rooms);
    return all.map((t) => JSON.parse(t) as RoomRecord);
  }
  async updateRoom(id: string, change: RoomChange): Promise<void> {
    const r = await this.room(id);
    if (!r) return;
    await this.createRoom({ ...r, ...change });
  }

  async claim(roomId: string): Promise<void> {
    this.held.add(roomId);
    await this.redis.set(K.presence(roomId), this.processId, 'PX', this.ttl);
  }
  async release(roomId: string): Promise<void> {
    this.held.delete(roomId);
    // Only our own claim: another process may hold the room by now.
    const holder = await this.redis.get(K.presence(roomId));
    if (holder === this.processId) await this.redis.del(K.presence(roomId));
  }
  async holder(roomId: string): Promise<string | null> {
    return this.redis.get(K.presence(roomId));
  }
  async online(): Promise<Map<string, string>> {
    const ids = await this.redis.hkeys(K.rooms);
    if (ids.length === 0) return new Map();
    const holders = await this.redis.mget(ids.map(K.presence));
    const out = new Map<string, string>();
    ids.forEach((id, i) => {
      const h = holders[i];
      if (h) out.set(id, h);
    });
    return out;
  }

  async putView(view: RoomView): Promise<void> {
    await this.redis.set(K.view(view.id), JSON.stringify(view));
  }
  async view(id: string): Promise<RoomView | null> {
    const text = await this.redis.get(K.view(id));
    return text ? (JSON.parse(text) as RoomView) : null;
  }
  async views(): Promise<RoomView[]> {
    const ids = await this.redis.hkeys(K.rooms);
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map(K.view));
    return texts.flatMap((t) => (t ? [JSON.parse(t) as RoomView] : []));
  }

  async sendCommand(envelope: CommandEnvelope): Promise<boolean> {
    const holder = await this.redis.get(K.presence(envelope.roomId));
    if (!holder) return false;
    await this.redis.publish(K.commands, JSON.stringify(envelope));
    return true;
  }
  onCommand(handler: (e: CommandEnvelope) => boolean): void {
    this.commandHandler = handler;
  }
  async revoked(roomId: string): Promise<void> {
    await this.redis.publish(K.revoked, roomId);
  }
  onRevoked(handler: (id: string) => void): void {
    this.revokedHandler = handler;
  }

  async scheduleChanged(roomId: string): Promise<void> {
    await this.redis.publish(K.schedules, roomId);
  }
  onScheduleChanged(handler: (id: string) => void): void {
    this.scheduleHandler = handler;
  }

  async remoteLinksChanged(roomId: string): Promise<void> {
    await this.redis.publish(K.remoteLinks, roomId);
  }
  onRemoteLinksChanged(handler: (id: string) => void): void {
    this.remoteLinksHandler = handler;
  }

  async relay(processId: string, message: ProcessMessage): Promise<void> {
    await this.redis.publish(K.process(processId), JSON.stringify(message));
  }
  onRelayed(handler: (message: ProcessMessage) => void): void {
    this.relayedHandlers.push(handler);
  }

  async close(): Promise<void> {
    clearInterval(this.refresher);
    await Promise.all([...this.held].map((id) => this.release(id).catch(() => undefined)));
    this.sub.disconnect();
    await this.redis.quit().catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    if (this.held.size === 0) return;
    const pipe = this.redis.pipeline();
    for (const id of this.held) pipe.set(K.presence(id), this.processId, 'PX', this.ttl);
    await pipe.exec().catch((err: Error) => log.warn(`presence refresh: ${err.message}`));
  }
}
