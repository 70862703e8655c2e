import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { CDPSession, Page } from 'playwright-core';

/** WCAG 2.2 A and AA, as axe tags them. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** One axe run per view: every violation is counted, serious and critical ones fail. */
export async function checkAccessibility(page: Page, name: string, log: string[]): Promise<void> {
  await settled(page);
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  log.push(
    `${name}: ${result.passes.length} rules pass, ${result.violations.length} violations ` +
      `(${bad.length} serious or critical)` +
      (result.violations.length > 0
        ? ` [${result.violations.map((v) => `${v.id}/${v.impact}`).join(', ')}]`
        : ''),
  );
  assert.deepEqual(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    ),
    [],
    `${name}: accessibility`,
  );
}

/**
 * Until the page's finite transitions and animations have ended (a button just pressed fades to
 * its new colour; axe must judge the colour a person sees, not one halfway there).
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(`Promise.all(
    document.getAnimations()
      .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
      .map((a) => a.finished.catch(() => undefined)),
  )`);
}

/** Whether the page scrolls sideways (it must not, at any phone width). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - window.innerWidth',
  ) as Promise<number>;
}

/**
 * Two fingers on the centre of `selector`, spreading from `from` to `to` px apart, through
 * Chromium's touch input (the page sees real touch and pointer events).
 */
export async function pinch(
  cdp: CDPSession,
  page: Page,
  selector: string,
  from: number,
  to: number,
): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is on screen`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const points = (d: number) => [
    { x: cx - d / 2, y: cy, id: 1 },
    { x: cx + d / 2, y: cy, id: 2 },
  ];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(from) });
  const steps = 10;
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: points(from + ((to - from) * i) / steps),
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** One tap, through the same touch input. */
export async function tap(cdp: CDPSession, x: number, y: number): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', {
    type: 'touchStart',
    touchPoints: [{ x, y, id: 1 }],
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/**
 * Screenshots of the views: under test-results, or into docs/screenshots (committed, shown in
 * the README) when LECTERN_DOCS_SHOTS=1 (`npm run screenshots`).
 */
export const UI_SHOTS =
  process.env['LECTERN_DOCS_SHOTS'] === '1'
    ? path.resolve('docs/screenshots')
    : path.resolve('test-results/screenshots/ui');

export async function viewShot(page: Page, name: string): Promise<string> {
  mkdirSync(UI_SHOTS, { recursive: true });
  const file = path.join(UI_SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate(`document.documentElement.dataset.theme = '${theme}'`);
}
