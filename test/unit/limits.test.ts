import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuessGuard } from '../../local-ws/security/GuessGuard';
import { SourceBudget } from '../../local-ws/security/SourceBudget';
import { TokenBucket } from '../../server-kit/TokenBucket';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate; costs take several tokens', () => {
    const b = new TokenBucket(10, 3, 0);
    assert.deepEqual(
      [b.take(1, 0), b.take(1, 0), b.take(1, 0), b.take(1, 0)],
      [true, true, true, false],
    );
    assert.equal(b.retryAfterMs(), 100);
    assert.equal(b.take(1, 50), false, 'half a token after 50 ms');
    assert.equal(b.take(1, 100), true, 'a whole token after 100 ms');
    assert.equal(b.take(3, 10_000), true, 'refill is capped at the burst');
    assert.equal(b.take(1, 10_000), false);
    assert.equal(b.take(4, 20_000), false, 'a cost above the burst never passes');
    assert.equal(b.retryAfterMs(4), 0, 'full: waiting does not help it');
  });
});

describe('SourceBudget', () => {
  it('gives each source its own budget, refunds right guesses, and forgets the oldest', () => {
    const b = new SourceBudget(2, 1000, 3);
    assert.equal(b.take('a', 0), true);
    assert.equal(b.take('a', 0), true);
    assert.equal(b.take('a', 0), false);
    assert.equal(b.retryAfterMs('a', 0), 1000);
    assert.equal(b.take('b', 0), true, 'another source is not affected');
    b.refund('a', 10);
    assert.equal(b.take('a', 10), true, 'a refunded unit can be used again');
    assert.equal(b.take('a', 1010), true, 'one unit per refill period');
    b.take('c', 0);
    b.take('d', 0); // past 3 sources: 'a', the oldest, is forgotten
    assert.equal(b.take('a', 1010), true);
  });
});

describe('GuessGuard', () => {
  const limits = { sourceBurst: 3, sourceRefillMs: 10_000, globalLimit: 5, globalWindowMs: 60_000 };

  it('reserves before the check, so guesses in flight never exceed the budget', () => {
    const g = new GuessGuard(limits);
    const admitted = Array.from({ length: 16 }, () => g.admit('x', 0));
    assert.equal(admitted.filter((a) => a.ok).length, 3);
    const refused = admitted.find((a) => !a.ok);
    assert.ok(refused && !refused.ok && refused.retryAfterMs > 0);
  });

  it('counts wrong guesses globally and reacts at the limit; right ones cost nothing', () => {
    let reached = 0;
    const g = new GuessGuard(limits, () => reached++);
    for (const source of ['a', 'b', 'c', 'd', 'e']) {
      const a = g.admit(source, 0);
      assert.ok(a.ok);
      a.reservation.wrong(0);
    }
    assert.equal(reached, 1);
    for (let i = 0; i < 10; i++) {
      const a = g.admit('f', 0);
      assert.ok(a.ok, 'a right guess is given back');
      a.reservation.right(0);
    }
  });

  it('over the limit, only sources without a wrong guess are still checked (credentials)', () => {
    const g = new GuessGuard(limits, () => undefined, true);
    for (const source of ['a', 'b', 'c', 'd', 'e']) {
      const a = g.admit(source, 0);
      assert.ok(a.ok);
      a.reservation.wrong(0);
    }
    assert.equal(g.admit('a', 1).ok, false, 'a failed source waits for the next window');
    assert.equal(g.admit('teacher', 1).ok, true, 'a clean source is still checked');
    assert.equal(g.admit('a', 60_001).ok, true, 'next window');
  });
});
