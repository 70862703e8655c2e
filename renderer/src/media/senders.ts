import type { QualityPreset } from '../../../protocol';
import { createLog } from '../log';
import { MUSIC_BITRATE, VOICE_BITRATE } from './audio';
import { orderCodecs, type CodecName, type EncodingPlan } from './encoding';
import { samePlan } from './primer';

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

/**
 * Puts a picture-only share's track on a ready link's spare transceiver (see PeerLink.prepare),
 * with the same encoding as `sendShare`: no negotiation, so the encoder starts at once. When the
 * spare was primed with this share's plan, the track goes on it in this same task (its encoder
 * is made already); else the encoding is set first. Returns the sender and its mid (the receiver
 * learns from it which share the picture is), or undefined when there is no spare ready or the
 * share has sound (then `sendShare` and an offer).
 */
export function sendOnSpare(
  link: {
    takeSpare(): RTCRtpTransceiver | undefined;
    dropPlaceholder(): void;
    readonly primed: EncodingPlan | undefined;
  },
  share: LocalShare,
): { sender: RTCRtpSender; mid: string } | undefined {
  const track = share.video;
  if (!track || share.audio) return undefined;
  const t = link.takeSpare();
  if (!t?.mid) return undefined;
  const setTrack = () =>
    t.sender
      .replaceTrack(track)
      .then(() => link.dropPlaceholder())
      .catch((err: unknown) => log.warn('a share’s picture did not go on a spare sender', err));
  if (link.primed && samePlan(link.primed, share.plan)) {
    void setTrack();
  } else {
    // The encoding first, so that the encoder starts with it.
    void applyPlan(t.sender, share.plan)
      .catch((err: unknown) => log.warn('encoding not applied to a spare sender', err))
      .then(setTrack);
  }
  return { sender: t.sender, mid: t.mid };
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
  preferCodec(transceiver, codec);
  const sender = transceiver.sender;
  // What gives way under load can only be set once the sender exists.
  void applyPlan(sender, plan).catch((err: unknown) => log.warn('encoding not applied', err));
  return sender;
}

/**
 * Sets a share's plan on a picture sender: its bitrate and frame rate, and what gives way
 * under load (resolution or frame rate).
 */
export function applyPlan(sender: RTCRtpSender, plan: EncodingPlan): Promise<void> {
  const params = sender.getParameters();
  const { maxBitrate, maxFramerate } = plan;
  params.encodings = params.encodings.map((e) => ({ ...e, maxBitrate, maxFramerate }));
  params.degradationPreference = plan.degradationPreference;
  return sender.setParameters(params);
}

/** Puts `codec` first among a picture transceiver's codecs (at its next negotiation). */
export function preferCodec(transceiver: RTCRtpTransceiver, codec: CodecName): void {
  const caps = RTCRtpSender.getCapabilities('video');
  if (!caps || !('setCodecPreferences' in transceiver)) return;
  try {
    transceiver.setCodecPreferences(orderCodecs(caps.codecs, codec));
  } catch (err) {
    log.info(`${codec} not preferred; the browser keeps its own codec order`, err);
  }
}
