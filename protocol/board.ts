/**
 * The room whiteboard and annotations over shares: what travels, and its bounds. The relay is
 * the authority (local-ws/Board.ts); every client draws what these notifications say.
 *
 * Coordinates are normalised to what is drawn on: 0–1 across and down a board page (16:9), or
 * across and down a shared video's own frame (so a mark lands on the same spot of the video on
 * every screen, whatever its size or letterboxing). Pressure is 0–1 (0.5 when the device has
 * none).
 */
import { z } from 'zod';

export const BOARD_LIMITS = {
  pages: 20,
  strokesPerPage: 1500,
  strokesPerShare: 500,
  /** Points in one `board.draw` batch (a pen sends a batch every ~30 ms). */
  pointsPerBatch: 200,
  pointsPerStroke: 4000,
  /** Every point on the board and its annotations together: bounds a late joiner's snapshot. */
  pointsPerBoard: 150_000,
  textMax: 500,
  /** Widths in thousandths of the page's width. */
  widthMax: 64,
} as const;

/** Ids here are the protocol's ids (model.ts: Id), declared apart to keep modules acyclic. */
const RefId = z.string().min(1).max(64);

/** zod numbers are finite: NaN and ±Infinity are refused with the range. */
const Unit = z.number().min(0).max(1);
export const BoardPoint = z.tuple([Unit, Unit, Unit]);
export type BoardPoint = z.infer<typeof BoardPoint>;

export const BoardTool = z.enum(['pen', 'highlighter', 'line', 'arrow', 'rect', 'ellipse', 'text']);
export type BoardTool = z.infer<typeof BoardTool>;

export const BoardBackground = z.enum(['blank', 'grid', 'lined']);
export type BoardBackground = z.infer<typeof BoardBackground>;

/** A page of the board, or a share being annotated. */
export const BoardTarget = z.union([
  z
    .object({
      page: z
        .number()
        .int()
        .min(0)
        .max(BOARD_LIMITS.pages - 1),
    })
    .strict(),
  z.object({ share: RefId }).strict(),
]);
export type BoardTarget = z.infer<typeof BoardTarget>;

/** The part of a stroke its drawer chooses when it starts. */
export const StrokeStyle = z.object({
  tool: BoardTool,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  width: z.number().int().min(1).max(BOARD_LIMITS.widthMax),
  /** The text tool's words (anchored at the first point). */
  text: z.string().min(1).max(BOARD_LIMITS.textMax).optional(),
});
export type StrokeStyle = z.infer<typeof StrokeStyle>;

export const Stroke = StrokeStyle.extend({
  /** The drawer's own id for it; with `by` (relay-stamped) it names the stroke. */
  id: RefId,
  by: RefId,
  points: z.array(BoardPoint).max(BOARD_LIMITS.pointsPerStroke),
  /** The pen lifted: nothing more is appended. */
  done: z.boolean(),
});
export type Stroke = z.infer<typeof Stroke>;

export const BoardInfo = z.object({
  background: BoardBackground,
  pages: z.number().int().min(1).max(BOARD_LIMITS.pages),
  /** The page the room screen shows. */
  page: z
    .number()
    .int()
    .min(0)
    .max(BOARD_LIMITS.pages - 1),
  /** Everyone may draw (else the teachers and students on stage). */
  everyone: z.boolean(),
});
export type BoardInfo = z.infer<typeof BoardInfo>;

/** Everything drawn, for a late joiner: the board (null when closed) and annotations by share. */
export const BoardSnapshot = z.object({
  info: BoardInfo.nullable(),
  pages: z.array(z.array(Stroke)),
  annotations: z.record(RefId, z.array(Stroke)),
});
export type BoardSnapshot = z.infer<typeof BoardSnapshot>;

/** The board's id in the room screen's layout slots (it is placed like a share). */
export const BOARD_SLOT = 'board';

const Empty = z.object({});

