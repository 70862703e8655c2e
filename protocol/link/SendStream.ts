import type { Cursor, Msg } from '../upstream';

/**
 * How the outbox treats a kind under pressure:
 * - `lossy`: shed oldest-first when the outbox is full, and counted (metrics);
 * - `state`: never shed; when the backlog overflows, the unsent state is replaced by one fresh
 *   snapshot (which supersedes it), and counted;
 * - `keep`: never shed or replaced (commands, command results).
 */
export type KindClass = 'lossy' | 'state' | 'keep';

export interface Entry {
  /** Local id, in push order (for the journal). */
  id: number;
  kind: string;
  device: string;
  body: unknown;
  cls: KindClass;
  /** 0 until sent; then fixed for good. */
  seq: number;
  dropped: boolean;
}

/** What a persistent outbox writes down (see local-ws/upstream/journal.ts). */
export interface SendJournal {
  pushed(entry: Entry): void;
  dropped(id: number): void;
  acked(seq: number): void;
  reset(epoch: string): void;
}

export interface SendStreamOptions {
  /** Live entries (unacked + unsent) before lossy ones are shed. */
  maxEntries: number;
  /** Sent but unacked messages before sending pauses. */
  maxInflight: number;
  newEpoch(): string;
  classOf(kind: string): KindClass;
  /**
   * The sender's full state now (kind, device, body): replaces unsent state when it overflows,
   * and begins every new epoch. Absent for streams without state (the cloud's commands).
   */
  snapshot?: () => { kind: string; device: string; body: unknown };
  journal?: SendJournal;
}

export interface SendStats {
  epoch: string;
  /** Live entries waiting (unsent) or unacked. */
  outbox: number;
  inflight: number;
  acked: number;
  /** Lossy messages shed under pressure. */
  dropped: number;
  /** Times unsent state was replaced by a snapshot. */
  compacted: number;
  resets: number;
}

/**
 * One direction of the link, sending side: numbers messages when they go out, keeps them until
 * acked, resends what the other side lacks after a reconnect, and starts a new epoch when the
 * other side lost its history. Pure (no sockets), so both ends and the tests share it.
 */
export class SendStream {
  private epochId: string;
  private nextSeq = 1;
  private ackedSeq = 0;
  /** Sent, unacked, in seq order (from `head`). */
  private inflight: Entry[] = [];
  private head = 0;
  /** Where resending stands on this connection (index into inflight). */
  private resendAt = 0;
  /** Unsent, in push order; dropped entries are skipped lazily. */
  private queue: Entry[] = [];
  private queueHead = 0;
  /** No live lossy entry sits before this index of `queue` (where shedding looks first). */
  private lossyFrom = 0;
  private live = 0;
  private lossyQueued = 0;
  private nextId = 1;
  private droppedCount = 0;
  private compactedCount = 0;
  private resetCount = 0;

  constructor(private readonly opts: SendStreamOptions) {
    this.epochId = opts.newEpoch();
  }

  get epoch(): string {
    return this.epochId;
  }

  get acked(): number {
    return this.ackedSeq;
  }

  stats(): SendStats {
    return {
      epoch: this.epochId,
      outbox: this.live,
      inflight: this.inflight.length - this.head,
      acked: this.ackedSeq,
      dropped: this.droppedCount,
      compacted: this.compactedCount,
      resets: this.resetCount,
    };
  }

  /** Queues a message; returns false if it was shed at once (lossy, and the outbox is full). */
  push(kind: string, device: string, body: unknown): boolean {
    const cls = this.opts.classOf(kind);
    if (this.live >= this.opts.maxEntries && !this.relieve(cls)) {
      this.droppedCount++;
      return false;
    }
    this.enqueue({ id: this.nextId++, kind, device, body, cls, seq: 0, dropped: false });
    return true;
  }

  /** Messages to write now: unacked ones not yet sent on this connection, then new ones. */
  take(max: number): Msg[] {
    const out: Msg[] = [];
    while (out.length < max && this.head + this.resendAt < this.inflight.length) {
      out.push(toMsg(this.inflight[this.head + this.resendAt++]!));
    }
    while (out.length < max && this.inflight.length - this.head < this.opts.maxInflight) {
      const e = this.dequeue();
      if (!e) break;
      e.seq = this.nextSeq++;
      this.inflight.push(e);
      this.resendAt++;
      out.push(toMsg(e));
    }
    return out;
  }

  /** How many messages take() would return now: resends, then new ones the window allows. */
  get sendable(): number {
    const inflight = this.inflight.length - this.head;
    const fresh = Math.min(this.live - inflight, this.opts.maxInflight - inflight);
    return inflight - this.resendAt + Math.max(0, fresh);
  }

  /** Whether take() would return anything. */
  get ready(): boolean {
    if (this.head + this.resendAt < this.inflight.length) return true;
    return (
      this.queueHead < this.queue.length && this.inflight.length - this.head < this.opts.maxInflight
    );
  }

