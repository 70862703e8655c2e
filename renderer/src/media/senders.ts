import type { QualityPreset } from '../../../protocol';
import { createLog } from '../log';
import { MUSIC_BITRATE, VOICE_BITRATE } from './audio';
import { orderCodecs, type CodecName, type EncodingPlan } from './encoding';

const log = createLog('media');

/** A share this page captures, and where it goes P2P. */
export interface LocalShare {
  stream: MediaStream;
  /** The picture (absent for a microphone). */
  video: MediaStreamTrack | undefined;
  /** The sound (a microphone, or a screen or tab shared with its sound). */
  audio: MediaStreamTrack | undefined;
  plan: EncodingPlan;
  preset: QualityPreset;
  music: boolean;
  /** Per remote device, the senders carrying this share there. */
  senders: Map<string, RTCRtpSender[]>;
}

/**
 * Adds a share's tracks to one peer connection: the sound first, at the voice's or music's
 * bitrate and high priority; the picture in the preferred codec, at the share's plan.
 */
export function sendShare(
  pc: RTCPeerConnection,
  share: LocalShare,
  codec: CodecName,
): RTCRtpSender[] {
  const senders: RTCRtpSender[] = [];
  if (share.audio) {
    const t = pc.addTransceiver(share.audio, {
      direction: 'sendonly',
      streams: [share.stream],
      sendEncodings: [
        {
          maxBitrate: share.music ? MUSIC_BITRATE : VOICE_BITRATE,
          priority: 'high',
          networkPriority: 'high',
        },
      ],
    });
    senders.push(t.sender);
  }
  if (share.video) senders.push(sendVideo(pc, share, share.video, codec));
  return senders;
}

function sendVideo(
  pc: RTCPeerConnection,
  share: LocalShare,
  track: MediaStreamTrack,
  codec: CodecName,
): RTCRtpSender {
  const { plan } = share;
  const transceiver = pc.addTransceiver(track, {
    direction: 'sendonly',
    streams: [share.stream],
    sendEncodings: [{ maxBitrate: plan.maxBitrate, maxFramerate: plan.maxFramerate }],
  });
  const caps = RTCRtpSender.getCapabilities('video');
  if (caps && 'setCodecPreferences' in transceiver) {
    try {
      transceiver.setCodecPreferences(orderCodecs(caps.codecs, codec));
    } catch (err) {
      log.info(`${codec} not preferred; the browser keeps its own codec order`, err);
    }
  }
  const sender = transceiver.sender;
  const params = sender.getParameters();
  params.degradationPreference = plan.degradationPreference;
  void sender
    .setParameters(params)
    .catch((err: unknown) => log.warn('degradation preference not applied', err));
  return sender;
}
