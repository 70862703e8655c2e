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
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { batch, hello, PER_FRAME, reset } from '../helpers/busyLink';
import { startCloud } from '../helpers/cloud';

const busyLink = fileURLToPath(new URL('../helpers/busyLink.ts', import.meta.url));

test('a room with a backlog is read a share at a time: the other rooms are applied between', async () => {
  const cloud = await startCloud();
  const frames = 2000;
  const busyRoom = await cloud.addRoom('Busy');
  // The busy room's host is another process, so its backlog reaches the kernel's buffers while
  // this one (the cloud's) is held.
  const busy = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      busyLink,
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
    quiet.send(hello(quietRoom.id, quietRoom.token, 'Quiet', 'epoch-quiet-1'));
    await once(quiet, 'message');
    quiet.send(reset('epoch-quiet-1'));
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
