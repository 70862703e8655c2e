/**
 * Fair reading between sockets. libuv reads a readable socket up to 32 times (64 KB each) per
 * turn of the event loop, and `ws` emits every frame of what was read at once: a sender with a
 * backlog (a burst, or a host that fell behind) could hold one turn for hundreds of
 * milliseconds, during which nobody else is read. On the room host that meant the cloud link's
 * acks waited behind 30,000 metrics reports, its send window filled and reports were shed.
 *
 * A socket that has delivered its share of bytes in a turn (about one read) stops reading until
 * the next turn; what it had already read is still delivered, in order. Nothing is dropped: TCP
 * holds the rest. A sender that fits in its share (nearly all of them) never pauses.
 */

let turn = 0;
let counting = false;

function nextTurn(): void {
  turn++;
  counting = false;
}

/** The current turn of the event loop (it moves on at the next check phase). */
function thisTurn(): number {
  if (!counting) {
    counting = true;
    setImmediate(nextTurn);
  }
  return turn;
}

export interface Readable {
  pause(): void;
  resume(): void;
}

/**
 * Message bytes a socket may deliver in one turn before it yields to the others. A read is 64 KB
 * of frames, headers included; less than that in messages makes the first full read cross the
 * share, so a socket with a backlog gives one read per turn (a 48 KB window never pauses).
 */
export const BYTES_PER_TURN = 48 * 1024;

export class ReadTurns {
  private seen = -1;
  private bytes = 0;
  private held = false;

  /**
   * `mayResume` says whether reading may start again (not when the socket is closed, or paused
   * for another reason such as a client that does not read its answers).
   */
  constructor(
    private readonly socket: Readable,
    private readonly mayResume: () => boolean,
  ) {}

  /** Counts one frame read; past the turn's share the socket waits for the next turn. */
  frame(bytes: number): void {
    const t = thisTurn();
    if (t !== this.seen) {
      this.seen = t;
      this.bytes = 0;
    }
    if ((this.bytes += bytes) < BYTES_PER_TURN || this.held) return;
    this.held = true;
    this.socket.pause();
    setImmediate(() => {
      this.held = false;
      if (this.mayResume()) this.socket.resume();
    });
  }

  /** Waiting for the next turn (the owner must not resume the socket before it). */
  get holding(): boolean {
    return this.held;
  }
}
