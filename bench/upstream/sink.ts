/**
 * The receiving end: the real cloud server (mode link), or a bare ws server counting messages
 * (mode bare, the baseline). Records arrival times of timestamped chat messages.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CloudServer } from '../../cloud/CloudServer';
import { newRoomToken } from '../../cloud/ids';
import { hashToken } from '../../server-kit/secrets';
import { MemoryStore } from '../../cloud/store/MemoryStore';
import { now, serve } from './ipc';

const mode = process.argv[2] as 'link' | 'bare';
let count = 0;
let arrivals: [string, number][] = [];

const onText = (text: string | undefined) => {
  count++;
  if (text?.startsWith('t')) arrivals.push([text, now()]);
};

let port: number;
let stats = () => ({ tcpAccepted: 0, links: 0 });
let roomId = '';
let token = '';
if (mode === 'link') {
  const store = new MemoryStore();
  token = newRoomToken();
  roomId = 'benchroom1';
  await store.createRoom({ id: roomId, name: 'Bench', tokenHash: hashToken(token), createdAt: 0 });
  const cloud = new CloudServer({ host: '127.0.0.1', port: 0, adminToken: 'x'.repeat(20), store });
  cloud.onApplied((_room, msg) => {
    if (msg.k === 'metrics') onText(undefined);
    else if (msg.k === 'event') {
      const e = msg.b as { method: string; params: { message?: { text: string } } };
      if (e.method === 'chatPosted') onText(e.params.message!.text);
    }
  });
  port = await cloud.listen();
  stats = () => ({ tcpAccepted: cloud.stats().tcpAccepted, links: cloud.stats().links });
} else {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', () => onText(undefined)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as AddressInfo).port;
}

serve({
  info: () => ({ port, roomId, token, pid: process.pid }),
  reset: () => {
    count = 0;
    arrivals = [];
    return {};
  },
  take: () => {
    const out = { count, arrivals, ...stats() };
    count = 0;
    arrivals = [];
    return out;
  },
});
