import { WebSocket, type RawData } from 'ws';
import {
  cloudKinds,
  decodeFrames,
  encodeFrames,
  LinkChannel,
  LinkClose,
  LOSSY_KINDS,
  parseBody,
  RecvStream,
  SendStream,
  UPSTREAM_VERSION,
  type CloudSfuEvent,
  type CloudStatus,
  type Command,
  type CommandResult,
  type HostKind,
  type KindClass,
  type Msg,
  type IceConfig,
  type RemoteFrame,
  type Timetable,
} from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { Backoff } from '../../protocol/util/backoff';
import { Heartbeat } from '../../server-kit/heartbeat';
import { createLogger } from '../../server-kit/log';
import { rawText } from '../../server-kit/wsText';
import { CloudSfuCalls } from './CloudSfuCalls';
import { openJournal, type Journal } from './journal';

const log = createLogger('upstream');

export interface UpstreamOptions {
  /** ws:// or wss:// address of the cloud's link endpoint, e.g. wss://cloud.example/link. */
  url: string;
  /** The room's id and credential as issued by the cloud console. */
  roomId: string;
  token: string;
  name: string;
  /** Persist the outbox here so a host restart loses nothing unacked (optional). */
  journalFile?: string;
  /** Live messages kept before lossy ones are shed. */
  maxOutbox?: number;
  maxInflight?: number;
  /** Ping interval; a link silent for two intervals is dropped and re-dialled. */
  heartbeatMs?: number;
  backoff?: { minMs: number; maxMs: number };
  /** Give up a handshake (open + welcome) after this long. */
  handshakeTimeoutMs?: number;
}

/** What the link needs from the room it serves. */
export interface UpstreamRoom {
  /** The room's full state now (starts every new epoch). */
  snapshot(): unknown;
  /** Carries out one cloud command; throws a ProtocolError (its code is reported) on refusal. */
  command(command: Command): void;
  /** The room's timetable from the console (the whole of it; refused with a code if bad). */
  schedule?(timetable: Timetable): void;
  /** The link's state changed (shown on the room screen and to teachers). */
  status(status: CloudStatus): void;
  /** TURN/STUN servers from the cloud, for the room's devices. */
  ice?(config: IceConfig): void;
  /** A remote participant's frame from the cloud (upstream/RemoteBridge.ts). */
  remote?(frame: RemoteFrame): void;
  /** A notification from the cloud's SFU (sfu/CloudLeg.ts). */
  sfuEvent?(event: CloudSfuEvent): void;
}

export interface UpstreamStats {
  state: CloudStatus['state'];
  connects: number;
  outbox: number;
  inflight: number;
  dropped: number;
  compacted: number;
  resets: number;
  commands: number;
  duplicates: number;
}

const classOf = (kind: string): KindClass =>
  LOSSY_KINDS.has(kind) ? 'lossy' : kind === 'result' ? 'keep' : 'state';

/**
 * The room host's ONE WebSocket to the cloud control server. Every device's upstream traffic is
 * pushed here and multiplexed by device and kind; commands come back down. Survives outages:
 * unacked messages are resent after a reconnect (capped exponential backoff with jitter), the
 * cloud de-duplicates; a cloud that lost its history gets a fresh epoch starting with a snapshot.
 */
export class UpstreamLink {
  private readonly send: SendStream;
  private readonly recv: RecvStream;
  private readonly journal: Journal | null;
  private readonly backoff: Backoff;
  private ws: WebSocket | null = null;
  private channel: LinkChannel | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: Heartbeat<WebSocket> | null = null;
  private closed = false;
  private current: CloudStatus = { state: 'connecting', since: Date.now() };
  private connects = 0;
  private commands = 0;
  /** Calls to the cloud's SFU, for participants outside the room (sfu/CloudLeg.ts). */
  readonly sfu: CloudSfuCalls;

  constructor(
    private readonly opts: UpstreamOptions,
    private readonly room: UpstreamRoom,
  ) {
    this.journal = opts.journalFile ? openJournal(opts.journalFile) : null;
    this.send = new SendStream({
      maxEntries: opts.maxOutbox ?? 20_000,
      maxInflight: opts.maxInflight ?? 8192,
      newEpoch: () => randomToken(12),
      classOf,
      snapshot: () => this.snapshotEntry(),
      ...(this.journal && { journal: this.journal }),
    });
    const saved = this.journal?.saved;
    if (saved) {
      this.send.restore(
        saved.epoch,
        saved.firstSeq,
        saved.entries.map((e) => ({ ...e, cls: classOf(e.kind) })),
      );
    } else {
      this.journal?.reset(this.send.epoch);
    }
    this.recv = new RecvStream(saved?.recv ?? null);
    this.backoff = new Backoff(opts.backoff?.minMs ?? 250, opts.backoff?.maxMs ?? 30_000);
    this.sfu = new CloudSfuCalls(
      (call) => {
        if (!this.channel) return false;
        this.channel.sendSfu(call);
        return true;
      },
      (event) => this.room.sfuEvent?.(event),
    );
  }

  get status(): CloudStatus {
    return this.current;
  }

  stats(): UpstreamStats {
    const s = this.send.stats();
    return {
      state: this.current.state,
      connects: this.connects,
      outbox: s.outbox,
      inflight: s.inflight,
      dropped: s.dropped,
      compacted: s.compacted,
      resets: s.resets,
      commands: this.commands,
      duplicates: this.recv.duplicates,
    };
  }

  /** Dials the cloud (and keeps dialling). The room's current state goes first. */
  start(): void {
    this.push('snapshot', 'room', this.room.snapshot());
    this.dial();
  }

