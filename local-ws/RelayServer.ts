import type { IncomingMessage, Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, PROBE_PATH } from '../protocol';
import { APP_ORIGIN } from '../protocol/desktop';
import { Heartbeat } from '../server-kit/heartbeat';
import {
  createWebServer,
  listen,
  pathOf,
  rejectUpgrade,
  type WebServerOptions,
} from '../server-kit/http';
import { createLogger } from '../server-kit/log';
import { PortFront } from '../server-kit/portFront';
import { sameSecret } from '../server-kit/secrets';
import { createStaticHandler } from '../server-kit/staticFiles';
import { rawLength, rawText } from '../server-kit/wsText';
import { CA_PATH } from '../protocol/tls';
import { DEFAULT_PORT, resolveLimits, type RelayLimits, type RelayOptions } from './config';
import { Connection } from './Connection';
import { deviceLabel } from '../server-kit/deviceLabel';
import { dispatch, dispatchBinary } from './dispatch';
import type { RelayContext } from './RelayContext';
import { RememberedDevices } from './RememberedDevices';
import { RoomRegistry } from './RoomRegistry';
import { AddressGate } from './security/AddressGate';
import { upgradeAllowed } from './security/origin';
import { secureTransport } from './security/transport';
import { Sfu } from './sfu/Sfu';
import { BRIDGE_HEADER, decodeIdentity, REMOTE_HEADER } from './upstream/remoteIdentity';
import type { RemoteIdentity } from './upstream/remoteIdentity';
import { randomToken } from '../protocol/ids';

const log = createLogger('relay');

/** Counters for the host's status line, the cloud link and tests. */
export interface RelayStats {
  connections: number;
  pending: number;
  rooms: number;
  members: number;
}

/**
 * The LAN signaling relay: one port for http and https (browser client + WebSocket upgrade) and
 * the rooms behind it. Connection limits are enforced at the TCP door and on upgrade, before any
 * WebSocket exists.
 */
export class RelayServer {
  readonly registry: RoomRegistry;
  readonly limits: RelayLimits;
  /** The SFU, when the host runs one (`sfu.available` turns false if its worker cannot start). */
  readonly sfu: Sfu | null;
  private readonly http: Server;
  private readonly https: HttpsServer | null;
  private readonly front: PortFront;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly pending = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  /** Connections not yet joined, per address. */
  private readonly pendingPerAddress = new Map<string, Set<Connection>>();
  private readonly gate: AddressGate;
  private readonly heartbeat: Heartbeat<WebSocket>;
  private readonly ctx: RelayContext;
  private readonly wsPath: string;
  private sweeper: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private boundPort: number | null = null;
  private readonly teacher: { hash: string | undefined };
  private readonly credentialListeners = new Set<(hash: string) => void>();
  /**
   * Known only in this process: the remote bridge (upstream/RemoteBridge.ts) shows it on its
   * loopback connections, which then speak for the remote participant the cloud checked.
   */
  readonly bridgeSecret = randomToken(24);

