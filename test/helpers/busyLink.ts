/**
 * A room host's upstream link in a process of its own (`--import tsx busyLink.ts <url> <room>
 * <token> <epoch> <frames>`): says hello, starts a fresh stream, prints `ready`, and at the first
 * line on stdin writes `frames` batches of `host` reports at once, so its backlog reaches the
 * kernel while the cloud's process is held (test/integration/cloudTurns.test.ts).
 */
import WebSocket from 'ws';
import { UPSTREAM_VERSION, type HostMetrics } from '../../protocol';

const REPORT: HostMetrics = {
  cpuPct: 12.5,
  rssMb: 180,
  connections: 31,
  members: 30,
  outbox: 0,
  dropped: 0,
};
/** Reports per WebSocket message. */
export const PER_FRAME = 16;

/** `PER_FRAME` sequenced `host` reports from `first` on, as one WebSocket message. */
export const batch = (first: number): string =>
  JSON.stringify(
    Array.from({ length: PER_FRAME }, (_, i) => ({
      t: 'm',
      s: first + i,
      k: 'host',
      d: 'room',
      b: REPORT,
    })),
  );

/** The hello that opens a room's link, and the reset that starts its stream afresh. */
export const hello = (room: string, token: string, name: string, epoch: string): string =>
  JSON.stringify({ t: 'hello', v: UPSTREAM_VERSION, room, token, name, epoch, recv: null });
export const reset = (epoch: string): string => JSON.stringify({ t: 'r', epoch });

if (process.argv[1] === import.meta.filename) {
  const [url, room, token, epoch, frames] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => ws.send(hello(room, token, 'Busy', epoch)));
  ws.once('message', () => {
    ws.send(reset(epoch));
    process.stdout.write('ready\n');
    process.stdin.once('data', () => {
      for (let i = 0; i < Number(frames); i++) ws.send(batch(1 + i * PER_FRAME));
    });
  });
}
