import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PeerLink } from '../../../renderer/src/media/PeerLink';
import type { primedFor } from '../../../renderer/src/media/primer';
import type { preferCodec, sendOnSpare } from '../../../renderer/src/media/senders';
import type { planEncoding } from '../../../renderer/src/media/encoding';
import { launchChromium } from '../../helpers/browser';
import { pageBundle } from '../../helpers/pageBundle';

/**
 * A ready link's primed spare in real Chromium: two PeerLinks in one page, signals delivered as
 * they come. The sender's spare carries a black placeholder of the expected size before any
 * share; a share of that size then goes out on the encoder the placeholder made (no second key
 * frame), and a share of another size still goes out (its encoder made again).
 */

interface Lib {
  PeerLink: typeof PeerLink;
  primedFor: typeof primedFor;
  preferCodec: typeof preferCodec;
  sendOnSpare: typeof sendOnSpare;
  planEncoding: typeof planEncoding;
}
interface Outbound {
  framesSent: number;
}
interface TestWindow {
  lib: Lib;
  sender: PeerLink;
  receiver: PeerLink;
  video: HTMLVideoElement;
  outbound(): Promise<Outbound>;
  decoded(): Promise<number>;
  /** Key frames the receiver decoded. */
  keyFrames(): Promise<number>;
  share(width: number, height: number): string | undefined;
  colour(): number[];
}

const bundle = () =>
  pageBundle(`import { PeerLink } from './renderer/src/media/PeerLink';
    import { primedFor } from './renderer/src/media/primer';
    import { preferCodec, sendOnSpare } from './renderer/src/media/senders';
    import { planEncoding } from './renderer/src/media/encoding';
    globalThis.lib = { PeerLink, primedFor, preferCodec, sendOnSpare, planEncoding };`);

/** Runs in the page: a sender primed for `width`×`height` and a receiver, linked. */
function setUp(a: { width: number; height: number }) {
  const w = window as unknown as TestWindow;
  const { PeerLink, primedFor, preferCodec, sendOnSpare, planEncoding } = w.lib;
  const video = document.createElement('video');
  Object.assign(video, { autoplay: true, muted: true, playsInline: true });
  document.body.append(video);
  w.video = video;
  // Each side's signals reach the other in a task of their own, as from a socket.
  const peers: { sender?: PeerLink; receiver?: PeerLink } = {};
  const events = (to: 'sender' | 'receiver') => ({
    signal: (signal: Parameters<PeerLink['handle']>[0]) => {
      setTimeout(() => void peers[to]?.handle(signal), 0);
    },
    track: () => {},
    state: () => {},
  });
  const sender = new PeerLink('screen', true, events('receiver'));
  const receiver = new PeerLink('teacher', false, {
    ...events('sender'),
    track: (track) => {
      if (track.kind === 'video') video.srcObject = new MediaStream([track]);
    },
  });
  Object.assign(peers, { sender, receiver });
  w.sender = sender;
  w.receiver = receiver;
  sender.prepare((t) => preferCodec(t, 'VP8'), primedFor({ width: a.width, height: a.height }));
  const stat = async (pc: RTCPeerConnection, type: string) => {
    for (const s of (await pc.getStats()).values()) {
      const x = s as Record<string, number | string>;
      if (x['type'] === type && x['kind'] === 'video') return x;
    }
    return {} as Record<string, number | string>;
  };
  w.outbound = async () => {
    const x = await stat(sender.pc, 'outbound-rtp');
    return { framesSent: Number(x['framesSent'] ?? 0) };
  };
  w.decoded = async () => Number((await stat(receiver.pc, 'inbound-rtp'))['framesDecoded'] ?? 0);
  w.keyFrames = async () =>
    Number((await stat(receiver.pc, 'inbound-rtp'))['keyFramesDecoded'] ?? 0);
  // A screen stand-in: a blue canvas, encoded as screen content like a real capture.
  w.share = (width, height) => {
    const canvas = document.createElement('canvas');
    Object.assign(canvas, { width, height });
    const g = canvas.getContext('2d')!;
    let n = 0;
    setInterval(() => {
      g.fillStyle = '#2d5c8a';
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#fff';
      g.fillRect((n++ * 7) % width, 10, 40, 40);
    }, 33);
    const stream = canvas.captureStream(30);
    const track = stream.getVideoTracks()[0]!;
    track.contentHint = 'detail';
    const share = {
      stream,
      video: track,
      audio: undefined,
      plan: planEncoding('auto', width, height),
      preset: 'auto' as const,
      music: false,
      senders: new Map(),
    };
    return sendOnSpare(sender, share)?.mid;
  };
  w.colour = () => {
    const c = document.createElement('canvas');
    c.width = c.height = 4;
    const g = c.getContext('2d')!;
    g.drawImage(video, 0, 0, 4, 4);
    return [...g.getImageData(2, 2, 1, 1).data.slice(0, 3)];
  };
}

