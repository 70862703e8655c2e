import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RecoveryPolicy } from '../../main/recovery';
import { ScreenMode, type ScreenModeDeps, type ScreenWindow } from '../../main/screenMode';
import { TestClient } from '../helpers/TestClient';
import { sleep } from '../helpers/relay';

/** Records what screen mode did to the outside world (window, mDNS advert, power blocker). */
function harness(dataDir: string) {
  const events: string[] = [];
  let query: Record<string, string> = {};
  const window: ScreenWindow = {
    reload: () => events.push('reload'),
    notice: (reason) => events.push(`notice:${reason}`),
    close: () => events.push('window-closed'),
  };
  const deps: ScreenModeDeps = {
    host: {
      dataDir,
      roomName: 'Room 204',
      staticDir: path.resolve('out/web'),
      host: '127.0.0.1',
      port: 0,
    },
    policy: new RecoveryPolicy({ noticeMs: 50, streak: 2, backoffMs: 400 }),
    openWindow: async (q) => {
      query = q;
      events.push('window-opened');
      return window;
    },
    advertise: (room) => {
      events.push(`advertised:${room.name}:${room.port}`);
      return () => events.push('unadvertised');
    },
    keepAwake: () => {
      events.push('awake');
      return () => events.push('sleep-allowed');
    },
    log: () => undefined,
  };
  return { deps, events, query: () => query };
}

describe('screen mode lifecycle', () => {
  it('starts the relay, advertises, opens the kiosk page; stops in order; restores the room', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-screen-'));
    const h = harness(dataDir);
    const screen = new ScreenMode(h.deps);
    const { port, code } = await screen.start();
    assert.equal(screen.state, 'running');
    assert.deepEqual(h.events, [`advertised:Room 204:${port}`, 'awake', 'window-opened']);
    assert.equal(h.query().relay, `127.0.0.1:${port}`);
    await assert.rejects(() => screen.start(), /running/);

    // The page it opens can join as the screen with the key it was given.
    const client = await TestClient.connect(`ws://${h.query().relay}/ws`);
    const ack = await client.join({
      role: 'screen',
      name: 'Screen',
      credential: h.query().screen!,
    });
    assert.equal(ack.snapshot.code, code);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);

    await screen.stop();
    await screen.stop(); // safe twice
    assert.equal(screen.state, 'stopped');
    assert.deepEqual(h.events.slice(3), ['unadvertised', 'sleep-allowed', 'window-closed']);
    assert.equal((await client.closed).code, 1001, 'clients told the host is going away');
    await assert.rejects(() => fetch(`http://127.0.0.1:${port}/healthz`));

    // Started again (the PC rebooted): same room, same code, so devices rejoin by themselves.
    const again = new ScreenMode(harness(dataDir).deps);
    assert.equal((await again.start()).code, code);
    await again.stop();
  });

  it('reloads a crashed or hung renderer after a notice delay, backing off on a streak', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-screen-'));
    const h = harness(dataDir);
    const screen = new ScreenMode(h.deps);
    await screen.start();
    h.events.length = 0;
    screen.onRendererFailure('crashed');
    screen.onRendererFailure('crashed'); // a second report while a reload is pending: one reload
    await sleep(150);
    assert.deepEqual(h.events, ['reload', 'notice:crashed']);
    screen.onRendererFailure('unresponsive'); // third in a minute: back off 400 ms
    await sleep(150);
    assert.equal(h.events.length, 2, 'not yet');
    await sleep(400);
    assert.deepEqual(h.events.slice(2), ['reload', 'notice:unresponsive']);
    screen.onRendererFailure('clean-exit');
    screen.onRendererFailure('oom');
    await screen.stop(); // stopping cancels the pending reload
    await sleep(500);
    assert.ok(!h.events.slice(4).includes('reload'), h.events.join());
  });
});
