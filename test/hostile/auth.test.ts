import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../protocol';
import { assertUnharmed, connectFrom, startCanary } from '../helpers/hostile';
import { sleep } from '../helpers/relay';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import type { TestClient } from '../helpers/TestClient';

const TEACHER = 'the real teacher credential';

/** A new socket from the address, retried while the relay's door refuses it. */
async function reconnect(url: string, n: number): Promise<TestClient> {
  for (;;) {
    try {
      return await connectFrom(url, n);
    } catch {
      await sleep(50);
    }
  }
}

/** Outcome codes of a list of settled requests. */
async function outcomes(requests: Promise<unknown>[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await Promise.allSettled(requests)) {
    const code = r.status === 'fulfilled' ? 'OK' : ((r.reason as { code?: string }).code ?? '?');
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

/**
 * Guessing the join code and the teacher credential, against a relay process with production
 * limits, from many loopback addresses (each 127.0.0.N is a different source to the relay).
 */
describe('hostile classmates: authentication', () => {
  let relay: RelayChild;
  before(async () => {
    relay = await spawnRelay({}, { teacher: TEACHER });
  });
  after(() => relay.stop());

  it('16 parallel teacher joins with wrong credentials: no more are checked than the budget', async () => {
    // Production limits keep at most 4 sockets of one address waiting to join; this relay lets
    // 16 wait, so that the credential budget itself is what is raced.
    const wide = await spawnRelay({ maxPendingPerAddress: 16 }, { teacher: TEACHER });
    const code = wide.rooms[0]!.code;
    const clients: TestClient[] = [];
    for (let i = 0; i < 16; i++) clients.push(await connectFrom(wide.url, 21));
    const result = await outcomes(
      clients.map((c, i) => c.join({ role: 'teacher', name: 'T', code, credential: `guess-${i}` })),
    );
    console.log(
      `16 parallel wrong teacher credentials from one address: ${JSON.stringify(result)}`,
    );
    assert.equal(result['OK'], undefined);
    assert.ok((result['BAD_CREDENTIAL'] ?? 0) <= 5, 'at most the burst of 5 is verified');
    assert.equal((result['BAD_CREDENTIAL'] ?? 0) + (result['RATE_LIMITED'] ?? 0), 16);
    for (const c of clients) c.ws.terminate();
    await wide.stop();
  });

  it('10,000 code guesses from 50 sockets on 16 addresses get 0 joins; the class is not slowed', async () => {
    const { code, screenKey } = relay.rooms[1]!;
    const canary = await startCanary(relay.url, code);
    const screen = await connectFrom(relay.url, 2);
    await screen.join({ role: 'screen', name: 'Screen', credential: screenKey });
    const sockets: TestClient[] = [];
    for (let i = 0; i < 50; i++) sockets.push(await connectFrom(relay.url, 100 + (i % 16)));
    let guesses = 0;
    let joins = 0;
    const result: Record<string, number> = {};
    await Promise.all(
      sockets.map(async (c, i) => {
        for (let g = 0; g < 200; g++) {
          guesses++;
          const guess = String(((i * 200 + g) * 7919) % 1_000_000).padStart(6, '0');
          try {
            await c.request('join', {
              protocol: PROTOCOL_VERSION,
              role: 'student',
              name: `b${i}`,
              code: guess,
            });
            joins++;
            return;
          } catch (err) {
            const k = (err as { code: string }).code;
            result[k] = (result[k] ?? 0) + 1;
            // A closed socket (pre-join budget) is replaced by a new one from the same address.
            if (k === 'CONNECTION_CLOSED') c = await reconnect(relay.url, 100 + (i % 16));
          }
        }
      }),
    );
    console.log(`10,000 guesses from 16 addresses: joins=${joins} ${JSON.stringify(result)}`);
    assert.equal(guesses, 10_000);
    assert.equal(joins, 0);
    assert.ok((result['BAD_CODE'] ?? 0) <= 16 * 6, `checked guesses ${result['BAD_CODE']}`);
    assert.equal((await screen.waitFor('codeChanged')).reason, 'bruteForce');
    assertUnharmed(await canary.stop(), 'code brute force');
    for (const c of sockets) c.ws.terminate();
    screen.ws.terminate();
  });

  it('an attacker at full speed keeps out neither a student who reads the code nor the teacher', async () => {
    const { screenKey } = relay.rooms[0]!;
    const screen = await connectFrom(relay.url, 3);
    let shown = (await screen.join({ role: 'screen', name: 'Screen', credential: screenKey }))
      .snapshot.code!;
    screen.rpc.on('codeChanged', (p) => (shown = p.code));
    // What the screen showed before the attack: stale once the codes rotate.
    const firstCode = shown;
    let attacking = true;
    const attackers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => connectFrom(relay.url, 150 + i)),
    );
    const attack = Promise.all(
      attackers.map(async (first, i) => {
        let c = first;
        for (let g = 0; attacking; g++) {
          try {
            await c.request('join', {
              protocol: PROTOCOL_VERSION,
              role: 'student',
              name: `x${i}`,
              code: String((g * 104729 + i) % 1_000_000).padStart(6, '0'),
            });
          } catch (err) {
            if ((err as { code: string }).code === 'CONNECTION_CLOSED') {
              // Closed for flooding before joining: the attacker opens another socket.
              c = await reconnect(relay.url, 150 + i);
            }
          }
        }
        c.ws.terminate();
      }),
    );
    const waits: number[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        await sleep(1500);
        // A student reads the code off the screen now, and types it.
        const read = shown;
        const readAt = Date.now();
        let joined = false;
        while (!joined && Date.now() - readAt < 10_000) {
          const s = await connectFrom(relay.url, 40 + round);
          try {
            await s.join({ role: 'student', name: `Student ${round}`, code: read });
            joined = true;
          } catch (err) {
            assert.notEqual((err as { code: string }).code, 'RATE_LIMITED', 'never rate-limited');
            await sleep(200);
          } finally {
            s.ws.terminate();
          }
        }
        waits.push(Date.now() - readAt);
        assert.ok(joined, `round ${round}: the student with the code from the screen got in`);
        // The teacher, with the credential and whatever code was on the screen a while ago.
        const t = await connectFrom(relay.url, 60 + round);
        await t.join({ role: 'teacher', name: 'Ms. Park', code: firstCode, credential: TEACHER });
        t.ws.terminate();
      }
    } finally {
      attacking = false;
      await attack;
      screen.ws.terminate();
    }
    console.log(
      `under attack: a student with the screen's code joined after ${waits.join(', ')} ms`,
    );
  });
});
