/**
 * Calls between two processes of the cloud through the store (Redis pub/sub on each process's
 * own channel): requests answered once, with a timeout, and events. The SFUs of a class spread
 * over processes use it (CloudSfu, EdgePipe); the processes trust each other (Redis is theirs).
 */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { CloudStore, ProcessMessage, RpcMessage } from '../store/CloudStore';

export type RpcHandler = (params: unknown, from: string) => Promise<unknown>;
export type EventHandler = (params: unknown, from: string) => void;

const TIMEOUT_MS = 10_000;

export class ProcessRpc {
  private next = 1;
  private readonly pending = new Map<
    number,
    { ok(r: unknown): void; fail(e: Error): void; timer: NodeJS.Timeout }
  >();
  private readonly methods = new Map<string, RpcHandler>();
  private readonly events = new Map<string, EventHandler>();

  constructor(private readonly store: CloudStore) {
    store.onRelayed((m: ProcessMessage) => {
      if (m.k === 'rpc') this.receive(m);
    });
  }

  get me(): string {
    return this.store.processId;
  }

  /** Answers `method` requests from other processes. */
  handle(method: string, handler: RpcHandler): void {
    this.methods.set(method, handler);
  }

  on(event: string, handler: EventHandler): void {
    this.events.set(event, handler);
  }

  call<T>(process: string, method: string, params: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        fail(new ProtocolError(ErrorCode.SFU_UNAVAILABLE, `${method}: no answer from ${process}`));
      }, TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { ok: ok as (r: unknown) => void, fail, timer });
      this.send(process, { k: 'rpc', op: 'req', from: this.me, id, method, params });
    });
  }

  emit(process: string, event: string, params: unknown): void {
    this.send(process, { k: 'rpc', op: 'evt', from: this.me, method: event, params });
  }

  private send(process: string, m: RpcMessage): void {
    void this.store.relay(process, m).catch(() => undefined);
  }

  private receive(m: RpcMessage): void {
    if (m.op === 'res') {
      const waiting = this.pending.get(m.id ?? -1);
      if (!waiting) return;
      this.pending.delete(m.id!);
      clearTimeout(waiting.timer);
      if (m.ok) waiting.ok(m.result);
      else {
        const e = m.error ?? { code: ErrorCode.SFU_UNAVAILABLE, message: 'failed' };
        waiting.fail(new ProtocolError(e.code as ErrorCode, e.message));
      }
      return;
    }
    if (m.op === 'evt') {
      this.events.get(m.method ?? '')?.(m.params, m.from);
      return;
    }
    const handler = this.methods.get(m.method ?? '');
    const answer = (reply: Pick<RpcMessage, 'ok' | 'result' | 'error'>) =>
      this.send(m.from, { k: 'rpc', op: 'res', from: this.me, id: m.id!, ...reply });
    if (!handler) {
      answer({ ok: false, error: { code: ErrorCode.UNKNOWN_METHOD, message: String(m.method) } });
      return;
    }
    handler(m.params, m.from).then(
      (result) => answer({ ok: true, result }),
      (err: unknown) =>
        answer({
          ok: false,
          error: {
            code: err instanceof ProtocolError ? err.code : ErrorCode.SFU_UNAVAILABLE,
            message: (err instanceof Error ? err.message : String(err)).slice(0, 500),
          },
        }),
    );
  }
}
