/**
 * How "export as one video" lays a record out: the class's timeline cut where a picture starts
 * or ends, and in each piece the pictures then on (at most four, the earliest first) placed as
 * the room screen places shares: one fills the frame, two side by side, three or four in a
 * 2 × 2 grid. Pure: exportVideo.ts turns it into ffmpeg runs.
 */
import type { ReviewStream } from '../../protocol';

export const EXPORT_SIZE = { width: 1280, height: 720 } as const;
const MAX_TILES = 4;
/** Pieces shorter than this (two streams ending a few ms apart) are merged away. */
const MIN_PIECE_MS = 100;

export interface Tile {
  file: string;
  name: string;
  /** Where in the stream's own file this piece begins (ms). */
  offsetMs: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Piece {
  fromMs: number;
  toMs: number;
  tiles: Tile[];
}

/** Slots for `n` pictures in the export frame. */
export function slots(n: number): { x: number; y: number; width: number; height: number }[] {
  const { width: W, height: H } = EXPORT_SIZE;
  if (n <= 0) return [];
  if (n === 1) return [{ x: 0, y: 0, width: W, height: H }];
  if (n === 2) {
    const h = Math.round((W / 2) * (9 / 16));
    const y = Math.round((H - h) / 2);
    return [
      { x: 0, y, width: W / 2, height: h },
      { x: W / 2, y, width: W / 2, height: h },
    ];
  }
  return [0, 1, 2, 3].slice(0, Math.min(n, MAX_TILES)).map((i) => ({
    x: (i % 2) * (W / 2),
    y: Math.floor(i / 2) * (H / 2),
    width: W / 2,
    height: H / 2,
  }));
}

/** The record's timeline in pieces, each with its pictures placed. */
export function composition(streams: readonly ReviewStream[], durationMs: number): Piece[] {
  const videos = streams
    .filter((s) => s.kind === 'video')
    .map((s) => ({ ...s, to: Math.min(s.to ?? durationMs, durationMs) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  const cuts = [...new Set([0, durationMs, ...videos.flatMap((s) => [s.from, s.to])])]
    .filter((t) => t >= 0 && t <= durationMs)
    .sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const fromMs = cuts[i]!;
    const toMs = cuts[i + 1]!;
    const on = videos.filter((s) => s.from <= fromMs && s.to >= toMs).slice(0, MAX_TILES);
    const places = slots(on.length);
    const tiles = on.map((s, k) => ({
      file: s.file,
      name: s.peer,
      offsetMs: fromMs - s.from,
      ...places[k]!,
    }));
    const last = pieces.at(-1);
    if (toMs - fromMs < MIN_PIECE_MS && last) last.toMs = toMs;
    else pieces.push({ fromMs, toMs, tiles });
  }
  return pieces;
}
