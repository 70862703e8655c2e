/**
 * "Export as one video": a record rendered into one MP4 (H.264 720p30 and AAC) to share
 * anywhere. Each piece of composition.ts is one ffmpeg run (its pictures scaled into their
 * slots on a dark frame, each named like on the room screen; the board's frames from
 * boardTimeline.ts as images where the board is open), the voices and share sound are
 * mixed on the class clock in one more run, and the pieces are joined without re-encoding.
 * ffmpeg runs at the lowest priority with one thread, so a class going on meanwhile does not
 * feel it. Work happens in `<record>/.export/`; the MP4 appears whole or not at all.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EVENTS_FILE, EXPORT_FILE, type Review } from '../../protocol';
import { boardSvg, svgToPng } from '../boardImage';
import { boardTimeline, type BoardStretch } from './boardTimeline';
import { composition, EXPORT_SIZE, type Piece } from './composition';
import { parseEvents } from './review';

const FPS = 30;
const BACKGROUND = '0x1d2433';
/**
 * Fonts for the names, the first that exists (none: no names): ones with Chinese and Korean
 * first (they have Latin too), so 朴老师 and 김민아 are named like Ms. Park.
 */
const FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\msyh.ttc',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/System/Library/Fonts/Helvetica.ttc',
  'C:\\Windows\\Fonts\\arial.ttf',
];
/** The share of the work the audio mix and the join are counted as. */
const TAIL_SHARE = 0.05;

const sec = (ms: number) => (ms / 1000).toFixed(3);

/** Runs ffmpeg in `cwd`; `onTime` gets its output position (ms) as it goes. */
function ffmpeg(
  binary: string,
  args: string[],
  cwd: string,
  onTime: (ms: number) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binary,
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', ...args],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
    );
    if (child.pid) {
      try {
        os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
      } catch {
        // Not allowed here: it runs at normal priority.
      }
    }
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-1500)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      for (const m of d.matchAll(/out_time_ms=(\d+)/g)) onTime(Number(m[1]) / 1000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(err || `exit ${code}`)),
    );
  });
}

/**
 * One piece's ffmpeg arguments: the frame, its pictures in their slots, their names. `inputs`
 * gives each tile's input arguments (a stream's file from its offset, or the board's images).
 */
