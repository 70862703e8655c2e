import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { createHash } from 'node:crypto';
import {
  ErrorCode,
  hostKinds,
  LinkClose,
  parseBody,
  PROBE_PATH,
  REMOTE_PAGE_PATH,
  REMOTE_WS_PATH,
  ROOM_DEVICE,
  StreamError,
  UPLOAD_PATH,
  type CloudSfuFrame,
  type Msg,
  type RemoteFrame,
} from '../protocol';
import { closeServer, createWebServer, listen, pathOf, rejectUpgrade } from '../server-kit/http';
import { createLogger } from '../server-kit/log';
import { sameSecret, tokenMatches } from '../server-kit/secrets';
import { createStaticHandler } from '../server-kit/staticFiles';
import { handleApi } from './api';
import { CloudRecords } from './records/CloudRecords';
import { isRecordPath, serveRecordFile } from './records/downloads';
import { createUploads, type Uploads } from './records/uploads';
import { isCalendarPath, serveCalendar } from './calendar';
import { CloudRoom } from './CloudRoom';
import { CloudMetrics } from './metrics';
import { RemoteGateway } from './remote/RemoteGateway';
import { CloudSfu, type CloudSfuOptions, type CloudSfuStats } from './sfu/CloudSfu';
import { ProcessRpc } from './sfu/ProcessRpc';
import { RemoteLinks } from './remote/RemoteLinks';
import { DEFAULT_TURN_TTL_SEC, iceConfig, type TurnOptions } from './turn/credentials';

import { LinkSession, type LinkHost } from './LinkSession';
import type { CloudStore, CommandEnvelope } from './store/CloudStore';

const log = createLogger('cloud');

export interface CloudServerOptions {
  host?: string;
  port?: number;
  /** Operators present this as `Authorization: Bearer …` to the API and console. */
  adminToken: string;
  store: CloudStore;
  /** The console's web build; absent: API only. */
  consoleDir?: string;
  heartbeatMs?: number;
  helloTimeoutMs?: number;
  /** How often changed room views are published to the store. */
  publishMs?: number;
  /** Largest link frame accepted. */
  maxFrameBytes?: number;
  /** The web client's build (out/web), served at /join/ to participants outside the room. */
  webDir?: string;
  /** A TURN server sharing this secret: each room's devices get time-limited credentials. */
  turn?: TurnOptions;
  /** Behind a TLS-terminating proxy: trust its x-forwarded-for / x-forwarded-proto. */
  trustProxy?: boolean;
  /** Keep the class records hosts upload here (absent: uploads are refused). */
  records?: { dir: string; quotaBytes?: number; maxFileBytes?: number };
  /** Run an SFU for participants outside their room (absent: they receive P2P or via TURN). */
  sfu?: CloudSfuOptions;
  /**
   * Serve https and wss with this certificate (PEM chain) and key: remote participants' pages
   * need a secure context to use a camera or a microphone (absent: http, behind a TLS proxy).
   */
  tls?: { cert: string; key: string };
}

const GB = 1024 ** 3;

/** One message a host sent, as applied (for tests, benchmarks and the console's live view). */
export type AppliedListener = (roomId: string, msg: Msg) => void;

export interface CloudStats {
  /** Live room links held by this process. */
  links: number;
  /** TCP connections open on this process's port now, and accepted since start. */
  tcpOpen: number;
  tcpAccepted: number;
  rooms: number;
  /** Remote participants connected through this process now. */
  remote: number;
  /** The SFU for remote participants, when this process runs one. */
  sfu?: CloudSfuStats;
}

/**
 * The cloud control server: room hosts' links on /link (one WebSocket per room), the operators'
 * JSON API on /api and the console on /. Live room state is kept per process; the store shares
 * credentials, presence and views between processes and routes commands to a room's holder.
 */
