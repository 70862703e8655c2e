import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { DeviceMetrics } from '../../../protocol';
import type { AppController } from '../../../renderer/src/controller/AppController';
import { selectMe, type RoomState } from '../../../renderer/src/store';
import { nodeController } from '../../helpers/renderer/controller';
import { until } from '../../helpers/media';
import { startRelay, TEACHER_SECRET, type TestRelay } from '../../helpers/relay';

/** Polls a page's store until `ok` (3 s). */
function soon<T>(
  app: AppController,
  what: string,
  pick: (s: RoomState) => T,
  ok: (v: T) => boolean,
) {
  return until(what, async () => pick(app.store.state), ok, 3000, 10);
}

/** The teacher invites a student on stage and the student accepts. */
async function goOnStage(teacher: AppController, student: AppController): Promise<void> {
  teacher.moderation.invite(student.store.state.me!.peerId);
  await soon(
    student,
    'invited',
    (s) => s.invitedBy,
    (b) => b !== null,
  );
  student.moderation.respond(true);
  await soon(
    student,
    'on stage',
    (s) => selectMe(s)?.stage,
    (st) => st === 'on',
  );
}

/** The renderer's controller pieces (session, moderation, shares' rules, stats) under Node. */
describe('page controller against a real relay', () => {
  let t: TestRelay;
  const apps: AppController[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) a.close();
    await t.stop();
  });

  async function page(role: 'teacher' | 'student' | 'screen', name: string, opts = {}) {
    const { app, reloads } = nodeController(t.relay.port, opts);
    apps.push(app);
    await app.join(
      role === 'teacher'
        ? { role, name, code: t.room.code, credential: TEACHER_SECRET }
        : role === 'screen'
          ? { role, name, credential: t.room.screenKey }
          : { role, name, code: t.room.code },
    );
    assert.equal(app.store.state.error, null, `${name} joined`);
    return { app, reloads };
  }

  it('joins, and the store follows the room: roster, chat, hands, invitation and stage', async () => {
    t = await startRelay();
    const { app: teacher } = await page('teacher', 'Ms. Park');
    const { app: ana } = await page('student', 'Ana');
    assert.equal(ana.store.state.status, 'joined');
    assert.equal(ana.store.state.room?.name, 'Room 101');
    assert.equal(ana.store.state.code, null, 'students never get the join code');
    assert.equal(teacher.store.state.code, t.room.code);
    await soon(
      teacher,
      'teacher sees Ana',
      (s) => Object.keys(s.peers).length,
      (n) => n === 2,
    );

    ana.moderation.chat('Can you zoom in?');
    await soon(
      teacher,
      'chat',
      (s) => s.chat.map((m) => m.text),
      (c) => c.includes('Can you zoom in?'),
    );
    ana.moderation.setHand(true);
    const anaId = ana.store.state.me!.peerId;
    await soon(
      teacher,
      'hand up',
      (s) => s.peers[anaId]?.hand,
      (h) => h === true,
    );
    await goOnStage(teacher, ana);
    assert.equal(selectMe(ana.store.state)?.hand, false, 'going on stage lowers the hand');
    assert.equal(ana.store.state.invitedBy, null);
  });

  it('a refusal shows its code; an off-stage share is refused from the snapshot, before any capture', async () => {
    t = await startRelay();
    const { app: teacher } = await page('teacher', 'Ms. Park');
    const { app: ana } = await page('student', 'Ana');
    ana.moderation.lock(true);
    await soon(
      ana,
      'NOT_TEACHER shown',
      (s) => s.error,
      (e) => e === 'NOT_TEACHER',
    );
    await ana.shares.share('auto');
    assert.equal(ana.store.state.error, 'NOT_ON_STAGE');
    // A round trip through the relay after Ana's calls: nothing was announced to the room.
    await teacher.session.request('ping', {});
    assert.deepEqual(Object.keys(teacher.store.state.shares), []);
    assert.equal(t.room.shares.size, 0);
    // On stage, the share goes as far as the capture (none under Node): CAPTURE, not refused.
    await goOnStage(teacher, ana);
    await ana.shares.share('auto');
    assert.equal(ana.store.state.error, 'CAPTURE');
  });

  it('reconnects and resumes after a dropped socket; joins afresh when the relay restarted', async () => {
    t = await startRelay({ resumeGraceMs: 10_000 });
    const { app: ana } = await page('student', 'Ana');
    const first = ana.store.state.me!.peerId;
    // The relay drops every socket (as when Wi-Fi blinks): the page resumes its identity.
    for (const m of t.room.members.values()) m.connection?.socket.terminate();
    await soon(
      ana,
      'reconnecting',
      (s) => s.status,
      (st) => st === 'reconnecting',
    );
    await until(
      'back',
      async () => ana.store.state.status,
      (s) => s === 'joined',
      5000,
      20,
    );
    assert.equal(ana.store.state.me!.peerId, first, 'same identity after a resume');

    // A new relay with the same room keys does not know the token: the page joins afresh.
    const keys = { id: t.room.id, code: t.room.code, screenKey: t.room.screenKey };
    const port = t.relay.port;
    await t.stop();
    t = await startRelay({}, { port }, keys);
    await until(
      'rejoined',
      async () => ana.store.state.status === 'joined' && ana.store.state.me!.peerId !== first,
      (ok) => ok,
      10_000,
      50,
    );
    assert.equal(t.room.members.size, 1);
  });

  it('removed by the teacher: the page says so and does not reconnect', async () => {
    t = await startRelay();
    const { app: teacher } = await page('teacher', 'Ms. Park');
    const { app: ana } = await page('student', 'Ana');
    teacher.moderation.remove(ana.store.state.me!.peerId);
    await soon(
      ana,
      'closed',
      (s) => s.status,
      (st) => st === 'closed',
    );
    assert.equal(ana.store.state.endedReason, 'removed');
    // Longer than the first reconnect attempt would wait.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(ana.store.state.status, 'closed', 'no reconnect attempt');
    assert.equal(t.room.members.size, 1);
  });

  it('reports media figures to the relay every ten samples', async () => {
    t = await startRelay();
    const reports: DeviceMetrics[] = [];
    t.room.events.on('metricsReported', (_m, metrics) => reports.push(metrics));
    await page('student', 'Ana', { statsIntervalMs: 10 });
    await until(
      'two reports',
      async () => reports.length,
      (n) => n >= 2,
      3000,
      10,
    );
    assert.deepEqual(reports[0], { streams: [], iceFailures: 0, iceInterruptions: 0 });
  });

  it('an operator message on the screen clears after its time; a reload request reloads', async () => {
    t = await startRelay();
    const { app: screen, reloads } = await page('screen', 'Screen');
    t.room.broadcastPrivileged({
      method: 'screenMessage',
      params: { text: 'Fire drill', seconds: 1 },
    });
    await soon(
      screen,
      'shown',
      (s) => s.operatorMessage?.text,
      (m) => m === 'Fire drill',
    );
    await soon(
      screen,
      'cleared',
      (s) => s.operatorMessage,
      (m) => m === null,
    );
    t.room.broadcastScreens({ method: 'reloadRequested', params: {} });
    await until(
      'reloaded',
      async () => reloads.length,
      (n) => n === 1,
      3000,
      10,
    );
  });
});
