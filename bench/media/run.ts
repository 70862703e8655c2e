/**
 * npm run bench:media [-- --codecs VP8,VP9,H264,AV1 --seconds 20]
 * Teacher page shares a 1080p canvas source (frame-time blocks, text and motion) through the app's
 * own media path to a room-screen page, both in headless Chromium in a private network namespace.
 * Per codec: time to first decoded frame after Share, time to full resolution, received
 * resolution and fps over the window, glass-to-glass latency p50/p95.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { RelayServer } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';
import { launchChromium } from '../../test/helpers/browser';
import { pct } from '../measure';

const { values } = parseArgs({
  options: {
    codecs: { type: 'string', default: 'VP8,VP9,H264,AV1' },
    seconds: { type: 'string', default: '20' },
    /** Keep one teacher page for every run (the second share reuses its connections). */
    reuse: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '1920x1080,1280x720' },
  },
});
const SECONDS = Number(values.seconds);

/** pages.ts runs in the browser (type-checked with the web tsconfig); seen from here: */
interface ReceiverResult {
  first: number | null;
  fullRes: number | null;
  frames: number;
  latencies: number[];
  unreadable: number;
  sizes: Record<string, number>;
}
interface Pages {
  startCanvasShare(a: object): Promise<{ t0: number; shareId: string | null }>;
  measureReceiver(a: object): Promise<ReceiverResult>;
  inboundStats(): { codec: string }[];
  stopShare(id: string): Promise<void>;
}
const pagesModule = './pages';
const { startCanvasShare, measureReceiver, inboundStats, stopShare } = (await import(
  pagesModule
)) as Pages;
const BLOCK = 40;

async function main(): Promise<void> {
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: path.resolve('out/web'),
    teacherCredentialHash: hashCredential('bench'),
  });
  const room = relay.registry.createRoom('Bench');
  const base = `http://127.0.0.1:${await relay.listen()}`;
  const browser = await launchChromium();
  const open = async (query: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // Functions handed to evaluate() are compiled by tsx, which names them with a helper.
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(`${base}/?${query}`);
    return p;
  };

  const screen = await open(`screen=${room.screenKey}&debug`);
  await screen.getByLabel('join code').waitFor();
  /** A fresh teacher page per run: each share starts on new peer connections. */
  const openTeacher = async (): Promise<Page> => {
    const teacher = await open(`debug&code=${room.code}`);
    await teacher.getByLabel('Teacher', { exact: true }).check();
    await teacher.getByLabel('Your name').fill('Bench');
    await teacher.getByLabel('Teacher credential').fill('bench');
    await teacher.getByRole('button', { name: 'Join' }).click();
    await teacher.getByRole('heading', { name: 'Bench' }).waitFor();
    return teacher;
  };

  const runs: { codec: string; width: number; height: number }[] = [];
  const [w0, h0] = values.sizes.split(',')[0]!.split('x').map(Number) as [number, number];
  for (const codec of values.codecs.split(',')) runs.push({ codec, width: w0, height: h0 });
  for (const size of values.sizes.split(',').slice(1)) {
    const [w, h] = size.split('x').map(Number) as [number, number];
    runs.push({ codec: values.codecs.split(',')[0]!, width: w, height: h });
  }

  const lines: string[] = [];
  let kept: Page | null = null;
  for (const run of runs) {
    const teacher = values.reuse ? (kept ??= await openTeacher()) : await openTeacher();
    const epoch = Date.now();
    const receiving = screen.evaluate(measureReceiver, {
      epoch,
      width: run.width,
      height: run.height,
      block: BLOCK,
      seconds: SECONDS,
    });
    const { t0, shareId } = await teacher.evaluate(startCanvasShare, {
      epoch,
      width: run.width,
      height: run.height,
      codec: run.codec,
      block: BLOCK,
    });
    const r: ReceiverResult = await receiving;
    const stats = await screen.evaluate(inboundStats);
    if (shareId) await teacher.evaluate(stopShare, shareId);
    await screen.locator('[data-layout="idle"]').waitFor();
    if (!values.reuse) await teacher.context().close();
    const [size] = Object.entries(r.sizes).sort((a, b) => b[1] - a[1])[0] ?? ['0x0'];
    const [width, height] = size.split('x').map(Number) as [number, number];
    const codec = stats[stats.length - 1]?.codec || run.codec;
    const fields = {
      ttff_ms: r.first === null ? NaN : r.first - t0,
      full_res_ms: r.fullRes === null ? NaN : r.fullRes - t0,
      g2g_p50_ms: pct(r.latencies, 50),
      g2g_p95_ms: pct(r.latencies, 95),
      fps: r.frames / SECONDS,
      width,
      height,
      codec,
    };
    const text = Object.entries(fields)
      .map(
        ([k, v]) =>
          `${k}=${typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : Math.round(v * 10) / 10) : v}`,
      )
      .join(' ');
    console.log(
      `${run.codec} ${run.width}x${run.height}: ${text} (frames read ${r.latencies.length}, unreadable ${r.unreadable})`,
    );
    lines.push(text);
  }
  await browser.close();
  await relay.close();
  console.log(`RESULT ${lines[0]}`);
}

await main();
