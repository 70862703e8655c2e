import type { CloudSfuFrame } from '../cloudSfu';
import type { RemoteFrame } from '../remote';
import { decodeFrames, encodeFrames, type Frame, type Msg } from '../upstream';
import { RecvStream, StreamError } from './RecvStream';
import type { SendStream } from './SendStream';

/** WebSocket frames one flush may write before it yields to the event loop. */
const FRAMES_PER_FLUSH = 16;

/** The socket as the channel needs it (a `ws` WebSocket fits). */
export interface LinkSocket {
  send(text: string): void;
  readonly bufferedAmount: number;
}

export interface LinkChannelOptions {
  /** Runs `fn` soon, after the current tick (setImmediate in Node). */
  defer(fn: () => void): void;
  /** Messages per WebSocket frame at most. */
  maxBatch?: number;
  /** Bytes buffered in the socket above which sending waits. */
  highWaterBytes?: number;
  /** Ack after this many new messages, or after ackDelayMs, whichever first. */
  ackEvery?: number;
  ackDelayMs?: number;
  /** Remote participants' frames (protocol/remote.ts); absent: they break the stream. */
  remote?: (frame: RemoteFrame) => void;
  /** The cloud SFU's frames (protocol/cloudSfu.ts); absent: they break the stream. */
  sfu?: (frame: CloudSfuFrame) => void;
}

/**
 * Both streams of one live connection: batches outgoing messages and acks into frames, applies
 * incoming ones exactly once (the callback sees each message once, in order), and waits when
 * the socket's buffer is full. Handshakes (hello/welcome) are the owner's; the channel starts
 * after them. A broken stream throws StreamError from `receive` (the owner closes the link).
 */
export class LinkChannel {
  private scheduled = false;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private waitTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly maxBatch: number;
  private readonly highWater: number;
  private readonly ackEvery: number;
  private readonly ackDelayMs: number;

  constructor(
    private readonly socket: LinkSocket,
    readonly out: SendStream,
    readonly inbound: RecvStream,
    private readonly deliver: (msg: Msg) => void,
    private readonly opts: LinkChannelOptions,
  ) {
    this.maxBatch = opts.maxBatch ?? 512;
    this.highWater = opts.highWaterBytes ?? 1 << 20;
    this.ackEvery = opts.ackEvery ?? 256;
    this.ackDelayMs = opts.ackDelayMs ?? 20;
  }

  /** Something was pushed to the send stream: write it out soon. */
  pump(): void {
    if (this.closed) return;
    // A whole frame's worth goes out now, between the reads of a busy turn of the event loop:
    // a turn can take in thousands of messages, and waiting for its end made bursts that
    // filled the outbox here and stalled the other side.
    if (this.out.sendable >= this.maxBatch && this.socket.bufferedAmount <= this.highWater) {
      this.write(1);
    }
    if (this.scheduled) return;
    this.scheduled = true;
    this.opts.defer(() => this.flush());
  }

  /** One WebSocket message from the other side. */
  receive(text: string): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = decodeFrames(text);
    } catch (err) {
      throw new StreamError(`bad frame: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const f of frames) {
      switch (f.t) {
        case 'm':
          if (this.inbound.accept(f)) this.deliver(f);
          break;
        case 'a':
          try {
            this.out.ack(f.s);
          } catch (err) {
            throw new StreamError(String(err));
          }
          this.pump();
          break;
        case 'r':
          this.inbound.begin(f.epoch);
          break;
        case 'x':
          if (!this.opts.remote) throw new StreamError('unexpected remote frame');
          this.opts.remote(f);
          break;
        case 'q':
        case 'p':
        case 'n':
          if (!this.opts.sfu) throw new StreamError('unexpected SFU frame');
          this.opts.sfu(f);
          break;
        default:
          throw new StreamError(`unexpected ${f.t} frame`);
      }
    }
    // A full ack goes out now, not after the sockets' other reads: the sender waits on it once
    // its inflight window is full, and a deferred ack stalled it for 100-200 ms under load.
    if (this.inbound.pendingAcks >= this.ackEvery) this.sendAck();
    else if (this.inbound.pendingAcks > 0 && !this.ackTimer) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = null;
        this.pump();
      }, this.ackDelayMs);
    }
  }

  /** A cumulative ack of everything applied so far, alone in its frame. */
  private sendAck(): void {
    const ack = this.takeAck();
    if (ack !== null) this.socket.send(encodeFrames([{ t: 'a', s: ack }]));
  }

  /** The ack due now, if any; it goes out in the caller's frame, so its timer is cancelled. */
  private takeAck(): number | null {
    const ack = this.inbound.takeAck();
    if (ack !== null && this.ackTimer) {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
    }
    return ack;
  }

  /** A remote participant's frame, now (not sequenced: see protocol/remote.ts). */
  sendRemote(frame: RemoteFrame): void {
    if (!this.closed) this.socket.send(encodeFrames([frame]));
  }

  /** A cloud SFU frame, now (not sequenced: see protocol/cloudSfu.ts). */
  sendSfu(frame: CloudSfuFrame): void {
    if (!this.closed) this.socket.send(encodeFrames([frame]));
  }

  /** Bytes the socket holds unsent (remote traffic waits while it is high). */
  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  /** Sends a Reset frame first (our stream starts a new epoch). */
  announceReset(): void {
    this.socket.send(encodeFrames([{ t: 'r', epoch: this.out.epoch }]));
  }

  close(): void {
    this.closed = true;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.ackTimer = this.waitTimer = null;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.highWater) {
      // The socket is backed up: try again shortly rather than queue in its buffer.
      this.waitTimer ??= setTimeout(() => {
        this.waitTimer = null;
        this.pump();
      }, 5);
      return;
    }
    this.write(FRAMES_PER_FLUSH);
    if (this.out.ready) this.pump();
  }

  /** Up to `max` frames of messages (the first with the pending ack), while the socket takes them. */
  private write(max: number): void {
    for (let i = 0; i < max; i++) {
      const frames: Frame[] = this.out.take(this.maxBatch);
      const ack = i === 0 ? this.takeAck() : null;
      if (ack !== null) frames.push({ t: 'a', s: ack });
      if (frames.length === 0) return;
      this.socket.send(encodeFrames(frames));
      if (!this.out.ready || this.socket.bufferedAmount > this.highWater) return;
    }
  }
}
