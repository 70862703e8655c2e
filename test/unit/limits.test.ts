import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeGuard } from '../../local-ws/CodeGuard';
import { TokenBucket } from '../../local-ws/TokenBucket';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate', () => {
    const b = new TokenBucket(10, 3, 0);
    assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
    assert.equal(b.retryAfterMs(), 100);
    assert.equal(b.take(50), false, 'half a token after 50 ms');
    assert.equal(b.take(100), true, 'a whole token after 100 ms');
    assert.equal(b.take(10_000), true);
    assert.equal(b.take(10_000), true);
    assert.equal(b.take(10_000), true, 'refill is capped at the burst');
    assert.equal(b.take(10_000), false);
  });
});

describe('CodeGuard', () => {
  it('trips on the limit-th wrong guess in a window and freezes until the window ends', () => {
    const g = new CodeGuard(3, 60_000);
    assert.equal(g.recordWrong(1000), false);
    assert.equal(g.recordWrong(2000), false);
    assert.equal(g.frozenFor(2000), 0);
    assert.equal(g.recordWrong(3000), true);
    assert.equal(g.frozenFor(3000), 58_000);
    assert.equal(g.frozenFor(61_000), 0);
  });

  it('forgets wrong guesses from an earlier window', () => {
    const g = new CodeGuard(3, 1000);
    g.recordWrong(0);
    g.recordWrong(10);
    assert.equal(g.recordWrong(1500), false, 'a new window started');
    assert.equal(g.frozenFor(1500), 0);
  });
});
