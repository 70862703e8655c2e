/**
 * The whiteboard on disk, so a host restart mid-class keeps it: `<data dir>/board.json` (0600),
 * written a moment after each change (a pen lifting, an erase, a page), read back at start.
 * Annotations are not kept: the shares they belong to do not survive a restart either.
 */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { BOARD_LIMITS, BoardInfo, Stroke } from '../protocol';
import { createLogger } from '../server-kit/log';
import { writeFileAtomic } from '../server-kit/atomicFile';
import type { Room } from './Room';

const log = createLogger('board');

const Saved = z.object({
  info: BoardInfo.nullable(),
  pages: z.array(z.array(Stroke).max(BOARD_LIMITS.strokesPerPage)).max(BOARD_LIMITS.pages),
});

/**
 * Writes this long after the first change not yet on disk: a drawing class changes the board
 * many times a second, so one write gathers them (and a busy board is still saved each second).
 */
const DELAY_MS = 1000;

export class BoardJournal {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly room: Room,
    private readonly file: string,
  ) {}

  /** Restores what the file holds (a damaged file is set aside, not trusted), then follows. */
  async start(): Promise<void> {
    const text = await fs.readFile(this.file, 'utf8').catch(() => null);
    if (text !== null) {
      const parsed = Saved.safeParse(JSON.parse(text.trim() || 'null'));
      if (parsed.success) this.room.board.restoreSaved(parsed.data);
      else log.warn(`${this.file} is not a board; starting without it`);
    }
    this.room.events.on('boardChanged', () => {
      this.timer ??= setTimeout(() => void this.flush(), DELAY_MS);
    });
  }

  /** Writes now (and waits for it): at shutdown, and in tests. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const body = JSON.stringify(this.room.board.saved());
    this.writing = this.writing
      .then(async () => {
        await writeFileAtomic(this.file, body);
      })
      .catch((err: unknown) => log.error({ err }, `${this.file} not written`));
    return this.writing;
  }
}