describe('a ready link primed for the next share (Chromium)', () => {
  let browser: Browser;
  // A page of its own origin on 127.0.0.1 (about:blank's links found no path to each other).
  const blank = createServer((_req, res) => res.end('<!doctype html><title>primer</title>'));
  let url = '';
  before(async () => {
    browser = await launchChromium();
    await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await browser.close();
    blank.close();
  });

  async function pair(width: number, height: number): Promise<Page> {
    const page = await browser.newPage();
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(url);
    await page.addScriptTag({ content: await bundle() });
    await page.evaluate(setUp, { width, height });
    return page;
  }
  const until = async (page: Page, what: string, fn: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await fn())) {
      if (Date.now() > deadline) {
        const state = await page.evaluate(async () => {
          const { sender, receiver } = window as unknown as TestWindow;
          const all = async (pc: RTCPeerConnection) =>
            [...(await pc.getStats()).values()]
              .filter((s) => s.kind === 'video')
              .map((s) => JSON.stringify(s).slice(0, 300));
          return {
            s: sender.pc.connectionState,
            r: receiver.pc.connectionState,
            ss: sender.pc.signalingState,
            t: sender.pc.getSenders().map((x) => x.track?.readyState),
            so: await all(sender.pc),
            ri: await all(receiver.pc),
          };
        });
        throw new Error(`not within 15 s: ${what} ${JSON.stringify(state)}`);
      }
      await page.waitForTimeout(50);
    }
  };
  const outbound = (page: Page) =>
    page.evaluate(() => (window as unknown as TestWindow).outbound());
  const decoded = (page: Page) => page.evaluate(() => (window as unknown as TestWindow).decoded());

  /** Connects, waits for the placeholder's one frame, shares at `width`×`height`. */
  async function primedThenShare(page: Page, width: number, height: number) {
    await until(page, 'the placeholder sent and decoded', async () => {
      return (await outbound(page)).framesSent >= 1 && (await decoded(page)) >= 1;
    });
    const before = await page.evaluate(() => {
      const { sender } = window as unknown as TestWindow;
      return {
        sending: sender.sending,
        unused: sender.unused,
        track: sender.pc.getSenders()[0]?.track?.readyState,
      };
    });
    // A placeholder is no share: the link still counts as unused, and not sending.
    assert.deepEqual(before, { sending: false, unused: true, track: 'live' });
    const placeholderFrames = await decoded(page);
    const mid = await page.evaluate(
      ([w, h]) => (window as unknown as TestWindow).share(w!, h!),
      [width, height],
    );
    assert.ok(mid, 'the share went on the spare');
    await until(
      page,
      'the share decoded',
      async () => (await decoded(page)) >= placeholderFrames + 10,
    );
    const after = await page.evaluate(() => {
      const { sender } = window as unknown as TestWindow;
      const track = sender.pc.getSenders()[0]?.track;
      return { sending: sender.sending, hint: track?.contentHint, ended: track?.readyState };
    });
    assert.deepEqual(after, { sending: true, hint: 'detail', ended: 'live' });
    // What the receiver shows is the share's blue, not the placeholder's black.
    const [r, g, b] = await page.evaluate(() => (window as unknown as TestWindow).colour());
    assert.ok(b! > 100 && r! < 100, `the share's picture shows: rgb ${r},${g},${b}`);
    // Counted where it arrives: the sender's own count restarts when its stream is made again.
    return page.evaluate(() => (window as unknown as TestWindow).keyFrames());
  }

  it('a share of the expected size goes out on the encoder the placeholder made', async () => {
    const page = await pair(1280, 720);
    // The placeholder's key frame is the only one: no encoder was made again for the share.
    // (With the placeholder in another mode than the share's, 'motion', this is 2.)
    assert.equal(await primedThenShare(page, 1280, 720), 1);
    await page.close();
  });

  it('a share of another size still goes out, on an encoder made again for it', async () => {
    const page = await pair(1280, 720);
    assert.equal(await primedThenShare(page, 960, 540), 2);
    await page.close();
  });
});
