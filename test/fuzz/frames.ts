import fc from 'fast-check';
import { clientMethods, StreamMetrics } from '../../protocol';

/** Peer ids the fuzzer aims at: real ones in its room and the other room, and junk. */
export interface Targets {
  peerIds: string[];
}

const methods = Object.keys(clientMethods);
const evilMethods = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'JOIN',
  'signal ',
  'x'.repeat(70),
];

const junkValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, '', -1, 1e308, '000000', '__proto__', {}, []),
);

/**
 * Text that deceives on a big screen: bidi overrides and isolates, zero-width and invisible
 * characters, C0/C1 controls, separators, look-alike letters and role words, mixed in.
 */
const deceptive = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        '\u202e',
        '\u2066',
        '\u2069',
        '\u200b',
        '\u200d',
        '\ufeff',
        '\u0085',
        '\u2028',
        '\u0000',
        '\u061c',
        '\u00a0',
        'Мs. Pаrk',
        'Teacher',
        '老师',
        '선생님',
        'ｔｅａｃｈｅｒ',
        '\u0301\u0302\u0303\u0304',
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** Plausible params per method, so the fuzzer gets past the envelope into the handlers. */
function plausibleParams(t: Targets) {
  const peer = fc.oneof(fc.constantFrom(...t.peerIds), fc.string({ maxLength: 70 }));
  const signal = fc.oneof(
    fc.record({
      kind: fc.constant('description'),
      description: fc.record({
        type: fc.constantFrom('offer', 'answer', 'bogus'),
        sdp: fc.string({ maxLength: 300 }),
      }),
    }),
    fc.record({
      kind: fc.constant('candidate'),
      candidate: fc.oneof(
        fc.constant(null),
        fc.record({
          candidate: fc.string({ maxLength: 120 }),
          sdpMid: fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)),
          sdpMLineIndex: fc.integer({ min: -5, max: 300 }),
        }),
      ),
    }),
    fc.record({ kind: fc.constantFrom('restart', 'teleport') }),
    fc.record({
      kind: fc.constant('view'),
      streamId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), fc.string({ maxLength: 80 })),
      width: fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.double(), fc.string()),
      height: fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.constant(null)),
    }),
  );
  return fc.oneof(
    fc.record(
      {
        protocol: fc.constantFrom(1, 2, '1'),
        role: fc.constantFrom('student', 'teacher', 'screen', 'admin'),
        name: fc.oneof(fc.string({ maxLength: 60 }), deceptive),
        code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 8 })),
        device: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,30}$/), fc.string({ maxLength: 70 })),
        credential: fc.string({ maxLength: 40 }),
        resumeToken: fc.string({ maxLength: 40 }),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { to: peer, from: peer, session: fc.string({ maxLength: 80 }), signal },
      { requiredKeys: [] },
    ),
    fc.record({ text: fc.oneof(fc.string({ maxLength: 2100 }), deceptive) }, { requiredKeys: [] }),
    fc.record(
      {
        before: fc.oneof(fc.string({ maxLength: 70 }), fc.constant('c.1')),
        limit: fc.oneof(fc.integer({ min: -5, max: 500 }), junkValue),
        banId: fc.string({ maxLength: 70 }),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        raised: junkValue,
        emoji: fc.constantFrom('👍', '💩', 'x'),
        accept: junkValue,
        locked: junkValue,
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { peerId: peer, kind: fc.constantFrom('audio', 'video', 'all', 'screen', 'nope') },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        kind: fc.constantFrom('screen', 'window', 'x'),
        label: fc.oneof(fc.string({ maxLength: 130 }), deceptive),
        streamId: fc.oneof(fc.uuid(), fc.string({ maxLength: 70 })),
        preset: fc.constantFrom('sharp', 'smooth', 'auto', 'ultra'),
        audio: junkValue,
        shareId: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        mode: fc.constantFrom('single', '2up', '2x2', '3x3'),
        slots: fc.array(fc.oneof(fc.constant(null), fc.string({ maxLength: 8 })), { maxLength: 6 }),
      },
      { requiredKeys: [] },
    ),
    // Board frames: coordinates in and out of range, odd tools, targets and ids.
    fc.record(
      {
        target: fc.oneof(
          fc.record({ page: fc.oneof(fc.integer({ min: -2, max: 25 }), junkValue) }),
          fc.record({ share: fc.oneof(fc.string({ maxLength: 70 }), junkValue) }),
          junkValue,
        ),
        id: fc.oneof(fc.string({ maxLength: 70 }), junkValue),
        by: peer,
        tool: fc.constantFrom('pen', 'highlighter', 'arrow', 'text', 'laser', 'spray'),
        color: fc.constantFrom('#112233', 'red', '#gggggg'),
        width: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double()),
        points: fc.array(
          fc.oneof(
            fc.tuple(fc.double(), fc.double(), fc.double()),
            fc.tuple(
              fc.double({ min: 0, max: 1 }),
              fc.double({ min: 0, max: 1 }),
              fc.double({ min: 0, max: 1 }),
            ),
            junkValue,
          ),
          { maxLength: 260 },
        ),
        text: fc.oneof(fc.string({ maxLength: 600 }), deceptive),
        done: fc.boolean(),
        background: fc.constantFrom('blank', 'grid', 'lined', 'plaid'),
        everyone: fc.boolean(),
        page: fc.integer({ min: -1, max: 30 }),
        x: fc.double(),
        y: fc.double(),
      },
      { requiredKeys: [] },
    ),
    metricsReport,
    junkValue,
  );
}

