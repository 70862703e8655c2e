import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  RpcClient,
  type ClientMethod,
  type ClientParams,
  type ClientResult,
  type JoinParams,
  type ServerEvent,
  type ServerNotification,
  type ServerPayload,
} from '../../protocol';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A real `ws` client speaking the protocol through the shared RpcClient, recording every
 * notification so tests can wait for one.
 */
export class TestClient {
  readonly rpc: RpcClient;
  readonly closed: Promise<Closed>;
  /** Notifications not yet taken by waitFor. */
  private inbox: ServerNotification[] = [];
  /** Every notification received, in the order it arrived (waitFor takes nothing from here). */
  readonly arrived: ServerNotification[] = [];
  private waiters: {
    test: (n: ServerNotification) => boolean;
    resolve: (n: ServerNotification) => void;
  }[] = [];
  peerId = '';
  resumeToken = '';

  private constructor(readonly ws: WebSocket) {
    this.rpc = new RpcClient({ send: (d) => ws.send(d), close: (c) => ws.close(c) });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.rpc.receive(data.toString());
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.rpc.closed();
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => {});
    this.rpc.onNotification((n) => {
      this.arrived.push(n);
      const i = this.waiters.findIndex((w) => w.test(n));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(n);
      else this.inbox.push(n);
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  request<M extends ClientMethod>(method: M, params: ClientParams<M>): Promise<ClientResult<M>> {
    return this.rpc.request(method, params);
  }

  async join(params: Omit<JoinParams, 'protocol'>): Promise<ClientResult<'join'>> {
    const ack = await this.request('join', { protocol: PROTOCOL_VERSION, ...params });
    this.peerId = ack.peerId;
    this.resumeToken = ack.resumeToken;
    return ack;
  }

  /** Resolves with the first (already received or future) notification of `event` matching. */
  waitFor<E extends ServerEvent>(
    event: E,
    match: (p: ServerPayload<E>) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<ServerPayload<E>> {
    const test = (n: ServerNotification) =>
      n.method === event && match(n.params as ServerPayload<E>);
    const i = this.inbox.findIndex(test);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!.params as ServerPayload<E>);
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (n: ServerNotification) => {
          clearTimeout(timer);
          resolve(n.params as ServerPayload<E>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The methods of every notification received and not yet taken by waitFor, in order. */
  methods(): string[] {
    return this.inbox.map((n) => n.method);
  }

  /** Every received, not yet taken notification of `event`. */
  received<E extends ServerEvent>(event: E): ServerPayload<E>[] {
    return this.inbox.filter((n) => n.method === event).map((n) => n.params as ServerPayload<E>);
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  close(): Promise<Closed> {
    this.ws.close();
    return this.closed;
  }

  /** Drops the TCP connection without a close handshake (a device that lost Wi-Fi). */
  drop(): Promise<Closed> {
    this.ws.terminate();
    return this.closed;
  }
}
