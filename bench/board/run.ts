/**
 * bench:board — pen-to-screen latency of the whiteboard: from the pointer event on the
 * teacher's page to the stroke's pixels on the room screen's canvas, both pages in one browser
 * (one clock), alone and with 30 headless students drawing at once; the relay's CPU (its own
 * process) and the bytes a drawer puts on the wire.
 *
 * Ends with: RESULT pen_to_screen_p50_ms=… pen_to_screen_p99_ms=… pen_p99_30_drawers_ms=…
 * bytes_per_s_per_drawer=…
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/browser';
import { cpuTicks, pct, TICKS_PER_S } from '../measure';
import { startDrawer, type Drawer } from './drawers';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '40' },
    drawers: { type: 'string', default: '30' },
    /** Prints where the room screen's page spends its time while 30 draw (CPU profile). */
    profile: { type: 'boolean', default: false },
  },
});
const SAMPLES = Number(values.samples);
const DRAWERS = Number(values.drawers);

/** Percentiles of the dabs that were seen (a missed one is NaN, counted apart). */
const seenPct = (xs: number[], p: number) => pct(xs.filter(Number.isFinite), p);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'NaN');

/** On the room screen: when ink first shows near (fx, fy) of the board canvas, on the page clock. */
const WATCH = `window.__watch = (fx, fy, timeoutMs) => new Promise((resolve) => {
  const t0 = performance.now();
  const check = () => {
    const c = document.querySelector('.board-tile canvas');
    if (c && c.width > 1) {
      const x = Math.round(c.width * fx), y = Math.round(c.height * fy);
      const d = c.getContext('2d').getImageData(x - 3, y - 3, 7, 7).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] < 70 && d[i + 1] < 70 && d[i + 2] < 90 && d[i + 3] > 200) {
          return resolve(performance.timeOrigin + performance.now());
        }
      }
    }
    if (performance.now() - t0 > timeoutMs) return resolve(NaN);
    setTimeout(check, 1);
  };
  check();
});
window.__frames = (n) => new Promise((resolve) => {
  const times = [];
  const step = (t) => { times.push(t); if (times.length > n) resolve(times); else requestAnimationFrame(step); };
  requestAnimationFrame(step);
});`;

/** On the drawer's page: each pointerdown's time, and the bytes of its board.draw frames. */
const DRAWER = `window.__downs = [];
addEventListener('pointerdown', (e) => window.__downs.push(performance.timeOrigin + e.timeStamp), true);
window.__boardBytes = 0;
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (d) {
  if (typeof d === 'string' && d.includes('"board.draw"')) {
    window.__boardBytes += d.length + 6 + (d.length > 125 ? 2 : 0);
  }
  return send.call(this, d);
};`;

/** Seconds a page's main thread has spent in tasks (CDP Performance.TaskDuration). */
async function mainThread(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
}

async function startRelay() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/board/relay.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const info = JSON.parse(line.value as string) as {
    port: number;
    code: string;
    screenKey: string;
    pid: number;
  };
  return { ...info, child };
}

/** The functions the page spent most time in (self time), from a CDP CPU profile. */
function printProfile(profile: {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`screen page profile, ${f1(total)} ms sampled:`);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(
      `  ${f1(ms).padStart(8)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`,
    );
  }
}

