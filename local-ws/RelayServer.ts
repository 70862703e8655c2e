import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../protocol';
import { DEFAULT_PORT, resolveLimits, type RelayLimits, type RelayOptions } from './config';
import { dispatch } from './dispatch';
import type { JoinContext } from './join';
import { createLogger } from './log';
import { Peer } from './Peer';
import { RoomRegistry } from './RoomRegistry';
import { Sfu } from './sfu/Sfu';
import { createStaticHandler } from './staticFiles';
import { rawText } from './wsText';

const log = createLogger('relay');

/** Counters for the host's status line, the cloud link and tests. */
export interface RelayStats {
  connections: number;
  pending: number;
  rooms: number;
  members: number;
}

/**
 * The LAN signaling relay: one HTTP server (browser client + WebSocket upgrade) and the rooms
 * behind it. Connection limits are enforced on upgrade, before any WebSocket exists.
 */
export class RelayServer {
  readonly registry: RoomRegistry;
  readonly limits: RelayLimits;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly peers = new Set<Peer>();
  private readonly pending = new Set<Peer>();
  private readonly perAddress = new Map<string, number>();
  private readonly ctx: JoinContext;
  private readonly wsPath: string;
  private heartbeat: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  /** The SFU, when the host runs one. */
  sfu: Sfu | null;

  constructor(private readonly options: RelayOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.registry = new RoomRegistry(this.limits);
    this.registry.joinUrl = options.joinUrl;
    this.wsPath = options.wsPath ?? '/ws';
    this.sfu = options.sfu ? new Sfu(options.sfu, (msg) => log.info(msg)) : null;
    this.registry.media = this.sfu;
    this.ctx = {
      sfu: this.sfu,
      registry: this.registry,
      limits: this.limits,
      teacherCredentialHash: options.teacherCredentialHash,
      joined: (peer) => this.pending.delete(peer),
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.limits.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const serveStatic = options.staticDir ? createStaticHandler(options.staticDir) : null;
    this.http = createServer((req, res) => {
      if (req.url === '/healthz') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(this.stats()));
      } else if (serveStatic) {
        serveStatic(req, res).catch((err: unknown) => {
          log.error('static', err);
          res.destroy();
        });
      } else {
        res.writeHead(404).end();
      }
    });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    const host = this.options.host ?? '0.0.0.0';
    const port = this.options.port ?? DEFAULT_PORT;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.heartbeat = setInterval(() => this.beat(), this.limits.heartbeatIntervalMs);
    this.sweeper = setInterval(
      () => this.sweepPending(),
      Math.min(1000, this.limits.joinTimeoutMs),
    );
    this.heartbeat.unref();
    this.sweeper.unref();
    return this.port;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  stats(): RelayStats {
    let members = 0;
    for (const room of this.registry.rooms.values()) members += room.members.size;
    return {
      connections: this.peers.size,
      pending: this.pending.size,
      rooms: this.registry.rooms.size,
      members,
    };
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.wsPath) return reject(socket, 404, 'Not Found');
    if (this.closing) return reject(socket, 503, 'Service Unavailable');
    const address = req.socket.remoteAddress ?? 'unknown';
    if (this.peers.size >= this.limits.maxConnections)
      return reject(socket, 503, 'Service Unavailable');
    if (this.pending.size >= this.limits.maxPendingHandshakes) {
      return reject(socket, 503, 'Service Unavailable');
    }
    if ((this.perAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress) {
      return reject(socket, 429, 'Too Many Requests');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, address, socket));
  }

  private accept(ws: WebSocket, address: string, tcp: Duplex): void {
    const peer = new Peer(ws, address, this.limits, tcp);
    this.peers.add(peer);
    this.pending.add(peer);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      peer.alive = true;
      if (isBinary) {
        peer.fail(null, { code: ErrorCode.PARSE_ERROR, message: 'binary frames are not accepted' });
        return;
      }
      dispatch(this.ctx, peer, rawText(data));
    });
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the socket itself (1009 oversize, 1007 bad UTF-8, 1002 bad framing).
      peer.abused = true;
      log.debug(`socket error from ${address}: ${err.code ?? ''} ${err.message}`);
    });
    ws.on('close', () => this.onClose(peer));
  }

  private onClose(peer: Peer): void {
    peer.markClosed();
    this.peers.delete(peer);
    this.pending.delete(peer);
    const left = (this.perAddress.get(peer.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(peer.address, left);
    else this.perAddress.delete(peer.address);
    const member = peer.member;
    if (!member || member.peer !== peer) return;
    member.peer = null;
    if (this.closing) return;
    if (peer.abused) {
      // No resume for a connection closed for abuse: its member must not linger as a ghost.
      member.room.remove(member, 'removed');
      return;
    }
    member.room.presenceChanged(member);
    member.graceTimer = setTimeout(
      () => member.room.remove(member, 'timeout'),
      this.limits.resumeGraceMs,
    );
    member.graceTimer.unref();
  }

  /** Pings everyone; whoever did not answer the previous ping is terminated. */
  private beat(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        peer.socket.terminate();
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }

  private sweepPending(): void {
    const deadline = Date.now() - this.limits.joinTimeoutMs;
    for (const peer of this.pending) {
      if (peer.connectedAt <= deadline && !peer.joining) {
        this.pending.delete(peer);
        peer.close(CloseCode.JOIN_TIMEOUT, 'join timeout');
      }
    }
  }

  /**
   * Starts the SFU's worker now rather than on first use; if it cannot start (no worker binary
   * on this machine) the host runs without an SFU and clients use P2P. Returns whether it runs.
   */
  async startSfu(): Promise<boolean> {
    if (!this.sfu) return false;
    try {
      await this.sfu.worker();
      return true;
    } catch (err) {
      log.warn(`no SFU: ${err instanceof Error ? err.message : String(err)}`);
      await this.sfu.close();
      this.sfu = this.ctx.sfu = this.registry.media = null;
      return false;
    }
  }

  /** Tells every client, closes every socket and the listener. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.sweeper) clearInterval(this.sweeper);
    for (const room of this.registry.rooms.values()) {
      for (const m of room.members.values()) if (m.graceTimer) clearTimeout(m.graceTimer);
    }
    for (const peer of this.peers) {
      peer.notify('shuttingDown', {});
      peer.close(CloseCode.GOING_AWAY, 'host shutting down');
    }
    await this.sfu?.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
