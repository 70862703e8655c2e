/**
 * The board in a class record: each page with ink, as a PNG in the record's folder
 * (`board-<shot>-<page>.png`, 0600), with the time it was taken on the class clock.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SavedBoard } from '../Board';
import { boardSvg, svgToPng } from '../boardImage';

export interface BoardPage {
  /** Milliseconds from the record's start. */
  t: number;
  /** Which taking of the board (1, 2, …: each time it closed, and at the end). */
  shot: number;
  page: number;
  file: string;
}

/** A board page's file name in a record. */
export const BOARD_PAGE_FILE = /^board-\d{1,3}-\d{1,2}\.png$/;

export async function boardPages(
  board: SavedBoard,
  folder: string,
  shot: number,
  t: number,
): Promise<BoardPage[]> {
  const out: BoardPage[] = [];
  for (const [i, strokes] of board.pages.entries()) {
    if (strokes.length === 0) continue;
    const file = `board-${shot}-${i + 1}.png`;
    const png = await svgToPng(boardSvg(strokes, board.info?.background ?? null));
    await fs.writeFile(path.join(folder, file), png, { mode: 0o600 });
    out.push({ t, shot, page: i + 1, file });
  }
  return out;
}
