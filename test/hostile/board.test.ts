import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOARD_LIMITS, type BoardPoint } from '../../protocol';
import { assertUnharmed, connectFrom, startCanary } from '../helpers/hostile';
import { rejectsWith, sleep } from '../helpers/relay';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import type { TestClient } from '../helpers/TestClient';

const TEACHER = 'teacher';
const pen = { tool: 'pen' as const, color: '#111111', width: 3 };
const pts = (n: number): BoardPoint[] =>
  Array.from({ length: n }, (_, i) => [(i % 100) / 100, 0.5, 0.5] as BoardPoint);

/** The answer to a request sent as raw text (numbers JSON.stringify cannot write), bounded. */
function rawRequest(
  c: TestClient,
  id: number,
  body: string,
): Promise<{ code: string | undefined }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number | null; error?: { code: string } };
      // A frame that is not JSON is answered without an id (there was none to read).
      if (msg.id !== id && !((msg.id === null || msg.id === undefined) && msg.error)) return;
      c.ws.off('message', onMessage);
      resolve({ code: msg.error?.code });
    };
    c.ws.on('message', onMessage);
    setTimeout(() => resolve({ code: 'NO_ANSWER' }), 3000).unref();
    c.sendRaw(body);
  });
}

/**
 * Hostile drawers against a relay process with production limits: every bad board message is
 * refused with a code, the board stays as it was, and a well-behaved student is not slowed.
 */