  /** Queues one message for the cloud (sent now if the link is up, else after reconnect). */
  push(kind: HostKind, device: string, body: unknown): void {
    if (this.closed) return;
    this.send.push(kind, device, body);
    this.channel?.pump();
  }

  /** A remote participant's frame to the cloud, now; false while the link is down. */
  sendRemote(frame: RemoteFrame): boolean {
    if (!this.channel) return false;
    this.channel.sendRemote(frame);
    return true;
  }

  /** Bytes the link's socket holds unsent. */
  get buffered(): number {
    return this.channel?.buffered ?? 0;
  }

  /** Stops for good (the journal keeps what is unacked). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.teardown();
    this.ws?.close(1001, 'host stopping');
    this.compactJournal();
    this.journal?.close();
  }

  // ---- connection ------------------------------------------------------------------------------

  private dial(): void {
    if (this.closed) return;
    this.setStatus(this.current.state === 'rejected' ? 'rejected' : 'connecting');
    const ws = new WebSocket(this.opts.url, {
      perMessageDeflate: false,
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? 5000,
      maxPayload: 64 * 1024 * 1024,
    });
    this.ws = ws;
    let welcomed = false;
    const helloTimer = setTimeout(() => ws.terminate(), this.opts.handshakeTimeoutMs ?? 5000);
    ws.on('open', () => {
      ws.send(
        encodeFrames([
          {
            t: 'hello',
            v: UPSTREAM_VERSION,
            room: this.opts.roomId,
            token: this.opts.token,
            name: this.opts.name,
            epoch: this.send.epoch,
            recv: this.recv.cursor,
          },
        ]),
      );
    });
    ws.on('message', (data: RawData) => {
      this.heartbeat?.heard(ws);
      const text = rawText(data);
      try {
        if (!welcomed) {
          clearTimeout(helloTimer);
          welcomed = true;
          this.onWelcome(ws, text);
        } else {
          this.channel?.receive(text);
        }
      } catch (err) {
        log.warn(`closing link: ${err instanceof Error ? err.message : String(err)}`);
        ws.close(LinkClose.PROTOCOL, 'protocol error');
      }
    });
    ws.on('pong', () => this.heartbeat?.heard(ws));
    ws.on('ping', () => this.heartbeat?.heard(ws));
    ws.on('error', (err) => log.debug(`link error: ${err.message}`));
    ws.on('close', (code) => {
      clearTimeout(helloTimer);
      if (this.ws !== ws) return;
      this.teardown();
      this.ws = null;
      if (this.closed) return;
      const rejected = code === LinkClose.UNAUTHORIZED;
      this.setStatus(rejected ? 'rejected' : 'offline');
      const delay = rejected ? this.backoff.max : this.backoff.next();
      log.info(`link down (${code}); retrying in ${Math.round(delay)} ms`);
      this.retryTimer = setTimeout(() => this.dial(), delay);
    });
  }

  private onWelcome(ws: WebSocket, text: string): void {
    const [welcome] = decodeFrames(text);
    if (welcome?.t !== 'welcome') throw new Error('expected welcome');
    this.connects++;
    this.backoff.reset();
    // The cloud resumed its stream where we are, or started a new epoch for us from seq 1.
    if (!this.recv.knows(welcome.epoch)) this.recv.begin(welcome.epoch);
    const outcome = this.send.resume(welcome.recv);
    if (outcome === 'reset') log.info('cloud has no history of this room: resync by snapshot');
    const channel = new LinkChannel(ws, this.send, this.recv, (m) => this.onMessage(m), {
      defer: setImmediate,
      remote: (f) => this.room.remote?.(f),
      sfu: (f) => this.sfu.receive(f),
    });
    this.channel = channel;
    if (outcome === 'reset') channel.announceReset();
    channel.pump();
    this.startHeartbeat(ws);
    this.setStatus('online');
  }

  /** Keeps the journal file small: rewritten to the live entries once it has grown. */
  private compactJournal(): void {
    if (!this.journal?.needsCompaction) return;
    this.journal.compact(this.send.epoch, this.send.acked + 1, this.send.liveEntries());
  }

  private onMessage(msg: Msg): void {
    const parsed = parseBody(cloudKinds, msg.k, msg.b);
    this.journal?.received(this.recv.cursor!);
    if (parsed.kind === 'ice') {
      this.room.ice?.(parsed.body);
      return;
    }
    if (parsed.kind === 'schedule') {
      try {
        this.room.schedule?.(parsed.body);
      } catch (err) {
        log.warn({ err }, 'timetable from the cloud refused');
      }
      return;
    }
    const body = parsed.body;
    this.commands++;
    const result: CommandResult = { id: body.id, ok: true };
    try {
      this.room.command(body.command);
    } catch (err) {
      result.ok = false;
      result.error = (err as { code?: string }).code ?? 'COMMAND_FAILED';
    }
    this.push('result', 'room', result);
  }

  private startHeartbeat(ws: WebSocket): void {
    this.heartbeat = new Heartbeat(this.opts.heartbeatMs ?? 10_000, {
      silent: () => log.info('cloud silent for two heartbeats: re-dialling'),
      afterBeat: () => this.compactJournal(),
    });
    this.heartbeat.watch(ws);
  }

  private teardown(): void {
    this.channel?.close();
    this.channel = null;
    this.sfu.dropAll();
    this.heartbeat?.stop();
    this.heartbeat = null;
  }

  private setStatus(state: CloudStatus['state']): void {
    if (this.current.state === state) return;
    this.current = { state, since: Date.now() };
    this.room.status(this.current);
  }

  private snapshotEntry(): { kind: HostKind; device: string; body: unknown } {
    return { kind: 'snapshot', device: 'room', body: this.room.snapshot() };
  }
}
