import { planEncoding, type EncodingPlan } from './encoding';
import type { Size } from './viewScale';

/**
 * What a ready link's spare sender is primed for: the share this device most likely makes
 * next, a screen at the display's size with the default preset. A share that matches it (same
 * size, same screen-content mode, same plan) finds its encoder made and the receiver's decoder
 * too, and its first frame goes out as the next frame after the track is set: making a 1080p
 * encoder and its key frame took 60–90 ms of a share's first frame (VP9) on two cores. A share
 * that does not match is no slower than without it: its encoder is made again at its size.
 */
export interface Primed {
  /** The size the screen capture is expected to have (device pixels). */
  size: Size;
  /** The encoding a share of that size with the default preset gets (see planEncoding). */
  plan: EncodingPlan;
}

export function primedFor(size: Size): Primed {
  return { size, plan: planEncoding('auto', size.width, size.height) };
}

/** Whether a share's plan is the one the spare sender was primed with (else set it first). */
export function samePlan(a: EncodingPlan, b: EncodingPlan): boolean {
  return (
    a.maxBitrate === b.maxBitrate &&
    a.maxFramerate === b.maxFramerate &&
    a.degradationPreference === b.degradationPreference
  );
}

/**
 * Whether a P2P stats report is a ready link's spare before a share: its placeholder's one
 * frame, sent (`placeholderMid`) or received (a picture in no share's stream). No share's
 * figures: it is left out of the stats.
 */
export function placeholderRtp(
  r: Record<string, unknown>,
  placeholderMid: string | null,
  streams: { carries(trackId: string): boolean },
): boolean {
  if (r['kind'] !== 'video') return false;
  if (r['type'] === 'outbound-rtp') return r['mid'] === placeholderMid;
  return r['type'] === 'inbound-rtp' && !streams.carries(String(r['trackIdentifier']));
}
