/**
 * How "export as one video" lays a record out: the class's timeline cut where a picture starts
 * or ends, and in each piece the pictures then on (at most four, the earliest first) placed as
 * the room screen places shares: one fills the frame, two side by side, three or four in a
 * 2 × 2 grid; the board while it is open, like a share. Pure: exportVideo.ts turns it into
 * ffmpeg runs.
 */
import type { ReviewStream } from '../../protocol';

export const EXPORT_SIZE = { width: 1280, height: 720 } as const;
const MAX_TILES = 4;
/** Pieces shorter than this (two streams ending a few ms apart) are merged away. */
const MIN_PIECE_MS = 100;

export interface Tile {
  /** The stream's file; for the board, the board stretch's index (see boardTimeline.ts). */
  file: string;
  /** A board stretch instead of a stream: its frames are images, and it has no name. */
  board?: number;
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

/**
 * The record's timeline in pieces, each with its pictures placed. The board, while open
 * (`boards`: its open stretches), is placed like a share, as the room screen does.
 */
export function composition(
  streams: readonly ReviewStream[],
  durationMs: number,
  boards: readonly { fromMs: number; toMs: number }[] = [],
): Piece[] {
  const videos = [
    ...streams
      .filter((s) => s.kind === 'video')
      .map((s) => ({ file: s.file, peer: s.peer, from: s.from, to: s.to, board: undefined })),
    ...boards.map((b, i) => ({ file: '', peer: '', from: b.fromMs, to: b.toMs, board: i })),
  ]
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
      ...(s.board !== undefined && { board: s.board }),
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
