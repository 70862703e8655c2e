import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { RoomHost, type RelayServer, type Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { HOST_CREDENTIAL, joinAs, startHost } from '../helpers/host';
import { until } from '../helpers/media';
import { checkAccessibility } from '../helpers/ui';

/** The few canvas calls the ink check makes (the test's tsconfig has no DOM types). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}

/** Whether the canvas has ink (a dark pixel) within `r` px of (fx, fy) of its size. */
function inkNear(page: Page, selector: string, fx: number, fy: number, r = 6): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate(
      (el, [fx, fy, r]) => {
        const c = el as unknown as CanvasLike;
        const x = Math.round(c.width * fx!);
        const y = Math.round(c.height * fy!);
        const d = c.getContext('2d').getImageData(x - r!, y - r!, 2 * r! + 1, 2 * r! + 1).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i]! < 120 && d[i + 1]! < 120 && d[i + 2]! < 140) return true;
        }
        return false;
      },
      [fx, fy, r],
    );
}

const strokes = async (p: Page, selector: string) =>
  Number(await p.locator(selector).first().getAttribute('data-strokes'));

/**
 * The whiteboard in real Chromium: the teacher draws with real pointer input, the room screen
 * and a student's page paint the ink at the same place, the relay refuses an off-stage
 * student's pen, undo/redo/clear reach everyone, a late joiner sees the board.
 */
