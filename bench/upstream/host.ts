/**
 * The room host: Lectern's relay with its upstream link (mode link), or a bare ws forwarder
 * that sends every message it gets to one upstream socket (mode bare, the baseline).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { RelayServer } from '../../local-ws';
import { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { LOAD_LIMITS } from '../../test/helpers/loadLimits';
import { serve } from './ipc';

const [mode, sinkPort, roomId, token] = process.argv.slice(2) as [string, string, string, string];
const cloudUrl = `ws://127.0.0.1:${sinkPort}/link`;
let port: number;
let code = '';
let linkStats = () => ({}) as Record<string, unknown>;

if (mode === 'link') {
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    // Production limits, except those one load generator on 127.0.0.1 trips by design: 200
    // devices from one address, and chat far above a human rate (5,000 messages a second).
    limits: {
      ...LOAD_LIMITS,
      messagesPerSecond: 1_000_000,
      messageBurst: 1_000_000,
      maxBufferedBytes: 64 * 1024 * 1024,
    },
  });
  const room = relay.registry.createRoom('Bench');
  code = room.code;
  port = await relay.listen();
  const feed = new RoomFeed(relay, room, { url: cloudUrl, roomId, token, chat: true });
  feed.start();
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (feed.link.status.state === 'online') {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
  linkStats = () => ({ ...feed.link.stats() });
} else {
  const upstream = new WebSocket(cloudUrl, { perMessageDeflate: false });
  await new Promise((r) => upstream.once('open', r));
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data) => upstream.send(data)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as AddressInfo).port;
}

serve({
  info: () => ({ port, code, pid: process.pid }),
  stats: () => linkStats(),
});
