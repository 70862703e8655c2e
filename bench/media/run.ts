/**
 * npm run bench:media [-- --codecs VP8,VP9,H264,AV1 --seconds 20]
 * Teacher page shares a 1080p canvas source (frame-time blocks, text and motion) through the app's
 * own media path to a room-screen page, both in headless Chromium in a private network namespace.
 * Per codec, from a fresh teacher page whose link to the screen is connected (as the app makes it
 * at join): time to first decoded frame after Share, time to full resolution, received
 * resolution and fps (frames presented) over the window, glass-to-glass latency p50/p95.
 * Before each run, a bare WebRTC pair (two plain pages, browser defaults, the same source and
 * frame-id method) gives the baseline of that moment; the app's figures are also printed as
 * ratios against it. After the first run the pair runs once more, measured from when it
 * reaches full resolution (it starts at 300 kbps and gets there after 35-45 s): the same
 * picture on both paths.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { RelayServer } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';
import { launchChromium } from '../../test/helpers/browser';
import { pct } from '../measure';
import { latencyParts, type LatencyParts } from './parts';
import { screenCpu } from './screenCpu';

const { values } = parseArgs({
  options: {
    codecs: { type: 'string', default: 'VP8,VP9,H264,AV1' },
    seconds: { type: 'string', default: '20' },
    /** Keep one teacher page for every run (the second share reuses its connections). */
    reuse: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '1920x1080,1280x720' },
    /** Seconds of the room screen's CPU sample per layout (0: skip that part). */
    'screen-seconds': { type: 'string', default: '10' },
    /** Only the room screen's CPU per layout. */
    'screen-only': { type: 'boolean', default: false },
    /** Also print where each app run's first frame spent its time (receiver's getStats). */
    phases: { type: 'boolean', default: false },
    /**
     * Skip the bare pair's second run, measured from when it reaches full resolution (up to
     * BARE_FULL_RES_WAIT_MS) after the first run: the app's path against the same picture.
     */
    'skip-full-res-pair': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const BARE_FULL_RES_WAIT_MS = 60_000;

/** pages.ts runs in the browser (type-checked with the web tsconfig); seen from here: */
interface ReceiverResult {
  first: number | null;
  fullRes: number | null;
  frames: number;
  presented: number;
  measuredFrom: number | null;
  latencies: number[];
  unreadable: number;
  sizes: Record<string, number>;
  black: number;
  firstCallbackLag: number | null;
}
interface Pages {
  startCanvasSource(a: object): void;
  startCanvasShare(a: object): Promise<{ t0: number; shareId: string | null }>;
  primedLink(side: 'sent' | 'decoded'): Promise<boolean>;
  bareOffer(a: object): Promise<{ t0: number; sdp: string }>;
  bareAnswer(offer: string): Promise<string>;
  bareAccept(answer: string): Promise<void>;
  bareClose(): void;
  measureReceiver(a: object): Promise<ReceiverResult>;
  inboundStats(): { codec: string }[];
  stopShare(id: string): Promise<void>;
  watchPhases(a: { epoch: number; ms: number }): Promise<Record<string, number>>;
  watchSender(a: { epoch: number; ms: number }): Promise<Record<string, number>>;
}
const pagesModule = './pages';
const {
  startCanvasSource,
  startCanvasShare,
  primedLink,
  bareOffer,
  bareAnswer,
  bareAccept,
  bareClose,
  measureReceiver,
  inboundStats,
  stopShare,
  watchPhases,
  watchSender,
} = (await import(pagesModule)) as Pages;

interface Figures {
  ttff_ms: number;
  full_res_ms: number;
  g2g_p50_ms: number;
  g2g_p95_ms: number;
  fps: number;
  width: number;
  height: number;
  /** When the measuring window closed (a full resolution never seen was later than this). */
  until_ms: number;
}

