import type { Cursor, Msg } from '../upstream';

/** A frame broke the stream's rules (gap, unknown epoch): the link must be re-established. */
export class StreamError extends Error {
  override readonly name = 'StreamError';
  readonly code = 'STREAM_BROKEN';
}

/**
 * One direction of the link, receiving side: takes each seq exactly once and in order, counts
 * duplicates (resends after a reconnect), and says when a cumulative ack is due.
 */
export class RecvStream {
  private current: Cursor | null;
  /** Messages taken since the last ack went out. */
  private unacked = 0;
  duplicates = 0;
  received = 0;

  constructor(cursor: Cursor | null = null) {
    this.current = cursor;
  }

  /** How far we have the other side's stream (told in hello/welcome). */
  get cursor(): Cursor | null {
    return this.current;
  }

  /** Whether this side holds the other's stream `epoch` (for the welcome's answer). */
  knows(epoch: string): boolean {
    return this.current?.epoch === epoch;
  }

  /** The other side starts epoch `epoch` from seq 1 (a Reset frame, or a fresh link). */
  begin(epoch: string): void {
    this.current = { epoch, seq: 0 };
    this.unacked = 0;
  }

  /** True: new, apply it. False: a duplicate, ignore it. Throws on a gap or before any epoch. */
  accept(msg: Msg): boolean {
    const cur = this.current;
    if (!cur) throw new StreamError('message before any epoch');
    if (msg.s <= cur.seq) {
      this.duplicates++;
      return false;
    }
    if (msg.s !== cur.seq + 1) throw new StreamError(`gap: have ${cur.seq}, got ${msg.s}`);
    cur.seq = msg.s;
    this.received++;
    this.unacked++;
    return true;
  }

  /** The seq to ack now, or null if nothing new since the last ack. */
  takeAck(): number | null {
    if (this.unacked === 0 || !this.current) return null;
    this.unacked = 0;
    return this.current.seq;
  }

  /** Messages taken since the last ack. */
  get pendingAcks(): number {
    return this.unacked;
  }
}
