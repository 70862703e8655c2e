/**
 * The link's two stream halves, driven through random schedules of pushes, sends, deliveries,
 * lost frames, lost acks and reconnects: whatever happens, the receiver applies every reliable
 * message exactly once and in push order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { RecvStream, SendStream, type KindClass, type Msg } from '../../protocol';
import { openJournal } from '../../local-ws/upstream/journal';

let epochs = 0;
const stream = (opts: Partial<ConstructorParameters<typeof SendStream>[0]> = {}) =>
  new SendStream({
    maxEntries: 1000,
    maxInflight: 50,
    newEpoch: () => `epoch${String(++epochs).padStart(4, '0')}`,
    classOf: (k): KindClass => (k === 'metrics' ? 'lossy' : k === 'result' ? 'keep' : 'state'),
    ...opts,
  });

const Step = fc.oneof(
  fc.record({ op: fc.constant('push' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('send' as const), max: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('lose' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('ack' as const), lost: fc.boolean() }),
  fc.record({ op: fc.constant('reconnect' as const) }),
);

test('exactly once, in order, through lost frames, lost acks and reconnects', () => {
  fc.assert(
    fc.property(fc.array(Step, { minLength: 1, maxLength: 200 }), (steps) => {
      const send = stream();
      const recv = new RecvStream();
      recv.begin(send.epoch);
      let wire: Msg[] = [];
      let pushed = 0;
      const applied: number[] = [];
      const run = (s: (typeof steps)[number]) => {
        switch (s.op) {
          case 'push':
            for (let i = 0; i < s.n; i++) send.push('event', 'd1', pushed++);
            break;
          case 'send':
            wire.push(...send.take(s.max));
            break;
          case 'deliver':
            for (const m of wire.splice(0, s.n)) if (recv.accept(m)) applied.push(m.b as number);
            break;
          case 'lose':
            // A connection dies with frames in flight: they never arrive.
            wire.splice(0, s.n);
            wire = [];
            send.resume(recv.cursor);
            break;
          case 'ack': {
            const a = recv.takeAck();
            if (a !== null && !s.lost) send.ack(a);
            break;
          }
          case 'reconnect':
            wire = [];
            assert.equal(send.resume(recv.cursor), 'resumed');
            break;
        }
      };
      for (const s of steps) run(s);
      // Heal: reconnect and drain.
      send.resume(recv.cursor);
      for (let guard = 0; send.ready && guard < 1000; guard++) {
        for (const m of send.take(100)) if (recv.accept(m)) applied.push(m.b as number);
        const a = recv.takeAck();
        if (a !== null) send.ack(a);
      }
      assert.deepEqual(applied, [...Array(pushed).keys()]);
      assert.equal(send.stats().outbox, 0);
    }),
    { numRuns: 300 },
  );
});

test('a receiver that lost its history makes the sender start a new epoch with a snapshot', () => {
  const send = stream({ snapshot: () => ({ kind: 'snapshot', device: 'room', body: 's2' }) });
  const recv = new RecvStream();
  recv.begin(send.epoch);
  send.push('snapshot', 'room', 's1');
  send.push('event', 'd1', 'e1');
  send.push('result', 'room', 'r1');
  for (const m of send.take(10)) recv.accept(m);
  send.ack(recv.takeAck()!);
  send.push('event', 'd1', 'e2');
  send.take(10); // in flight when the receiver restarts
  const old = send.epoch;
  const fresh = new RecvStream(); // empty memory
  assert.equal(send.resume(fresh.cursor), 'reset');
  assert.notEqual(send.epoch, old);
  fresh.begin(send.epoch);
  const got = send.take(10).filter((m) => fresh.accept(m));
  assert.deepEqual(
    got.map((m) => [m.s, m.k, m.b]),
    [[1, 'snapshot', 's2']],
    'the unacked state is superseded by the snapshot',
  );
  assert.equal(send.stats().resets, 1);
});

test('a full outbox sheds metrics oldest-first, then replaces unsent state by a snapshot', () => {
  const send = stream({
    maxEntries: 5,
    snapshot: () => ({ kind: 'snapshot', device: 'room', body: 'now' }),
  });
  send.push('event', 'd', 'e0');
  for (let i = 0; i < 4; i++) send.push('metrics', 'd', `m${i}`);
  send.push('event', 'd', 'e1'); // sheds m0
  send.push('metrics', 'd', 'm4'); // sheds m1
  assert.deepEqual(
    send.liveEntries().map((e) => e.body),
    ['e0', 'm2', 'm3', 'e1', 'm4'],
  );
  assert.equal(send.stats().dropped, 2);
  for (const e of ['e2', 'e3', 'e4']) send.push('event', 'd', e); // shed m2, m3, m4
  assert.deepEqual(
    send.liveEntries().map((e) => e.body),
    ['e0', 'e1', 'e2', 'e3', 'e4'],
  );
  send.push('event', 'd', 'e5'); // no metrics left: the unsent state becomes one snapshot
  assert.deepEqual(
    send.liveEntries().map((e) => e.body),
    ['now', 'e5'],
  );
  assert.equal(send.stats().compacted, 1);
  assert.equal(send.stats().dropped, 5);
});

test('shedding keeps its place across the queue being compacted, and sheds the oldest unsent', () => {
  const send = stream({ maxEntries: 1500, maxInflight: 5000 });
  for (let i = 0; i < 1500; i++) send.push('metrics', 'd', `m${i}`);
  assert.equal(send.take(1100).length, 1100); // the queue's consumed head is cut off here
  for (let i = 1500; i < 2500; i++) send.push('metrics', 'd', `m${i}`);
  const live = send.liveEntries().map((e) => e.body);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => `m${a + i}`);
  assert.deepEqual(live, [...range(0, 1100), ...range(2100, 2500)]);
  assert.equal(send.stats().dropped, 1000);
});

test('duplicates are counted and ignored; a gap is refused', () => {
  const recv = new RecvStream();
  recv.begin('epochAAAA');
  const m = (s: number): Msg => ({ t: 'm', s, k: 'event', d: 'd', b: s });
  assert.equal(recv.accept(m(1)), true);
  assert.equal(recv.accept(m(1)), false);
  assert.equal(recv.duplicates, 1);
  assert.throws(() => recv.accept(m(3)), { code: 'STREAM_BROKEN' });
});

test('the journal brings back exactly the unacked messages, with their seqs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-journal-'));
  const file = path.join(dir, 'outbox.jsonl');
  try {
    const journal = openJournal(file);
    const send = stream({ journal });
    journal.reset(send.epoch);
    for (let i = 0; i < 6; i++) send.push(i === 2 ? 'metrics' : 'event', `d${i}`, i);
    send.take(3); // seqs 1..3 = bodies 0, 1, 2
    send.ack(2);
    send.push('metrics', 'd', 'shed');
    journal.received({ epoch: 'cloudEpoch', seq: 7 });
    const epoch = send.epoch;
    // The process dies here (no close): what is on disk must be enough.
    const again = openJournal(file);
    assert.deepEqual(
      again.saved && { ...again.saved, entries: again.saved.entries.map((e) => e.body) },
      {
        epoch,
        firstSeq: 3,
        entries: [2, 3, 4, 5, 'shed'],
        recv: { epoch: 'cloudEpoch', seq: 7 },
      },
    );
    const restored = stream();
    restored.restore(
      epoch,
      3,
      again.saved!.entries.map((e) => ({ ...e, cls: 'state' })),
    );
    assert.deepEqual(
      restored.take(10).map((m) => [m.s, m.b]),
      [
        [3, 2],
        [4, 3],
        [5, 4],
        [6, 5],
        [7, 'shed'],
      ],
    );
    assert.ok(
      readFileSync(file, 'utf8').split('\n').length < 12,
      'rewritten to the live entries on open',
    );
    journal.close();
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
