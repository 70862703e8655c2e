import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol';

/** One headless drawer: a student's pen as the app sends it (a batch every 30 ms). */
export interface Drawer {
  /** Bytes it has put on the wire for board.draw (frames and their WebSocket headers). */
  bytes(): number;
  stop(): void;
}

const BATCH_MS = 30;
/** 60 Hz pointer moves: two points a batch. */
const POINTS_PER_BATCH = 2;
/** A stroke lasts 1.2 s, then the pen lifts for 0.3 s. */
const BATCHES_PER_STROKE = 40;
const PAUSE_BATCHES = 10;

const q = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1e4) / 1e4;
/** A client frame's header: 2 bytes, a 4-byte mask, 2 more past 125 bytes of payload. */
const wireBytes = (frame: string) => frame.length + 6 + (frame.length > 125 ? 2 : 0);

/**
 * Joins as a student from its own loopback address and draws in the lower part of the page
 * (y 0.55–0.95) in purple, so the benchmark's black dabs above are never confused with it.
 * Answers and broadcasts are read and dropped (a real device would paint them).
 */
export async function startDrawer(url: string, code: string, n: number): Promise<Drawer> {
  const ws = new WebSocket(url, { localAddress: `127.0.0.${20 + n}`, skipUTF8Validation: true });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const send = (method: string, params: unknown) => {
    const frame = JSON.stringify({ type: 'request', id: ++id, method, params });
    ws.send(frame);
    return frame;
  };
  const joined = new Promise<void>((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; error?: { code: string } };
      if (msg.id !== 1) return;
      ws.off('message', onMessage);
      if (msg.error) reject(new Error(`drawer ${n}: ${msg.error.code}`));
      else resolve();
    };
    ws.on('message', onMessage);
  });
  send('join', { protocol: PROTOCOL_VERSION, role: 'student', name: `Drawer ${n}`, code });
  await joined;
  ws.on('message', () => {});
  let bytes = 0;
  let stroke = 0;
  let batch = 0;
  let x = 0.1 + (n % 10) * 0.08;
  let y = 0.6 + (n % 3) * 0.1;
  const timer = setInterval(() => {
    if (batch >= BATCHES_PER_STROKE) {
      if (++batch >= BATCHES_PER_STROKE + PAUSE_BATCHES) {
        batch = 0;
        stroke++;
        x = 0.1 + Math.random() * 0.6;
      }
      return;
    }
    const points = Array.from({ length: POINTS_PER_BATCH }, () => {
      x = q(x + (Math.random() - 0.3) * 0.004);
      y = q(Math.min(0.95, Math.max(0.55, y + (Math.random() - 0.5) * 0.004)));
      return [x, y, 0.5];
    });
    batch++;
    const frame = send('board.draw', {
      target: { page: 0 },
      id: `d${n}s${stroke}`,
      tool: 'pen',
      color: '#7e22ce',
      width: 3,
      points,
      done: batch === BATCHES_PER_STROKE,
    });
    bytes += wireBytes(frame);
  }, BATCH_MS);
  return {
    bytes: () => bytes,
    stop() {
      clearInterval(timer);
      ws.terminate();
    },
  };
}
