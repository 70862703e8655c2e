import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import {
  parseRemoteToken,
  REMOTE_FRAME_MAX,
  REMOTE_LINK_PARAM,
  RemoteClose,
  type RemoteFrame,
} from '../../protocol';
import { deviceLabel } from '../../server-kit/deviceLabel';
import { rejectUpgrade } from '../../server-kit/http';
import type { ProbeService } from '../../server-kit/probe/ProbeService';
import { TokenBucket } from '../../server-kit/TokenBucket';
import type { CloudStore, ProcessMessage, RelayedFrame } from '../store/CloudStore';
import type { RemoteLinks } from './RemoteLinks';
import { RemoteSession, type RemoteCarrier, type SessionHost } from './RemoteSession';

export interface GatewayOptions {
  store: CloudStore;
  links: RemoteLinks;
  /** The live link of a room this process holds, or null. */
  carrier(roomId: string): RemoteCarrier | null;
  /** Remote participants' sockets on this process at most. */
  maxSessions?: number;
  /** Behind a proxy that sets x-forwarded-for / x-forwarded-proto (trust them). */
  trustProxy?: boolean;
}

interface Attempts {
  bucket: TokenBucket;
  at: number;
}

/** Connection attempts: per address and per room, so guessing costs the guesser. */
const PER_ADDRESS = { rate: 1, burst: 20 };
const PER_ROOM = { rate: 10, burst: 60 };
const SWEEP_MS = 10_000;

/**
 * Remote participants' WebSockets on the cloud (`/remote?link=…`): rate-limited before any
 * WebSocket exists, checked against their remote link, then carried over the room's one link.
 * Ends sessions whose link is revoked or expired, and every session of a room whose link drops.
 *
 * Behind a load balancer a participant's socket may reach another process than the one holding
 * the room's link: their frames then go between the two through the store (Redis pub/sub), up
 * to the holder and on over the link, and back down the same way (`relayed`).
 */
export class RemoteGateway implements SessionHost {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, RemoteSession>();
  private readonly byAddress = new Map<string, Attempts>();
  private readonly byRoom = new Map<string, Attempts>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxSessions: number;
  /** Sockets open now, checked or not. */
  private open = 0;
  /** On the holder: channels of rooms held here whose sockets are on other processes. */
  private readonly relayed = new Map<string, { roomId: string; process: string }>();