describe('the whiteboard in real Chromium', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let browser: Browser;
  before(async () => {
    ({ relay, room, base } = await startHost());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
  });

  async function open(query: string, width = 1280, height = 800): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const p = await context.newPage();
    await p.goto(`${base}/?debug&${query}`);
    return p;
  }

  it('the teacher draws; the screen and a student see the ink where it was drawn', async () => {
    const screen = await open(`screen=${room.screenKey}`, 1920, 1080);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${room.code}`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const ana = await open(`code=${room.code}`, 390, 844);
    await joinAs(ana, 'Student', 'Ana');

    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    await screen.locator('.board-tile canvas').waitFor();
    await ana.locator('.board-canvas').waitFor();
    assert.equal(
      await ana.getByRole('toolbar', { name: 'Drawing tools' }).count(),
      0,
      'off stage: no tools',
    );

    // A thick line across the middle of the teacher's board, with the mouse.
    await teacher.getByRole('radio', { name: 'Thick' }).click();
    const canvas = teacher.locator('.board-panel .board-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await teacher.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.45);
    await teacher.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await teacher.mouse.move(
        box.x + box.width * (0.3 + (0.4 * i) / 20),
        box.y + box.height * 0.45,
      );
    }
    await teacher.mouse.up();
    await until(
      'the screen has the stroke',
      () => strokes(screen, '.board-tile canvas'),
      (n) => n === 1,
    );
    for (const [who, p, sel] of [
      ['screen', screen, '.board-tile canvas'],
      ['student', ana, '.board-canvas'],
    ] as const) {
      await until(`${who}: ink at the middle`, () => inkNear(p, sel, 0.5, 0.45), Boolean, 5000);
      assert.equal(await inkNear(p, sel, 0.5, 0.8), false, `${who}: paper where nothing was drawn`);
      assert.equal(await inkNear(p, sel, 0.1, 0.45), false, `${who}: the stroke starts at 30 %`);
    }
    await screenshot(screen, 'board-screen');
    await screenshot(ana, 'board-student-phone');
    await screenshot(teacher, 'board-teacher');
    const axe: string[] = [];
    for (const [name, p] of [
      ['teacher with the board', teacher],
      ['screen with the board', screen],
      ['student with the board', ana],
    ] as const) {
      await checkAccessibility(p, name, axe);
    }
    console.log(`axe: ${axe.join('; ')}`);

    // Off stage, Ana's pen is refused by the relay even if her page tries.
    await ana.evaluate(
      "window.lectern.app.board.begin({ page: 0 }, { tool: 'pen', color: '#111827', width: 3 }, [0.5, 0.2, 0.5]); window.lectern.app.board.end()",
    );
    await until(
      'refused',
      () => ana.evaluate('window.lectern.store.getState().error'),
      (e) => e === 'BOARD_NOT_ALLOWED',
      5000,
    );
    assert.equal(await strokes(screen, '.board-tile canvas'), 1);

    // Undo, redo and clear reach the screen; a late joiner sees the board.
    await teacher.getByRole('button', { name: 'Undo' }).click();
    await until(
      'undone',
      () => strokes(screen, '.board-tile canvas'),
      (n) => n === 0,
      5000,
    );
    await teacher.getByRole('button', { name: 'Redo' }).click();
    await until(
      'redone',
      () => strokes(screen, '.board-tile canvas'),
      (n) => n === 1,
      5000,
    );
    const late = await open(`code=${room.code}`);
    await joinAs(late, 'Student', 'Late');
    await until(
      'late joiner sees it',
      () => strokes(late, '.board-canvas'),
      (n) => n === 1,
      5000,
    );
    await teacher.getByRole('button', { name: 'Clear page' }).click();
    await until(
      'cleared',
      () => strokes(screen, '.board-tile canvas'),
      (n) => n === 0,
      5000,
    );

    // Opened to everyone, Ana draws with her finger-sized page's tools.
    await teacher.getByLabel('Everyone may draw').click();
    await ana.getByRole('toolbar', { name: 'Drawing tools' }).waitFor();
    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    await screen.locator('[data-layout="idle"]').waitFor();
  });
});

/** The app's own room host (data dir, journal, images): a restart and a class's end. */
describe('the whiteboard with the room host: a restart keeps it, the class end keeps its pages', () => {
  let browser: Browser;
  let host: RoomHost | null = null;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('a late joiner after a host restart sees the board; the teacher downloads the page', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-board-e2e-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = HOST_CREDENTIAL;
    const options = {
      dataDir,
      roomName: 'Room 101',
      staticDir: path.resolve('out/web'),
      host: '127.0.0.1',
      port: 0,
    };
    host = new RoomHost(options);
    const { room, port } = await host.start();
    const base = `http://127.0.0.1:${port}`;
    const open = async (query: string) => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
      });
      const p = await context.newPage();
      await p.goto(`${base}/?${query}`);
      return p;
    };
    const screen = await open(`screen=${room.screenKey}`);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${room.code}`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    await teacher.getByRole('radio', { name: 'Thick' }).click();
    const canvas = teacher.locator('.board-panel .board-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await teacher.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await teacher.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await teacher.mouse.move(
        box.x + box.width * (0.3 + (0.4 * i) / 20),
        box.y + box.height * 0.5,
      );
    }
    await teacher.mouse.up();
    await until(
      'on the screen',
      () => strokes(screen, '.board-tile canvas'),
      (n) => n === 1,
      5000,
    );

    // The host restarts on the same port; a student who joins afterwards sees the stroke.
    await host.stop();
    host = new RoomHost({ ...options, port });
    await host.start();
    const late = await open(`code=${room.code}`);
    await joinAs(late, 'Student', 'Late');
    await until(
      'kept across the restart',
      () => strokes(late, '.board-canvas'),
      (n) => n === 1,
      10_000,
    );
    assert.equal(await inkNear(late, '.board-canvas', 0.5, 0.5), true, 'at the same place');

    // The class ends: the teacher is offered the page as a picture, and downloads it.
    await teacher.getByRole('heading', { name: 'Room 101' }).waitFor();
    await teacher.getByRole('button', { name: 'End class' }).first().click();
    await teacher.getByRole('dialog').getByRole('button', { name: 'End class' }).click();
    const link = teacher.getByRole('link', { name: 'Page 1 (PNG)' });
    await link.waitFor({ timeout: 15_000 });
    await screenshot(teacher, 'board-saved-teacher');
    const [download] = await Promise.all([teacher.waitForEvent('download'), link.click()]);
    const png = PNG.sync.read(await fs.readFile((await download.path())!));
    assert.deepEqual([png.width, png.height], [1920, 1080]);
    const i = (Math.round(png.height * 0.5) * png.width + Math.round(png.width * 0.5)) * 4;
    assert.ok(png.data[i]! < 80, `ink in the middle of the saved page: ${png.data[i]}`);
    const axe: string[] = [];
    await checkAccessibility(teacher, 'teacher with the saved board', axe);
    console.log(`axe: ${axe.join('; ')}`);
  });
});
