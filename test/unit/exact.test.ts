/**
 * The hand-written checks on the hottest paths (protocol/exact.ts) against their zod schemas:
 * on generated values near every bound, the fast answer is zod's answer, value for value. A
 * check that accepted one value its schema refuses, or handed back something zod would have
 * changed, fails here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { z } from 'zod';
import {
  DeviceMetrics,
  Frame,
  IncomingEnvelope,
  clientMethods,
  decodeFrames,
} from '../../protocol';
import {
  isExactChatParams,
  isExactDeviceMetrics,
  isExactEnvelope,
  isExactMsg,
  isExactSignalParams,
  safeParseExact,
} from '../../protocol/exact';
import { chatParams, envelopeLike, linkFrame, metricsReport, signalParams } from '../fuzz/frames';

const RUNS = 20_000;

/** Same success, and the same value (deep, with the same keys) when both succeed. */
function sameAsZod(schema: z.ZodType, v: unknown): void {
  const fast = safeParseExact(schema, v);
  const zod = schema.safeParse(v);
  assert.equal(fast.success, zod.success, JSON.stringify(v));
  if (fast.success && zod.success) assert.deepStrictEqual(fast.data, zod.data);
}

/** Each check, its schema, a generator near its bounds, and how often the fast path must hit. */
for (const [name, schema, arbitrary, check, share] of [
  ['metrics reports', DeviceMetrics, metricsReport, isExactDeviceMetrics, 0.1],
  ['envelopes', IncomingEnvelope, envelopeLike, isExactEnvelope, 0.05],
  ['signal params', clientMethods.signal.params, signalParams, isExactSignalParams, 0.1],
  ['chat params', clientMethods.chat.params, chatParams, isExactChatParams, 0.1],
] as const) {
  test(`${name}: the exact check agrees with zod on every generated value`, () => {
    let fast = 0;
    fc.assert(
      fc.property(arbitrary, (v) => {
        if (check(v)) {
          fast++;
          assert.deepStrictEqual(schema.parse(v), v);
        }
        sameAsZod(schema, v);
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the fast path often (a check that never says yes passes vacuously).
    assert.ok(fast > RUNS * share, `fast path taken ${fast} times of ${RUNS}`);
  });
}

test('link frames: decoding with the fast path equals decoding with zod alone', () => {
  let fast = 0;
  fc.assert(
    fc.property(fc.array(linkFrame, { minLength: 1, maxLength: 4 }), (frames) => {
      const text = JSON.stringify(frames.length === 1 ? frames[0] : frames);
      const list = frames.length === 1 ? [JSON.parse(text)] : (JSON.parse(text) as unknown[]);
      fast += list.filter(isExactMsg).length;
      let expected: unknown;
      try {
        expected = list.map((f) => Frame.parse(f));
      } catch {
        assert.throws(() => decodeFrames(text));
        return;
      }
      assert.deepStrictEqual(decodeFrames(text), expected);
    }),
    { numRuns: RUNS / 2 },
  );
  assert.ok(fast > RUNS * 0.05, `fast path taken ${fast} times`);
});

test('values JSON cannot carry still go to zod', () => {
  const stream = {
    id: 's',
    direction: 'in',
    path: 'sfu',
    codec: 'VP8',
    width: 1920,
    height: 1080,
    fps: 30,
    bitrateKbps: 4200,
    packetsLost: 0,
    lossRate: 0,
    jitterMs: null,
    rttMs: 1,
  };
  const ok = { streams: [stream], iceFailures: 0, iceInterruptions: 0 };
  assert.equal(isExactDeviceMetrics(ok), true);
  for (const bad of [
    { ...ok, iceFailures: NaN },
    { ...ok, streams: [{ ...stream, fps: Infinity }] },
    { ...ok, streams: [{ ...stream, kind: undefined }] },
    { ...ok, check: undefined },
    Object.assign(Object.create(null) as object, ok),
    { ...ok, streams: [Object.assign(Object.create({ evil: 1 }) as object, stream)] },
  ]) {
    assert.equal(isExactDeviceMetrics(bad), false, JSON.stringify(bad));
    sameAsZod(DeviceMetrics, bad);
  }
  assert.equal(isExactMsg({ t: 'm', s: 1, k: 'metrics', d: 'p', b: undefined }), false);
  assert.equal(isExactEnvelope({ type: 'notification', method: 'x', params: undefined }), false);
});
