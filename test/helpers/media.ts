import type { Page } from 'playwright-core';

export interface StreamStat {
  /** p2p or sfu. */
  path: string;
  /** The remote device (P2P) or the SFU transport's direction. */
  link: string;
  direction: 'in' | 'out';
  kind: 'audio' | 'video';
  width: number;
  height: number;
  frames: number;
  /** The selected ICE pair, e.g. `relay/udp`, `host/tcp` ('' before one is selected). */
  route: string;
}

/** A page's streams, read from its stats overlay (getStats, sampled each second; ?stats). */
export function streamStats(page: Page): Promise<StreamStat[]> {
  return page.$$eval('.stat', (els) =>
    els.map((el) => ({
      path: el.getAttribute('data-path') ?? '',
      link: el.getAttribute('data-link') ?? '',
      direction: el.getAttribute('data-direction') as 'in' | 'out',
      kind: (el.getAttribute('data-kind') ?? 'video') as 'audio' | 'video',
      width: Number(el.getAttribute('data-width')),
      height: Number(el.getAttribute('data-height')),
      frames: Number(el.getAttribute('data-frames')),
      route: el.getAttribute('data-route') ?? '',
    })),
  );
}

/** The inbound video streams only. */
export async function inbound(page: Page): Promise<StreamStat[]> {
  return (await streamStats(page)).filter((s) => s.direction === 'in' && s.kind === 'video');
}

/** Polls `probe` until `ok`, or fails with the last value after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
    last = await probe();
  }
  return last;
}
