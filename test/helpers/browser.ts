import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SHOTS = path.resolve('test-results/screenshots');

/**
 * Debian's Chromium, headless: without the background-networking flags it dials out at start.
 * `executablePath`: another way to start it (e.g. on a machine of the test internet).
 */
export function launchChromium(
  extraArgs: string[] = [],
  executablePath = CHROMIUM,
): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream=fps=30',
      '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

/**
 * The browser's user agent as a headed Chrome says it: headless Chromium says "HeadlessChrome",
 * which mediasoup-client does not recognise where it cannot read `navigator.userAgentData`
 * (a page that is not a secure context, such as a phone's http page of the room).
 */
export async function headedUserAgent(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const ua = String(await (await context.newPage()).evaluate('navigator.userAgent'));
  await context.close();
  return ua.replace('HeadlessChrome', 'Chrome');
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Keeps the last `keep` lines a page writes to its console, with the time since it was opened,
 * so a test that fails in CI can say what the page saw (`tail()`); lines `skip` matches are not
 * kept.
 */
export function consoleLog(page: Page, keep = 60, skip?: RegExp): { tail(): string } {
  const start = Date.now();
  const lines: string[] = [];
  const add = (type: string, text: string) => {
    lines.push(`+${Date.now() - start} ms ${type}: ${text}`);
    if (lines.length > keep) lines.shift();
  };
  page.on('console', (m) => {
    if (!skip?.test(m.text())) add(m.type(), m.text());
  });
  page.on('pageerror', (err) => add('pageerror', err.message));
  return { tail: () => lines.join('\n') };
}