function pieceArgs(p: Piece, inputs: string[][], font: string | null, out: string): string[] {
  const { width: W, height: H } = EXPORT_SIZE;
  const len = p.toMs - p.fromMs;
  const args = ['-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${W}x${H}:r=${FPS}:d=${sec(len)}`];
  const graph: string[] = [];
  let last = '0:v';
  p.tiles.forEach((t, i) => {
    args.push(...inputs[i]!);
    graph.push(
      `[${i + 1}:v]scale=${t.width}:${t.height}:force_original_aspect_ratio=decrease,` +
        `setsar=1,fps=${FPS},setpts=PTS-STARTPTS[v${i}]`,
      `[${last}][v${i}]overlay=x=${t.x}+(${t.width}-overlay_w)/2:` +
        `y=${t.y}+(${t.height}-overlay_h)/2:eof_action=pass[o${i}]`,
    );
    last = `o${i}`;
    if (font && t.name) {
      graph.push(
        `[${last}]drawtext=fontfile=font.ttf:textfile=name${i}.txt:fontsize=22:` +
          `fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=6:` +
          `x=${t.x + 12}:y=${t.y + t.height}-th-18[n${i}]`,
      );
      last = `n${i}`;
    }
  });
  graph.push(`[${last}]null[out]`);
  return [
    ...args,
    ...['-filter_complex', graph.join(';'), '-map', '[out]', '-t', sec(len), '-r', String(FPS)],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
    ...['-threads', '1', '-an', '-y', out],
  ];
}

/** Each board frame as a PNG in `work` (by stretch, then frame): the names of the files. */
async function boardImages(boards: BoardStretch[], work: string): Promise<string[][]> {
  const { width: W, height: H } = EXPORT_SIZE;
  const out: string[][] = [];
  for (const [s, stretch] of boards.entries()) {
    const names: string[] = [];
    for (const [f, frame] of stretch.frames.entries()) {
      const name = `board-${s}-${f}.png`;
      const png = await svgToPng(boardSvg(frame.strokes, frame.background, W, H));
      await fs.writeFile(path.join(work, name), png);
      names.push(name);
    }
    out.push(names);
  }
  return out;
}

/** The board's frames within a piece, as an ffconcat list of images with their durations. */
function imageList(stretch: BoardStretch, images: string[], p: Piece): string {
  const lines = ['ffconcat version 1.0'];
  let last = '';
  stretch.frames.forEach((f, i) => {
    const ms = Math.min(f.toMs, p.toMs) - Math.max(f.fromMs, p.fromMs);
    if (ms <= 0) return;
    last = `file '${images[i]!}'`;
    lines.push(last, `duration ${sec(ms)}`);
  });
  // The last image is listed again, or its duration is not kept.
  if (last) lines.push(last);
  return `${lines.join('\n')}\n`;
}

/** The voices and share sound on the class clock, mixed into one AAC track (null: no sound). */
function audioArgs(review: Review, folder: string, out: string): string[] | null {
  const audio = review.streams.filter((s) => s.kind === 'audio');
  if (audio.length === 0) return null;
  const inputs = audio.flatMap((s) => ['-i', path.join(folder, s.file)]);
  const delayed = audio.map((s, i) => `[${i}:a]adelay=${s.from}|${s.from}[a${i}]`);
  const mix =
    `${audio.map((_, i) => `[a${i}]`).join('')}amix=inputs=${audio.length}:` +
    `duration=longest:dropout_transition=0,apad[mix]`;
  return [
    ...inputs,
    ...['-filter_complex', [...delayed, mix].join(';'), '-map', '[mix]'],
    ...['-t', sec(review.durationMs), '-c:a', 'aac', '-b:a', '128k', '-y', out],
  ];
}

/**
 * Renders the record in `folder` into `<folder>/class.mp4`; `progress` gets 0–1 as it goes.
 * Throws with ffmpeg's words when a run fails (the half-made files are removed).
 */
export async function exportVideo(
  binary: string,
  folder: string,
  review: Review,
  progress: (fraction: number) => void,
): Promise<string> {
  const work = path.join(folder, '.export');
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { mode: 0o700 });
  try {
    const font = FONTS.find((f) => existsSync(f)) ?? null;
    if (font) await fs.copyFile(font, path.join(work, 'font.ttf'));
    const events = await fs.readFile(path.join(folder, EVENTS_FILE), 'utf8').catch(() => '');
    const boards = boardTimeline(parseEvents(events), review.durationMs);
    const images = await boardImages(boards, work);
    const pieces = composition(review.streams, review.durationMs, boards);
    const total = Math.max(1, review.durationMs);
    let done = 0;
    const list: string[] = [];
    for (const [k, p] of pieces.entries()) {
      for (const [i, t] of p.tiles.entries()) {
        await fs.writeFile(path.join(work, `name${i}.txt`), t.name);
      }
      const len = sec(p.toMs - p.fromMs);
      const inputs: string[][] = [];
      for (const [i, t] of p.tiles.entries()) {
        if (t.board === undefined) {
          inputs.push(['-ss', sec(t.offsetMs), '-t', len, '-i', path.join(folder, t.file)]);
          continue;
        }
        const list = `board-${k}-${i}.txt`;
        await fs.writeFile(path.join(work, list), imageList(boards[t.board]!, images[t.board]!, p));
        inputs.push(['-f', 'concat', '-safe', '0', '-t', len, '-i', list]);
      }
      const out = `piece-${k}.mp4`;
      await ffmpeg(binary, pieceArgs(p, inputs, font, out), work, (ms) =>
        progress(((done + Math.min(ms, p.toMs - p.fromMs)) / total) * (1 - TAIL_SHARE)),
      );
      done += p.toMs - p.fromMs;
      list.push(`file '${out}'`);
    }
    await fs.writeFile(path.join(work, 'pieces.txt'), `${list.join('\n')}\n`);
    const sound = audioArgs(review, folder, 'sound.m4a');
    if (sound) await ffmpeg(binary, sound, work);
    await ffmpeg(
      binary,
      [
        ...['-f', 'concat', '-safe', '0', '-i', 'pieces.txt'],
        ...(sound ? ['-i', 'sound.m4a', '-map', '0:v', '-map', '1:a'] : ['-map', '0:v']),
        ...['-c', 'copy', '-movflags', '+faststart', '-y', 'class.mp4'],
      ],
      work,
    );
    const file = path.join(folder, EXPORT_FILE);
    await fs.chmod(path.join(work, 'class.mp4'), 0o600);
    await fs.rename(path.join(work, 'class.mp4'), file);
    progress(1);
    return file;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
