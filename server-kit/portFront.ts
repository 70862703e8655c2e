/**
 * One port for `http` and `https`: each TCP connection goes to the plain or the TLS server by
 * its first byte (a TLS handshake record starts with 0x16; an HTTP request with a letter). The
 * same address serves phones that view over http and devices that share over https, and the
 * printed URL differs only in its scheme.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';

const TLS_HANDSHAKE = 0x16;

export interface PortFrontOptions {
  plain: HttpServer;
  /** Absent: TLS connections are dropped. */
  secure: HttpsServer | null;
  /** A new TCP connection; false when it was refused (and destroyed). */
  admit?(socket: Socket): boolean;
  /** A connection that sends nothing for this long is dropped before it reaches either server. */
  firstByteTimeoutMs: number;
}

export class PortFront {
  readonly server: Server;
  private readonly waiting = new Set<Socket>();

  constructor(private readonly opts: PortFrontOptions) {
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.route(socket));
    // The inner servers never listen themselves, but Node starts their header and request
    // timeout checks (slowloris) on 'listening': start them with the front's.
    this.server.on('listening', () => {
      for (const s of this.inner()) s.emit('listening');
    });
  }

  private inner(): HttpServer[] {
    return [this.opts.plain, ...(this.opts.secure ? [this.opts.secure] : [])];
  }

  private route(socket: Socket): void {
    if (this.opts.admit && !this.opts.admit(socket)) return;
    this.waiting.add(socket);
    // Signaling is small messages: no Nagle delay (ws asks for it too, but a TLS socket's
    // request may not reach the TCP socket under it).
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.firstByteTimeoutMs, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.waiting.delete(socket));
    socket.once('data', (first: Buffer) => {
      this.waiting.delete(socket);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      const target = first[0] === TLS_HANDSHAKE ? this.opts.secure : this.opts.plain;
      if (!target) {
        socket.destroy();
        return;
      }
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.resume();
  }

  /** Stops listening and drops every connection, routed or not. */
  close(): Promise<void> {
    for (const s of this.waiting) s.destroy();
    this.waiting.clear();
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.inner()) {
        // Stops their timeout checks (they were never listening: the error is expected).
        s.close(() => undefined);
        s.closeAllConnections();
      }
    });
  }
}
