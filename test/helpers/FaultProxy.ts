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
  readonly counts: Record<Fault, number> & { connections: number } = {
    cut: 0,
    stall: 0,
    midcut: 0,
    connections: 0,
  };

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
    client.on('data', forward(upstream));
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