/** The figures of one receiver's window, `t0` being when the share started. */
function figures(r: ReceiverResult, t0: number): Figures {
  const [size] = Object.entries(r.sizes).sort((a, b) => b[1] - a[1])[0] ?? ['0x0'];
  const [width, height] = size.split('x').map(Number) as [number, number];
  return {
    ttff_ms: r.first === null ? NaN : r.first - t0,
    full_res_ms: r.fullRes === null ? NaN : r.fullRes - t0,
    g2g_p50_ms: pct(r.latencies, 50),
    g2g_p95_ms: pct(r.latencies, 95),
    // What the screen showed: the callbacks of a busy page skip frames it presented.
    fps: r.presented / SECONDS,
    width,
    height,
    until_ms: r.measuredFrom === null ? NaN : r.measuredFrom + SECONDS * 1000 - t0,
  };
}

/** Time to full resolution against the bare pair's; "<x" when the pair never got there. */
const fullResRatio = (app: Figures, bare: Figures) =>
  Number.isNaN(bare.full_res_ms) && !Number.isNaN(app.full_res_ms)
    ? `<${ratio(app.full_res_ms, bare.until_ms)}`
    : ratio(app.full_res_ms, bare.full_res_ms);

const show = ({ until_ms: _, ...fields }: Record<string, number | string>) =>
  Object.entries(fields)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : Math.round(v * 10) / 10) : v}`,
    )
    .join(' ');
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const ms = (x: number | undefined) => (x === undefined ? '?' : x.toFixed(1));
/** Encode, jitter buffer and decode per frame, the app's path beside the bare pair's. */
const showParts = (app: LatencyParts, bare: LatencyParts) =>
  `where a frame's time goes, ms (app / bare pair): encode ${ms(app.encodeMs)} / ${ms(bare.encodeMs)}, ` +
  `jitter buffer ${ms(app.jitterBufferMs)} / ${ms(bare.jitterBufferMs)}, ` +
  `decode ${ms(app.decodeMs)} / ${ms(bare.decodeMs)}`;
/** A path's parts: the sending page's encode, the receiving page's jitter buffer and decode. */
const partsOf = async (sender: Page, receiver: Page): Promise<LatencyParts> => ({
  ...(await sender.evaluate(latencyParts)),
  ...(await receiver.evaluate(latencyParts)),
});
const BLOCK = 40;

/** The room screen's CPU with four shares in 2×2 against one share in single. */
async function screenPart(): Promise<string> {
  const seconds = Number(values['screen-seconds']);
  if (seconds <= 0) return '';
  const { single, grid } = await screenCpu(seconds);
  for (const [name, l] of [
    ['single, 1 share ', single],
    ['2×2, 4 shares   ', grid],
  ] as const) {
    console.log(
      `room screen ${name}: CPU ${l.cpu.toFixed(1)}% of a core, ${l.fps.toFixed(1)} fps per share, decoding ${l.widths.join(', ')} px wide`,
    );
  }
  // A screen that cannot keep up decodes fewer frames rather than use more CPU: the ratio
  // as if both had decoded at the same frame rate tells that apart.
  const sameFps = (grid.cpu * (single.fps / grid.fps)) / single.cpu;
  console.log(`room screen CPU 2×2 against single at the same frame rate: ${sameFps.toFixed(2)}×`);
  return ` screen_cpu_2x2_ratio=${(grid.cpu / single.cpu).toFixed(2)}`;
}

