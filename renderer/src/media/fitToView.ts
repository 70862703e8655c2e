import type { QualityPreset } from '../../../protocol';
import { planEncoding } from './encoding';
import type { LocalShare } from './senders';
import { viewScale, type Size } from './viewScale';

/**
 * Makes one sender encode `source` no larger than its receiver shows it, at the bitrate the
 * preset gives that size (back to full size and bitrate when the view grows again).
 */
export async function fitToView(
  sender: RTCRtpSender,
  source: Size,
  preset: QualityPreset,
  view: Size,
): Promise<void> {
  const scale = viewScale(source, view);
  const params = sender.getParameters();
  const encoding = params.encodings[0];
  if (!encoding || (encoding.scaleResolutionDownBy ?? 1) === scale) return;
  encoding.scaleResolutionDownBy = scale;
  encoding.maxBitrate = planEncoding(
    preset,
    source.width / scale,
    source.height / scale,
  ).maxBitrate;
  await sender.setParameters(params);
}

/**
 * A receiver says how large it shows one of my shares: encode the share's picture to that
 * device for that size. On a ready link's spare the sender may still carry the placeholder for
 * a moment (replaceTrack pending), so it is found by kind, not by track.
 */
export async function fitShareToView(
  share: LocalShare | undefined,
  device: string,
  view: Size,
): Promise<void> {
  const video = share?.video;
  const sender = video && share.senders.get(device)?.find((s) => s.track?.kind === 'video');
  if (!video || !sender) return;
  const { width = 1920, height = 1080 } = video.getSettings();
  await fitToView(sender, { width, height }, share.preset, view);
}
