import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { joinAs, startHost } from '../helpers/host';
import { until } from '../helpers/media';
import { checkAccessibility } from '../helpers/ui';

/** What the alignment check reads in a page (the test's tsconfig has no DOM types). */
interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface Probe {
  /** Red pixels of the annotation canvas around the point. */
  red: number;
  /** How far the annotation layer is from the video's picture, in CSS px (worst edge). */
  misaligned: number;
  picture: Box;
}

/**
 * At fraction (fx, fy) of the *video's picture* in a tile (found from the video element's own
 * box and frame size, bars excluded, independently of the overlay), how much red the
 * annotation canvas has there, and how far the overlay sits from that picture.
 */
function probe(page: Page, tile: string, fx: number, fy: number): Promise<Probe> {
  return page
    .locator(tile)
    .first()
    .evaluate(
      (el, [fx, fy]) => {
        type El = {
          getBoundingClientRect(): Box;
          querySelector(s: string): unknown;
        };
        type Video = El & { videoWidth: number; videoHeight: number };
        type Canvas = El & {
          width: number;
          height: number;
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
          };
        };
        const tileEl = el as unknown as El;
        const video = tileEl.querySelector('video') as Video;
        const canvas = tileEl.querySelector('.annot-layer canvas') as Canvas | null;
        const v = video.getBoundingClientRect();
        const scale = Math.min(v.width / video.videoWidth, v.height / video.videoHeight);
        const w = video.videoWidth * scale;
        const h = video.videoHeight * scale;
        const picture = {
          left: v.left + (v.width - w) / 2,
          top: v.top + (v.height - h) / 2,
          width: w,
          height: h,
        };
        if (!canvas) return { red: -1, misaligned: Infinity, picture };
        const c = canvas.getBoundingClientRect();
        const misaligned = Math.max(
          Math.abs(c.left - picture.left),
          Math.abs(c.top - picture.top),
          Math.abs(c.left + c.width - (picture.left + picture.width)),
          Math.abs(c.top + c.height - (picture.top + picture.height)),
        );
        const px = picture.left + fx! * picture.width;
        const py = picture.top + fy! * picture.height;
        const x = Math.round(((px - c.left) / c.width) * canvas.width);
        const y = Math.round(((py - c.top) / c.height) * canvas.height);
        const r = 5;
        const d = canvas.getContext('2d').getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
        let red = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i]! > 150 && d[i + 1]! < 110 && d[i + 2]! < 110 && d[i + 3]! > 100) red++;
        }
        return { red, misaligned, picture };
      },
      [fx, fy],
    );
}

const strokes = async (p: Page, selector: string) =>
  Number((await p.locator(selector).first().getAttribute('data-strokes')) ?? 0);

/**
 * Annotation over a live share in real Chromium: a student on stage marks a point of the
 * teacher's 1920×1080 share on a phone; the mark lands on that point of the picture on the
 * room screen (single, then 2-up) and on the teacher's own thumbnail, whatever each one's size
 * and letterboxing; undo, text and the laser reach the screen; the teacher clears them.
 */
