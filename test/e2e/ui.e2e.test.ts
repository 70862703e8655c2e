import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium } from '../helpers/browser';
import { joinAs, startHost } from '../helpers/host';
import { inbound, until } from '../helpers/media';
import {
  checkAccessibility,
  horizontalOverflow,
  pinch,
  setTheme,
  tap,
  viewShot,
} from '../helpers/ui';

const LANGS = ['en', 'zh-CN', 'ko'] as const;
const THEMES = ['light', 'dark'] as const;
const SIZES = {
  phone: { width: 390, height: 844 },
  laptop: { width: 1280, height: 800 },
  room: { width: 1920, height: 1080 },
} as const;

/**
 * What people see: accessibility (axe, WCAG 2.2 AA) of every view in three languages and two
 * themes, the phone-first student page (no sideways scrolling, the share across the width,
 * pinch zoom that asks the SFU for the full-resolution layer), the teacher's keyboard-only
 * flow, and screenshots of every view at phone, laptop and room-screen sizes.
 */
describe('the UI: accessibility, phones, zoom, keyboard, screenshots', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let browser: Browser;
  const axeLog: string[] = [];

  before(async () => {
    ({ relay, room, base } = await startHost({ sfu: { listenIp: '127.0.0.1' } }));
    browser = await launchChromium();
  });
  after(async () => {
    console.log(`axe:\n  ${axeLog.join('\n  ')}`);
    await browser?.close();
    await relay?.close();
  });

  async function open(
    query: string,
    size: { width: number; height: number } = SIZES.laptop,
    phone = false,
  ): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({
      viewport: size,
      ...(phone && { isMobile: true, hasTouch: true, deviceScaleFactor: 1 }),
    });
    await context.grantPermissions(['camera', 'microphone']);
    const page = await context.newPage();
    await page.goto(`${base}/?${query}`);
    return { page, context };
  }

  const language = (p: Page, lang: string) => p.locator('.lang select').selectOption(lang);

  let screen: Page;
  let teacher: Page;
  let student: Page;

  it('every view passes axe (no serious or critical violation) in three languages and both themes', async () => {
    // The start screen.
    for (const lang of LANGS) {
      const { page } = await open(`code=${room.code}&lang=${lang}`);
      for (const theme of THEMES) {
        await setTheme(page, theme);
        await checkAccessibility(page, `start ${lang} ${theme}`, axeLog);
      }
      await page.context().close();
    }
    // The room screen, idle.
    ({ page: screen } = await open(`screen=${room.screenKey}`, SIZES.room));
    await screen.getByLabel('join code').waitFor();
    for (const lang of LANGS) {
      await screen.goto(`${base}/?screen=${room.screenKey}&lang=${lang}`);
      await screen.locator('[data-layout="idle"]').waitFor();
      for (const theme of THEMES) {
        await setTheme(screen, theme);
        await checkAccessibility(screen, `screen idle ${lang} ${theme}`, axeLog);
      }
    }
    await screen.goto(`${base}/?screen=${room.screenKey}`);
    await screen.locator('[data-layout="idle"]').waitFor();

    // Teacher sharing, a student watching with a hand up.
    ({ page: teacher } = await open(`code=${room.code}&capture=1920x1080&debug`));
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    ({ page: student } = await open(`code=${room.code}&debug`));
    await joinAs(student, 'Student', 'Ana');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
    await student.locator('.viewer video').first().waitFor();
    await student.getByRole('button', { name: 'Raise hand' }).click();
    await teacher.locator('li[data-peer="Ana"] .hand-mark').waitFor();
    for (const lang of LANGS) {
      for (const p of [teacher, student]) await language(p, lang);
      await screen.goto(`${base}/?screen=${room.screenKey}&lang=${lang}`);
      await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
      for (const theme of THEMES) {
        for (const p of [teacher, student, screen]) await setTheme(p, theme);
        await checkAccessibility(teacher, `teacher ${lang} ${theme}`, axeLog);
        await checkAccessibility(student, `student ${lang} ${theme}`, axeLog);
        await checkAccessibility(screen, `screen stage ${lang} ${theme}`, axeLog);
      }
    }
    for (const p of [teacher, student]) await language(p, 'en');
    await screen.goto(`${base}/?screen=${room.screenKey}`);
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
  });

  it('on a phone the share fills the width, nothing scrolls sideways, pinch zooms to the full layer', async () => {
    for (const size of [
      { width: 360, height: 740 },
      { width: 390, height: 844 },
      { width: 844, height: 390 },
    ]) {
      const { page, context } = await open(`code=${room.code}&stats&debug`, size, true);
      await joinAs(page, 'Student', `Phone ${size.width}`);
      const video = page.locator('.viewer .tile video').first();
      await video.waitFor();
      assert.equal(await horizontalOverflow(page), 0, `${size.width} px: no sideways scrolling`);
      const box = (await page.locator('.viewer .tile').first().boundingBox())!;
      console.log(`phone ${size.width}×${size.height}: share tile ${box.width}×${box.height}`);
      if (size.width < size.height) {
        assert.ok(box.width >= size.width - 1, `${size.width} px: the share spans the width`);
      } else {
        assert.ok(box.height >= size.height * 0.75, 'landscape: the share takes the height');
      }
      // Off stage, nothing to send: no share, quality or microphone controls.
      for (const name of ['Share to the room screen', '🎤 Microphone on', 'Share screen']) {
        assert.equal(await page.getByRole('button', { name }).count(), 0, name);
      }
      assert.equal(await page.getByText('Quality and codec').count(), 0);
      // The chat opens as a sheet from the bottom bar; reactions are in it.
      await page.getByRole('button', { name: 'Chat' }).click();
      await page.getByRole('button', { name: 'Send' }).waitFor();
      await page.getByRole('button', { name: '👏' }).waitFor();
      assert.equal(await horizontalOverflow(page), 0, 'sheet open: still no sideways scrolling');
      if (size.width === 390) await viewShot(page, 'student-phone-chat');
      await page.getByRole('button', { name: 'Chat' }).click();

      if (size.width !== 390) {
        await context.close();
        continue;
      }
      // Before zooming, a 390 px wide phone gets a low simulcast layer.
      const before = await until(
        'phone decodes a low layer',
        async () => (await inbound(page)).find((s) => s.path === 'sfu' && s.frames > 0),
        (s) => s !== undefined && s.width > 0 && s.width < 1920,
      );
      const cdp = await context.newCDPSession(page);
      await pinch(cdp, page, '.zoom-box', 40, 200);
      const zoom = Number(
        await until(
          'pinch zoomed in',
          () => page.locator('.zoom-box').getAttribute('data-zoom'),
          (z) => Number(z) >= 3,
          5000,
          100,
        ),
      );
      const after = await until(
        'zoomed in: the full-resolution layer',
        async () => (await inbound(page)).find((s) => s.path === 'sfu' && s.frames > 0),
        (s) => (s?.width ?? 0) === 1920,
        20_000,
      );
      console.log(
        `pinch zoom ${zoom}×: SFU layer ${before!.width}×${before!.height} → ${after!.width}×${after!.height}`,
      );
      // Double tap: back to fit.
      const zb = (await page.locator('.zoom-box').boundingBox())!;
      await tap(cdp, zb.x + zb.width / 2, zb.y + zb.height / 2);
      await tap(cdp, zb.x + zb.width / 2, zb.y + zb.height / 2);
      await until(
        'double tap fits',
        () => page.locator('.zoom-box').getAttribute('data-zoom'),
        (z) => z === '1.00',
        5000,
      );
      await context.close();
    }
  });

  it('keyboard only: a teacher shares, invites the first hand and changes the layout', async () => {
    // Start from no share, Ana's hand up.
    await teacher.keyboard.press('s');
    await screen.locator('[data-layout="idle"]').waitFor({ timeout: 15_000 });
    // Tab reaches the share button with a visible focus ring.
    await teacher.locator('body').focus();
    let onShare = false;
    for (let i = 0; i < 40 && !onShare; i++) {
      await teacher.keyboard.press('Tab');
      onShare = (await teacher.evaluate(
        "document.activeElement?.textContent?.trim() === 'Share screen'",
      )) as boolean;
    }
    assert.ok(onShare, 'Tab reaches "Share screen"');
    const outline = await teacher.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'focus is visible');
    await teacher.keyboard.press('Enter');
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });

    // H invites the first raised hand; Ana accepts and shares.
    await teacher.keyboard.press('h');
    await student.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
    await student.getByRole('button', { name: 'Share to the room screen' }).click();
    await screen.locator('[data-layout="2up"]').waitFor({ timeout: 15_000 });
    // L: the next layout (2-up → 2 × 2), then arrows on the layout pictures.
    // The teacher's page knows of the 2-up layout before L moves on from it.
    await teacher.locator('.layout-pick.chosen input[value="2up"]').waitFor({ state: 'attached' });
    await teacher.keyboard.press('l');
    await screen.locator('[data-layout="2x2"]').waitFor({ timeout: 10_000 });
    await teacher.getByRole('radio', { name: '2 × 2' }).focus();
    await teacher.keyboard.press('ArrowLeft');
    await screen.locator('[data-layout="2up"]').waitFor({ timeout: 10_000 });
    // ? shows the shortcuts; Escape closes them.
    await teacher.keyboard.press('?');
    const help = teacher.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await teacher.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // Shares carry people's words, not track labels.
    const caption = await screen.locator('.tile figcaption').first().textContent();
    assert.match(caption ?? '', /^(Ms\. Park|Ana) — (entire screen|window|browser tab)/);
    assert.doesNotMatch(caption ?? '', /screen:-?\d/);
  });

  it('screenshots of every view at phone, laptop and room-screen sizes, light and dark', async () => {
    const join = (await open(`code=${room.code}`)).page;
    for (const theme of THEMES) {
      for (const [size, vp] of Object.entries(SIZES)) {
        for (const [view, p] of [
          ['start', join],
          ['teacher', teacher],
          ['student', student],
          ['screen', screen],
        ] as const) {
          await p.setViewportSize(vp);
          await setTheme(p, theme);
          await viewShot(p, `${view}-${size}-${theme}`);
        }
      }
    }
    await screen.setViewportSize({ width: 3840, height: 2160 });
    await viewShot(screen, 'screen-4k-dark');
    assert.equal(await horizontalOverflow(student), 0);
  });
});
