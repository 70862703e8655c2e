import {
  CloseCode,
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

export type LinkStatus = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'closed';

export interface SignalingEvents {
  notification(n: ServerNotification): void;
  status(status: LinkStatus, detail?: string): void;
  /** A (re)join succeeded: the full snapshot replaces local room state. */
  joined(ack: JoinResult): void;
}

/** Closes after which reconnecting is pointless. */
const FINAL = new Set<number>([
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
  private ws: WebSocket | null = null;
  private params: Omit<JoinParams, 'protocol'> | null = null;
  private resumeToken: string | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly events: SignalingEvents,
  ) {}

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
    if (!this.rpc)
      return Promise.reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'not connected'));
    return this.rpc.request(method, params);
  }

  notify<M extends ClientMethod>(method: M, params: ClientParams<M>): void {
    this.rpc?.notify(method, params);
  }

  /** Leaves for good (no reconnect). */
  close(): void {
    this.stopped = true;
    this.teardown();
    this.events.status('closed');
  }

  private async open(params: JoinParams): Promise<JoinResult> {
    const ws = new WebSocket(this.url);
    const rpc = new RpcClient({ send: (d) => ws.send(d), close: (c) => ws.close(c) });
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
    const ack = await rpc.request('join', params);
    joined = true;
    this.resumeToken = ack.resumeToken;
    this.attempt = 0;
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
    const delay = Math.min(5000, 250 * 2 ** this.attempt++) * (0.75 + Math.random() * 0.5);
    setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stopped || !this.params) return;
    try {
      try {
        await this.open({
          protocol: PROTOCOL_VERSION,
          ...this.params,
          resumeToken: this.resumeToken ?? '',
        });
      } catch (err) {
        // The relay restarted and forgot us: join afresh with what the user typed.
        if ((err as ProtocolError).code !== ErrorCode.BAD_RESUME_TOKEN) throw err;
        this.teardown();
        await this.open({ protocol: PROTOCOL_VERSION, ...this.params });
      }
      this.events.status('joined');
    } catch {
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
