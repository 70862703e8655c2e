/**
 * The Chromium benches' setting: a headless host with its SFU started, one Chromium, and pages
 * opened on the room's join link at one viewport size; all closed when the work is done.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/browser';
import { startHost, type TestHost } from '../../test/helpers/host';

export interface SfuRoom {
  host: TestHost;
  /** A new page (its own context) on the join link, with `query` added. */
  open(query: string): Promise<Page>;
}

export async function withSfuRoom<T>(
  viewport: { width: number; height: number },
  work: (room: SfuRoom) => Promise<T>,
): Promise<T> {
  const host = await startHost({ sfu: { listenIp: '127.0.0.1' } });
  await host.relay.startSfu();
  const browser = await launchChromium();
  const open = async (query: string): Promise<Page> => {
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(`${host.base}/?debug&code=${host.room.code}&${query}`);
    return page;
  };
  try {
    return await work({ host, open });
  } finally {
    await browser.close();
    await host.relay.close();
  }
}
