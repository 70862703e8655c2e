import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser';
import { hostWithBrowser, joinAs } from '../helpers/host';
import { streamStats, until } from '../helpers/media';

/**
 * The room screen's layout decides what its senders encode: each share is sent P2P at the size
 * its slot shows it (half in 2-up and 2×2), and at full size again when it is alone.
 */
describe('senders encode each share at the size the room screen shows it', () => {
  const env = hostWithBrowser();

  async function open(query: string): Promise<Page> {
    const context = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const p = await context.newPage();
    await p.goto(`${env.base}/?stats&${query}`);
    return p;
  }

  /** Width of the P2P video a page sends (out) or receives (in), per stream. */
  const widths = async (p: Page, direction: 'in' | 'out') =>
    (await streamStats(p))
      .filter((s) => s.direction === direction && s.kind === 'video' && s.path === 'p2p')
      .map((s) => s.width)
      .sort((a, b) => a - b);

  /** Shares with "Sharp text": the encoder keeps its resolution under load (only the view sets it). */
  async function shareSharp(p: Page): Promise<void> {
    await p.getByText('Quality and codec').click();
    await p.getByLabel('Quality').selectOption('sharp');
    await p.getByRole('button', { name: 'Share screen' }).click();
  }

  it('single: 1920; two shares side by side: 960 each; alone again: 1920', async () => {
    const screen = await open(`screen=${env.room.screenKey}`);
    await screen.getByLabel('join code').waitFor();
    const a = await open(`code=${env.room.code}&capture=1920x1080`);
    await joinAs(a, 'Teacher', 'Ms. Park');
    const b = await open(`code=${env.room.code}&capture=1920x1080`);
    await joinAs(b, 'Teacher', 'Mr. Kim');

    await shareSharp(a);
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
    await until(
      'single: sent at 1920',
      () => widths(a, 'out'),
      (w) => w[0] === 1920,
    );

    await shareSharp(b);
    await screen.locator('[data-layout="2up"]').waitFor({ timeout: 15_000 });
    for (const [who, p] of [
      ['Ms. Park', a],
      ['Mr. Kim', b],
    ] as const) {
      await until(
        `2-up: ${who} sends at 960`,
        () => widths(p, 'out'),
        (w) => w[0] === 960,
      );
    }
    const received = await until(
      'the screen receives two 960 streams',
      () => widths(screen, 'in'),
      (w) => w.length === 2 && w.every((x) => x === 960),
    );
    console.log(`2-up: the screen decodes ${received.join(' + ')} px wide`);
    await screenshot(screen, 'screen-2up-half-size-streams');

    // Mr. Kim stops: Ms. Park's share is alone again, and sharp.
    await b.getByRole('button', { name: 'Stop sharing' }).click();
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
    await until(
      'single again: sent at 1920',
      () => widths(a, 'out'),
      (w) => w[0] === 1920,
    );
    await until(
      'the screen decodes 1920',
      () => widths(screen, 'in'),
      (w) => w[0] === 1920,
    );
  });
});