async function main(): Promise<void> {
  if (values['screen-only']) {
    console.log(`RESULT${await screenPart()}`);
    return;
  }
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
  /**
   * A fresh teacher page per run: each share starts on new peer connections. Its screen
   * captures at the run's size (`capture=`, as a display of that size would).
   */
  const openTeacher = async (codec: string, size: string): Promise<Page> => {
    const teacher = await open(`debug&code=${room.code}&capture=${size}`);
    // The codec is a teacher's setting, chosen before the class: the ready link prefers it.
    await teacher.evaluate(`window.lectern.app.shares.setCodec(${JSON.stringify(codec)})`);
    await teacher.getByLabel('Teacher', { exact: true }).check();
    await teacher.getByLabel('Your name').fill('Bench');
    await teacher.getByLabel('Teacher credential').fill('bench');
    const joining = Date.now();
    await teacher.getByRole('button', { name: 'Join' }).click();
    await teacher.getByRole('heading', { name: 'Bench' }).waitFor();
    // A teacher's page connects a link to the room screen once joined, before any share (a
    // person takes seconds to pick what to share); the share starts on it. Its time is shown.
    const ready = await teacher
      .waitForFunction(
        `Object.values(window.lectern.app.engine.linkStates()).includes('connected')`,
        undefined,
        { timeout: 10_000, polling: 5 },
      )
      .then(
        () => `${Date.now() - joining} ms`,
        () => 'not within 10 s',
      );
    // …and sends its spare's placeholder picture, which the screen decodes: both the encoder
    // and the decoder are made before the share (renderer/src/media/placeholder.ts).
    const primed = await teacher
      .waitForFunction(primedLink, 'sent' as const, { timeout: 5_000, polling: 20 })
      .then(() =>
        screen.waitForFunction(primedLink, 'decoded' as const, { timeout: 5_000, polling: 20 }),
      )
      .then(
        () => `${Date.now() - joining} ms`,
        () => 'not within 5 s',
      );
    console.log(
      `  teacher joined; its link to the room screen connected ${ready}, primed ${primed} after Join`,
    );
    return teacher;
  };

  const runs: { codec: string; width: number; height: number }[] = [];
  const [w0, h0] = values.sizes.split(',')[0]!.split('x').map(Number) as [number, number];
  for (const codec of values.codecs.split(',')) runs.push({ codec, width: w0, height: h0 });
  for (const size of values.sizes.split(',').slice(1)) {
    const [w, h] = size.split('x').map(Number) as [number, number];
    runs.push({ codec: values.codecs.split(',')[0]!, width: w, height: h });
  }

  // The baseline's pages: empty, on an http origin of their own (on about:blank, in the
  // benchmark's network namespace, Chromium closed the pages once they made a connection).
  const blank = createServer((_req, res) => res.end('<!doctype html><title>bare pair</title>'));
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
  const blankUrl = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
  /**
   * The baseline in the same browser: two plain pages, one bare peer connection. Its window
   * opens at full resolution, or `fullResWaitMs` after its first frame if that never comes.
   */
  const bare = async (
    run: { width: number; height: number },
    fullResWaitMs = 3000,
  ): Promise<{ figures: Figures; parts: LatencyParts }> => {
    const [from, to] = await Promise.all(
      [0, 1].map(async () => {
        const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
        await context.addInitScript('window.__name = (f) => f');
        const page = await context.newPage();
        await page.goto(blankUrl);
        return page;
      }),
    );
    const epoch = Date.now();
    const source = { epoch, width: run.width, height: run.height, codec: '', block: BLOCK };
    await from!.evaluate(startCanvasSource, source);
    const receiving = to!.evaluate(measureReceiver, {
      selector: '.bare video',
      epoch,
      width: run.width,
      height: run.height,
      block: BLOCK,
      seconds: SECONDS,
      openAfterMs: fullResWaitMs,
    });
    const { t0, sdp } = await from!.evaluate(bareOffer, { epoch });
    await from!.evaluate(bareAccept, await to!.evaluate(bareAnswer, sdp));
    const r: ReceiverResult = await receiving;
    const parts = await partsOf(from!, to!);
    await from!.evaluate(bareClose);
    await to!.evaluate(bareClose);
    await from!.context().close();
    await to!.context().close();
    return { figures: figures(r, t0), parts };
  };

  const lines: string[] = [];
  const ttffs: number[] = [];
  const ratios: string[] = [];
  let sameRes = '';
  let kept: Page | null = null;
  for (const run of runs) {
    // The bare pair first, then the app, for every run: both see the machine as it is now.
    const { figures: base, parts: baseParts } = await bare(run);
    console.log(`  bare pair ${run.width}x${run.height}: ${show({ ...base })}`);
    const teacher = values.reuse
      ? (kept ??= await openTeacher(run.codec, `${run.width}x${run.height}`))
      : await openTeacher(run.codec, `${run.width}x${run.height}`);
    const epoch = Date.now();
    const receiving = screen.evaluate(measureReceiver, {
      selector: '.tile video',
      epoch,
      width: run.width,
      height: run.height,
      block: BLOCK,
      seconds: SECONDS,
    });
    const phases = values.phases ? screen.evaluate(watchPhases, { epoch, ms: 15_000 }) : null;
    const source = { epoch, width: run.width, height: run.height, codec: run.codec, block: BLOCK };
    await teacher.evaluate(startCanvasSource, source);
    const sending = values.phases ? teacher.evaluate(watchSender, { epoch, ms: 15_000 }) : null;
    const { t0, shareId } = await teacher.evaluate(startCanvasShare, source);
    const r: ReceiverResult = await receiving;
    if (phases && sending) {
      const { encodeMs, pli, ...sent } = await sending;
      const { keyFrames, ...received } = await phases;
      const p = { ...received, ...sent };
      const steps = Object.entries(p).sort((x, y) => x[1] - y[1]);
      console.log(
        `  ${run.codec} first frame, ms from Share: ${steps.map(([k, t]) => `${k} ${(t - t0).toFixed(0)}`).join(', ')}, shown ${((r.first ?? NaN) - t0).toFixed(0)} (first encode took ${encodeMs?.toFixed(0)} ms, ${keyFrames === 0 ? 'no key frame: the encoder was primed' : `a key frame (${pli} key frame requests)`})${r.black ? `; ${r.black} black frames shown first` : ''}`,
      );
    }
    const stats = await screen.evaluate(inboundStats);
    const parts = await partsOf(teacher, screen);
    if (shareId) await teacher.evaluate(stopShare, shareId);
    await screen.locator('[data-layout="idle"]').waitFor();
    if (!values.reuse) await teacher.context().close();
    const codec = stats[stats.length - 1]?.codec || run.codec;
    const app = figures(r, t0);
    const text = show({ ...app, codec });
    const vsBare = `g2g_ratio=${ratio(app.g2g_p50_ms, base.g2g_p50_ms)} full_res_ratio=${fullResRatio(app, base)} fps_ratio=${ratio(app.fps, base.fps)}`;
    console.log(
      `${run.codec} ${run.width}x${run.height}: ${text} (frames presented ${r.presented}, callbacks ${r.frames}, stamps read ${r.latencies.length}, unreadable ${r.unreadable}, first frame's callback ${r.firstCallbackLag?.toFixed(0)} ms after its presentation); against the bare pair: ${vsBare}`,
    );
    console.log(`  ${showParts(parts, baseParts)}`);
    lines.push(text);
    ratios.push(vsBare);
    if (lines.length === 1 && !values['skip-full-res-pair']) {
      // The pair above mostly sends a quarter of the pixels or less (it starts at 300 kbps), so
      // its latency and frame rate are those of a smaller picture. Once it sends every pixel
      // too, the two paths carry the same picture: what the app's path adds shows alone.
      const { figures: full } = await bare(run, BARE_FULL_RES_WAIT_MS);
      console.log(`  bare pair, measured from full resolution: ${show({ ...full })}`);
      sameRes =
        full.width >= run.width
          ? ` g2g_ratio_full_res=${ratio(app.g2g_p50_ms, full.g2g_p50_ms)} fps_ratio_full_res=${ratio(app.fps, full.fps)}`
          : ` g2g_ratio_full_res=n/a`;
      console.log(`  against the bare pair at full resolution:${sameRes}`);
    }
    if (run.width === w0 && run.height === h0) ttffs.push(app.ttff_ms);
  }
  await browser.close();
  await relay.close();
  blank.close();
  // The first run's (VP8 1080p by default) figures, ratios against the bare pair of that run,
  // and the slowest first frame among the codecs at the first size.
  const screenKeys = await screenPart();
  console.log(
    `RESULT ${lines[0]} ttff_max_ms=${Math.round(Math.max(...ttffs))} ${ratios[0]}${sameRes}${screenKeys}`,
  );
}

await main();