/**
 * Hostile frames: raw text, random JSON, envelopes with wrong types and evil method names, and
 * plausible calls with fields mutated. A small share are oversize or binary.
 */
export function hostileFrame(t: Targets): fc.Arbitrary<{ data: string | Buffer; binary: boolean }> {
  const text = (a: fc.Arbitrary<string>) => a.map((data) => ({ data, binary: false }));
  const envelope = fc.record(
    {
      type: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('request', 'notification') },
        { weight: 1, arbitrary: junkValue },
      ),
      id: fc.oneof(
        { weight: 6, arbitrary: fc.nat({ max: 2 ** 31 }) },
        { weight: 1, arbitrary: junkValue },
      ),
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...methods) },
        { weight: 1, arbitrary: fc.constantFrom(...evilMethods) },
        { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
      ),
      params: plausibleParams(t),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 2, arbitrary: text(fc.string({ maxLength: 200, unit: 'grapheme' })) },
    {
      weight: 2,
      arbitrary: text(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null')),
    },
    { weight: 12, arbitrary: text(envelope.map((e) => JSON.stringify(e))) },
    { weight: 1, arbitrary: text(envelope.map((e) => JSON.stringify(e).slice(0, -3))) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((a) => ({ data: Buffer.from(a), binary: true })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        {
          data: JSON.stringify({
            type: 'request',
            id: 1,
            method: 'chat',
            params: { text: 'x'.repeat(300_000) },
          }),
          binary: false,
        },
        { data: '['.repeat(100_000), binary: false },
        {
          data: JSON.stringify({
            type: 'request',
            id: 1,
            method: 'join',
            params: JSON.parse(
              '{"__proto__":{"role":"teacher"},"protocol":1,"role":"student","name":"p","code":"123456"}',
            ),
          }),
          binary: false,
        },
      ),
    },
  );
}

/** A number near a schema's bounds: valid ones, edges and junk (for the exact checks). */
const edgyNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2000 }) },
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      -0,
      -1,
      1.5,
      1000,
      1001,
      16384,
      16385,
      10_000_000,
      10_000_001,
      1_000_000,
      1_000_001,
      2 ** 53 - 1,
      2 ** 53,
      NaN,
      Infinity,
      -Infinity,
    ),
  },
  { weight: 1, arbitrary: junkValue },
);

