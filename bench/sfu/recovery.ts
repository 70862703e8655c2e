/**
 * SFU recovery in Chromium: a teacher shares a 1080p screen through the SFU to a few students;
 * the worker is SIGKILLed `crashes` times, and each time the phases are timed from the kill:
 * worker replaced, the teacher's producer back, every consumer back, and each student's first
 * decoded frame of the new stream (requestVideoFrameCallback, in the page, on the same clock).
 */
import type { Page } from 'playwright-core';
import { joinAs } from '../../test/helpers/host';
import {
  newTrackFrames,
  seenFrames,
  watchFrames,
  type TrackFrames,
} from '../../test/helpers/frames';
import { until } from '../../test/helpers/media';
import { withSfuRoom } from './room';

export interface Recovery {
  /** ms from the kill until the worker was replaced. */
  worker: number;
  /** … until the teacher's video producer existed on the new worker. */
  producer: number;
  /** … until every student consumed it again. */
  consumers: number;
  /** … until each student decoded a frame of the new stream (the slowest student). */
  decoding: number;
  /** Width of that first frame (slowest student). */
  firstWidth: number;
  /** … until every student decoded a frame as wide as before the crash (NaN: not in 20 s). */
  fullWidth: number;
}

export async function sfuRecovery(crashes: number, students = 3): Promise<Recovery[]> {
  return withSfuRoom({ width: 1920, height: 1080 }, async ({ host, open }) => {
    const sfu = host.relay.sfu!;
    // As in a room: the screen takes the teacher's share P2P, the students through the SFU.
    const screen = await open(`screen=${host.room.screenKey}`);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open('capture=1920x1080');
    await joinAs(teacher, 'Teacher', 'Teacher');
    const pages: Page[] = [];
    for (let i = 0; i < students; i++) {
      const p = await open('');
      await watchFrames(p);
      await joinAs(p, 'Student', `Student ${i + 1}`);
      pages.push(p);
    }
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    const roomSfu = sfu.forRoom(host.room);
    const producer = () => host.room.shares.list()[0]?.producerId;
    await until(
      'students consume',
      async () => roomSfu.consumerCount(),
      (n) => n === students,
    );
    // Settled: every student at full width before the first crash.
    for (const p of pages) {
      await until(
        'full width',
        async () => Object.values(await seenFrames(p)).some((r) => r.widths.at(-1)?.[1] === 1920),
        Boolean,
        30_000,
      );
    }
    const out: Recovery[] = [];
    for (let i = 0; i < crashes; i++) {
      const before = await Promise.all(
        pages.map(async (p) => new Set(Object.keys(await seenFrames(p)))),
      );
      const restarts = sfu.restarts;
      const worker = await sfu.worker();
      const killed = Date.now();
      process.kill(worker.pid, 'SIGKILL');
      const at = async <T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean) => {
        await until(what, async () => probe(), ok, 30_000, 5);
        return Date.now() - killed;
      };
      const replaced = await at(
        'worker replaced',
        () => sfu.restarts,
        (n) => n > restarts,
      );
      await sfu.worker();
      const produced = await at('producer back', producer, (id) => id !== undefined);
      const consumed = await at(
        'consumers back',
        () => roomSfu.consumerCount(),
        (n) => n === students,
      );
      const fresh = (p: Page, j: number) => newTrackFrames(p, before[j]!);
      const firsts: TrackFrames[] = [];
      for (const [j, p] of pages.entries()) {
        firsts.push(
          (await until(`student ${j + 1} decodes again`, () => fresh(p, j), Boolean, 30_000, 20))!,
        );
      }
      const slowest = firsts.reduce((a, b) => (b.first > a.first ? b : a));
      // Full width: the first frame at 1920 of every student's new stream.
      let fullWidth = 0;
      for (const [j, p] of pages.entries()) {
        const wide = await until(
          `student ${j + 1} at full width again`,
          async () => (await fresh(p, j))?.widths.find(([, w]) => w >= 1920)?.[0],
          (t) => t !== undefined,
          20_000,
          50,
        ).catch(() => NaN);
        fullWidth = Math.max(fullWidth, (wide ?? NaN) - killed);
      }
      out.push({
        worker: replaced,
        producer: produced,
        consumers: consumed,
        decoding: slowest.first - killed,
        firstWidth: slowest.firstWidth,
        fullWidth,
      });
      // Let the teacher's encoder settle before the next crash.
      await new Promise((r) => setTimeout(r, 3000));
    }
    return out;
  });
}
