import type { WebSocket } from 'ws';
import {
  CloseCode,
  encodeError,
  encodeNotification,
  encodeResult,
  ErrorCode,
  type ServerEvent,
  type ServerPayload,
  type WireError,
} from '../protocol';
import type { RelayLimits } from './config';
import type { Member } from './Member';
import { TokenBucket } from './TokenBucket';

/**
 * One WebSocket connection. Owns its rate limiter and send-side back-pressure; knows nothing
 * about rooms beyond the member it is attached to after a join.
 */
export class Peer {
  /** Set once joined (or resumed); a member outlives its connection during the resume grace. */
  member: Member | null = null;
  /** A join is being verified (credential hashing is async). */
  joining = false;
  /** Frames waiting for an async call of this connection to finish (null when none runs). */
  queue: string[] | null = null;
  /** Cleared on each heartbeat ping, set by pong. */
  alive = true;
  readonly connectedAt = Date.now();
  private readonly bucket: TokenBucket;
  private strikes = 0;
  /** Closed for abuse (oversize frame, flooding): its member gets no resume grace. */
  abused = false;
  private closed = false;

  constructor(
    readonly socket: WebSocket,
    readonly address: string,
    private readonly limits: RelayLimits,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Charges one message against the rate limit. Returns the wait in ms when over it; after too
   * many consecutive refusals the connection is closed instead.
   */
  admit(): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.bucket.take()) {
      this.strikes = 0;
      return { ok: true };
    }
    if (++this.strikes >= this.limits.rateLimitStrikes) {
      this.abused = true;
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
   * Sends an already-encoded frame. A consumer that stopped reading is closed once its queue
   * passes the cap, so one stalled client never holds memory or slows the others.
   */
  sendRaw(text: string): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount + text.length > this.limits.maxBufferedBytes) {
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    this.socket.send(text);
  }

  /** Closes with a code; a peer that cannot take the close frame is terminated after 1 s. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  /** Marks closed after the socket itself went away. */
  markClosed(): void {
    this.closed = true;
  }
}

export const errorOf = (code: ErrorCode, message: string): WireError => ({ code, message });