  constructor(private readonly options: RelayOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.sfu = options.sfu ? new Sfu(options.sfu) : null;
    this.registry = new RoomRegistry({
      limits: this.limits,
      sfu: this.sfu,
      addresses: () => ({
        ...(this.joinUrl !== undefined && { joinUrl: this.joinUrl }),
        ...(this.secureUrl !== undefined && { secureUrl: this.secureUrl }),
        ...(options.tls && { pin: options.tls.pin }),
      }),
    });
    this.wsPath = options.wsPath ?? '/ws';
    this.heartbeat = new Heartbeat(this.limits.heartbeatIntervalMs);
    const teacher = (this.teacher = { hash: options.teacherCredentialHash });
    this.ctx = {
      sfu: this.sfu,
      registry: this.registry,
      limits: this.limits,
      devices: options.devices ?? new RememberedDevices(),
      get teacherCredentialHash() {
        return teacher.hash;
      },
      setTeacherCredentialHash: (hash) => {
        teacher.hash = hash;
        for (const l of this.credentialListeners) l(hash);
      },
      joined: (conn) => this.unpend(conn),
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.limits.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const serveStatic = options.staticDir ? createStaticHandler(options.staticDir) : null;
    this.gate = new AddressGate(this.limits);
    const ca = options.tls?.ca ?? null;
    const web: WebServerOptions = {
      headersTimeoutMs: this.limits.headersTimeoutMs,
      requestTimeoutMs: this.limits.requestTimeoutMs,
      // Anyone may ask whether the host is up; only a room's screen key sees its counters.
      health: (req) => (this.authorized(req.headers.authorization) ? this.stats() : { ok: true }),
      request: (req, res) => {
        if (ca !== null && pathOf(req) === CA_PATH) {
          res
            .writeHead(200, {
              'content-type': 'application/x-x509-ca-cert',
              'content-disposition': 'attachment; filename="lectern-room-ca.crt"',
              'cache-control': 'no-store',
            })
            .end(ca);
          return;
        }
        if (options.routes?.(req, res)) return;
        if (!serveStatic) {
          res.writeHead(404).end();
          return;
        }
        serveStatic(req, res).catch((err: unknown) => {
          log.error({ err }, 'static file failed');
          res.destroy();
        });
      },
      upgrade: (req, socket, head) => this.onUpgrade(req, socket, head),
    };
    this.http = createWebServer(web);
    this.https = options.tls
      ? (createWebServer({ ...web, tls: options.tls }) as HttpsServer)
      : null;
    this.front = new PortFront({
      plain: this.http,
      secure: this.https,
      admit: (socket: Socket) => this.gate.admit(socket),
      firstByteTimeoutMs: this.limits.headersTimeoutMs,
    });
  }

  /** Serves a new certificate (same key or not) to new connections from now on. */
  setCertificate(cert: string, key: string): void {
    this.https?.setSecureContext({ cert, key });
  }

  /** `Authorization: Bearer <screen key>` of one of the relay's rooms. */
  private authorized(header: string | undefined): boolean {
    const m = /^Bearer (.+)$/.exec(header ?? '');
    if (!m) return false;
    for (const room of this.registry.rooms.values()) {
      if (sameSecret(room.screenKey, m[1]!)) return true;
    }
    return false;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    this.boundPort = await listen(
      this.front.server,
      this.options.port ?? DEFAULT_PORT,
      this.options.host ?? '0.0.0.0',
    );
    this.sweeper = setInterval(
      () => this.sweepPending(),
      Math.min(1000, this.limits.joinTimeoutMs),
    );
    this.sweeper.unref();
    return this.boundPort;
  }

  get port(): number {
    if (this.boundPort === null) throw new Error('the relay is not listening');
    return this.boundPort;
  }

  /** The address students open (the page and the relay), once listening on a public host. */
  get joinUrl(): string | undefined {
    return this.urlFor('http');
  }

  /** The https page (same host and port), when the relay serves TLS. */
  get secureUrl(): string | undefined {
    return this.https ? this.urlFor('https') : undefined;
  }

  private urlFor(scheme: 'http' | 'https'): string | undefined {
    const host = this.options.publicHost;
    if (host === undefined || this.boundPort === null) return undefined;
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}/`;
  }

  /** A teacher changed the teacher credential: the host saves its new hash. */
  onTeacherCredentialChanged(listener: (hash: string) => void): () => void {
    this.credentialListeners.add(listener);
    return () => this.credentialListeners.delete(listener);
  }

  stats(): RelayStats {
    let members = 0;
    for (const room of this.registry.rooms.values()) members += room.members.size;
    return {
      connections: this.connections.size,
      pending: this.pending.size,
      rooms: this.registry.rooms.size,
      members,
    };
  }

  /** The relay as this process's own remote bridge dials it. */
  get bridgeUrl(): string {
    const host = this.options.host ?? '0.0.0.0';
    const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `ws://${local.includes(':') ? `[${local}]` : local}:${this.port}${this.wsPath}`;
  }

