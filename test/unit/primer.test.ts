import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEncoding } from '../../renderer/src/media/encoding';
import { placeholderRtp, primedFor, samePlan } from '../../renderer/src/media/primer';

describe('priming a ready link for the next share', () => {
  it('primes for a screen at the expected size with the default preset', () => {
    const primed = primedFor({ width: 2560, height: 1440 });
    assert.deepEqual(primed.plan, planEncoding('auto', 2560, 1440));
    // A share of that size and preset finds its encoding set; another preset or size does not.
    assert.ok(samePlan(primed.plan, planEncoding('auto', 2560, 1440)));
    assert.ok(!samePlan(primed.plan, planEncoding('sharp', 2560, 1440)));
    assert.ok(!samePlan(primed.plan, planEncoding('smooth', 2560, 1440)));
    assert.ok(!samePlan(primed.plan, planEncoding('auto', 1920, 1080)));
  });

  it("leaves the placeholder's streams out of the stats, and every share's in", () => {
    const streams = { carries: (trackId: string) => trackId === 'share-track' };
    const out = { type: 'outbound-rtp', kind: 'video', mid: '0' };
    const inbound = { type: 'inbound-rtp', kind: 'video', trackIdentifier: 'spare-track' };
    assert.ok(placeholderRtp(out, '0', streams));
    // Once a share took the spare, it has no placeholder mid: its stream is reported.
    assert.ok(!placeholderRtp(out, null, streams));
    assert.ok(!placeholderRtp({ ...out, mid: '1' }, '0', streams));
    assert.ok(placeholderRtp(inbound, null, streams));
    assert.ok(!placeholderRtp({ ...inbound, trackIdentifier: 'share-track' }, null, streams));
    // Sound and the connection's own reports are never left out.
    assert.ok(!placeholderRtp({ ...inbound, kind: 'audio' }, null, streams));
    assert.ok(!placeholderRtp({ type: 'candidate-pair' }, '0', streams));
  });
});
