import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PeerLink } from '../../../renderer/src/media/PeerLink';
import type { Signal } from '../../../protocol';
import { launchChromium } from '../../helpers/browser';
import { pageBundle } from '../../helpers/pageBundle';

/**
 * PeerLink in real Chromium: two links in one page, joined by queues the test delivers by hand,
 * so that offers cross in exactly the order that once left a lesson without the teacher's camera.
 */

type Held = { signal: Signal; session: string };
type Side = 'a' | 'b';
interface Pair {
  a: PeerLink;
  b: PeerLink;
  /** Signals on their way to each side, oldest first. */
  to: Record<Side, Held[]>;
  deliver(side: Side): void;
  addVideo(side: Side): void;
}
type PairWindow = {
  PeerLink: typeof PeerLink;
  pair: Pair;
  stateOf(side: Side): { signaling: string; sentVideo: number; gotVideo: number };
};

/** The PeerLink module as the page runs it (bundled from its TypeScript source). */
const bundle = () =>
  pageBundle(`import { PeerLink } from './renderer/src/media/PeerLink';
    globalThis.PeerLink = PeerLink;`);

/** Runs in the page: `a` (polite) and `b` linked by queues; `a` sends a sound from the start. */
function setUp() {
  const w = window as unknown as PairWindow;
  const to: Record<Side, Held[]> = { a: [], b: [] };
  const link = (side: Side, polite: boolean) =>
    new w.PeerLink(side === 'a' ? 'b' : 'a', polite, {
      signal: (signal, session) => to[side === 'a' ? 'b' : 'a'].push({ signal, session }),
      track: () => {},
      state: () => {},
    });
  const a = link('a', true);
  const b = link('b', false);
  const sound = new AudioContext().createMediaStreamDestination().stream.getAudioTracks()[0]!;
  a.pc.addTransceiver(sound, { direction: 'sendonly' });
  a.negotiate();
  const links = { a, b };
  w.pair = {
    a,
    b,
    to,
    // Back to back, in one task: as two WebSocket messages that arrive together.
    deliver: (side) => {
      for (const held of to[side].splice(0)) void links[side].handle(held.signal);
    },
    addVideo: (side) => {
      const canvas = document.createElement('canvas');
      canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
      links[side].pc.addTransceiver(canvas.captureStream(10).getVideoTracks()[0]!, {
        direction: 'sendonly',
      });
      links[side].negotiate();
    },
  };
  w.stateOf = (side) => {
    const pc = links[side].pc;
    const video = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video');
    return {
      signaling: pc.signalingState,
      sentVideo: video.filter((t) => t.currentDirection === 'sendonly').length,
      gotVideo: video.filter((t) => t.currentDirection === 'recvonly').length,
    };
  };
}

describe('PeerLink in Chromium (perfect negotiation)', () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    // tsx names the functions it compiles with __name(), which the page does not have.
    await page.addInitScript('window.__name = (f) => f');
    await page.goto('about:blank');
    await page.addScriptTag({ content: await bundle() });
    await page.evaluate(setUp);
  });
  after(() => browser.close());

  /** What is queued for one side: the kinds of descriptions, in order. */
  const queued = (side: Side) =>
    page.evaluate(
      (s) =>
        (window as unknown as PairWindow).pair.to[s].flatMap((h) =>
          h.signal.kind === 'description' ? [h.signal.description.type] : [],
        ),
      side,
    );
  const deliver = (side: Side) =>
    page.evaluate((s) => (window as unknown as PairWindow).pair.deliver(s), side);
  const stateOf = (side: Side) =>
    page.evaluate((s) => (window as unknown as PairWindow).stateOf(s), side);
  /** Delivers both ways until nothing is left in flight and both sides are stable. */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await deliver('a');
      await deliver('b');
      await new Promise((r) => setTimeout(r, 100));
      const [qa, qb, sa, sb] = [
        await queued('a'),
        await queued('b'),
        await stateOf('a'),
        await stateOf('b'),
      ];
      if (qa.length + qb.length === 0 && sa.signaling === 'stable' && sb.signaling === 'stable') {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`not settled: ${JSON.stringify({ qa, qb, sa, sb })}`);
      }
    }
  }
  async function waitQueued(side: Side, want: string[]): Promise<void> {
    const deadline = Date.now() + 5000;
    while (JSON.stringify(await queued(side)) !== JSON.stringify(want)) {
      if (Date.now() > deadline) throw new Error(`queued for ${side}: ${await queued(side)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('an offer that arrives while its answer is still being applied is answered, not dropped', async () => {
    await settle();
    // Both add a picture at once: the offers cross.
    await page.evaluate(() => {
      const { pair } = window as unknown as PairWindow;
      pair.addVideo('b');
      pair.addVideo('a');
    });
    await waitQueued('b', ['offer']);
    await waitQueued('a', ['offer']);
    // b (impolite) is waiting for its answer: it ignores a's offer.
    await deliver('b');
    // a (polite) takes b's offer back over its own, answers it, then offers its picture again.
    await deliver('a');
    await waitQueued('b', ['answer', 'offer']);
    // The answer and the new offer reach b together.
    await deliver('b');
    await settle();
    assert.deepEqual(await stateOf('a'), { signaling: 'stable', sentVideo: 1, gotVideo: 1 });
    assert.deepEqual(await stateOf('b'), { signaling: 'stable', sentVideo: 1, gotVideo: 1 });
  });
});
