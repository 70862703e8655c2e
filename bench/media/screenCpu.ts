/**
 * The room screen's CPU against its layout: one 1080p share in the single layout, then four
 * 1080p shares (four teachers' devices) in 2×2. The screen runs in a browser of its own, so
 * its whole process tree (browser, GPU, renderer: decoding and compositing) is what is read
 * from /proc; the senders run in another.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/browser';
import { joinAs, startHost } from '../../test/helpers/host';
import { until } from '../../test/helpers/media';
import { treeCpuPercent } from '../measure';

export interface ScreenLoad {
  /** The screen's CPU, % of one core. */
  cpu: number;
  /** Frames decoded per second, per video, and the widths decoded. */
  fps: number;
  widths: number[];
}

/** The screen's videos: decoded frames so far and widths. */
const VIDEOS = `[...document.querySelectorAll('.tile video')].map((v) => [v.getVideoPlaybackQuality().totalVideoFrames, v.videoWidth])`;

/** The chromium processes this process started (a launch adds one). */
const myBrowsers = () =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map(Number)
    .filter((n) => n > 0);

export async function screenCpu(
  seconds: number,
): Promise<{ single: ScreenLoad; grid: ScreenLoad }> {
  const host = await startHost();
  const senders = await launchChromium();
  const before = new Set(myBrowsers());
  const screenBrowser = await launchChromium();
  const root = myBrowsers().find((p) => !before.has(p));
  if (root === undefined) throw new Error('the screen browser process was not found');
  const open = async (browser: typeof senders, query: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${host.base}/?${query}`);
    return page;
  };
  const measure = async (count: number): Promise<ScreenLoad> => {
    const seen = async () => (await screen.evaluate(VIDEOS)) as [number, number][];
    await until(
      `the screen decodes ${count} shares`,
      seen,
      (v) => v.length === count && v.every(([f, w]) => f > 0 && w > 0),
      30_000,
    );
    // Settled: senders fitted to their slots, encoders past their ramp.
    await new Promise((r) => setTimeout(r, 4000));
    const a = await seen();
    const cpu = await treeCpuPercent(root, seconds * 1000);
    const b = await seen();
    const frames = b.reduce((s, [f], i) => s + f - (a[i]?.[0] ?? 0), 0);
    return { cpu, fps: frames / count / seconds, widths: b.map(([, w]) => w) };
  };
  const screen = await open(screenBrowser, `screen=${host.room.screenKey}`);
  try {
    await screen.getByLabel('join code').waitFor();
    const teachers: Page[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await open(senders, `debug&code=${host.room.code}&capture=1920x1080`);
      await joinAs(p, 'Teacher', `Teacher ${i + 1}`);
      teachers.push(p);
    }
    // "Sharp text": encoders keep their resolution, so only the layout changes it.
    const share = (p: Page) => p.evaluate("window.lectern.app.shares.share('sharp')");
    await share(teachers[0]!);
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
    const single = await measure(1);
    for (const p of teachers.slice(1)) await share(p);
    await screen.locator('[data-layout="2x2"]').waitFor({ timeout: 15_000 });
    const grid = await measure(4);
    return { single, grid };
  } finally {
    await screenBrowser.close();
    await senders.close();
    await host.relay.close();
  }
}
