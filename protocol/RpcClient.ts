import { ErrorCode, ProtocolError } from './errors';
import { ResponseEnvelope } from './envelope';
import { clientMethods, type ClientMethod, type ClientParams, type ClientResult } from './client';
import {
  serverNotifications,
  type ServerEvent,
  type ServerNotification,
  type ServerPayload,
} from './server';

/** What the client needs from a socket; wire it to a browser WebSocket or a `ws` one. */
export interface RpcSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RpcClientOptions {
  /** Default timeout per request. */
  timeoutMs?: number;
  /** Validate relay notifications and results against the protocol schemas (default true). */
  validate?: boolean;
}

interface Pending {
  method: ClientMethod;
  resolve: (value: unknown) => void;
  reject: (err: ProtocolError) => void;
  timer: ReturnType<typeof setTimeout>;
}

type Listener = (n: ServerNotification) => void;

/**
 * Request/response correlation over one socket, typed by the protocol module. Transport-agnostic:
 * the owner feeds `receive()` and `closed()` from its socket's events.
 */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  private readonly timeoutMs: number;
  private readonly validate: boolean;
  private isClosed = false;

  constructor(
    private readonly socket: RpcSocket,
    options: RpcClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.validate = options.validate ?? true;
  }

  /** Sends a request; resolves with its typed result or rejects with a ProtocolError. */
  request<M extends ClientMethod>(
    method: M,
    params: ClientParams<M>,
    timeoutMs = this.timeoutMs,
  ): Promise<ClientResult<M>> {
    if (this.isClosed) {
      return Promise.reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'connection closed'));
    }
    const id = this.nextId++;
    return new Promise<ClientResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolError(ErrorCode.TIMEOUT, `${method} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      });
      this.socket.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  /** Sends a notification (no response; failures arrive as an `error` notification). */
  notify<M extends ClientMethod>(method: M, params: ClientParams<M>): void {
    if (!this.isClosed) this.socket.send(JSON.stringify({ type: 'notification', method, params }));
  }

  /** Subscribes to every relay notification; returns the unsubscribe function. */
  onNotification(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to one notification kind; returns the unsubscribe function. */
  on<E extends ServerEvent>(event: E, handler: (params: ServerPayload<E>) => void): () => void {
    return this.onNotification((n) => {
      if (n.method === event) handler(n.params as ServerPayload<E>);
    });
  }

  /** Feed one text frame from the socket. */
  receive(data: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      // Not a protocol frame: nothing to correlate it with, so nothing to answer.
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const type = (msg as { type?: unknown }).type;
    if (type === 'response') this.onResponse(msg);
    else if (type === 'notification') this.onServerNotification(msg);
  }

  /** Call when the socket closed: every pending request is rejected. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'connection closed'));
      this.pending.delete(id);
    }
  }

  close(code = 1000): void {
    this.socket.close(code);
    this.closed();
  }

  private onResponse(msg: unknown): void {
    const parsed = ResponseEnvelope.safeParse(msg);
    if (!parsed.success || parsed.data.id === null) return;
    const p = this.pending.get(parsed.data.id);
    if (!p) return;
    this.pending.delete(parsed.data.id);
    clearTimeout(p.timer);
    if (!parsed.data.ok) {
      const e = parsed.data.error;
      p.reject(new ProtocolError(e.code as ErrorCode, e.message, e.retryAfterMs));
      return;
    }
    if (!this.validate) return p.resolve(parsed.data.result);
    const result = clientMethods[p.method].result.safeParse(parsed.data.result);
    if (result.success) p.resolve(result.data);
    else p.reject(new ProtocolError(ErrorCode.INVALID_REQUEST, `bad ${p.method} result`));
  }

  private onServerNotification(msg: unknown): void {
    const { method, params } = msg as { method?: unknown; params?: unknown };
    if (typeof method !== 'string' || !Object.hasOwn(serverNotifications, method)) return;
    const event = method as ServerEvent;
    let payload = params;
    if (this.validate) {
      const parsed = serverNotifications[event].safeParse(params);
      if (!parsed.success) return;
      payload = parsed.data;
    }
    const n = { method: event, params: payload } as ServerNotification;
    for (const l of this.listeners) l(n);
  }
}
