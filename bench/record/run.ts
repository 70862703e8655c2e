/**
 * bench:record — what recording one 1080p30 share costs the room host, beside the same SFU
 * without recording in the same run. The share is a real VP8 1080p30 stream whose frames carry
 * their ids (encoded once by ffmpeg, then sent as RTP packets without re-encoding, so the
 * sender costs nothing worth measuring; its 7-bit VP8 picture ids widened to 15 bits as a
 * browser's are, see pictureIds.ts), produced on the project's router; the recorder is the
 * project's StreamRecorder. Prints the worker's and recorder's CPU, the recorded frame rate
 * against the sent one (frame ids read back from the file) and start-to-first-written-frame.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mediasoup from 'mediasoup';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import { StreamRecorder } from '../../local-ws/record/StreamRecorder';
import { MEDIA_CODECS } from '../../server-kit/sfuConfig';
import {
  droppedFrames,
  recordedFrames,
  STAMP_BITS,
  STAMP_BLOCK,
} from '../../test/helpers/recorded';
import { processTree, treeCpuPercent } from '../measure';
import { pictureIdRelay } from './pictureIds';

const SECONDS = Number(process.env.RECORD_SECONDS ?? 12);
const SSRC = 2222;
const PT = 101;
const ffmpeg = ffmpegPath();
if (!ffmpeg) throw new Error('no ffmpeg (@ffmpeg-installer/ffmpeg)');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-record-'));

function run(
  args: string[],
  opts: { wait?: boolean } = {},
): ChildProcess & { done: Promise<void> } {
  const child = spawn(ffmpeg!, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code, signal) =>
      code === 0 || signal || !opts.wait ? resolve() : reject(new Error(`ffmpeg exit ${code}`)),
    ),
  );
  return Object.assign(child, { done });
}

/** A 1080p30 VP8 clip (keyframe each second) whose frames stamp their number as 16 blocks. */
async function sourceClip(seconds: number): Promise<string> {
  const file = path.join(dir, 'source.webm');
  const stamps = [
    `drawbox=x=0:y=0:w=${STAMP_BITS * STAMP_BLOCK}:h=${STAMP_BLOCK}:color=black:t=fill`,
  ];
  for (let i = 0; i < STAMP_BITS; i++) {
    stamps.push(
      `drawbox=x=${i * STAMP_BLOCK}:y=0:w=${STAMP_BLOCK}:h=${STAMP_BLOCK}:color=white:t=fill:` +
        `enable='gt(bitand(n\\,${2 ** i})\\,0)'`,
    );
  }
  const enc = run(
    [
      ...['-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`],
      ...['-vf', stamps.join(','), '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'],
      ...['-b:v', '4M', '-g', '30', '-threads', '2', '-y', file],
    ],
    { wait: true },
  );
  await enc.done;
  return file;
}

const cpuOf = (pids: number[], ms: number) =>
  Promise.all(pids.map((p) => treeCpuPercent(p, ms))).then((xs) => xs.reduce((a, b) => a + b, 0));

/** The recorder's ffmpeg (not its sh guard, which only waits), among this process's children. */
function recorderPids(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.startsWith(`${ffmpeg}\0`) && cmd.includes('protocol_whitelist');
    } catch {
      return false;
    }
  });
}

async function main() {
  console.log(`bench:record — encoding a ${SECONDS * 2 + 4} s 1080p30 source clip once…`);
  const clip = await sourceClip(SECONDS * 2 + 4);
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const input = await router.createPlainTransport({
    listenIp: { ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
  });
  const producer = await input.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: PT, clockRate: 90000 }],
      encodings: [{ ssrc: SSRC }],
    },
  });
  const relay = await pictureIdRelay(input.tuple.localPort);
  const sender = run([
    ...['-re', '-i', clip, '-map', '0:v', '-c', 'copy'],
    ...['-ssrc', String(SSRC), '-payload_type', String(PT), '-f', 'rtp'],
    `rtp://127.0.0.1:${relay.port}?pkt_size=1200`,
  ]);
  await new Promise((r) => setTimeout(r, 1500));

  const ms = (SECONDS - 2) * 1000;
  const baseline = await cpuOf([worker.pid], ms / 2);
  const t0 = Date.now();
  const rec = await StreamRecorder.start(router, producer, ffmpeg!, dir, '01-video', () => {});
  await new Promise((r) => setTimeout(r, 1000));
  const pids = recorderPids();
  const [workerCpu, recorderCpu] = await Promise.all([cpuOf([worker.pid], ms), cpuOf(pids, ms)]);
  await rec.finish();
  sender.kill('SIGKILL');
  relay.close();
  worker.close();

  const frames = await recordedFrames(path.join(dir, rec.info.file));
  const { dropped, repeats } = droppedFrames(frames.ids);
  const span = frames.ids.length + dropped;
  const fpsRatio = frames.ids.length / span;
  const startMs = rec.info.startedAt! - t0;
  const perStream = workerCpu - baseline + recorderCpu;
  console.log(
    `SFU worker alone ${baseline.toFixed(1)} % of a core; recording: worker ${workerCpu.toFixed(1)} %, ` +
      `recorder ffmpeg ${recorderCpu.toFixed(1)} % (${pids.length} processes)`,
  );
  console.log(
    `recorded ${frames.sizes.join(' → ')}: ${frames.ids.length} frames of ${span} sent ` +
      `(${dropped} missing, ${repeats} repeated), duration ${frames.duration} s`,
  );
  console.log(
    `RESULT record_cpu_pct_per_stream=${perStream.toFixed(2)} record_fps_ratio=${fpsRatio.toFixed(3)} ` +
      `record_start_ms=${startMs}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

await main();
