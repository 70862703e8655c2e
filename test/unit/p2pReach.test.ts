import assert from 'node:assert/strict';
import { describe, it, mock, type TestContext } from 'node:test';
import { P2pReach } from '../../renderer/src/media/P2pReach';

/** A reach with the production timings, on the test's clock (given back when `t` ends). */
function reach(t: TestContext): { r: P2pReach; changes: () => number } {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const r = new P2pReach();
  let n = 0;
  r.onChange(() => n++);
  return { r, changes: () => n };
}

describe('P2P reach of a lesson partner', () => {
  it('gives up on a link not connected 10 s after it opened, and takes it back once it connects', (t) => {
    const { r, changes } = reach(t);
    const link = {};
    r.opened('rita', link);
    r.state('rita', link, 'connecting');
    mock.timers.tick(9_999);
    assert.equal(r.failed('rita'), false);
    mock.timers.tick(1);
    assert.equal(r.failed('rita'), true, 'not connected after 10 s');
    assert.equal(r.connected('rita'), false);
    const before = changes();
    // A slow TURN allocation: the same link connects after all, and both sides agree again.
    r.state('rita', link, 'connected');
    assert.equal(r.failed('rita'), false);
    assert.equal(r.connected('rita'), true);
    assert.ok(changes() > before, 'the policy hears of it');
  });

  it('a link that connects in time never counts as failed', (t) => {
    const { r } = reach(t);
    const link = {};
    r.opened('rita', link);
    mock.timers.tick(2_000);
    r.state('rita', link, 'connected');
    mock.timers.tick(60_000);
    assert.equal(r.failed('rita'), false);
  });

  it('a drop longer than 3 s counts as failed until the link is back; a short one does not', (t) => {
    const { r } = reach(t);
    const link = {};
    r.opened('rita', link);
    r.state('rita', link, 'connected');
    r.state('rita', link, 'disconnected');
    mock.timers.tick(2_000);
    r.state('rita', link, 'connected');
    mock.timers.tick(5_000);
    assert.equal(r.failed('rita'), false, 'a 2 s drop');
    r.state('rita', link, 'disconnected');
    mock.timers.tick(3_000);
    assert.equal(r.failed('rita'), true, 'a 3 s drop');
    r.state('rita', link, 'connected');
    assert.equal(r.failed('rita'), false);
  });

  it('ICE failure counts at once; a closed link keeps the mark until the device leaves', (t) => {
    const { r } = reach(t);
    const link = {};
    r.opened('rita', link);
    r.state('rita', link, 'failed');
    assert.equal(r.failed('rita'), true);
    r.closed('rita');
    assert.equal(r.failed('rita'), true, 'no link to connect: still unreachable');
    r.forget('rita');
    assert.equal(r.failed('rita'), false, 'a device that comes back starts afresh');
  });

  it('ignores the states of a link that was replaced', (t) => {
    const { r } = reach(t);
    const old = {};
    const current = {};
    r.opened('rita', old);
    r.opened('rita', current);
    r.state('rita', old, 'failed');
    assert.equal(r.failed('rita'), false);
    r.state('rita', old, 'connected');
    assert.equal(r.connected('rita'), false, 'the old link connecting is not the new one');
    mock.timers.tick(10_000);
    assert.equal(r.failed('rita'), true, 'the new link had its own 10 s');
  });
});
