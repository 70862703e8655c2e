import {
  CloseCode,
  RemoteClose,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  RpcClient,
  type ClientMethod,
  type ClientParams,
  type ClientResult,
  type JoinParams,
  type JoinResult,
  type ServerNotification,
} from '../../../protocol';
import { Backoff } from '../../../protocol/util/backoff';
import { createLog } from '../log';

const log = createLog('signaling');

/** Longer than the relay's lobby wait (local-ws/RoomLobby.ts LOBBY_WAIT_MS). */
const JOIN_WAIT_MS = 330_000;

export type LinkStatus = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'closed';

/**
 * What the client needs of a WebSocket: the browser's, or `ws`'s in Node tests (both speak the
 * DOM event API).
 */
export interface SocketLike {
  send(data: string): void;
  close(code?: number): void;
  addEventListener(type: 'open', listener: () => void, options?: { once?: boolean }): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (ev: { code: number }) => void,
    options?: { once?: boolean },
  ): void;
}

export interface SignalingOptions {
  /** Opens a socket to the relay (default: the browser's WebSocket). */
  connect?: (url: string) => SocketLike;
  /** Waits between reconnect attempts (default 250 ms doubling to 5 s, with jitter). */
  backoff?: Backoff;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export interface SignalingEvents {
  notification(n: ServerNotification): void;
  status(status: LinkStatus, detail?: string): void;
  /** A (re)join succeeded: the full snapshot replaces local room state. */
  joined(ack: JoinResult): void;
}

/** Closes after which reconnecting is pointless. */
const FINAL = new Set<number>([
  RemoteClose.REMOTE_REVOKED,
  CloseCode.REMOVED,
  CloseCode.CLASS_ENDED,
  CloseCode.REPLACED,
  CloseCode.LEFT,
]);

/**
 * The page's connection to the relay: joins, and after a drop reconnects with capped backoff,
 * resuming with the resume token (same identity, role and stage) or joining afresh when the
 * relay no longer knows the token (it restarted).
 */
export class SignalingClient {
  private rpc: RpcClient | null = null;
  private ws: SocketLike | null = null;
  private params: Omit<JoinParams, 'protocol'> | null = null;
  private token: string | null = null;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connect: (url: string) => SocketLike;
  private readonly backoff: Backoff;

  constructor(
    private readonly url: string,
    private readonly events: SignalingEvents,
    private readonly options: SignalingOptions = {},
  ) {
    this.connect = options.connect ?? ((u) => new WebSocket(u));
    this.backoff = options.backoff ?? new Backoff(250, 5000);
  }

  /** The latest resume token (it changes on every resume). */
  get resumeToken(): string | null {
    return this.token;
  }

  /** Joined now (requests can go out). */
  get connected(): boolean {
    return this.rpc !== null;
  }

  /** First join; rejects with the relay's ProtocolError (BAD_CODE, ROOM_LOCKED, …). */
  async join(params: Omit<JoinParams, 'protocol'>): Promise<JoinResult> {
    this.params = params;
    this.events.status('connecting');
    try {
      const ack = await this.open({ protocol: PROTOCOL_VERSION, ...params });
      this.events.status('joined');
      return ack;
    } catch (err) {
      this.teardown();
      this.events.status('idle');
      throw err;
    }
  }

  request<M extends ClientMethod>(method: M, params: ClientParams<M>): Promise<ClientResult<M>> {
    if (!this.rpc) {
      return Promise.reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'not connected'));
    }
    return this.rpc.request(method, params);
  }

  notify<M extends ClientMethod>(method: M, params: ClientParams<M>): void {
    this.rpc?.notify(method, params);
  }

  /** Leaves for good (no reconnect). */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.events.status('closed');
  }

  private async open(params: JoinParams): Promise<JoinResult> {
    const ws = this.connect(this.url);
    const rpc = new RpcClient(
      { send: (d) => ws.send(d), close: (c) => ws.close(c) },
      this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs },
    );
    this.ws = ws;
    this.rpc = rpc;
    ws.addEventListener('message', (ev) => {
      if (typeof ev.data === 'string') rpc.receive(ev.data);
    });
    rpc.onNotification((n) => this.events.notification(n));
    let joined = false;
    ws.addEventListener('close', (ev) => {
      rpc.closed();
      if (joined && this.ws === ws) this.dropped(ev.code);
    });
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener(
        'close',
        () => reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'host unreachable')),
        { once: true },
      );
    });
    // A join may wait in the lobby for a teacher (up to 5 minutes) before it is answered.
    const ack = await rpc.request('join', params, JOIN_WAIT_MS);
    joined = true;
    this.token = ack.resumeToken;
    this.backoff.reset();
    this.events.joined(ack);
    return ack;
  }

  private dropped(code: number): void {
    this.rpc = null;
    this.ws = null;
    if (this.stopped || FINAL.has(code)) {
      this.events.status('closed', String(code));
      return;
    }
    this.events.status('reconnecting');
    this.retry();
  }

  private retry(): void {
    this.retryTimer = setTimeout(() => void this.reconnect(), this.backoff.next());
  }

  private async reconnect(): Promise<void> {
    if (this.stopped || !this.params) return;
    try {
      try {
        await this.open({
          protocol: PROTOCOL_VERSION,
          ...this.params,
          resumeToken: this.token ?? '',
        });
      } catch (err) {
        // The remote link was revoked or expired meanwhile: nothing to come back to.
        if ((err as ProtocolError).code === ErrorCode.LINK_INVALID) {
          this.stopped = true;
          this.teardown();
          this.events.status('closed', String(RemoteClose.REMOTE_REVOKED));
          return;
        }
        // The relay restarted and forgot us: join afresh with what the user typed.
        if ((err as ProtocolError).code !== ErrorCode.BAD_RESUME_TOKEN) throw err;
        this.teardown();
        // A handoff's token is as stale as the last one: a fresh join never carries it.
        const { resumeToken: _stale, ...fresh } = this.params;
        await this.open({ protocol: PROTOCOL_VERSION, ...fresh });
      }
      this.events.status('joined');
    } catch (err) {
      log.info('reconnect failed; trying again', err);
      this.teardown();
      this.retry();
    }
  }

  private teardown(): void {
    const ws = this.ws;
    this.ws = null;
    this.rpc?.closed();
    this.rpc = null;
    ws?.close();
  }
}
