/**
 * A server under test, in its own process: `bare` (a ws forwarder: a set of sockets per room,
 * nothing else), `relay` (Lectern's relay with its validation, limits and auth), or either over
 * TLS: `bareTls`, `tls`.
 * Prints one JSON line {port, code, teacher}; exits on SIGTERM.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import v8 from 'node:v8';
import { WebSocketServer, type WebSocket } from 'ws';
import { RelayServer } from '../../local-ws';
import { createCa, issueServerCert, newKey } from '../../local-ws/tls/issue';
import { hashCredential } from '../../server-kit/secrets';
import { BENCH_TEACHER } from './clients';

const mode = process.argv[2];

// The orchestrator asks for a full GC before reading RSS (same for both servers), so idle
// memory is what connections hold, not garbage from setting them up.
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gc?.();
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 1024)]),
  );
  process.stdout.write(JSON.stringify({ phase: 'gc', ...process.memoryUsage(), spaces }) + '\n');
});

/** The room host's own kind of certificate (ECDSA P-256 from its CA), for https/wss. */
async function benchTls(): Promise<{ cert: string; key: string; pin: string; ca: string }> {
  const ca = await createCa('Bench', ['localhost']);
  const key = await newKey();
  const cert = await issueServerCert(ca, key, ['localhost', '127.0.0.1']);
  return { cert: `${cert}${ca.cert}`, key, pin: '', ca: ca.cert };
}

if (mode === 'bare' || mode === 'bareTls') {
  // `bareTls`: the same forwarder behind an https server with the relay's kind of certificate:
  // what TLS alone costs, beside what the relay costs over it.
  const tls = mode === 'bareTls' ? await benchTls() : undefined;
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createHttpServer();
  const rooms = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? 'r';
    let set = rooms.get(room);
    if (!set) rooms.set(room, (set = new Set()));
    const peers = set;
    peers.add(ws);
    ws.on('message', (data) => {
      for (const other of peers) if (other !== ws) other.send(data, { binary: false });
    });
    ws.on('close', () => peers.delete(ws));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(JSON.stringify({ port }));
  });
  process.on('SIGTERM', () => process.exit(0));
} else if (mode === 'relay' || mode === 'tls') {
  // Production limits, except those a single load generator on 127.0.0.1 would trip by design:
  // one address opens 1,000 connections and one connection sends 100k msg/s; and the load's
  // members chat at 10 messages a second each, far above a human rate. The fan-out budget
  // (bytes × recipients per sender) stays as in production: it is what holds the attack's
  // flooder back.
  const tls = mode === 'tls' ? await benchTls() : undefined;
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    ...(tls && { tls }),
    teacherCredentialHash: hashCredential(BENCH_TEACHER),
    limits: {
      messagesPerSecond: 1_000_000,
      messageBurst: 1_000_000,
      maxConnectionsPerAddress: 5000,
      maxConnections: 5000,
      maxPeersPerRoom: 5000,
      maxTcpPerAddress: 5000,
      maxPendingPerAddress: 5000,
      maxPendingHandshakes: 5000,
      connectsPerSecondPerAddress: 100_000,
      connectsBurstPerAddress: 100_000,
      codeGuessBurst: 100_000,
      chatPerSecond: 20,
      chatBurst: 40,
      roomChatPerSecond: 2000,
      roomChatBurst: 4000,
      signalBytesPerSecond: 1e12,
      signalBurstBytes: 1e12,
    },
  });
  // Twenty classrooms: the idle scenario spreads its 1,000 connections over them.
  const rooms = Array.from({ length: 20 }, (_, i) => relay.registry.createRoom(`Bench ${i}`));
  const port = await relay.listen();
  console.log(JSON.stringify({ port, code: rooms.map((r) => r.code).join(',') }));
  process.on('SIGTERM', () => process.exit(0));
} else {
  console.error('usage: server.ts bare|bareTls|relay|tls');
  process.exit(2);
}
