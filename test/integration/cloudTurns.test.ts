/**
 * A cloud carrying many rooms reads each room's link a share at a time: one room host with a
 * backlog (thousands of reports after a reconnect, or a host that fell behind) must not hold
 * the other rooms' messages until all of it is applied.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import WebSocket from 'ws';
import { UPSTREAM_VERSION, type HostMetrics } from '../../protocol';
import { startCloud } from '../helpers/cloud';

const REPORT: HostMetrics = {
  cpuPct: 12.5,
  rssMb: 180,
  connections: 31,
  members: 30,
  outbox: 0,
  dropped: 0,
};
const PER_FRAME = 16;

/** `PER_FRAME` sequenced `host` reports from `first` on, as one WebSocket message. */
const batch = (first: number): string =>
  JSON.stringify(
    Array.from({ length: PER_FRAME }, (_, i) => ({
      t: 'm',
      s: first + i,
      k: 'host',
      d: 'room',
      b: REPORT,
    })),
  );

/** Opens a room's link by hand: hello, welcome, then a fresh stream. */
function linkScript(): string {
  return `
const WebSocket = require('ws');
const [url, room, token, epoch, frames] = process.argv.slice(1);
const batch = (first) => JSON.stringify(Array.from({ length: ${PER_FRAME} }, (_, i) =>
  ({ t: 'm', s: first + i, k: 'host', d: 'room', b: ${JSON.stringify(REPORT)} })));
const ws = new WebSocket(url, { perMessageDeflate: false });
ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', v: ${UPSTREAM_VERSION}, room, token, name: 'Busy', epoch, recv: null })));
ws.once('message', () => {
  ws.send(JSON.stringify({ t: 'r', epoch }));
  process.stdout.write('ready\\n');
  process.stdin.once('data', () => {
    for (let i = 0; i < Number(frames); i++) ws.send(batch(1 + i * ${PER_FRAME}));
  });
});`;
}

test('a room with a backlog is read a share at a time: the other rooms are applied between', async () => {
  const cloud = await startCloud();
  const frames = 2000;
  const busyRoom = await cloud.addRoom('Busy');
  // The busy room's host is another process, so its backlog reaches the kernel's buffers while
  // this one (the cloud's) is held.
  const busy = spawn(
    process.execPath,
    [
      '-e',
      linkScript(),
      cloud.linkUrl,
      busyRoom.id,
      busyRoom.token,
      'epoch-busy-1',
      String(frames),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  try {
    const quietRoom = await cloud.addRoom('Quiet');
    const quiet = new WebSocket(cloud.linkUrl, { perMessageDeflate: false });
    await once(quiet, 'open');
    quiet.send(
      JSON.stringify({
        t: 'hello',
        v: UPSTREAM_VERSION,
        room: quietRoom.id,
        token: quietRoom.token,
        name: 'Quiet',
        epoch: 'epoch-quiet-1',
        recv: null,
      }),
    );
    await once(quiet, 'message');
    quiet.send(JSON.stringify({ t: 'r', epoch: 'epoch-quiet-1' }));
    const [line] = (await once(createInterface({ input: busy.stdout! }), 'line')) as [string];
    assert.equal(line, 'ready');

    const applied: string[] = [];
    let busyApplied = 0;
    const all = new Promise<void>((resolve) =>
      cloud.cloud.onApplied((room) => {
        applied.push(room);
        if (room === busyRoom.id && ++busyApplied === frames * PER_FRAME) resolve();
      }),
    );
    const quietApplied = new Promise<void>((resolve) =>
      cloud.cloud.onApplied((room) => room === quietRoom.id && resolve()),
    );
    // The busy host writes its backlog while this process sleeps; then the quiet room speaks,
    // and the cloud reads both: the busy room's socket first.
    busy.stdin!.write('go\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    quiet.send(batch(1));
    await quietApplied;
    const before = applied.indexOf(quietRoom.id);
    // A 64 KB read holds about 33 of these frames (16 reports each). Without a share per turn,
    // everything the kernel held of the backlog went first.
    const perRead = Math.floor(65536 / (Buffer.byteLength(batch(1)) + 8)) * PER_FRAME;
    assert.ok(
      before >= 0 && before <= perRead * 1.5,
      `the quiet room's report was applied after ${before} of the busy room's (a read: ~${perRead})`,
    );
    await all;
    quiet.close();
  } finally {
    busy.kill();
    await cloud.stop();
  }
});
