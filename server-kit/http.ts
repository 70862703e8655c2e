/**
 * The HTTP scaffolding both servers (the room relay and the cloud) stand on: one server for
 * pages, JSON and the WebSocket upgrade, `/healthz`, refusal of bad upgrades before any
 * WebSocket exists, listening and closing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';

export interface WebServerOptions {
  /** Every request but `/healthz`. */
  request(req: IncomingMessage, res: ServerResponse): void;
  /** A WebSocket upgrade request (the socket's errors are already handled). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** What `/healthz` answers (JSON). */
  health(req: IncomingMessage): unknown;
  /**
   * Time a client has to send its request headers, and the whole request: a client that opens
   * a connection and trickles a request (slowloris) is dropped after this.
   */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Serve https with this certificate (PEM chain) and key instead of http. */
  tls?: { cert: string; key: string };
}

/** The path of a request URL without its query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

export function createWebServer(opts: WebServerOptions): Server {
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const options = {
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, opts.requestTimeoutMs ?? 30_000),
    // How often Node looks for requests past those times (its default is 30 s).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
    keepAliveTimeout: 5000,
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (pathOf(req) === '/healthz') sendJson(res, 200, opts.health(req));
    else opts.request(req, res);
  };
  const server: Server = opts.tls
    ? createTlsServer(
        { ...options, cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' },
        handler,
      )
    : createServer(options, handler);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    opts.upgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket: Duplex) => socket.destroy());
  // A failed TLS handshake (a device that does not trust the certificate) just closes.
  if (opts.tls) server.on('tlsClientError', (_err, socket: Duplex) => socket.destroy());
  return server;
}

/** Starts listening; resolves with the bound port. */
export async function listen(server: NetServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops every connection still open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .end(JSON.stringify(body));
}