/** Client → relay board methods (merged into clientMethods). */
export const boardMethods = {
  /** Teacher: open the board (or change its background), or close it. */
  'board.open': { params: z.object({ background: BoardBackground }), result: Empty },
  'board.close': { params: Empty, result: Empty },
  /** Teacher: who may draw, the page on the screen, a new page. */
  'board.set': {
    params: z.object({
      everyone: z.boolean().optional(),
      page: z
        .number()
        .int()
        .min(0)
        .max(BOARD_LIMITS.pages - 1)
        .optional(),
    }),
    result: Empty,
  },
  'board.addPage': { params: Empty, result: z.object({ page: z.number().int() }) },
  /**
   * Start a stroke, or append to my stroke `id` that is still open: points stream in small
   * batches while the pen moves; `done` when it lifts.
   */
  'board.draw': {
    params: StrokeStyle.extend({
      target: BoardTarget,
      id: RefId,
      points: z.array(BoardPoint).min(1).max(BOARD_LIMITS.pointsPerBatch),
      done: z.boolean(),
    }),
    result: Empty,
  },
  /** Erase one stroke: my own, or anyone's for a teacher. */
  'board.erase': { params: z.object({ target: BoardTarget, by: RefId, id: RefId }), result: Empty },
  /** Undo / redo my own last drawing or erasing. */
  'board.undo': { params: Empty, result: Empty },
  'board.redo': { params: Empty, result: Empty },
  /** Teacher: clear a page or a share's annotations. */
  'board.clear': { params: z.object({ target: BoardTarget }), result: Empty },
  /** A laser pointer's position: shown for a moment, never stored. */
  'board.laser': { params: z.object({ target: BoardTarget, x: Unit, y: Unit }), result: Empty },
} as const;

/** A batch of a stroke: its style, the points from index `from`, and whether it is done. */
const BoardDrawn = StrokeStyle.extend({
  target: BoardTarget,
  id: RefId,
  by: RefId,
  from: z.number().int().min(0),
  points: z.array(BoardPoint),
  done: z.boolean(),
});
export type BoardDrawn = z.infer<typeof BoardDrawn>;

/**
 * A stroke after a `boardDrawn` batch: its points from `from` on replace what it had there
 * (a shape's moving end), the rest are kept. `old` is the stroke as it was, if any.
 */
export function drawnStroke(old: Stroke | undefined, p: BoardDrawn): Stroke {
  return {
    id: p.id,
    by: p.by,
    tool: p.tool,
    color: p.color,
    width: p.width,
    ...(p.text !== undefined && { text: p.text }),
    points: [...(old?.points.slice(0, p.from) ?? []), ...p.points],
    done: p.done,
  };
}

const BoardLaser = z.object({ target: BoardTarget, by: RefId, x: Unit, y: Unit });

/** Relay → client board notifications (merged into serverNotifications). */
export const boardNotifications = {
  boardChanged: z.object({ info: BoardInfo.nullable() }),
  boardDrawn: BoardDrawn,
  boardErased: z.object({ target: BoardTarget, by: RefId, id: RefId }),
  /** A whole stroke back (undo of an erase, redo of a drawing). */
  boardRestored: z.object({ target: BoardTarget, stroke: Stroke }),
  boardCleared: z.object({ target: BoardTarget }),
  boardLaser: BoardLaser,
  /** To teachers: the board of the class that just ended, kept as one image a page. */
  boardSaved: z.object({
    pages: z
      .array(z.object({ page: z.number().int().min(1), url: z.string().max(200) }))
      .max(BOARD_LIMITS.pages),
  }),
  /**
   * Ink and laser moves that reached the relay in one turn, in order: under load one frame
   * carries many drawers' batches (a device handles one message, not hundreds a second).
   */
  boardInk: z.object({
    events: z
      .array(
        z.discriminatedUnion('method', [
          z.object({ method: z.literal('boardDrawn'), params: BoardDrawn }),
          z.object({ method: z.literal('boardLaser'), params: BoardLaser }),
        ]),
      )
      .max(10_000),
  }),
} as const;