export class CloudServer implements LinkHost {
  readonly rooms = new Map<string, CloudRoom>();
  private readonly sessions = new Map<string, LinkSession>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly listeners = new Set<AppliedListener>();
  private readonly dirty = new Set<CloudRoom>();
  private publisher: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private iceTimer: NodeJS.Timeout | null = null;
  /** The uploaded class records (null: this cloud keeps none). */
  readonly records: CloudRecords | null;
  private readonly uploads: Uploads | null;
  /** What `/metrics` answers. */
  readonly metrics: CloudMetrics;
  /** Remote links of every room (made in the console, checked when someone uses one). */
  readonly remoteLinks: RemoteLinks;
  /** Remote participants' sockets, carried over their room's link. */
  readonly remote: RemoteGateway;
  /** Media for remote participants, driven by their room's host (null: none here). */
  readonly sfu: CloudSfu | null;
  private tcpOpen = 0;
  private tcpAccepted = 0;
  private closing: Promise<void> | null = null;
  private boundPort: number | null = null;
  readonly heartbeatMs: number;
  readonly helloTimeoutMs: number;

  constructor(readonly opts: CloudServerOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.helloTimeoutMs = opts.helloTimeoutMs ?? 5000;
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: opts.maxFrameBytes ?? 16 * 1024 * 1024,
    });
    const serveConsole = opts.consoleDir ? createStaticHandler(opts.consoleDir) : null;
    const serveWeb = opts.webDir ? createStaticHandler(opts.webDir, REMOTE_PAGE_PATH) : null;
    this.remoteLinks = new RemoteLinks(opts.store);
    // With several processes, a class's receivers are served where their sockets are.
    const cluster = {
      rpc: new ProcessRpc(opts.store),
      placeOf: (roomId: string, channel: string) => this.remote.processOf(roomId, channel),
    };
    this.sfu = opts.sfu
      ? new CloudSfu(opts.sfu, (id, f) => this.sessions.get(id)?.sendSfu(f) ?? false, cluster)
      : null;
    this.remote = new RemoteGateway({
      store: opts.store,
      links: this.remoteLinks,
      carrier: (roomId) => {
        const session = this.sessions.get(roomId);
        return session?.live ? session : null;
      },
      ...(opts.trustProxy && { trustProxy: true }),
    });
    this.records = opts.records
      ? new CloudRecords({
          dir: opts.records.dir,
          quotaBytes: opts.records.quotaBytes ?? 50 * GB,
          signingKey: createHash('sha256')
            .update(`lectern record links\0${opts.adminToken}`)
            .digest('hex'),
        })
      : null;
    this.metrics = new CloudMetrics(this);
    this.uploads =
      this.records &&
      createUploads({
        records: this.records,
        store: opts.store,
        maxFileBytes: opts.records?.maxFileBytes ?? 20 * GB,
        onFinished: (bytes) => this.metrics.uploaded(bytes),
      });
    this.http = createWebServer({
      // An upload's request carries a megabyte: a slow school line needs more than the default.
      requestTimeoutMs: 120_000,
      ...(opts.tls && { tls: opts.tls }),
      health: () => this.stats(),
      request: (req, res) => {
        const pathname = pathOf(req);
        if (pathname === '/metrics') {
          if (!this.isAdmin(req.headers.authorization)) {
            res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          } else {
            this.metrics.serve(res).catch(() => res.writeHead(500).end());
          }
        } else if (pathname === UPLOAD_PATH || pathname.startsWith(`${UPLOAD_PATH}/`)) {
          this.handleUpload(req, res);
        } else if (isRecordPath(pathname)) {
          serveRecordFile(this.records, req, res).catch((err: unknown) => {
            log.warn({ err }, 'record download failed');
            if (!res.headersSent) res.writeHead(500).end();
          });
        } else if (isCalendarPath(pathname)) {
          serveCalendar(this, req, res, pathname).catch((err: unknown) => {
            log.error({ err }, 'calendar request failed');
            if (!res.headersSent) res.writeHead(500).end();
          });
        } else if (serveWeb && pathname.startsWith(REMOTE_PAGE_PATH)) {
          serveWeb(req, res).catch((err: unknown) => {
            log.warn({ err }, 'web client file failed');
            res.destroy();
          });
        } else if (pathname.startsWith('/api/')) {
          handleApi(this, req, res).catch((err: unknown) => {
            log.error({ err }, 'api request failed');
            if (!res.headersSent) res.writeHead(500).end();
          });
        } else if (serveConsole) {
          serveConsole(req, res).catch((err: unknown) => {
            log.warn({ err }, 'console file failed');
            res.destroy();
          });
        } else {
          res.writeHead(404).end();
        }
      },
      upgrade: (req, socket, head) => {
        const path = pathOf(req);
        if (this.closing || (path !== '/link' && path !== REMOTE_WS_PATH && path !== PROBE_PATH)) {
          rejectUpgrade(socket, 404, 'Not Found');
        } else if (path === PROBE_PATH) {
          this.remote.probe(req, socket, head, this.sfu?.probe ?? null);
        } else if (path === REMOTE_WS_PATH) {
          this.remote.upgrade(req, socket, head);
        } else {
          this.wss.handleUpgrade(req, socket, head, (ws) => new LinkSession(ws, this));
        }
      },
    });
    this.http.on('connection', (socket) => {
      this.tcpOpen++;
      this.tcpAccepted++;
      socket.on('close', () => this.tcpOpen--);
    });
    opts.store.onCommand((e) => this.deliverCommand(e));
    opts.store.onRevoked((id) => this.sessions.get(id)?.close(LinkClose.UNAUTHORIZED, 'revoked'));
    opts.store.onScheduleChanged((id) => void this.sendSchedule(id));
  }

  get store(): CloudStore {
    return this.opts.store;
  }

  async listen(): Promise<number> {
    this.boundPort = await listen(this.http, this.opts.port ?? 47900, this.opts.host ?? '0.0.0.0');
    this.publisher = setInterval(() => void this.publish(), this.opts.publishMs ?? 500);
    this.publisher.unref();
    const turn = this.opts.turn;
    if (turn) {
      // Fresh credentials well before the old ones end (a third of their life).
      const every = ((turn.ttlSec ?? DEFAULT_TURN_TTL_SEC) * 1000) / 3;
      this.iceTimer = setInterval(() => {
        for (const id of this.sessions.keys()) this.sendIce(id);
      }, every);
      this.iceTimer.unref();
    }
    if (this.uploads) {
      const uploads = this.uploads;
      this.sweeper = setInterval(() => void uploads.sweep().catch(() => 0), 3600_000);
      this.sweeper.unref();
    }
    return this.port;
  }

  private handleUpload(req: IncomingMessage, res: ServerResponse): void {
    if (!this.uploads) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('UPLOADS_OFF: this cloud keeps no records\n');
      return;
    }
    this.uploads.handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'upload request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  }

  get port(): number {
    if (this.boundPort === null) throw new Error('the cloud server is not listening');
    return this.boundPort;
  }

  stats(): CloudStats {
    return {
      links: this.sessions.size,
      tcpOpen: this.tcpOpen,
      tcpAccepted: this.tcpAccepted,
      rooms: this.rooms.size,
      remote: this.remote.connected,
      ...(this.sfu && { sfu: this.sfu.stats() }),
    };
  }

  /** Every message applied from any host, in order per room. Returns the unsubscribe. */
  onApplied(listener: AppliedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Operators' check: the configured admin token, compared in constant time. */
  isAdmin(authorization: string | undefined): boolean {
    const m = /^Bearer (.+)$/.exec(authorization ?? '');
    return m !== null && sameSecret(m[1]!, this.opts.adminToken);
  }

  // ---- LinkHost --------------------------------------------------------------------------------

  async authenticate(roomId: string, token: string, name: string): Promise<CloudRoom | null> {
    const record = await this.store.room(roomId);
    if (!record?.tokenHash || !tokenMatches(token, record.tokenHash)) {
      log.warn(`refused link for room ${roomId}`);
      return null;
    }
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new CloudRoom(roomId, name || record.name);
      this.rooms.set(roomId, room);
    }
    return room;
  }

  attached(room: CloudRoom, session: LinkSession): void {
    const old = this.sessions.get(room.id);
    if (old && old !== session) {
      this.remote.linkLost(room.id);
      old.close(LinkClose.REPLACED, 'replaced by a newer link');
    }
    this.sessions.set(room.id, session);
    room.online = true;
    room.connects++;
    this.sfu?.linkUp(room.id);
    void this.store.claim(room.id);
    this.touch(room);
    void this.sendSchedule(room.id);
    this.sendIce(room.id);
  }

  /** The room's TURN credentials down its link (its devices use them beyond the LAN). */
  private sendIce(roomId: string): void {
    const room = this.rooms.get(roomId);
    const session = this.sessions.get(roomId);
    if (!this.opts.turn || !room || !session) return;
    room.send.push('ice', ROOM_DEVICE, iceConfig(this.opts.turn, roomId));
    session.pump();
  }

  /** The room's timetable down its link (the host replaces its own with it). */
  private async sendSchedule(roomId: string): Promise<void> {
    const record = await this.store.room(roomId);
    const room = this.rooms.get(roomId);
    const session = this.sessions.get(roomId);
    if (!record?.schedule || !room || !session) return;
    room.send.push('schedule', ROOM_DEVICE, { classes: record.schedule });
    session.pump();
  }

  detached(room: CloudRoom, session: LinkSession): void {
    if (this.sessions.get(room.id) !== session) return;
    this.sessions.delete(room.id);
    this.remote.linkLost(room.id);
    this.sfu?.linkLost(room.id);
    room.online = false;
    void this.store.release(room.id);
    this.touch(room);
  }

  applied(room: CloudRoom, msg: Msg): void {
    const m = parseBody(hostKinds, msg.k, msg.b);
    switch (m.kind) {
      case 'snapshot':
        room.snapshot(m.body);
        break;
      case 'event':
        room.event(m.body);
        break;
      case 'result':
        room.result(m.body);
        break;
      case 'metrics':
        room.metrics(msg.d, m.body);
        break;
      case 'host':
        room.hostMetrics(m.body);
        break;
    }
    this.touch(room);
    for (const l of this.listeners) l(room.id, msg);
  }

  remoteFrame(room: CloudRoom, frame: RemoteFrame): void {
    this.remote.fromHost(room.id, frame);
  }

  sfuFrame(room: CloudRoom, frame: CloudSfuFrame): void {
    // Only calls go this way; a host that sends replies or notifications breaks the link.
    if (frame.t !== 'q') throw new StreamError(`unexpected ${frame.t} frame from a host`);
    if (!this.sfu) {
      this.sessions.get(room.id)?.sendSfu({
        t: 'p',
        i: frame.i,
        ok: false,
        e: { code: ErrorCode.SFU_UNAVAILABLE, message: 'this cloud runs no SFU' },
      });
      return;
    }
    void this.sfu.handle(room.id, frame);
  }

  // ---- commands --------------------------------------------------------------------------------

  /** A command for a room whose link this process holds (or held: it waits for the host). */
  private deliverCommand(e: CommandEnvelope): boolean {
    const room = this.rooms.get(e.roomId);
    if (!room) return false;
    room.command(e.id, e.command);
    this.metrics.commanded();
    this.sessions.get(e.roomId)?.pump();
    this.touch(room);
    return true;
  }

  private touch(room: CloudRoom): void {
    this.dirty.add(room);
  }

  /** Publishes the views that changed since the last time. */
  async publish(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    await Promise.all(
      rooms.map((r) => this.store.putView(r.view()).catch((err: Error) => log.warn(err.message))),
    );
  }

  /** Closes every link (hosts will re-dial) and the port. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.publisher) clearInterval(this.publisher);
      if (this.sweeper) clearInterval(this.sweeper);
      if (this.iceTimer) clearInterval(this.iceTimer);
      this.remote.close();
      await this.sfu?.close();
      for (const s of this.sessions.values()) s.close(1001, 'cloud shutting down');
      await this.publish();
      await new Promise<void>((resolve) => this.wss.close(() => resolve()));
      await closeServer(this.http);
    })();
    return this.closing;
  }
}
