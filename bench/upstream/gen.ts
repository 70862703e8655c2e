/** The load generator: LAN devices on the relay (or on the bare forwarder). */
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol';
import { metricsBody, now, serve } from './ipc';

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Joins as a student; resolves when the relay answered. */
async function join(ws: WebSocket, code: string, name: string): Promise<void> {
  const answered = new Promise<void>((resolve, reject) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { type: string; id?: number; ok?: boolean };
      if (m.type === 'response' && m.id === 1) {
        ws.off('message', on);
        if (m.ok) resolve();
        else reject(new Error(data.toString()));
      }
    };
    ws.on('message', on);
  });
  ws.send(
    JSON.stringify({
      type: 'request',
      id: 1,
      method: 'join',
      params: { protocol: PROTOCOL_VERSION, role: 'student', name, code },
    }),
  );
  await answered;
}

const notification = (method: string, params: unknown) =>
  JSON.stringify({ type: 'notification', method, params });

let held: WebSocket[] = [];

serve({
  /** `senders` devices together send `rate` metrics reports/s for `ms` (paced per 1 ms tick). */
  async offer(a) {
    const { url, code, senders, rate, ms, mode } = a as {
      url: string;
      code: string;
      senders: number;
      rate: number;
      ms: number;
      mode: string;
    };
    const socks = await Promise.all(Array.from({ length: senders }, () => open(url)));
    if (mode === 'link') await Promise.all(socks.map((ws, i) => join(ws, code, `B${i}`)));
    let sent = 0;
    const start = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((Date.now() - start) / 1000) * rate);
        while (sent < due) {
          socks[sent % senders]!.send(notification('metrics.report', metricsBody(sent++)));
        }
        if (Date.now() - start >= ms) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    for (const ws of socks) ws.close();
    return { sent };
  },
  /** One sender posts timestamped chat at `rate`/s; a listener on the LAN records arrivals. */
  async paced(a) {
    const { url, code, rate, ms } = a as { url: string; code: string; rate: number; ms: number };
    const [sender, listener] = await Promise.all([open(url), open(url)]);
    await join(sender, code, 'Sender');
    await join(listener, code, 'Listener');
    const lan: [string, number][] = [];
    listener.on('message', (data) => {
      const text = data.toString();
      if (!text.includes('"chatPosted"')) return;
      const t = (JSON.parse(text) as { params: { message: { text: string } } }).params.message.text;
      lan.push([t, now()]);
    });
    let n = 0;
    const start = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((Date.now() - start) / 1000) * rate);
        while (n < due) sender.send(notification('chat', { text: `t${now().toFixed(3)}#${n++}` }));
        if (Date.now() - start >= ms) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    await new Promise((r) => setTimeout(r, 500));
    sender.close();
    listener.close();
    return { sent: n, lan };
  },
  /** Joins `n` students and keeps them connected. */
  async devices(a) {
    const { url, code, n } = a as { url: string; code: string; n: number };
    for (let i = 0; i < n; i++) {
      const ws = await open(url);
      await join(ws, code, `D${i}`);
      held.push(ws);
    }
    return { joined: held.length };
  },
  release() {
    for (const ws of held) ws.close();
    held = [];
    return {};
  },
});