describe('annotating a live share in real Chromium', () => {
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

  async function open(query: string, width: number, height: number, touch = false) {
    const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch });
    const p = await context.newPage();
    await p.goto(`${base}/?${query}`);
    return p;
  }

  it('a mark made on a phone lands on the same point of the share everywhere', async () => {
    const screen = await open(`screen=${room.screenKey}`, 1920, 1080);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`code=${room.code}&capture=1920x1080`, 1280, 800);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    const ana = await open(`code=${room.code}`, 390, 844, true);
    await joinAs(ana, 'Student', 'Ana');
    const decoded = (p: Page, sel: string, ok: (width: number) => boolean) =>
      until(
        'the share decodes',
        () =>
          p
            .locator(sel)
            .first()
            .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth),
        ok,
        20_000,
      );
    await decoded(screen, '.tile video', (w) => w === 1920);
    // The phone shows the share 390 px wide: the teacher sends it a quarter of the width, and
    // marks still land on the same point of the picture.
    await decoded(ana, '.viewer .tile video', (w) => w > 0 && w < 1920);

    // Off stage Ana has no annotation pen; on stage she has.
    assert.equal(await ana.getByRole('button', { name: 'Annotate this share' }).count(), 0);
    await teacher
      .locator('li[data-peer="Ana"]')
      .getByRole('button', { name: 'Invite on stage' })
      .click();
    await ana.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
    await ana.getByRole('button', { name: 'Annotate this share' }).click();
    await ana.getByRole('toolbar', { name: 'Annotation tools' }).waitFor();

    // A short red stroke across (30 %, 40 %) of the picture on her phone (bars above and below).
    const tile = '.viewer .tile';
    const { picture } = await probe(ana, tile, 0, 0);
    assert.ok(picture.height < 300, `letterboxed on the phone: ${JSON.stringify(picture)}`);
    const at = (fx: number, fy: number) =>
      [picture.left + fx * picture.width, picture.top + fy * picture.height] as const;
    await ana.mouse.move(...at(0.26, 0.4));
    await ana.mouse.down();
    for (let i = 1; i <= 10; i++) await ana.mouse.move(...at(0.26 + (0.08 * i) / 10, 0.4));
    await ana.mouse.up();

    const landed = async (p: Page, sel: string, who: string) => {
      const hit = await until(
        `${who}: the mark at (30 %, 40 %) of the picture`,
        () => probe(p, sel, 0.3, 0.4),
        (r) => r.red > 10,
        10_000,
      );
      assert.ok(hit.misaligned < 1.5, `${who}: overlay off the picture by ${hit.misaligned} px`);
      const elsewhere = await probe(p, sel, 0.7, 0.7);
      assert.equal(elsewhere.red, 0, `${who}: nothing where nothing was drawn`);
      const above = await probe(p, sel, 0.3, 0.25);
      assert.equal(above.red, 0, `${who}: the mark is not shifted`);
      return hit.picture;
    };
    const phone = await landed(ana, tile, 'phone');
    const single = await landed(screen, '.stage .tile', 'screen, single');
    // The sharer sees it too, on the stage thumbnail of her own share.
    const thumb = await landed(teacher, '.tile.thumb', 'teacher thumbnail');
    await screenshot(screen, 'annotate-screen-single');
    await screenshot(ana, 'annotate-student-phone');

    // 2-up: the board beside the share; the share's picture is smaller, the mark stays.
    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    await screen.locator('[data-layout="2up"]').waitFor();
    const twoUp = await until(
      'the screen relaid the share',
      () => probe(screen, '.stage .tile', 0.3, 0.4),
      (r) => r.picture.width < single.width * 0.75 && r.red > 10,
      10_000,
    );
    await landed(screen, '.stage .tile', 'screen, 2-up');
    await screenshot(screen, 'annotate-screen-2up');
    console.log(
      `annotation: picture ${[phone, single, twoUp.picture, thumb].map((r) => `${Math.round(r.width)}×${Math.round(r.height)}`).join(', ')} (phone, screen single, screen 2-up, thumbnail); overlay within ${twoUp.misaligned.toFixed(2)} px`,
    );

    // Words and the laser reach the screen; the laser fades and is never kept.
    const annotations = '.stage .tile .annot-layer canvas';
    const tools = ana.getByRole('toolbar', { name: 'Annotation tools' });
    await tools.getByRole('radio', { name: 'Text' }).click();
    await ana.mouse.click(...at(0.5, 0.7));
    await ana.getByLabel(/Text to place on the board/).fill('Look here');
    await ana.keyboard.press('Enter');
    await until(
      'the text on the screen',
      () => strokes(screen, annotations),
      (n) => n === 2,
    );
    await tools.getByRole('radio', { name: 'Laser pointer' }).click();
    await ana.mouse.move(...at(0.6, 0.55));
    await ana.mouse.down();
    await ana.mouse.move(...at(0.61, 0.55));
    await until(
      'the laser on the screen',
      () => probe(screen, '.stage .tile', 0.6, 0.55),
      (r) => r.red > 10,
      5000,
    );
    await ana.mouse.up();
    await until(
      'the laser fades',
      () => probe(screen, '.stage .tile', 0.6, 0.55),
      (r) => r.red === 0,
      5000,
    );
    assert.equal(await strokes(screen, annotations), 2, 'the laser is not a stroke');

    const axe: string[] = [];
    await checkAccessibility(ana, 'student annotating', axe);
    await checkAccessibility(screen, 'screen with annotations', axe);
    console.log(`axe: ${axe.join('; ')}`);

    // Undo takes back her last step (the text).
    await tools.getByRole('button', { name: 'Undo' }).click();
    await until(
      'undone',
      () => strokes(screen, annotations),
      (n) => n === 1,
    );
    // The teacher clears them from the stage, where she sees her own share.
    await teacher.locator('.slot').getByRole('button', { name: 'Clear annotations' }).click();
    await until(
      'cleared',
      () => strokes(screen, annotations),
      (n) => n === 0,
    );
    assert.equal((await probe(screen, '.stage .tile', 0.3, 0.4)).red, 0, 'the mark is gone');
  });
});
