import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../protocol';
import { startRelay, type TestRelay } from '../helpers/relay';
import type { TestClient } from '../helpers/TestClient';

describe('join-code brute force', () => {
  let t: TestRelay;
  before(async () => {
    // All guessers share 127.0.0.1 here; on a LAN they would come from many addresses.
    t = await startRelay({
      messagesPerSecond: 10_000,
      messageBurst: 10_000,
      maxConnectionsPerAddress: 100,
    });
  });
  after(() => t.stop());

  it('50 clients making 10,000 guesses get 0 joins; codes rotate and the screen is told', async () => {
    const screen = await t.screen();
    const original = t.room.code;
    const clients: TestClient[] = [];
    for (let i = 0; i < 50; i++) clients.push(await t.connect());
    const outcome: Record<string, number> = {};
    let joins = 0;
    let guesses = 0;
    await Promise.all(
      clients.map(async (c, i) => {
        for (let g = 0; g < 200; g++) {
          const code = String(((i * 200 + g) * 97) % 1_000_000).padStart(6, '0');
          guesses++;
          try {
            await c.request('join', {
              protocol: PROTOCOL_VERSION,
              role: 'student',
              name: `bot${i}`,
              code,
            });
            joins++;
            await c.request('leave', {});
            return;
          } catch (err) {
            const code = (err as { code: string }).code;
            outcome[code] = (outcome[code] ?? 0) + 1;
          }
        }
      }),
    );
    console.log(
      `brute force: ${guesses} guesses, ${joins} joins, outcomes ${JSON.stringify(outcome)}`,
    );
    assert.equal(guesses, 10_000);
    assert.equal(joins, 0);
    assert.equal(outcome['BAD_CODE'], 10, 'only the first 10 guesses of the window were checked');
    assert.equal(outcome['RATE_LIMITED'], 9_990);
    const changed = await screen.waitFor('codeChanged');
    assert.equal(changed.reason, 'bruteForce');
    assert.notEqual(changed.code, original);
    assert.equal(t.room.code, changed.code);
  });
});