/** Usually-valid strings: short ids, a codec, a string at and past 64 and 32 characters. */
const edgyString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('x'.repeat(32), 'x'.repeat(33), 'y'.repeat(64), 'y'.repeat(65)),
  },
  { weight: 1, arbitrary: junkValue },
);

const oneOf = (values: readonly string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...values) },
    { weight: 1, arbitrary: junkValue },
  );

/** Keys a hostile device adds: unknown ones, prototype names. */
const extraKeys = fc.dictionary(
  fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'streams', 'id'),
  junkValue,
  { maxKeys: 2 },
);

/** Adds extra keys to a small share of objects; keys already present are not replaced. */
const withExtras = <T extends Record<string, unknown>>(a: fc.Arbitrary<T>) =>
  fc
    .tuple(
      a,
      fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraKeys }),
    )
    .map(([o, extra]) => {
      const out: Record<string, unknown> = JSON.parse(JSON.stringify(o ?? null)) ?? {};
      for (const [k, v] of Object.entries(extra)) {
        if (!Object.prototype.hasOwnProperty.call(out, k)) {
          Object.defineProperty(out, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      return out;
    });

/** The schema's own keys (a key added there is generated here without a change). */
const streamKeys = Object.keys(StreamMetrics.shape) as (keyof typeof StreamMetrics.shape)[];

/** A stream's metrics that pass their schema (the fast path's everyday input). */
const validStream = fc.record(
  {
    id: fc.string({ maxLength: 64 }),
    kind: fc.constantFrom('audio', 'video'),
    direction: fc.constantFrom('in', 'out'),
    path: fc.constantFrom('p2p', 'sfu'),
    codec: fc.constantFrom('VP8', 'VP9', 'H264', 'AV1', 'opus'),
    width: fc.integer({ min: 0, max: 16384 }),
    height: fc.integer({ min: 0, max: 16384 }),
    fps: fc.double({ min: 0, max: 1000, noNaN: true }),
    bitrateKbps: fc.double({ min: 0, max: 10_000_000, noNaN: true }),
    packetsLost: fc.nat(),
    lossRate: fc.double({ min: 0, max: 1, noNaN: true }),
    jitterMs: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(null)),
    rttMs: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(null)),
    audioLevel: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)),
    concealedRatio: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)),
    route: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
    transport: fc.constantFrom('udp', 'tcp'),
  },
  {
    requiredKeys: streamKeys.filter((k) => !StreamMetrics.shape[k].safeParse(undefined).success),
  },
);

/** A valid stream with one field replaced (or removed) by an edge value, or extra keys. */
const stream = withExtras(
  fc.oneof(
    { weight: 3, arbitrary: validStream },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          validStream,
          fc.constantFrom(...streamKeys),
          fc.oneof(edgyNumber, edgyString, fc.constant(undefined)),
        )
        .map(([st, key, value]) => {
          const out: Record<string, unknown> = { ...st };
          if (value === undefined) delete out[key];
          else out[key] = value;
          return out;
        }),
    },
  ),
);

/**
 * A device's metrics report as the relay and the cloud check it (protocol/exact.ts): mostly
 * valid, with fields at and past their bounds, wrong types, missing and extra keys.
 */
export const metricsReport = fc.oneof(
  {
    weight: 12,
    arbitrary: withExtras(
      fc.record(
        {
          streams: fc.oneof(
            { weight: 8, arbitrary: fc.array(stream, { maxLength: 3 }) },
            { weight: 1, arbitrary: fc.array(validStream, { minLength: 15, maxLength: 17 }) },
            { weight: 1, arbitrary: junkValue },
          ),
          iceFailures: fc.oneof({ weight: 6, arbitrary: fc.nat(1_000_000) }, edgyNumber),
          iceInterruptions: fc.oneof({ weight: 6, arbitrary: fc.nat(1_000_000) }, edgyNumber),
        },
        { requiredKeys: ['streams', 'iceFailures', 'iceInterruptions'] },
      ),
    ),
  },
  { weight: 1, arbitrary: junkValue },
);

