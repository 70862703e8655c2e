import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  CloseCode,
  encodeError,
  encodeNotification,
  encodeResult,
  type ServerEvent,
  type ServerPayload,
  type WireError,
} from '../protocol';
import { closeSocket } from '../server-kit/closeSocket';
import type { RelayLimits } from './config';
import type { RemoteIdentity } from './upstream/remoteIdentity';
import type { Member } from './Member';
import { SenderBudget } from './security/SenderBudget';
import { ReadTurns } from '../server-kit/readTurns';
import { TokenBucket } from '../server-kit/TokenBucket';

/**
 * One WebSocket connection to the relay (a participant on the wire is a `Member`; its
 * connection may change on a resume). Owns its rate limiter and send-side back-pressure; knows
 * nothing about rooms beyond the member bound to it after a join.
 */
export class Connection {
  private boundMember: Member | null = null;
  /** A join is being verified (credential hashing is async). */
  joining = false;
  /** Frames waiting for an async call of this connection to finish (null when none runs). */
  queue: string[] | null = null;
  readonly connectedAt = Date.now();
  /** What this sender's messages may cost the room, by kind. */
  readonly budget: SenderBudget;
  /** Frames received before the join was answered (a socket that has not joined gets few). */
  preJoinFrames = 0;
  private readonly bucket: TokenBucket;
  private pings: TokenBucket | null = null;
  private paused = false;
  private strikes = 0;
  private lastRefusalAt = 0;
  private abusedFlag = false;
  private closed = false;
  private corked = false;
  private readonly turns: ReadTurns;

  constructor(
    readonly socket: WebSocket,
    readonly address: string,
    private readonly limits: RelayLimits,
    /** The TCP socket under `socket`, corked per tick so a burst of frames is one write. */
    private readonly tcp: Duplex,
    /** Over TLS or loopback: its signaling cannot be read or rewritten on the LAN. */
    readonly secure: boolean,
    /** What the device says it is ("iPhone · Safari"), for the teacher's lobby. */
    readonly deviceLabel = 'unknown device',
    /** A participant outside the room, carried by the cloud (upstream/RemoteBridge.ts). */
    readonly remote: RemoteIdentity | null = null,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.budget = new SenderBudget(limits);
    this.turns = new ReadTurns(socket, () => !this.closed && !this.paused);
  }

  /** Queued past the busy mark: messages for it are refused to their senders (PEER_BUSY). */
  get busy(): boolean {
    return this.socket.bufferedAmount > this.limits.busyBytes;
  }

  /** Bytes queued toward this client and not yet taken by it. */
  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  /** A WebSocket ping arrived (each costs a pong): false when the client pings too often. */
  pinged(): boolean {
    this.pings ??= new TokenBucket(this.limits.wsPingsPerSecond, this.limits.wsPingsPerSecond * 2);
    return this.pings.take();
  }

  /**
   * Stops reading this client's frames while it does not read ours: a client that asks and
   * never takes the answers cannot make the relay work for it. Reading resumes once its queue
   * has drained.
   */
  pauseIfBacklogged(): void {
    if (this.paused || this.closed || this.socket.bufferedAmount < this.limits.readPauseBytes) {
      return;
    }
    this.paused = true;
    this.socket.pause();
    this.tcp.once('drain', () => {
      this.paused = false;
      if (!this.closed && !this.turns.holding) this.socket.resume();
    });
  }

  /**
   * One frame was read: past its share of this turn of the event loop, the socket waits for the
   * next turn (server-kit/readTurns.ts), so no sender's backlog holds up everyone else's.
   */
  tookFrame(bytes: number): void {
    this.turns.frame(bytes);
  }

  /** The member this connection speaks for (set by `Member.attach`, cleared by `detach`). */
  get member(): Member | null {
    return this.boundMember;
  }

  /** @internal Only Member calls these. */
  bind(member: Member | null): void {
    this.boundMember = member;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Closed for abuse (oversize frame, flooding): its member gets no resume grace. */
  get abused(): boolean {
    return this.abusedFlag;
  }

  markAbused(): void {
    this.abusedFlag = true;
  }

  /**
   * Charges one message against the rate limit. Returns the wait in ms when over it. Refusals
   * count as strikes until the sender has been quiet (no refusal) for a second: a sender that
   * keeps going past `rateLimitStrikes` of them is closed, and nothing more of it is read, so a
   * flood costs the relay a hundred refusals, not one per frame the flooder can write.
   */
  admit(): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.bucket.take()) return { ok: true };
    const now = performance.now();
    if (now - this.lastRefusalAt > STRIKE_QUIET_MS) this.strikes = 0;
    this.lastRefusalAt = now;
    if (++this.strikes >= this.limits.rateLimitStrikes) {
      this.abusedFlag = true;
      this.socket.pause();
      this.close(CloseCode.RATE_LIMITED, 'rate limit');
    }
    return { ok: false, retryAfterMs: this.bucket.retryAfterMs() };
  }

  notify<E extends ServerEvent>(event: E, params: ServerPayload<E>): void {
    this.sendRaw(encodeNotification(event, params));
  }

  respond(id: number, result: unknown): void {
    this.sendRaw(encodeResult(id, result));
  }

  /** Answers a request with an error, or a notification with an `error` notification. */
  fail(id: number | null, error: WireError, method?: string): void {
    if (id !== null || method === undefined) this.sendRaw(encodeError(id, error));
    else this.notify('error', { ...error, method });
  }

  /**
   * Sends an already-encoded text frame (a Buffer when one encoding serves many recipients). A
   * consumer that stopped reading is closed once its queue passes the cap, so one stalled client
   * never holds memory or slows the others.
   */
  sendRaw(frame: string | Buffer): void {
    if (this.closed) return;
    // Teachers and room screens get a far larger queue: senders are refused (PEER_BUSY) long
    // before it fills, so they are never the ones closed for someone else's flood.
    const cap =
      this.boundMember && this.boundMember.role !== 'student'
        ? this.limits.maxBufferedBytesPrivileged
        : this.limits.maxBufferedBytes;
    if (this.socket.bufferedAmount + frame.length > cap) {
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.tcp.cork();
      process.nextTick(uncork, this);
    }
    this.socket.send(frame, TEXT);
    // A tick can carry megabytes after back-pressure; flush early so the slow-consumer check
    // above sees only what the client has not taken, not what we are holding.
    if (this.tcp.writableLength >= CORK_FLUSH_BYTES) this.flush();
  }

  /** Flushes what this tick queued (see sendRaw). */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.tcp.uncork();
  }

  /** Closes with a code; a peer that cannot take the close frame is terminated after 1 s. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    closeSocket(this.socket, code, reason);
  }

  /** Drops a flooding client at once: no close handshake, nothing more read or written. */
  kill(): void {
    this.abusedFlag = true;
    this.closed = true;
    this.socket.terminate();
  }

  /** Marks closed after the socket itself went away. */
  markClosed(): void {
    this.closed = true;
  }
}

const TEXT = { binary: false } as const;
/** A second without a refusal forgives the strikes (see admit). */
const STRIKE_QUIET_MS = 1000;
const CORK_FLUSH_BYTES = 64 * 1024;

function uncork(connection: Connection): void {
  connection.flush();
}
