/**
 * When a class ends with something on its board, each page is kept as a PNG in
 * `<data dir>/boards/<when>-<class>/page-<n>.png` (0600, folders 0700) and the teachers get
 * download links: `/boards/<token>/page-<n>.png`, the token a fresh 128-bit secret per class
 * (the files are the class's, not the LAN's). Links live while the host runs.
 */
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { randomToken } from '../protocol/ids';
import { createLogger } from '../server-kit/log';
import type { SavedBoard } from './Board';
import { boardSvg, svgToPng } from './boardImage';
import type { Room } from './Room';

const log = createLogger('board');
const ROUTE = /^\/boards\/([A-Za-z0-9_-]{22})\/page-(\d{1,2})\.png$/;
/** Classes whose links are kept (older ones stay on disk, without a link). */
const KEPT = 20;

export class BoardExport {
  private readonly byToken = new Map<string, string>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly room: Room,
    private readonly dir: string,
  ) {
    room.events.on('boardEnded', (board) => {
      this.writing = this.writing.then(() => this.save(board));
    });
  }

  /** Waits for the images being written (at shutdown, and in tests). */
  settled(): Promise<void> {
    return this.writing;
  }

  /** Serves a page's image to whoever holds its class's link; false when the path is not one. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const folder = this.byToken.get(match[1]!);
    if (!folder || req.method !== 'GET') {
      res.writeHead(404).end();
      return true;
    }
    const file = path.join(folder, `page-${Number(match[2])}.png`);
    fs.readFile(file).then(
      (png) =>
        res
          .writeHead(200, {
            'content-type': 'image/png',
            'content-disposition': `attachment; filename="board-${path.basename(folder)}-${path.basename(file)}"`,
            'cache-control': 'no-store',
          })
          .end(png),
      () => res.writeHead(404).end(),
    );
    return true;
  }

  private async save(board: SavedBoard): Promise<void> {
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const folder = path.join(this.dir, `${stamp}-${randomToken(3)}`);
    try {
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      const pages: { page: number; url: string }[] = [];
      const token = randomToken(16);
      for (const [i, strokes] of board.pages.entries()) {
        if (strokes.length === 0) continue;
        const png = await svgToPng(boardSvg(strokes, board.info?.background ?? null));
        await fs.writeFile(path.join(folder, `page-${i + 1}.png`), png, { mode: 0o600 });
        pages.push({ page: i + 1, url: `/boards/${token}/page-${i + 1}.png` });
      }
      this.byToken.set(token, folder);
      if (this.byToken.size > KEPT) this.byToken.delete(this.byToken.keys().next().value!);
      log.info(`board kept: ${pages.length} page(s) in ${folder}`);
      this.room.sendTeachers({ method: 'boardSaved', params: { pages } });
    } catch (err) {
      log.error({ err }, `board images not written in ${folder}`);
    }
  }
}