  constructor(private readonly opts: GatewayOptions) {
    this.maxSessions = opts.maxSessions ?? 5000;
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: REMOTE_FRAME_MAX,
    });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
    opts.store.onRemoteLinksChanged((roomId) => void this.linksChanged(roomId));
    opts.store.onRelayed((m: ProcessMessage) => {
      if (m.k === 'x') this.onRelayed(m);
    });
  }

  /** Remote participants connected through this process now. */
  get connected(): number {
    return this.sessions.size;
  }

  /** Remote participants connected through this process, per room. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.sessions.values()) {
      if (s.roomId) out.set(s.roomId, (out.get(s.roomId) ?? 0) + 1);
    }
    return out;
  }

  /**
   * The link token and address of an upgrade, once it passed the attempt limits (per address,
   * per room: guessing costs the guesser); null when it was refused (429).
   */
  private admitted(
    req: IncomingMessage,
    socket: Duplex,
  ): { token: string; address: string } | null {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get(REMOTE_LINK_PARAM) ?? '';
    const address = this.addressOf(req);
    const room = parseRemoteToken(token)?.room;
    if (
      !this.attempt(this.byAddress, address, PER_ADDRESS) ||
      (room !== undefined && !this.attempt(this.byRoom, room, PER_ROOM))
    ) {
      rejectUpgrade(socket, 429, 'Too Many Requests');
      return null;
    }
    return { token, address };
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const admitted = this.admitted(req, socket);
    if (!admitted) return;
    const { token, address } = admitted;
    if (this.open >= this.maxSessions) {
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    const who = {
      address,
      label: deviceLabel(req.headers['user-agent']),
      secure: this.secureOf(req, address),
    };
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.open++;
      new RemoteSession(ws, who, token, this);
    });
  }

  /**
   * A pre-join check by a remote link's holder, measuring the way to the cloud's SFU (where
   * their media will go): the join attempts' limits, and only with a link that works now.
   */
  probe(req: IncomingMessage, socket: Duplex, head: Buffer, probe: ProbeService | null): void {
    if (!probe) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const admitted = this.admitted(req, socket);
    if (!admitted) return;
    const { token, address } = admitted;
    this.check(token)
      .then((checked) => {
        if (checked === 'invalid') rejectUpgrade(socket, 403, 'Forbidden');
        else probe.upgrade(req, socket, head, address);
      })
      .catch(() => rejectUpgrade(socket, 503, 'Service Unavailable'));
  }

  /** The process a relayed channel's socket is on (null: here, or not a channel of this room). */
  processOf(roomId: string, channel: string): string | null {
    const away = this.relayed.get(channel);
    return away?.roomId === roomId ? away.process : null;
  }

  /** A frame of a room's host for one of its channels (another room's channel is ignored). */
  fromHost(roomId: string, frame: RemoteFrame): void {
    const session = this.sessions.get(frame.c);
    if (session?.roomId === roomId) {
      session.fromHost(frame);
      return;
    }
    // A socket on another process: down to it.
    const away = this.relayed.get(frame.c);
    if (away?.roomId !== roomId) return;
    if (frame.op === 'close') this.relayed.delete(frame.c);
    this.down(away.process, roomId, frame);
  }

  /** The room's link dropped (or was replaced): its browsers reconnect and resume. */
  linkLost(roomId: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.roomId === roomId) s.close(RemoteClose.ROOM_UNREACHABLE);
    }
    for (const [c, away] of [...this.relayed]) {
      if (away.roomId !== roomId) continue;
      this.relayed.delete(c);
      this.down(away.process, roomId, {
        t: 'x',
        c,
        op: 'close',
        code: RemoteClose.ROOM_UNREACHABLE,
      });
    }
  }

  /** A frame from another process: up to a room's link held here, or down to a socket here. */
  private onRelayed(m: RelayedFrame): void {
    const { frame, roomId } = m;
    if (m.dir === 'down') {
      const session = this.sessions.get(frame.c);
      if (session?.roomId === roomId) session.fromHost(frame);
      return;
    }
    const link = this.opts.carrier(roomId);
    if (!link) {
      // Not (or no longer) held here: that socket's room is out of reach from here.
      if (frame.op !== 'close') {
        this.down(m.from, roomId, {
          t: 'x',
          c: frame.c,
          op: 'close',
          code: RemoteClose.ROOM_UNREACHABLE,
        });
      }
      return;
    }
    if (frame.op === 'open') this.relayed.set(frame.c, { roomId, process: m.from });
    else if (this.relayed.get(frame.c)?.roomId !== roomId) return;
    if (frame.op === 'close') this.relayed.delete(frame.c);
    link.sendRemote(frame);
  }

  private down(process: string, roomId: string, frame: RemoteFrame): void {
    const message: RelayedFrame = {
      k: 'x',
      dir: 'down',
      roomId,
      from: this.opts.store.processId,
      frame,
    };
    void this.opts.store.relay(process, message).catch(() => undefined);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of [...this.sessions.values()]) s.close(1001);
    this.wss.close();
  }

  // ---- SessionHost -----------------------------------------------------------------------------

  async check(token: string) {
    const checked = await this.opts.links.check(token);
    return typeof checked === 'string'
      ? ('invalid' as const)
      : { roomId: checked.room.id, link: checked.link };
  }

  async carrier(roomId: string): Promise<RemoteCarrier | null> {
    const here = this.opts.carrier(roomId);
    if (here) return here;
    const holder = await this.opts.store.holder(roomId);
    if (!holder || holder === this.opts.store.processId) return null;
    // Held by another process: up to it through the store.
    const store = this.opts.store;
    const from = store.processId;
    return {
      buffered: 0,
      sendRemote(frame) {
        void store.relay(holder, { k: 'x', dir: 'up', roomId, from, frame }).catch(() => undefined);
        return true;
      },
    };
  }

  live(session: RemoteSession): void {
    this.sessions.set(session.channel, session);
  }

  ended(session: RemoteSession): void {
    this.open--;
    if (this.sessions.get(session.channel) === session) this.sessions.delete(session.channel);
  }

  // ---- revocation and expiry -------------------------------------------------------------------

  private async linksChanged(roomId: string): Promise<void> {
    const record = await this.opts.store.room(roomId);
    const links = new Map((record?.remoteLinks ?? []).map((l) => [l.id, l]));
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      if (s.roomId !== roomId || !s.link) continue;
      const link = links.get(s.link.id);
      if (!link || link.expiresAt <= now) s.close(RemoteClose.REMOTE_REVOKED);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      if (s.link && s.link.expiresAt <= now) s.close(RemoteClose.REMOTE_REVOKED);
    }
    for (const map of [this.byAddress, this.byRoom]) {
      for (const [key, a] of map) if (now - a.at > 60_000) map.delete(key);
    }
  }

  private attempt(
    map: Map<string, Attempts>,
    key: string,
    limit: { rate: number; burst: number },
  ): boolean {
    let a = map.get(key);
    if (!a) map.set(key, (a = { bucket: new TokenBucket(limit.rate, limit.burst), at: 0 }));
    a.at = Date.now();
    return a.bucket.take();
  }

  private addressOf(req: IncomingMessage): string {
    const forwarded = req.headers['x-forwarded-for'];
    if (this.opts.trustProxy && typeof forwarded === 'string') {
      return forwarded.split(',')[0]!.trim().slice(0, 64);
    }
    return (req.socket.remoteAddress ?? 'unknown').slice(0, 64);
  }

  /** The browser's WebSocket was over TLS (or to this machine). */
  private secureOf(req: IncomingMessage, address: string): boolean {
    if ((req.socket as TLSSocket).encrypted) return true;
    if (this.opts.trustProxy && req.headers['x-forwarded-proto'] === 'https') return true;
    return ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address);
  }
}
