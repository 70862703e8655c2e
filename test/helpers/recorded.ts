/**
 * What a recorded file holds, read back with the recorder's own ffmpeg: its frames' ids (the
 * stamp a canvas source draws as 16 black/white blocks across its top-left, see `stampSource`),
 * its size, and whether it seeks.
 */
import { spawn } from 'node:child_process';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { Manifest } from '../../local-ws/record/Recording';

export const STAMP_BITS = 16;
export const STAMP_BLOCK = 48;

function run(args: string[]): Promise<{ out: Buffer; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath()!, ['-hide_banner', '-nostdin', ...args]);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ out: Buffer.concat(out), err, code }));
  });
}

/** The frame ids of every decoded frame (from `seekSeconds` on), in order, and the video size. */
export async function recordedFrames(
  file: string,
  seekSeconds?: number,
): Promise<{
  ids: number[];
  width: number;
  height: number;
  duration: number | null;
  /** Every size the frames had, in order of appearance, with the time it began. */
  sizes: string[];
}> {
  const w = STAMP_BITS * STAMP_BLOCK;
  const { out, err, code } = await run([
    ...(seekSeconds !== undefined ? ['-ss', String(seekSeconds)] : []),
    ...['-i', file, '-an', '-vsync', 'passthrough'],
    // Scaled back to the source's size first: a sender may lower its resolution mid-stream.
    ...['-vf', `scale=1920:1080,crop=${w}:${STAMP_BLOCK}:0:0,scale=${STAMP_BITS}:1:flags=area`],
    ...['-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
  ]);
  if (code !== 0) throw new Error(`ffmpeg could not read ${file}: ${err.slice(-500)}`);
  const sizes = await frameSizes(file);
  const size = /Video: .*?(\d{3,5})x(\d{3,5})/.exec(err);
  const dur = /Duration: (\d+):(\d+):([\d.]+)/.exec(err);
  const ids: number[] = [];
  for (let at = 0; at + STAMP_BITS <= out.length; at += STAMP_BITS) {
    let id = 0;
    for (let bit = 0; bit < STAMP_BITS; bit++) if (out[at + bit]! > 128) id |= 1 << bit;
    ids.push(id);
  }
  return {
    ids,
    width: Number(size?.[1] ?? 0),
    height: Number(size?.[2] ?? 0),
    duration: dur ? Number(dur[1]) * 3600 + Number(dur[2]) * 60 + Number(dur[3]) : null,
    sizes,
  };
}

/** The frames' sizes as they change through the file: `1920x1080@0`, `960x540@0.95`, … */
async function frameSizes(file: string): Promise<string[]> {
  const { err } = await run(['-i', file, '-an', '-vf', 'showinfo', '-f', 'null', '-']);
  const out: string[] = [];
  let last = '';
  for (const m of err.matchAll(/pts_time:([\d.]+) .*? s:(\d+x\d+)/g)) {
    if (m[2] !== last) out.push(`${m[2]}@${m[1]}`);
    last = m[2]!;
  }
  return out;
}

interface StampPages {
  stampSource(a: {
    width: number;
    height: number;
    bits: number;
    block: number;
  }): Promise<string | null>;
  readStamp(a: { selector: string; bits: number; block: number; width: number }): number | null;
  videoState(
    selector: string,
  ): { readyState: number; seeking: boolean; currentTime: number } | null;
  videoFileInfo(src: string): Promise<{ width: number; height: number; duration: number }>;
}
const stampModule = './pages/stamp';
/** pages/stamp.ts runs in the browser (type-checked with the web tsconfig). */
export const { stampSource, readStamp, videoState, videoFileInfo } = (await import(
  stampModule
)) as StampPages;

/** Frames missing between consecutive ids (a 16-bit counter that may wrap). */
export function droppedFrames(ids: number[]): { dropped: number; repeats: number } {
  let dropped = 0;
  let repeats = 0;
  for (let i = 1; i < ids.length; i++) {
    const step = (ids[i]! - ids[i - 1]! + (1 << STAMP_BITS)) % (1 << STAMP_BITS);
    if (step === 0) repeats++;
    else dropped += step - 1;
  }
  return { dropped, repeats };
}

/** A finished record's manifest (Ms. Park's violin class in Room 101), as the recorder writes it. */
export function testManifest(
  at: number,
  lengthMs: number,
  streams: Manifest['streams'],
  onStage: string[] = [],
): Manifest {
  return {
    version: 1,
    room: 'Room 101',
    title: 'Violin',
    classId: 'c1',
    startedAt: at,
    startedBy: 'Ms. Park',
    endedAt: at + lengthMs,
    endReason: 'stopped',
    onStage,
    streams,
  };
}
