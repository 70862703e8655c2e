import type { QualityPreset } from '../../../protocol';
import { CODECS, type CodecName } from '../../../protocol/codecs';

export { CODECS, DEFAULT_CODEC, type CodecName } from '../../../protocol/codecs';

export interface EncodingPlan {
  contentHint: 'detail' | 'motion' | '';
  degradationPreference: 'maintain-framerate' | 'maintain-resolution' | 'balanced';
  maxBitrate: number;
  maxFramerate: number;
}

/** Bits per pixel per frame: text needs more than motion to stay sharp. */
const BPP: Record<QualityPreset, number> = { sharp: 0.1, smooth: 0.07, auto: 0.085 };
const MIN_BPS = 1_500_000;
const MAX_BPS = 25_000_000;

/**
 * What to ask of the encoder for a share at a given size. A LAN carries far more than Chrome's
 * default 2.5 Mbps: about 6 Mbps at 1080p30 for text, more at 4K or 60 fps.
 */
export function planEncoding(preset: QualityPreset, width: number, height: number): EncodingPlan {
  const frameRate = preset === 'smooth' ? 60 : 30;
  const pixels = Math.max(1, width) * Math.max(1, height);
  const maxBitrate = Math.round(
    Math.min(MAX_BPS, Math.max(MIN_BPS, pixels * frameRate * BPP[preset])),
  );
  return {
    contentHint: preset === 'sharp' ? 'detail' : preset === 'smooth' ? 'motion' : '',
    degradationPreference:
      preset === 'sharp'
        ? 'maintain-resolution'
        : preset === 'smooth'
          ? 'maintain-framerate'
          : 'balanced',
    maxBitrate,
    maxFramerate: frameRate,
  };
}

interface CodecLike {
  mimeType: string;
  sdpFmtpLine?: string;
}

/** Orders codec capabilities: the preferred codec first, then the rest as the browser had them. */
export function orderCodecs<C extends CodecLike>(codecs: readonly C[], preferred: CodecName): C[] {
  const name = (c: C) => c.mimeType.split('/')[1]?.toUpperCase() ?? '';
  const first = codecs.filter((c) => name(c) === preferred);
  return [...first, ...codecs.filter((c) => name(c) !== preferred)];
}

/** The codecs a browser can send, for the picker (from RTCRtpSender.getCapabilities). */
export function availableCodecs(codecs: readonly CodecLike[]): CodecName[] {
  const names = new Set(codecs.map((c) => c.mimeType.split('/')[1]?.toUpperCase()));
  return CODECS.filter((c) => names.has(c));
}
