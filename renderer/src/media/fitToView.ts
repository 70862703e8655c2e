import type { QualityPreset } from '../../../protocol';
import { planEncoding } from './encoding';
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