async function main(): Promise<void> {
  const relay = await startRelay();
  const base = `http://127.0.0.1:${relay.port}`;
  const cpuMs = () => (cpuTicks(relay.pid) * 1000) / TICKS_PER_S;
  const browser = await launchChromium();
  const drawers: Drawer[] = [];
  try {
    const open = async (query: string, init: string, w: number, h: number): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: w, height: h } });
      await context.addInitScript(init);
      const p = await context.newPage();
      await p.goto(`${base}/?${query}`);
      return p;
    };
    const screen = await open(`screen=${relay.screenKey}`, WATCH, 1280, 720);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${relay.code}`, DRAWER, 1280, 800);
    await teacher.getByLabel('Teacher', { exact: true }).check();
    await teacher.getByLabel('Your name').fill('Ms. Bench');
    await teacher.getByLabel('Teacher credential').fill('bench');
    await teacher.getByRole('button', { name: 'Join' }).click();
    await teacher.getByRole('heading', { name: 'Bench' }).waitFor();
    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    const everyone = teacher.getByRole('checkbox', { name: 'Everyone may draw' });
    await everyone.click();
    await everyone.and(teacher.locator(':checked')).waitFor();
    await screen.locator('.board-tile canvas').waitFor();
    await teacher.getByRole('radio', { name: 'Thick' }).click();
    const canvas = teacher.locator('.board-panel .board-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const screenBusy = await mainThread(screen);
    const teacherBusy = await mainThread(teacher);
    /** Both pages' main-thread load (%) while `work` runs. */
    const busy = async <T>(work: () => Promise<T>): Promise<[T, number, number]> => {
      const [s0, t0, at] = [await screenBusy(), await teacherBusy(), performance.now()];
      const out = await work();
      const ms = (performance.now() - at) / 1000;
      return [
        out,
        (((await screenBusy()) - s0) / ms) * 100,
        (((await teacherBusy()) - t0) / ms) * 100,
      ];
    };
    const frames = (await screen.evaluate('__frames(60)')) as number[];
    const frameMs = pct(
      frames.slice(1).map((t, i) => t - frames[i]!),
      50,
    );

    /** Dabs at fresh places of the upper half; each one's pointer-to-pixels time. */
    let cell = 0;
    const dabs = async (n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++, cell++) {
        const fx = 0.06 + (cell % 12) * 0.08;
        const fy = 0.06 + (Math.floor(cell / 12) % 5) * 0.08;
        const seen = screen.evaluate(`__watch(${fx}, ${fy}, 3000)`) as Promise<number>;
        const x = box.x + box.width * fx;
        const y = box.y + box.height * fy;
        await teacher.mouse.move(x, y);
        await teacher.mouse.down();
        await teacher.mouse.move(x + 2, y + 1);
        await teacher.mouse.up();
        const at = await seen;
        const downs = (await teacher.evaluate('__downs')) as number[];
        out.push(at - downs.at(-1)!);
        await new Promise((r) => setTimeout(r, 60));
      }
      return out;
    };
    const clear = async () => {
      await teacher.getByRole('button', { name: 'Clear page' }).click();
      await new Promise((r) => setTimeout(r, 300));
      cell = 0;
    };

    console.log(
      `board benchmark: ${SAMPLES} dabs alone, ${SAMPLES} with ${DRAWERS} students drawing; screen frame ${f1(frameMs)} ms`,
    );
    await dabs(5); // warm-up
    await clear();
    let cpu0 = cpuMs();
    let t0 = performance.now();
    const [alone, screenAlone, teacherAlone] = await busy(() => dabs(SAMPLES));
    const cpuAlone = ((cpuMs() - cpu0) / (performance.now() - t0)) * 100;

    // One drawer's bytes: the teacher scribbles for 4 s at 60 Hz, as a hand does.
    const bytes0 = (await teacher.evaluate('__boardBytes')) as number;
    t0 = performance.now();
    await teacher.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
    await teacher.mouse.down();
    for (let i = 0; i < 240; i++) {
      const a = i / 240;
      await teacher.mouse.move(
        box.x + box.width * (0.1 + 0.8 * a),
        box.y + box.height * (0.5 + 0.05 * Math.sin(a * 40)),
      );
      await new Promise((r) => setTimeout(r, 16));
    }
    await teacher.mouse.up();
    const pageBytesPerS =
      (((await teacher.evaluate('__boardBytes')) as number) - bytes0) /
      ((performance.now() - t0) / 1000);
    await clear();

    for (let i = 0; i < DRAWERS; i++) {
      drawers.push(await startDrawer(`${base.replace('http', 'ws')}/ws`, relay.code, i));
    }
    await new Promise((r) => setTimeout(r, 2000));
    cpu0 = cpuMs();
    t0 = performance.now();
    const headless0 = drawers.reduce((a, d) => a + d.bytes(), 0);
    const cdp = values.profile ? await screen.context().newCDPSession(screen) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.start');
    const [loaded, screenLoaded, teacherLoaded] = await busy(() => dabs(SAMPLES));
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
    const seconds = (performance.now() - t0) / 1000;
    const cpuLoaded = ((cpuMs() - cpu0) / (seconds * 1000)) * 100;
    const headlessPerS =
      (drawers.reduce((a, d) => a + d.bytes(), 0) - headless0) / seconds / DRAWERS;
    for (const d of drawers.splice(0)) d.stop();

    const missed = (xs: number[]) => xs.filter((x) => !Number.isFinite(x)).length;
    for (const [name, xs, cpu, onScreen, onTeacher] of [
      ['alone', alone, cpuAlone, screenAlone, teacherAlone],
      [`${DRAWERS} drawers`, loaded, cpuLoaded, screenLoaded, teacherLoaded],
    ] as const) {
      console.log(
        `${name.padEnd(11)} pen→screen p50 ${f1(seenPct(xs, 50))} ms  p99 ${f1(seenPct(xs, 99))} ms  max ${f1(Math.max(...xs.filter(Number.isFinite)))} ms  (${f1(seenPct(xs, 50) / frameMs)} frames at p50)  missed ${missed(xs)}/${xs.length}  relay CPU ${f1(cpu)} %  main thread: screen ${f1(onScreen)} %, teacher ${f1(onTeacher)} %`,
      );
    }
    console.log(
      `p99 with ${DRAWERS} drawers / alone: ${f1(seenPct(loaded, 99) / seenPct(alone, 99))}×; relay CPU per drawer ${f1(cpuLoaded / DRAWERS)} %`,
    );
    console.log(
      `bytes a drawer sends: the page scribbling ${f1(pageBytesPerS / 1024)} KB/s; a headless student ${f1(headlessPerS / 1024)} KB/s`,
    );
    console.log(
      `RESULT pen_to_screen_p50_ms=${f1(seenPct(alone, 50))} pen_to_screen_p99_ms=${f1(seenPct(alone, 99))} pen_p99_30_drawers_ms=${f1(seenPct(loaded, 99))} bytes_per_s_per_drawer=${Math.round(pageBytesPerS)}`,
    );
  } finally {
    for (const d of drawers) d.stop();
    await browser.close();
    relay.child.kill('SIGTERM');
  }
}

await main();
