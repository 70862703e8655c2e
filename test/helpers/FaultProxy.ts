import { createServer, connect, type Server, type Socket } from 'node:net';

export type Fault = 'cut' | 'stall' | 'midcut';

interface Pair {
  client: Socket;
  upstream: Socket;
  stalled: boolean;
  held: { to: Socket; chunk: Buffer }[];
  /** Cut during the next chunk, after writing part of it. */
  cutMid: boolean;
  /** Torn: nothing more is forwarded. */
  dead: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 between a room host and the cloud that breaks things on purpose:
 * cuts connections, stalls them (bytes held, nothing closed), or cuts in the middle of a chunk
 * (a WebSocket frame arrives torn). Counts what it did.
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private blocked = false;
  readonly counts: Record<Fault, number> & { connections: number; bytesUp: number } = {
    cut: 0,
    stall: 0,
    midcut: 0,
    connections: 0,
    /** Bytes forwarded from clients to the target. */
    bytesUp: 0,
  };

  /** A fault to make once this many bytes have gone up (see {@link whenUp}). */
  private trigger: { at: number; fault: 'cut' | 'stall' } | null = null;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }

  /** While blocked, connections are refused (dropped at once) and current ones cut. */
  block(on: boolean): void {
    this.blocked = on;
    if (on) for (const p of this.pairs) this.kill(p);
  }

  /** Drops every connection now. */
  cut(): void {
    this.counts.cut++;
    for (const p of this.pairs) this.kill(p);
  }

  /** Holds every byte of the current connections for `ms`, then lets them flow again. */
  stall(ms: number): void {
    this.counts.stall++;
    const victims = [...this.pairs];
    for (const p of victims) p.stalled = true;
    setTimeout(() => {
      for (const p of victims) {
        p.stalled = false;
        for (const { to, chunk } of p.held.splice(0)) if (!to.destroyed) to.write(chunk);
      }
    }, ms).unref();
  }

  /** The next chunk through any current connection is cut in two and the connection dropped. */
  cutMidMessage(): void {
    this.counts.midcut++;
    for (const p of this.pairs) p.cutMid = true;
  }

  /**
   * Once `bytes` more have gone from clients to the target, cuts every connection there, or
   * stalls them for good (nothing more is forwarded until they close): a transfer broken at a
   * known point.
   */
  whenUp(bytes: number, fault: 'cut' | 'stall'): void {
    this.trigger = { at: this.counts.bytesUp + bytes, fault };
  }

  async close(): Promise<void> {
    for (const p of this.pairs) this.kill(p);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: Socket): void {
    if (this.blocked) {
      client.destroy();
      return;
    }
    this.counts.connections++;
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, stalled: false, held: [], cutMid: false, dead: false };
    this.pairs.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (pair.dead) return;
      if (pair.cutMid && chunk.length > 1) {
        pair.dead = true;
        to.write(chunk.subarray(0, Math.ceil(chunk.length / 2)), () => this.kill(pair));
        return;
      }
      if (pair.stalled) pair.held.push({ to, chunk });
      else to.write(chunk);
    };
    const up = forward(upstream);
    client.on('data', (chunk: Buffer) => {
      if (pair.dead) return;
      const trigger = this.trigger;
      if (!trigger || this.counts.bytesUp + chunk.length < trigger.at) {
        this.counts.bytesUp += chunk.length;
        up(chunk);
        return;
      }
      this.trigger = null;
      const part = chunk.subarray(0, trigger.at - this.counts.bytesUp);
      this.counts.bytesUp += part.length;
      up(part);
      this.counts[trigger.fault]++;
      if (trigger.fault === 'cut') {
        const victims = [...this.pairs];
        upstream.write(Buffer.alloc(0), () => victims.forEach((p) => this.kill(p)));
      } else {
        for (const p of this.pairs) p.stalled = true;
      }
    });
    upstream.on('data', forward(client));
    for (const s of [client, upstream]) {
      s.on('error', () => this.kill(pair));
      s.on('close', () => this.kill(pair));
    }
  }

  private kill(p: Pair): void {
    if (!this.pairs.delete(p)) return;
    p.client.destroy();
    p.upstream.destroy();
  }
}
