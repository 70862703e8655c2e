/**
 * The SDP that tells ffmpeg what arrives on its RTP port: one media section for one mediasoup
 * consumer (its codec, payload type and clock rate), RTCP on the next port.
 */
import type { types } from 'mediasoup';

/** Containers by codec: WebM for what WebM carries (browsers play it), Matroska for H.264. */
export function containerFor(mimeType: string): { ext: 'webm' | 'mkv'; format: string } {
  const codec = mimeType.split('/')[1]?.toLowerCase();
  return codec === 'h264' ? { ext: 'mkv', format: 'matroska' } : { ext: 'webm', format: 'webm' };
}

/** Codecs ffmpeg can take from RTP and copy into a file. */
export const RECORDABLE = new Set(['video/vp8', 'video/vp9', 'video/h264', 'audio/opus']);

export function consumerSdp(rtp: types.RtpParameters, kind: types.MediaKind, port: number): string {
  const codec = rtp.codecs[0];
  if (!codec) throw new Error('consumer without a codec');
  const name = codec.mimeType.split('/')[1]!;
  const channels = kind === 'audio' ? `/${codec.channels ?? 2}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=Lectern recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    `a=rtcp:${port + 1}`,
    'a=recvonly',
    '',
  ].join('\n');
}
