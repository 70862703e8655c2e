import {
  cloudSfuMethods,
  ErrorCode,
  ProtocolError,
  StreamError,
  type CloudSfuCall,
  type CloudSfuEvent,
  type CloudSfuFrame,
  type CloudSfuMethod,
  type CloudSfuParams,
  type CloudSfuResult,
} from '../../protocol';

interface Pending {
  method: CloudSfuMethod;
  resolve(r: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const unavailable = (why: string) => new ProtocolError(ErrorCode.CLOUD_UNAVAILABLE, why);

/**
 * The host's calls to the cloud's SFU over the room's link (protocol/cloudSfu.ts): each call
 * gets its reply or a CLOUD_UNAVAILABLE refusal (link down, or no answer in time); the cloud's
 * notifications go to `onEvent`.
 */
export class CloudSfuCalls {
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    /** Sends now; false while the link is down. */
    private readonly send: (call: CloudSfuCall) => boolean,
    private readonly onEvent: (event: CloudSfuEvent) => void,
    private readonly timeoutMs = 10_000,
  ) {}

  call<M extends CloudSfuMethod>(method: M, params: CloudSfuParams<M>): Promise<CloudSfuResult<M>> {
    const i = this.next++;
    return new Promise((resolve, reject) => {
      if (!this.send({ t: 'q', i, m: method, p: params })) {
        reject(unavailable('the room is not linked to the cloud now'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(i);
        reject(unavailable(`the cloud SFU did not answer ${method}`));
      }, this.timeoutMs);
      this.pending.set(i, {
        method,
        resolve: resolve as (r: unknown) => void,
        reject,
        timer,
      });
    });
  }

  /** A frame from the cloud; a call from it breaks the link (only the host calls). */
  receive(frame: CloudSfuFrame): void {
    if (frame.t === 'q') throw new StreamError('the cloud does not call the host');
    if (frame.t === 'n') {
      this.onEvent(frame);
      return;
    }
    const call = this.pending.get(frame.i);
    if (!call) return; // timed out meanwhile
    this.pending.delete(frame.i);
    clearTimeout(call.timer);
    if (!frame.ok) {
      const code = Object.values(ErrorCode).includes(frame.e?.code as ErrorCode)
        ? (frame.e!.code as ErrorCode)
        : ErrorCode.SFU_REJECTED;
      call.reject(new ProtocolError(code, frame.e?.message ?? 'refused by the cloud SFU'));
      return;
    }
    const parsed = cloudSfuMethods[call.method].result.safeParse(frame.r);
    if (parsed.success) call.resolve(parsed.data);
    else call.reject(unavailable(`bad answer to ${call.method} from the cloud SFU`));
  }

  /** The link dropped: calls in flight are refused (their answers would never come). */
  dropAll(): void {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(unavailable('the link to the cloud dropped'));
    }
    this.pending.clear();
  }

  /** Calls waiting for an answer (tests). */
  get inFlight(): number {
    return this.pending.size;
  }
}
