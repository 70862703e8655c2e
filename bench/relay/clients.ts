import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol';

/**
 * bare ws forwarder; the same forwarder over TLS (what TLS alone costs); Lectern's relay over
 * ws; the same relay over TLS (wss).
 */
export type Mode = 'bare' | 'bareTls' | 'relay' | 'tls';

/** A bare forwarder (no protocol: each frame goes to the room's other sockets). */
export const isBare = (mode: Mode): boolean => mode === 'bare' || mode === 'bareTls';

export interface BenchClient {
  ws: WebSocket;
  peerId: string;
  /** Sends a 200-byte-ish payload carrying `stamp` to `to` (relay) or the room (bare). */
  sendTo(to: string, stamp: string): void;
  /** Sends to everyone in the room. */
  broadcast(stamp: string): void;
  /** Called with the stamp of each forwarded message received. */
  onStamp: (stamp: string, from: string) => void;
  /** The exact frame sendTo would send (to send it many times without re-encoding). */
  frameTo(to: string, stamp: string): string;
  /** When set, frames are only counted here, not parsed (throughput runs). */
  onFrame: (() => void) | null;
  /** A request to the relay, answered (relay mode only). */
  call(method: string, params: object, id: number): Promise<{ ok: boolean; retryAfterMs?: number }>;
}

const PAD = 'x'.repeat(120);

/** The teacher credential of the bench relay (server.ts). */
export const BENCH_TEACHER = 'bench-teacher';

/** Opens a client of either server and joins the room; resolves when ready. */
export async function openClient(
  mode: Mode,
  port: number,
  codes: string,
  name: string,
  roomIndex = 0,
  role: 'student' | 'teacher' = 'student',
): Promise<BenchClient> {
  const code = codes.split(',')[roomIndex] ?? '';
  const url = isBare(mode)
    ? `${mode === 'bareTls' ? 'wss' : 'ws'}://127.0.0.1:${port}/?room=r${roomIndex}`
    : `${mode === 'tls' ? 'wss' : 'ws'}://127.0.0.1:${port}/ws`;
  // The bench host's certificate is made for the run: the handshake's cost is the same whether
  // the client checks it against a pin or not.
  const ws = new WebSocket(url, { perMessageDeflate: false, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const answers = new Map<number, (a: { ok: boolean; retryAfterMs?: number }) => void>();
  const client: BenchClient = {
    ws,
    peerId: name,
    onStamp: () => {},
    onFrame: null,
    call(method, params, id) {
      return new Promise((resolve) => {
        answers.set(id, resolve);
        ws.send(JSON.stringify({ type: 'request', id, method, params }));
      });
    },
    frameTo(to, stamp) {
      if (isBare(mode)) return JSON.stringify({ from: name, stamp, pad: PAD });
      return JSON.stringify({
        type: 'notification',
        method: 'signal',
        params: { to, signal: { kind: 'candidate', candidate: { candidate: `${stamp} ${PAD}` } } },
      });
    },
    sendTo(to, stamp) {
      ws.send(client.frameTo(to, stamp));
    },
    broadcast(stamp) {
      if (isBare(mode)) ws.send(JSON.stringify({ from: name, stamp, pad: PAD }));
      else {
        ws.send(
          JSON.stringify({
            type: 'notification',
            method: 'chat',
            params: { text: `${stamp} ${PAD}` },
          }),
        );
      }
    },
  };
  if (!isBare(mode)) {
    ws.send(
      JSON.stringify({
        type: 'request',
        id: 1,
        method: 'join',
        params: {
          protocol: PROTOCOL_VERSION,
          role,
          name,
          code,
          ...(role === 'teacher' && { credential: BENCH_TEACHER }),
        },
      }),
    );
    client.peerId = await new Promise<string>((resolve, reject) => {
      ws.once('message', (d) => {
        const m = JSON.parse(d.toString()) as {
          ok?: boolean;
          result?: { peerId: string };
          error?: unknown;
        };
        if (m.ok && m.result) resolve(m.result.peerId);
        else reject(new Error(`join failed: ${JSON.stringify(m.error)}`));
      });
    });
  }
  const stampKey = STAMP_KEY[isBare(mode) ? 'bare' : 'relay'];
  ws.on('message', (d: Buffer) => {
    if (client.onFrame) return client.onFrame();
    // The load's own stamped frames are read where they sit, without parsing the whole frame:
    // the generator's 60 clients share one core, and parsing every frame in full queued the
    // later ones behind it, a delay that grew with the frame's size (the relay's envelope is
    // larger than the bare forwarder's), not with the server.
    const fast = stampOf(d, stampKey);
    if (fast) return client.onStamp(fast.stamp, fast.from);
    const m = JSON.parse(d.toString()) as {
      type?: string;
      id?: number;
      ok?: boolean;
      error?: { retryAfterMs?: number };
      from?: string;
      stamp?: string;
      method?: string;
      params?: {
        from?: string;
        signal?: { candidate?: { candidate: string } };
        message?: { from: string; text: string };
      };
    };
    if (m.type === 'response' && m.id !== undefined && answers.has(m.id)) {
      answers.get(m.id)!({
        ok: m.ok === true,
        ...(m.error?.retryAfterMs !== undefined && { retryAfterMs: m.error.retryAfterMs }),
      });
      answers.delete(m.id);
      return;
    }
    if (isBare(mode)) client.onStamp(m.stamp!, m.from!);
    else if (m.method === 'signal') {
      client.onStamp(m.params!.signal!.candidate!.candidate.split(' ')[0]!, m.params!.from!);
    } else if (m.method === 'chatPosted') {
      client.onStamp(m.params!.message!.text.split(' ')[0]!, m.params!.message!.from);
    }
  });
  return client;
}

const FROM = Buffer.from('"from":"');
/** Where the stamp is: the bare forwarder's own field, the relay's chat text. */
const STAMP_KEY = { bare: Buffer.from('"stamp":"'), relay: Buffer.from('"text":"') };

/**
 * A broadcast frame's stamp (the digits that begin `stamp`, or a chat's `text`) and its sender,
 * or null. Both keys come after `from` in either server's frames.
 */
function stampOf(d: Buffer, key: Buffer): { stamp: string; from: string } | null {
  const f = d.indexOf(FROM);
  if (f < 0) return null;
  const fromStart = f + FROM.length;
  const fromEnd = d.indexOf(0x22, fromStart);
  const s = d.indexOf(key, fromEnd);
  if (s < 0) return null;
  const start = s + key.length;
  let end = start;
  while (end < d.length && d[end]! >= 0x30 && d[end]! <= 0x39) end++;
  if (end === start) return null;
  return {
    stamp: d.toString('latin1', start, end),
    from: d.toString('latin1', fromStart, fromEnd),
  };
}

export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}
