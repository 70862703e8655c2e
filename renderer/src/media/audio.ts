/**
 * Sound: what to ask of the microphone in voice and music mode, and how Opus is set up for
 * music on each path. Pure functions (unit-tested); the engine and the SFU path apply them.
 */

/** Music mode's Opus bitrate: full band stereo ("original sound" for a violin lesson). */
export const MUSIC_BITRATE = 192_000;
/** Voice: Opus's own choice (~32 kbps mono) is plenty; this only caps it. */
export const VOICE_BITRATE = 64_000;

/** The audio constraints getUserMedia gets (a subset of MediaTrackConstraints). */
export interface MicConstraints {
  deviceId?: { exact: string };
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  channelCount?: { ideal: number };
  sampleRate?: { ideal: number };
}

/**
 * Microphone constraints. Voice mode keeps the browser's echo cancellation, noise suppression
 * and auto gain on (a laptop in a classroom); music mode turns all three off and asks for two
 * channels at 48 kHz, so an instrument reaches the other side as it sounds.
 */
export function micConstraints(music: boolean, deviceId = ''): MicConstraints {
  const device = deviceId ? { deviceId: { exact: deviceId } } : {};
  if (!music) {
    return { ...device, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  }
  return {
    ...device,
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    channelCount: { ideal: 2 },
    sampleRate: { ideal: 48_000 },
  };
}

/** Opus parameters for music (RFC 7587): stereo, high bitrate, in-band FEC, no DTX. */
export const MUSIC_OPUS_FMTP: Record<string, string> = {
  stereo: '1',
  'sprop-stereo': '1',
  maxaveragebitrate: String(MUSIC_BITRATE),
  maxplaybackrate: '48000',
  useinbandfec: '1',
  usedtx: '0',
};

/**
 * Sets music Opus parameters on the audio sections of a remote description whose mid is in
 * `mids` (the sections this side sends music on). A sender encodes to what the remote side
 * declares, so this is how a P2P sender gets stereo at a music bitrate. Other sections (voice)
 * are left as they are.
 */
export function withMusicOpus(sdp: string, mids: ReadonlySet<string>): string {
  if (mids.size === 0) return sdp;
  const sections = sdp.split(/\r\n(?=m=)/);
  return sections
    .map((section) => {
      if (!section.startsWith('m=audio')) return section;
      const mid = /\r\na=mid:(\S+)/.exec(section)?.[1];
      if (mid === undefined || !mids.has(mid)) return section;
      const pt = /\r\na=rtpmap:(\d+) opus\/48000/i.exec(section)?.[1];
      if (pt === undefined) return section;
      const fmtp = new RegExp(`\\r\\na=fmtp:${pt} ([^\\r]*)`).exec(section);
      const params = new Map(
        (fmtp?.[1] ?? '')
          .split(';')
          .filter((p) => p.includes('='))
          .map((p) => p.split('=', 2) as [string, string]),
      );
      for (const [k, v] of Object.entries(MUSIC_OPUS_FMTP)) params.set(k, v);
      const line = `a=fmtp:${pt} ${[...params].map(([k, v]) => `${k}=${v}`).join(';')}`;
      return fmtp
        ? section.replace(fmtp[0], `\r\n${line}`)
        : section.replace(new RegExp(`(\\r\\na=rtpmap:${pt} [^\\r]*)`), `$1\r\n${line}`);
    })
    .join('\r\n');
}

/**
 * The audio sections of a peer connection that carry one of these senders (a music share's, for
 * withMusicOpus).
 */
export function audioMidsOf(
  pc: { getTransceivers(): { sender: unknown; mid: string | null }[] },
  senders: readonly { track: { kind: string } | null }[],
): Set<string> {
  const mids = new Set<string>();
  for (const sender of senders) {
    const mid = pc.getTransceivers().find((t) => t.sender === sender)?.mid;
    if (mid !== null && mid !== undefined && sender.track?.kind === 'audio') mids.add(mid);
  }
  return mids;
}

/**
 * The audio sections of a description that carry one of `streamIds` (by their a=msid line):
 * a receiver finds in the sender's offer which sections are music, to answer them in stereo.
 */
export function midsOfStreams(sdp: string, streamIds: ReadonlySet<string>): Set<string> {
  const mids = new Set<string>();
  if (streamIds.size === 0) return mids;
  for (const section of sdp.split(/\r\n(?=m=)/)) {
    if (!section.startsWith('m=audio')) continue;
    const mid = /\r\na=mid:(\S+)/.exec(section)?.[1];
    const stream = /\r\na=msid:(\S+)/.exec(section)?.[1];
    if (mid !== undefined && stream !== undefined && streamIds.has(stream)) mids.add(mid);
  }
  return mids;
}

/**
 * Opus frames of 10 ms instead of 20: the sender waits half as long before a packet leaves
 * (twice the packets, ~16 kbit/s more headers: nothing on a LAN).
 */
export const OPUS_PTIME_MS = 10;

/** mediasoup-client codec options for an audio producer (music or voice). */
export function opusProducerOptions(music: boolean): {
  opusStereo: boolean;
  opusFec: boolean;
  opusDtx: boolean;
  opusMaxAverageBitrate?: number;
  opusPtime: number;
} {
  return music
    ? {
        opusStereo: true,
        opusFec: true,
        opusDtx: false,
        opusMaxAverageBitrate: MUSIC_BITRATE,
        opusPtime: OPUS_PTIME_MS,
      }
    : { opusStereo: false, opusFec: true, opusDtx: false, opusPtime: OPUS_PTIME_MS };
}

/**
 * Sound is played as soon as the receiver can: the jitter buffer's target as low as it goes
 * (Chromium's `jitterBufferTarget`, ms; the buffer still grows by itself when the network
 * jitters). Voices in a room and a lesson's violin want the shortest mouth-to-ear delay.
 */
export function lowLatencyAudio(receiver: { track: { kind: string } } | undefined): void {
  if (receiver?.track.kind !== 'audio' || !('jitterBufferTarget' in receiver)) return;
  (receiver as { jitterBufferTarget: number | null }).jitterBufferTarget = 0;
}