  /** Cumulative ack: everything up to `seq` arrived. */
  ack(seq: number): void {
    if (seq <= this.ackedSeq) return;
    if (seq >= this.nextSeq) throw new Error(`ack ${seq} beyond sent ${this.nextSeq - 1}`);
    this.opts.journal?.acked(seq);
    this.ackedSeq = seq;
    while (this.head < this.inflight.length && this.inflight[this.head]!.seq <= seq) {
      this.head++;
      this.resendAt = Math.max(0, this.resendAt - 1);
      this.live--;
    }
    if (this.head > 1024 && this.head * 2 > this.inflight.length) {
      this.inflight = this.inflight.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * A (re)connection: the other side has our stream up to `cursor`. Resumes when it has at least
   * everything acked in our epoch; otherwise it lost history and we start a new epoch (returns
   * 'reset': send a Reset frame).
   */
  resume(cursor: Cursor | null): 'resumed' | 'reset' {
    if (cursor && cursor.epoch === this.epochId && cursor.seq >= this.ackedSeq) {
      if (cursor.seq >= this.nextSeq) throw new Error(`peer claims ${cursor.seq}, sent less`);
      this.ack(cursor.seq);
      this.resendAt = 0;
      return 'resumed';
    }
    this.reset();
    return 'reset';
  }

  /**
   * A new epoch from seq 1 beginning with a snapshot (if the stream has state): lossy and state
   * messages are gone, `keep` ones (commands, results) are sent again after it.
   */
  reset(): void {
    const kept = this.liveEntries().filter((e) => e.cls === 'keep');
    this.resetCount++;
    this.epochId = this.opts.newEpoch();
    this.opts.journal?.reset(this.epochId);
    this.nextSeq = 1;
    this.ackedSeq = 0;
    this.inflight = [];
    this.head = this.resendAt = 0;
    this.queue = [];
    this.queueHead = this.live = this.lossyQueued = this.lossyFrom = 0;
    const first = this.opts.snapshot?.();
    if (first) this.push(first.kind, first.device, first.body);
    for (const e of kept) this.enqueue({ ...e, id: this.nextId++, seq: 0 });
  }

  /** Unacked and unsent entries in order (for tests and the journal's compaction). */
  liveEntries(): Entry[] {
    return [
      ...this.inflight.slice(this.head),
      ...this.queue.slice(this.queueHead).filter((e) => !e.dropped),
    ];
  }

  /**
   * Brings back a persisted outbox: `entries` were pushed in this epoch starting at `firstSeq`
   * (sent or not; all are treated as sent, so none is shed later).
   */
  restore(
    epoch: string,
    firstSeq: number,
    entries: readonly Omit<Entry, 'seq' | 'id' | 'dropped'>[],
  ): void {
    this.epochId = epoch;
    this.ackedSeq = firstSeq - 1;
    this.nextSeq = firstSeq;
    this.inflight = [];
    this.head = this.resendAt = 0;
    for (const e of entries) {
      this.inflight.push({ ...e, id: this.nextId++, seq: this.nextSeq++, dropped: false });
      this.live++;
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private enqueue(e: Entry): void {
    this.opts.journal?.pushed(e);
    this.queue.push(e);
    this.live++;
    if (e.cls === 'lossy') this.lossyQueued++;
  }

  private dequeue(): Entry | undefined {
    while (this.queueHead < this.queue.length) {
      const e = this.queue[this.queueHead++]!;
      if (e.dropped) continue;
      if (e.cls === 'lossy') this.lossyQueued--;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.lossyFrom = Math.max(0, this.lossyFrom - this.queueHead);
        this.queueHead = 0;
      }
      return e;
    }
    return undefined;
  }

  /** Makes room for one more entry of class `cls`; false if the new one must be shed instead. */
  private relieve(cls: KindClass): boolean {
    if (this.lossyQueued > 0) {
      this.dropOldestLossy();
      this.droppedCount++;
      return true;
    }
    if (cls === 'lossy') return false;
    if (cls === 'state' && this.opts.snapshot) {
      // The unsent state is superseded by a snapshot taken now (which reflects all of it).
      this.dropQueued((e) => e.cls === 'state', Infinity);
      this.compactedCount++;
      const snap = this.opts.snapshot();
      this.enqueue({ id: this.nextId++, ...snap, cls: 'state', seq: 0, dropped: false });
      return true;
    }
    return true; // `keep` entries are never refused: the bound is exceeded rather than lose one.
  }

  /**
   * Sheds the oldest unsent lossy entry. Shedding always takes the oldest, so the search goes on
   * from where the last one stopped: a full outbox under a flood costs O(1) a message, not a
   * walk over everything shed before it (which at 40,000 metrics/s stalled the host for seconds).
   */
  private dropOldestLossy(): void {
    let i = Math.max(this.lossyFrom, this.queueHead);
    while (i < this.queue.length) {
      const e = this.queue[i++]!;
      if (e.dropped || e.cls !== 'lossy') continue;
      this.shed(e);
      break;
    }
    this.lossyFrom = i;
  }

  /** Marks one unsent entry as shed (skipped when dequeued) and counts it out. */
  private shed(e: Entry): void {
    e.dropped = true;
    this.live--;
    if (e.cls === 'lossy') this.lossyQueued--;
    this.opts.journal?.dropped(e.id);
  }

  private dropQueued(match: (e: Entry) => boolean, limit: number): void {
    let n = 0;
    for (let i = this.queueHead; i < this.queue.length && n < limit; i++) {
      const e = this.queue[i]!;
      if (e.dropped || !match(e)) continue;
      this.shed(e);
      n++;
    }
  }
}

function toMsg(e: Entry): Msg {
  return { t: 'm', s: e.seq, k: e.kind, d: e.device, b: e.body };
}