describe('hostile classmates: the whiteboard', () => {
  let relay: RelayChild;
  let code: string;
  let n = 40;
  let teacher: TestClient;
  let ana: TestClient;
  let bo: TestClient;
  const student = async (name: string) => {
    const c = await connectFrom(relay.url, n++);
    await c.join({ role: 'student', name, code });
    return c;
  };
  before(async () => {
    relay = await spawnRelay({}, { teacher: TEACHER });
    ({ code } = relay.rooms[0]!);
    teacher = await connectFrom(relay.url, n++);
    await teacher.join({ role: 'teacher', name: 'Ms. Board', code, credential: TEACHER });
    await teacher.request('board.open', { background: 'blank' });
    await teacher.request('board.set', { everyone: true });
    ana = await student('Ana');
    bo = await student('Bo');
    await ana.request('board.draw', {
      target: { page: 0 },
      id: 'mine',
      ...pen,
      points: pts(5),
      done: true,
    });
  });
  after(() => relay.stop());

  const board = async () => (await teacher.request('snapshot', {})).board!;

  it('coordinates that are not finite numbers in 0–1 are refused, and change nothing', async () => {
    const before = JSON.stringify(await board());
    const draw = (points: unknown) =>
      JSON.stringify({
        type: 'request',
        id: 900,
        method: 'board.draw',
        params: { target: { page: 0 }, id: 'bad', ...pen, points, done: true },
      });
    for (const points of [
      '[[1e309,0,0]]',
      '[[-1e309,0.5,0.5]]',
      '[[2,0.5,0.5]]',
      '[[-0.1,0,0]]',
      '[[0.5]]',
      '[[null,0,0]]',
    ]) {
      const frame = draw('__P__').replace('"__P__"', points);
      assert.equal((await rawRequest(bo, 900, frame)).code, 'INVALID_PARAMS', points);
    }
    // NaN is not JSON at all.
    const nan = draw('__P__').replace('"__P__"', '[[NaN,0,0]]');
    assert.equal((await rawRequest(bo, 900, nan)).code, 'PARSE_ERROR');
    await rejectsWith(
      bo.request('board.draw', {
        target: { page: 7 },
        id: 'p',
        ...pen,
        points: pts(1),
        done: true,
      }),
      'INVALID_PARAMS',
    );
    await rejectsWith(
      bo.request('board.draw', {
        target: { page: 0 },
        id: 'c',
        ...pen,
        color: 'red',
        points: pts(1),
        done: true,
      }),
      'INVALID_PARAMS',
    );
    assert.equal(JSON.stringify(await board()), before, 'the board is unchanged');
  });

  it('another drawer’s stroke ids and undo: nobody changes what is not theirs', async () => {
    const anaId = ana.peerId!;
    // Bo reuses Ana's stroke id: it becomes Bo's own stroke; Ana's is untouched.
    await bo.request('board.draw', {
      target: { page: 0 },
      id: 'mine',
      ...pen,
      points: pts(2),
      done: true,
    });
    const page = (await board()).pages[0]!;
    assert.equal(page.find((s) => s.by === anaId && s.id === 'mine')?.points.length, 5);
    await rejectsWith(
      bo.request('board.erase', { target: { page: 0 }, by: anaId, id: 'mine' }),
      'FORBIDDEN',
    );
    await bo.request('board.undo', {});
    await rejectsWith(bo.request('board.undo', {}), 'STROKE_NOT_FOUND');
    assert.equal((await board()).pages[0]!.find((s) => s.by === anaId)?.points.length, 5);
  });

  it('a 10⁶-point stroke and 10,000 strokes are refused; the class is not slowed', async () => {
    // The attack's frames are written before the canary starts: what it measures is the relay.
    const spam = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({
        type: 'notification',
        method: 'board.draw',
        params: { target: { page: 0 }, id: `s${i}`, ...pen, points: pts(2), done: true },
      }),
    );
    const canary = await startCanary(relay.url, code);
    // One frame with a million points is over the frame limit: the sender's socket closes.
    const greedy = await student('Greedy');
    const million = `[${'[0.5,0.5,0.5],'.repeat(999_999)}[0.5,0.5,0.5]]`;
    greedy.sendRaw(
      JSON.stringify({
        type: 'notification',
        method: 'board.draw',
        params: { target: { page: 0 }, id: 'huge', ...pen, points: '__P__', done: false },
      }).replace('"__P__"', million),
    );
    const closed = await greedy.closed;
    assert.equal(closed.code, 1009, 'frame too big');
    // In batches it stops at the per-stroke bound.
    const batcher = await student('Batcher');
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      await batcher
        .request('board.draw', {
          target: { page: 0 },
          id: 'long',
          ...pen,
          points: pts(200),
          done: false,
        })
        .then(
          () => (outcomes['ok'] = (outcomes['ok'] ?? 0) + 1),
          (err: { code?: string }) => (outcomes[err.code!] = (outcomes[err.code!] ?? 0) + 1),
        );
    }
    assert.equal(outcomes['ok'], BOARD_LIMITS.pointsPerStroke / 200, JSON.stringify(outcomes));
    assert.ok((outcomes['BOARD_FULL'] ?? 0) > 0);
    // 10,000 strokes, a hundred every few milliseconds: the budget refuses them stroke by
    // stroke, then (a hundred refusals on) the socket is closed for flooding and no longer read;
    // no one else waits.
    const spammer = await student('Spammer');
    for (const [i, frame] of spam.entries()) {
      if (i % 100 === 0) await sleep(5);
      spammer.sendRaw(frame);
    }
    await sleep(2500);
    const limited = spammer.received('error').filter((e) => e.code === 'RATE_LIMITED').length;
    const page = (await board()).pages[0]!;
    const spammed = page.filter((s) => s.by === spammer.peerId).length;
    const closedWith = await Promise.race([
      spammer.closed.then((c) => c.code),
      sleep(200).then(() => null),
    ]);
    console.log(
      `10,000 strokes: ${spammed} kept, ${limited} RATE_LIMITED, socket closed ${closedWith}; batches: ${JSON.stringify(outcomes)}`,
    );
    assert.ok(spammed <= BOARD_LIMITS.strokesPerPage && spammed < 200, `${spammed} kept`);
    // Refused stroke by stroke, and past the strikes its socket is closed for flooding.
    assert.ok(limited > 100);
    assert.equal(closedWith, 4009);
    assertUnharmed(await canary.stop(), 'board floods');
    for (const c of [batcher, spammer]) c.ws.terminate();
  });
});
