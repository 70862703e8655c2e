/** What a heartbeat needs of a WebSocket (a `ws` socket). */
export interface Pingable {
  ping(): void;
  terminate(): void;
}

/**
 * Pings every watched socket each interval and terminates one that was not heard from since the
 * previous ping (a pong, a ping or any message counts: call `heard`). One timer for any number
 * of sockets: the relay watches every connection, each end of the cloud link its one socket.
 */
export class Heartbeat<S extends Pingable> {
  private readonly watched = new Set<S>();
  /** Pinged and not heard from since. */
  private readonly silent = new Set<S>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly hooks: {
      /** A socket is terminated for silence (for a log line). */
      silent?(socket: S): void;
      /** Runs after each beat (periodic housekeeping tied to the same clock). */
      afterBeat?(): void;
    } = {},
  ) {}

  watch(socket: S): void {
    this.watched.add(socket);
    if (!this.timer) {
      this.timer = setInterval(() => this.beat(), this.intervalMs);
      this.timer.unref();
    }
  }

  unwatch(socket: S): void {
    this.watched.delete(socket);
    this.silent.delete(socket);
  }

  /** The socket showed it is alive. */
  heard(socket: S): void {
    this.silent.delete(socket);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
    this.silent.clear();
  }

  private beat(): void {
    for (const socket of this.watched) {
      if (this.silent.has(socket)) {
        this.unwatch(socket);
        this.hooks.silent?.(socket);
        socket.terminate();
        continue;
      }
      this.silent.add(socket);
      socket.ping();
    }
    this.hooks.afterBeat?.();
  }
}
