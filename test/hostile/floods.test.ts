import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { assertUnharmed, connectFrom, startCanary } from '../helpers/hostile';
import { sleep } from '../helpers/relay';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import type { TestClient } from '../helpers/TestClient';

const TEACHER = 'teacher';

/** Stops reading the socket (the kernel buffers fill, then the relay's queue for it grows). */
const pauseReading = (c: TestClient) =>
  (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;

/**
 * Floods from members and from sockets that never join, against a relay process with
 * production limits; a well-behaved student (its own process) measures the class meanwhile.
 */
describe('hostile classmates: floods', () => {
  let relay: RelayChild;
  let code: string;
  let screenKey: string;
  let n = 10;
  /** A student from a fresh loopback address. */
  const student = async (name: string) => {
    const c = await connectFrom(relay.url, n++);
    await c.join({ role: 'student', name, code });
    return c;
  };
  before(async () => {
    relay = await spawnRelay({}, { teacher: TEACHER });
    ({ code, screenKey } = relay.rooms[0]!);
  });
  after(() => relay.stop());

  it('a member that stops reading and pipelines snapshots makes the relay do almost nothing', async () => {
    // A class with a long chat: twenty students post five long messages each.
    const posters = await Promise.all(Array.from({ length: 20 }, (_, i) => student(`P${i}`)));
    await Promise.all(
      posters.map(async (p) => {
        for (let k = 0; k < 5;) {
          await p.request('chat', { text: '長'.repeat(2000) }).then(
            () => k++,
            () => sleep(250), // the room's own chat budget: wait and post again
          );
        }
      }),
    );
    const canary = await startCanary(relay.url, code);
    const attacker = await student('Slow');
    pauseReading(attacker).pause();
    const frame = JSON.stringify({ type: 'request', id: 7, method: 'snapshot', params: {} });
    for (let i = 0; i < 390; i++) attacker.sendRaw(frame);
    await sleep(3000);
    assertUnharmed(await canary.stop(), 'slow reader pipelining snapshots');
    // Snapshots carry the recent chat only; older messages come a page at a time.
    const late = await connectFrom(relay.url, n++);
    const { snapshot } = await late.join({ role: 'student', name: 'Late', code });
    assert.equal(snapshot.chat.length, 20);
    assert.equal(snapshot.chatMore, true);
    const page = await late.request('chat.history', { before: snapshot.chat[0]!.id, limit: 50 });
    assert.equal(page.messages.length, 50);
    assert.equal(page.more, true);
    assert.ok(page.messages.at(-1)!.id !== snapshot.chat[0]!.id, 'strictly older');
    late.ws.terminate();
    attacker.ws.terminate();
    for (const p of posters) p.ws.terminate();
  });

  it('chat floods cost the sender: control characters refused, big messages throttled, a paused reader kept', async () => {
    const canary = await startCanary(relay.url, code);
    const flooder = await student('Flood');
    const paused = await student('Paused');
    const tcp = pauseReading(paused);
    let received = 0;
    paused.rpc.on('chatPosted', (p) => p.message.from === flooder.peerId && received++);
    const control = await flooder
      .request('chat', { text: '\u0001'.repeat(2000) })
      .catch((e: { code: string }) => e.code);
    assert.equal(control, 'BAD_TEXT');
    tcp.pause();
    const result: Record<string, number> = {};
    const started = Date.now();
    let accepted = 0;
    while (Date.now() - started < 3000) {
      const outcome = await flooder.request('chat', { text: `"${'語'.repeat(1990)}"` }).then(
        () => 'OK',
        (e: { code: string }) => e.code,
      );
      result[outcome] = (result[outcome] ?? 0) + 1;
      if (outcome === 'OK') accepted++;
    }
    tcp.resume();
    console.log(`3 s chat flood: ${JSON.stringify(result)}`);
    assert.ok(accepted <= 5 + 4, `the sender is held to a human rate: ${accepted} accepted`);
    assert.ok((result['RATE_LIMITED'] ?? 0) > 0);
    // The paused member is still here and gets every accepted message, in the end.
    await paused.request('ping', {});
    assert.equal(received, accepted, 'no message lost for the member that paused');
    assertUnharmed(await canary.stop(), 'chat flood');
    flooder.ws.terminate();
    paused.ws.terminate();
  });

  it('offers to the room screen: refused off stage; on stage throttled; the screen is never dropped', async () => {
    const screen = await connectFrom(relay.url, 5);
    await screen.join({ role: 'screen', name: 'Screen', credential: screenKey });
    const teacher = await connectFrom(relay.url, 6);
    await teacher.join({ role: 'teacher', name: 'T', code, credential: TEACHER });
    const canary = await startCanary(relay.url, code);
    const s = await student('Offer');
    const offer = {
      kind: 'description' as const,
      description: { type: 'offer' as const, sdp: 'v=0\r\n' + 'a'.repeat(199_000) },
    };
    const off = await s
      .request('signal', { to: screen.peerId, signal: offer })
      .catch((e: { code: string }) => e.code);
    assert.equal(off, 'NOT_ON_STAGE');
    await teacher.request('stage.invite', { peerId: s.peerId });
    await s.request('stage.respond', { accept: true });
    const tcp = pauseReading(screen);
    tcp.pause();
    const result: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const r = await s.request('signal', { to: screen.peerId, signal: offer }).then(
        () => 'OK',
        (e: { code: string }) => e.code,
      );
      result[r] = (result[r] ?? 0) + 1;
    }
    console.log(`100 offers of 200 KB to a screen that stopped reading: ${JSON.stringify(result)}`);
    assert.ok((result['OK'] ?? 0) <= 12, 'signaling bytes are budgeted');
    await sleep(3000);
    tcp.resume();
    assert.deepEqual(
      await screen.request('ping', { t: 1 }),
      { t: 1 },
      'the screen is still connected',
    );
    assertUnharmed(await canary.stop(), 'offer flood at the screen');
    for (const c of [screen, teacher, s]) c.ws.terminate();
  });

  it('a socket that never joins: a few frames, then it is cut off; pings alike', async () => {
    const canary = await startCanary(relay.url, code);
    // Socket after socket (from 20 addresses) blasting frames without joining, for 3 s.
    const started = Date.now();
    let sockets = 0;
    let sent = 0;
    let slowest = 0;
    while (Date.now() - started < 3000) {
      const ws = new WebSocket(relay.url, { localAddress: `127.0.0.${70 + (sockets++ % 20)}` });
      ws.on('error', () => undefined);
      const opened = await new Promise<boolean>((r) => {
        ws.once('open', () => r(true));
        ws.once('unexpected-response', () => r(false));
        ws.once('close', () => r(false));
      });
      if (!opened) {
        await sleep(20);
        continue;
      }
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      const t0 = Date.now();
      while (ws.readyState === WebSocket.OPEN && Date.now() - t0 < 1000) {
        for (let i = 0; i < 600; i++) ws.send('{"type":"notification","method":"ping"}');
        sent += 600;
        await sleep(5);
      }
      await closed;
      slowest = Math.max(slowest, Date.now() - t0);
    }
    console.log(
      `pre-join flood: ${sockets} sockets, ${sent} frames sent in 3 s; each cut off within ${slowest} ms`,
    );
    assert.ok(slowest < 1000, 'every one cut off at once');
    // Even a socket that stays inside the message rate gets a few frames, not a channel.
    const polite = new WebSocket(relay.url, { localAddress: '127.0.0.69' });
    polite.on('error', () => undefined);
    await new Promise((r) => polite.once('open', r));
    let politeSent = 0;
    while (polite.readyState === WebSocket.OPEN && politeSent < 50) {
      polite.send('{"type":"notification","method":"ping"}');
      politeSent++;
      await sleep(10);
    }
    assert.ok(politeSent <= 10, `a socket that never joins was cut off after ${politeSent} frames`);
    const pinger = new WebSocket(relay.url, { localAddress: '127.0.0.71' });
    await new Promise((r) => pinger.once('open', r));
    const pingerClosed = new Promise<void>((r) => pinger.once('close', () => r()));
    pinger.on('error', () => undefined);
    for (let i = 0; i < 1000 && pinger.readyState === WebSocket.OPEN; i++) pinger.ping();
    await pingerClosed;
    assertUnharmed(await canary.stop(), 'pre-join frame flood');
  });

  it('1,000 connection attempts from one address and 300 half-sent upgrades are shed quickly', async () => {
    const canary = await startCanary(relay.url, code);
    const attempts = await Promise.allSettled(
      Array.from({ length: 1000 }, () => connectFrom(relay.url, 80).then((c) => c.ws.terminate())),
    );
    const opened = attempts.filter((a) => a.status === 'fulfilled').length;
    console.log(`1,000 connection attempts from one address: ${opened} opened`);
    assert.ok(opened <= 60, 'the door lets a burst through, not a flood');
    const slow: Socket[] = [];
    for (let i = 0; i < 300; i++) {
      const s = tcpConnect({
        host: '127.0.0.1',
        port: relay.port,
        localAddress: `127.0.1.${1 + (i % 250)}`,
      });
      s.on('error', () => undefined);
      s.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
      slow.push(s);
    }
    await sleep(7000);
    const open = slow.filter((s) => !s.destroyed && s.readyState === 'open').length;
    console.log(`300 half-sent upgrade requests: ${open} still open after 7 s`);
    assert.equal(open, 0, 'slowloris sockets are closed after the header timeout');
    for (const s of slow) s.destroy();
    assertUnharmed(await canary.stop(), 'connection floods');
  });
});