  /** A loopback connection of this process's bridge: the remote participant it carries. */
  private bridged(req: IncomingMessage): RemoteIdentity | null | 'forged' {
    const shown = req.headers[BRIDGE_HEADER];
    if (shown === undefined) return null;
    const from = req.socket.remoteAddress ?? '';
    const local = from === '127.0.0.1' || from === '::1' || from === '::ffff:127.0.0.1';
    const host = this.options.host;
    const own = local || (host !== undefined && from === host);
    if (!own || typeof shown !== 'string' || !sameSecret(shown, this.bridgeSecret)) return 'forged';
    return decodeIdentity(req.headers[REMOTE_HEADER]) ?? 'forged';
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (pathOf(req) === PROBE_PATH) return this.onProbe(req, socket, head);
    if (pathOf(req) !== this.wsPath) return rejectUpgrade(socket, 404, 'Not Found');
    if (this.closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const remote = this.bridged(req);
    if (remote === 'forged') return rejectUpgrade(socket, 403, 'Forbidden');
    const origins = [APP_ORIGIN, ...(this.options.extraOrigins ?? [])];
    if (!remote && !upgradeAllowed(req, this.options.hostNames ?? [], origins)) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    // A remote participant counts against the address the cloud saw, as a LAN device would.
    const address = remote ? `remote:${remote.address}` : (req.socket.remoteAddress ?? 'unknown');
    if (this.connections.size >= this.limits.maxConnections) {
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    if ((this.perAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress) {
      return rejectUpgrade(socket, 429, 'Too Many Requests');
    }
    if ((this.pendingPerAddress.get(address)?.size ?? 0) >= this.limits.maxPendingPerAddress) {
      return rejectUpgrade(socket, 429, 'Too Many Requests');
    }
    // Full of sockets that have not joined: the most crowded address gives up its oldest, so
    // idle sockets from a few addresses cannot keep a new device out.
    if (this.pending.size >= this.limits.maxPendingHandshakes) this.evictPending();
    const secure = remote ? remote.secure : secureTransport(req);
    const label = remote ? remote.label : deviceLabel(req.headers['user-agent']);
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.accept(ws, address, socket, secure, label, remote),
    );
  }

  /**
   * A pre-join check (protocol/probe.ts) from a page this host served: any device that reaches
   * the host may measure its way to the SFU; the probe service bounds what that costs.
   */
  private onProbe(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing || !this.sfu?.available) {
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    const origins = [APP_ORIGIN, ...(this.options.extraOrigins ?? [])];
    if (!upgradeAllowed(req, this.options.hostNames ?? [], origins)) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    this.sfu.probe.upgrade(req, socket, head, req.socket.remoteAddress ?? 'unknown');
  }

  private evictPending(): void {
    let crowded: Set<Connection> | undefined;
    for (const set of this.pendingPerAddress.values()) {
      if (!crowded || set.size > crowded.size) crowded = set;
    }
    const oldest = crowded?.values().next().value;
    if (!oldest) return;
    this.unpend(oldest);
    oldest.close(CloseCode.JOIN_TIMEOUT, 'too many connections waiting to join');
  }

  private unpend(conn: Connection): void {
    this.pending.delete(conn);
    const set = this.pendingPerAddress.get(conn.address);
    set?.delete(conn);
    if (set?.size === 0) this.pendingPerAddress.delete(conn.address);
  }

  private accept(
    ws: WebSocket,
    address: string,
    tcp: Duplex,
    secure: boolean,
    label: string,
    remote: RemoteIdentity | null,
  ): void {
    const conn = new Connection(ws, address, this.limits, tcp, secure, label, remote);
    this.connections.add(conn);
    this.pending.add(conn);
    let waiting = this.pendingPerAddress.get(address);
    if (!waiting) this.pendingPerAddress.set(address, (waiting = new Set()));
    waiting.add(conn);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.heartbeat.watch(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!conn.isOpen) return;
      this.heartbeat.heard(ws);
      // A socket that has not joined gets a few frames (a join, a ping), not a channel.
      if (!conn.member && ++conn.preJoinFrames > this.limits.preJoinFrames) {
        conn.kill();
        return;
      }
      if (isBinary) dispatchBinary(conn);
      else dispatch(this.ctx, conn, rawText(data));
      conn.pauseIfBacklogged();
      conn.tookFrame(rawLength(data));
    });
    ws.on('pong', () => this.heartbeat.heard(ws));
    // Each WebSocket ping costs a pong: a client pinging in a loop is flooding.
    ws.on('ping', () => {
      if (!conn.pinged() || (!conn.member && ++conn.preJoinFrames > this.limits.preJoinFrames)) {
        conn.kill();
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the socket itself (1009 oversize, 1007 bad UTF-8, 1002 bad framing).
      conn.markAbused();
      log.debug(`socket error from ${address}: ${err.code ?? ''} ${err.message}`);
    });
    ws.on('close', () => this.onClose(conn));
  }

  private onClose(conn: Connection): void {
    conn.markClosed();
    this.heartbeat.unwatch(conn.socket);
    this.connections.delete(conn);
    this.unpend(conn);
    const left = (this.perAddress.get(conn.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(conn.address, left);
    else this.perAddress.delete(conn.address);
    const member = conn.member;
    if (!member) return;
    if (this.closing) {
      member.release();
      return;
    }
    if (conn.abused) {
      // No resume for a connection closed for abuse: its member must not linger as a ghost.
      member.room.remove(member, 'removed');
      return;
    }
    member.detach(this.limits.resumeGraceMs, () => member.room.remove(member, 'timeout'));
    member.room.presenceChanged(member);
  }

  private sweepPending(): void {
    const deadline = Date.now() - this.limits.joinTimeoutMs;
    for (const conn of this.pending) {
      if (conn.connectedAt <= deadline && !conn.joining) {
        this.unpend(conn);
        conn.close(CloseCode.JOIN_TIMEOUT, 'join timeout');
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
      return false;
    }
  }

  /** Tells every client, closes every socket and the listener. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.heartbeat.stop();
    this.registry.releaseAll();
    for (const conn of this.connections) {
      conn.notify('shuttingDown', {});
      conn.close(CloseCode.GOING_AWAY, 'host shutting down');
    }
    await this.sfu?.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.front.close();
  }
}
