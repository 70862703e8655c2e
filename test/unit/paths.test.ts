import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathOf } from '../../cloud/paths';
import {
  verdictOf,
  type CheckResult,
  type DeviceMetrics,
  type StreamMetrics,
} from '../../protocol';

const stream = (more: Partial<StreamMetrics>): StreamMetrics => ({
  id: 's',
  direction: 'in',
  path: 'sfu',
  codec: 'VP8',
  width: 1280,
  height: 720,
  fps: 30,
  bitrateKbps: 2000,
  packetsLost: 0,
  lossRate: 0,
  jitterMs: 1,
  rttMs: 10,
  ...more,
});
const metrics = (
  streams: StreamMetrics[],
  check?: CheckResult,
): DeviceMetrics & { at: number } => ({
  streams,
  iceFailures: 0,
  iceInterruptions: 0,
  ...(check && { check }),
  at: 1000,
});

describe('how a person’s media travel (the console’s roster)', () => {
  it('names the SFU, P2P, a TURN relay and TCP from the device’s last metrics', () => {
    const remote = { remote: true };
    const lan = { remote: false };
    assert.deepEqual(pathOf(lan, undefined, 1000), {
      joined: 'lan',
      media: null,
      tcp: false,
      check: null,
    });
    assert.equal(pathOf(lan, metrics([stream({})]), 1000).media, 'sfu');
    assert.equal(pathOf(lan, metrics([stream({ path: 'p2p' }), stream({})]), 1000).media, 'sfu');
    assert.equal(
      pathOf(remote, metrics([stream({ path: 'p2p', route: 'host' })]), 1000).media,
      'p2p',
    );
    assert.equal(
      pathOf(remote, metrics([stream({ path: 'p2p', route: 'relay', transport: 'udp' })]), 1000)
        .media,
      'turn',
    );
    const tcp = pathOf(remote, metrics([stream({ route: 'host', transport: 'tcp' })]), 1000);
    assert.deepEqual([tcp.joined, tcp.media, tcp.tcp], ['cloud', 'sfu', true]);
    assert.equal(pathOf(remote, metrics([stream({})]), 1000 + 61_000).media, null, 'stale');
  });

  it('keeps the pre-join check the device reported', () => {
    const check: CheckResult = {
      target: 'cloud',
      verdict: 'hd',
      route: 'host',
      transport: 'tcp',
      rttMs: 12,
      jitterMs: 1,
      loss: 0,
      upKbps: 3000,
      downKbps: 3100,
      at: 5,
    };
    assert.deepEqual(pathOf({ remote: true }, metrics([], check), 1000).check, check);
  });
});

describe('the pre-join check’s verdict', () => {
  const base = {
    route: 'host' as const,
    transport: 'udp' as const,
    rttMs: 10,
    jitterMs: 1,
    loss: 0,
  };
  it('is the best use the path carries both ways', () => {
    assert.equal(verdictOf({ ...base, upKbps: 3000, downKbps: 3000 }), 'hd');
    assert.equal(verdictOf({ ...base, upKbps: 3000, downKbps: 800 }), 'video', 'the slower way');
    assert.equal(verdictOf({ ...base, upKbps: 3000, downKbps: 3000, loss: 0.03 }), 'video');
    assert.equal(verdictOf({ ...base, upKbps: 3000, downKbps: 3000, rttMs: 500 }), 'audio');
    assert.equal(verdictOf({ ...base, upKbps: 100, downKbps: 100 }), 'audio');
    assert.equal(verdictOf({ ...base, upKbps: 30, downKbps: 3000 }), 'none', 'too slow');
    assert.equal(
      verdictOf({ ...base, route: null, transport: null, upKbps: 0, downKbps: 0 }),
      'none',
      'no connection',
    );
  });
});
