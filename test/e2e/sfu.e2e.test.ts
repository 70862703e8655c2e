import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { newTrackFrames, seenFrames, watchFrames } from '../helpers/frames';
import { joinAs, startHost } from '../helpers/host';
import { inbound, streamStats, until } from '../helpers/media';

/**
 * Fan-out through the room host's SFU: a real mediasoup worker, real Chromium pages with
 * mediasoup-client. The teacher sends one simulcast stream set; students receive it through
 * the SFU, each at the layer its window needs.
 */
describe('1→N through the SFU: teacher, room screen, four students', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let browser: Browser;

  before(async () => {
    ({ relay, room, base } = await startHost({ sfu: { listenIp: '127.0.0.1' } }));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
  });

  async function open(query: string, width = 1280, height = 720): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const p = await context.newPage();
    await p.goto(`${base}/?stats&debug&${query}`);
    return p;
  }

  /** Widest SFU stream a student decodes, with frames. */
  async function sfuIn(p: Page) {
    const s = (await inbound(p)).filter((x) => x.path === 'sfu' && x.frames > 0);
    return s.sort((a, b) => b.width - a.width)[0] ?? null;
  }

  it('four students decode the teacher share via the SFU; one outbound stream set; layers by viewport; late join; worker crash', async () => {
    const screen = await open(`screen=${room.screenKey}`, 1920, 1080);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${room.code}&capture=1920x1080`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const students: Page[] = [];
    for (const [i, size] of [
      [1920, 1080],
      [1280, 720],
      [1280, 720],
      [400, 300],
    ].entries()) {
      const p = await open(`code=${room.code}`, size[0], size[1]);
      await joinAs(p, 'Student', `Student ${i + 1}`);
      students.push(p);
    }

    await teacher.getByRole('button', { name: 'Share screen' }).click();
    await until(
      'the screen decodes 1080p (P2P)',
      () => inbound(screen),
      (s) => s.some((x) => x.width === 1920 && x.frames > 0 && x.path === 'p2p'),
    );
    for (const [i, p] of students.entries()) {
      await until(
        `student ${i + 1} decodes via the SFU`,
        () => sfuIn(p),
        (s) => s !== null,
      );
    }

    // One outbound stream set from the teacher: the SFU send transport (three simulcast
    // layers of one track) and the P2P link to the screen — nothing per student.
    const out = (await streamStats(teacher)).filter((s) => s.direction === 'out');
    const peers = [...new Set(out.map((s) => `${s.path}/${s.link}`))];
    const links = (await teacher.evaluate(
      'Object.keys(window.lectern.app.engine.linkStates())',
    )) as string[];
    console.log(`teacher outbound: ${JSON.stringify(out)}; P2P links: ${links.length}`);
    assert.equal(links.length, 1, 'one P2P link: the room screen');
    assert.equal(peers.filter((p) => p === 'sfu/send').length, 1);
    assert.equal(peers.length, 2, `sfu/send + the screen, got ${peers.join()}`);
    assert.ok(out.filter((s) => s.path === 'sfu').length <= 3, 'at most three layers');

    // Layers by viewport: the 400 px window gets a lower layer than the full-screen one.
    const big = await until(
      'full-screen student at full width',
      () => sfuIn(students[0]!),
      (s) => (s?.width ?? 0) >= 1280,
    );
    const small = await until(
      'small student at a low layer',
      () => sfuIn(students[3]!),
      (s) => s !== null && s.width > 0 && s.width <= 960,
    );
    console.log(
      `sfu layers: full-screen ${big?.width}×${big?.height}, 400 px window ${small?.width}×${small?.height}`,
    );
    assert.ok(small!.width < big!.width);
    await screenshot(students[0]!, 'sfu-student');

    // A late joiner gets a first frame quickly (the consumer asks for a keyframe).
    const late = await open(`code=${room.code}`);
    const joinedAt = Date.now();
    await joinAs(late, 'Student', 'Late');
    const t0 = Date.now();
    await until(
      'late joiner decodes',
      () => sfuIn(late),
      (s) => s !== null,
      15_000,
      50,
    );
    console.log(
      `late joiner: first SFU frame ${Date.now() - t0} ms after join (${Date.now() - joinedAt} ms incl. join)`,
    );

    // Worker crash: a new worker, transports re-created, students decode again.
    const viewers = [...students, late];
    for (const p of viewers) await watchFrames(p);
    const before = await Promise.all(
      viewers.map(async (p) => new Set(Object.keys(await seenFrames(p)))),
    );
    const worker = await relay.sfu!.worker();
    const killedAt = Date.now();
    process.kill(worker.pid, 'SIGKILL');
    await until(
      'worker replaced',
      async () => relay.sfu!.restarts,
      (n) => n === 1,
      10_000,
    );
    // Every student consumes again on the new worker (counted on the host)…
    const roomSfu = relay.sfu!.forRoom(room);
    await until(
      'five consumers on the new worker',
      async () => roomSfu.consumerCount(),
      (n) => n === 5,
    );
    const consumingAfter = Date.now() - killedAt;
    // …and decodes: a frame of a track it did not have before the crash.
    const again: number[] = [];
    for (const [i, p] of viewers.entries()) {
      const frames = await until(
        `student ${i + 1} decodes again after the crash`,
        () => newTrackFrames(p, before[i]!),
        Boolean,
      );
      again.push(frames!.first - killedAt);
    }
    console.log(
      `after a worker crash: consumers re-created in ${consumingAfter} ms, every student decoding again within ${Math.max(...again)} ms`,
    );
    assert.notEqual((await relay.sfu!.worker()).pid, worker.pid);
  });
});
