/**
 * Decoded frames as a page shows them: for every track a `<video>` matching the selector shows,
 * the time of its first decoded frame and the width of the latest ones (requestVideoFrameCallback,
 * on Date.now(), the same clock as the test's). A new track (a re-created consumer, a new
 * connection) gets its own record, so "decoding again" is a frame of a track not seen before.
 */
import type { Page } from 'playwright-core';

export interface TrackFrames {
  /** Date.now() of the track's first decoded frame. */
  first: number;
  firstWidth: number;
  /** [Date.now(), width] of its latest frames (the last 400). */
  widths: [number, number][];
}

/** Starts watching (as a string: the page's CSP forbids eval-based waits, and tsx renames). */
export function watchFrames(page: Page, selector = '.viewer video'): Promise<unknown> {
  return page.evaluate(`
    window.__frames = {};
    let waiting = null;
    const look = () => {
      const v = document.querySelector(${JSON.stringify(selector)});
      if (v && v !== waiting && v.requestVideoFrameCallback) {
        waiting = v;
        const onFrame = (_now, meta) => {
          const track = v.srcObject && v.srcObject.getVideoTracks()[0];
          if (track) {
            const r = (window.__frames[track.id] ??= { first: Date.now(), firstWidth: meta.width, widths: [] });
            r.widths.push([Date.now(), meta.width]);
            if (r.widths.length > 400) r.widths.shift();
          }
          if (waiting === v) v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
      }
      setTimeout(look, 10);
    };
    look();
  `);
}

/** What the page decoded so far, by track id. */
export function seenFrames(page: Page): Promise<Record<string, TrackFrames>> {
  return page.evaluate('window.__frames') as Promise<Record<string, TrackFrames>>;
}

/** The record of the first track not in `before` (a track ids snapshot), if it decoded yet. */
export async function newTrackFrames(
  page: Page,
  before: ReadonlySet<string>,
): Promise<TrackFrames | undefined> {
  return Object.entries(await seenFrames(page)).find(([id]) => !before.has(id))?.[1];
}
