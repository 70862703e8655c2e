/**
 * bench:av — mouth-to-ear audio latency and audio/video sync through the app's own media
 * path: P2P (teacher → room screen) and through the SFU (teacher → student), at once, for
 * `--seconds` (60). The teacher's page beeps a WebAudio "microphone" every 500 ms and flashes
 * a canvas "camera" on the same beats; receivers detect audio onsets in an AudioWorklet and the
 * first white frame in requestVideoFrameCallback, on the browser's one clock.
 *
 * Prints per path: latency p50/p95, A/V offset p50 (audio minus video: positive = sound
 * late), concealment, and ends with one RESULT line.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { RelayServer } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';
import { launchChromium } from '../../test/helpers/browser';
import { pct } from '../measure';
import type { Received } from './received';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    period: { type: 'string', default: '500' },
  },
});
const SECONDS = Number(values.seconds);
const PERIOD = Number(values.period);

/** pages.ts runs in the browser (type-checked with the web tsconfig); seen from here: */
interface Pages {
  startBeeper(a: { periodMs: number; seconds: number }): Promise<string[]>;
  beepTimes(): number[];
  myPeerId(): string;
  measureAv(a: { peer: string; seconds: number }): Promise<{
    audio: number[];
    video: number[];
    concealed: number[];
    buffers: Received[];
  }>;
}
const pagesModule = './pages';
const { startBeeper, beepTimes, measureAv, myPeerId } = (await import(pagesModule)) as Pages;

/**
 * Audio onsets: RMS over 128-sample blocks crossing a threshold after ~90 ms of quiet, posted
 * as the wall time (Date.now(), ms) at which the render thread processed that block. The
 * sender's beeps go through the same detector, so both ends are read on one clock at the
 * moment the sound is rendered: no mapping through the audio clock and the output timestamp,
 * which moved by up to ±10 ms from run to run on a machine without a sound card.
 */
const ONSETS_WORKLET = `registerProcessor('onsets', class extends AudioWorkletProcessor {
  constructor() { super(); this.quiet = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    let s = 0;
    for (let i = 0; i < ch.length; i++) s += ch[i] * ch[i];
    if (Math.sqrt(s / ch.length) > 0.05) {
      if (this.quiet > 30) this.port.postMessage(Date.now());
      this.quiet = 0;
    } else this.quiet++;
    return true;
  }
});`;

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'NaN');

/** Pairs each event with the latest send time before it (within one period). */
function delays(sent: number[], got: number[]): number[] {
  return got.flatMap((g) => {
    const s = sent.filter((t) => t <= g && g - t < PERIOD).pop();
    return s === undefined ? [] : [g - s];
  });
}

async function main(): Promise<void> {
  // The web client plus the onset worklet, served from the host's own origin (its CSP).
  const web = mkdtempSync(path.join(tmpdir(), 'lectern-av-'));
  cpSync(path.resolve('out/web'), web, { recursive: true });
  writeFileSync(path.join(web, 'bench-onsets.js'), ONSETS_WORKLET);
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: web,
    teacherCredentialHash: hashCredential('bench'),
    sfu: { listenIp: '127.0.0.1' },
  });
  await relay.startSfu();
  const room = relay.registry.createRoom('Bench');
  const base = `http://127.0.0.1:${await relay.listen()}`;
  const browser = await launchChromium();
  const open = async (query: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
    await context.grantPermissions(['camera', 'microphone']);
    // Functions handed to evaluate() are compiled by tsx, which names them with a helper.
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(`${base}/?debug&${query}`);
    return p;
  };
  const join = async (p: Page, role: 'Teacher' | 'Student', name: string) => {
    await p.getByLabel(role, { exact: true }).check();
    await p.getByLabel('Your name').fill(name);
    if (role === 'Teacher') await p.getByLabel('Teacher credential').fill('bench');
    await p.getByRole('button', { name: 'Join' }).click();
    await p.getByRole('heading', { name: 'Bench' }).waitFor();
  };
  try {
    const screen = await open(`screen=${room.screenKey}`);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${room.code}`);
    teacher.on('console', (m) => m.text().startsWith('[bench]') && console.log(m.text()));
    await join(teacher, 'Teacher', 'Bench');
    const student = await open(`code=${room.code}`);
    await join(student, 'Student', 'Listener');
    const peer = await teacher.evaluate(myPeerId);
    console.log(
      `av benchmark: ${SECONDS} s, a beep and a flash every ${PERIOD} ms; P2P → room screen, SFU → student`,
    );
    const measuring = Promise.all([
      screen.evaluate(measureAv, { peer, seconds: SECONDS + 5 }),
      student.evaluate(measureAv, { peer, seconds: SECONDS + 5 }),
    ]);
    await teacher.evaluate(startBeeper, { periodMs: PERIOD, seconds: SECONDS + 10 });
    const [p2p, sfu] = await measuring;
    const sent = await teacher.evaluate(beepTimes);
    const rows = (
      [
        ['p2p', p2p],
        ['sfu', sfu],
      ] as const
    ).map(([name, r]) => {
      const m2e = delays(sent, r.audio);
      const v = delays(sent, r.video);
      // A/V: each beat's audio onset minus its video onset (both after the same send).
      const offsets = sent.flatMap((s) => {
        const au = r.audio.find((t) => t >= s && t - s < PERIOD);
        const vi = r.video.find((t) => t >= s && t - s < PERIOD);
        return au === undefined || vi === undefined ? [] : [au - vi];
      });
      const concealed =
        r.concealed.length > 0
          ? (r.concealed.reduce((x, y) => x + y, 0) / r.concealed.length) * 100
          : NaN;
      console.log(
        `  ${name}: beats ${sent.length}, audio onsets ${m2e.length}, video ${v.length}; ` +
          `mouth-to-ear p50 ${fmt(pct(m2e, 50))} p95 ${fmt(pct(m2e, 95))} ms; ` +
          `glass-to-glass p50 ${fmt(pct(v, 50))} ms; A/V offset p50 ${fmt(pct(offsets, 50))} ms ` +
          `(|p50| ${fmt(pct(offsets.map(Math.abs), 50))}); concealed ${fmt(concealed)}%`,
      );
      // Whether a run's delay settles: the first and the last ten seconds apart.
      const tenth = Math.max(1, Math.round(10_000 / PERIOD));
      console.log(
        `  ${name}: mouth-to-ear p50 over the first 10 s ${fmt(pct(m2e.slice(0, tenth), 50))} ms, ` +
          `over the last 10 s ${fmt(pct(m2e.slice(-tenth), 50))} ms`,
      );
      for (const x of r.buffers) {
        console.log(
          `  ${name}: received ${x.kind} (${x.codec}): jitter buffer ${fmt(x.delayMs)} ms ` +
            `(target ${fmt(x.targetMs)}, minimum ${fmt(x.minimumMs)}), ` +
            `arrival jitter ${fmt(x.arrivalJitterMs)} ms, ` +
            `receive to render ${fmt(x.processingMs)} ms`,
        );
      }
      return { m2e: pct(m2e, 50), sync: pct(offsets.map(Math.abs), 50), concealed };
    });
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    console.log(
      `RESULT audio_m2e_p50_ms=${fmt(a.m2e)} audio_m2e_sfu_p50_ms=${fmt(b.m2e)} ` +
        `av_sync_p50_ms=${fmt(Math.max(a.sync, b.sync))} concealed_pct=${fmt(Math.max(a.concealed, b.concealed))}`,
    );
  } finally {
    await browser.close();
    await relay.close();
    rmSync(web, { recursive: true, force: true });
  }
}

await main();