/** One link frame as the cloud and the host decode it: sequenced messages, mostly valid. */
export const linkFrame = fc.oneof(
  {
    weight: 10,
    arbitrary: withExtras(
      fc.record(
        {
          t: fc.oneof(
            { weight: 8, arbitrary: fc.constant('m') },
            { weight: 1, arbitrary: junkValue },
          ),
          s: fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }) },
            { weight: 1, arbitrary: edgyNumber },
          ),
          k: oneOf(['metrics', 'event', 'x'.repeat(33)]),
          d: edgyString,
          b: fc.oneof(metricsReport, junkValue),
        },
        { requiredKeys: ['t', 's', 'k', 'd'] },
      ),
    ),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('a'), s: edgyNumber }) },
  { weight: 1, arbitrary: junkValue },
);

/** An envelope as the relay checks it first: a request or a notification, mutated. */
export const envelopeLike = withExtras(
  fc.record(
    {
      type: oneOf(['request', 'notification']),
      id: fc.oneof(fc.nat({ max: 2 ** 31 }), edgyNumber),
      method: fc.oneof(fc.constantFrom(...methods), edgyString),
      params: fc.oneof(metricsReport, junkValue),
    },
    { requiredKeys: [] },
  ),
);

/** The `signal` call's params, mostly valid: candidates, descriptions, restarts, views. */
export const signalParams = withExtras(
  fc.record(
    {
      to: fc.oneof(
        { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
        edgyString,
      ),
      session: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 12 }) }, edgyString),
      signal: fc.oneof(
        withExtras(
          fc.record({
            kind: fc.constant('candidate'),
            candidate: fc.oneof(
              fc.constant(null),
              withExtras(
                fc.record(
                  {
                    candidate: fc.oneof(
                      { weight: 6, arbitrary: fc.string({ maxLength: 80 }) },
                      { weight: 1, arbitrary: fc.constantFrom('c'.repeat(1024), 'c'.repeat(1025)) },
                      { weight: 1, arbitrary: junkValue },
                    ),
                    sdpMid: fc.oneof(fc.constant(null), edgyString),
                    sdpMLineIndex: fc.oneof(
                      fc.constant(null),
                      fc.integer({ min: 0, max: 255 }),
                      fc.constantFrom(255, 256, -1, 1.5),
                      edgyNumber,
                    ),
                    usernameFragment: fc.oneof(fc.constant(null), edgyString),
                  },
                  { requiredKeys: ['candidate'] },
                ),
              ),
              junkValue,
            ),
          }),
        ),
        withExtras(
          fc.record(
            {
              kind: fc.constant('description'),
              description: withExtras(
                fc.record(
                  {
                    type: oneOf(['offer', 'answer', 'pranswer', 'rollback']),
                    sdp: fc.oneof(
                      { weight: 6, arbitrary: fc.string({ maxLength: 300 }) },
                      { weight: 1, arbitrary: junkValue },
                    ),
                  },
                  { requiredKeys: ['type'] },
                ),
              ),
            },
            { requiredKeys: ['kind'] },
          ),
        ),
        withExtras(fc.record({ kind: oneOf(['restart', 'teleport']) })),
        fc.record({
          kind: fc.constant('view'),
          streamId: edgyString,
          width: edgyNumber,
          height: edgyNumber,
        }),
        junkValue,
      ),
    },
    { requiredKeys: ['to', 'signal'] },
  ),
);

/** The `chat` call's params: text with and without surrounding space, at its bounds. */
export const chatParams = withExtras(
  fc.record(
    {
      text: fc.oneof(
        { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(' a', 'a ', '\u00a0a', 'a\u2028', '\ufeff', ' ', ''),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom('t'.repeat(2000), 't'.repeat(2001), ` ${'t'.repeat(2000)}`),
        },
        { weight: 1, arbitrary: junkValue },
      ),
    },
    { requiredKeys: [] },
  ),
);
