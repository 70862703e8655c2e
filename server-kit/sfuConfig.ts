import type { types } from 'mediasoup';
import { ErrorCode, ProtocolError } from '../protocol';

/** Where an SFU (the room host's, or the cloud's) listens and what it tells browsers. */
export interface SfuOptions {
  /** Local address the RTC ports bind to (0.0.0.0 on a host, 127.0.0.1 in tests). */
  listenIp: string;
  /** Address put in ICE candidates when listening on 0.0.0.0: the host's LAN address. */
  announcedIp?: string;
  rtcMinPort?: number;
  rtcMaxPort?: number;
}

/** The router's codecs: VP8 first (simulcast for screen shares), VP9 (SVC), H.264, Opus. */
export const MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 0 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
    },
  },
];

/**
 * HD screen content on a LAN: a 1080p "sharp text" share needs 6–8 Mbps and 4K more. Start the
 * estimator high so receivers do not begin at the lowest layer, and let senders push up to
 * 30 Mbps (mediasoup-demo's 1.5 Mbps cap would hold a LAN share at 540p).
 */
export const TRANSPORT_BITRATES = {
  initialAvailableOutgoingBitrate: 10_000_000,
  maxIncomingBitrate: 30_000_000,
};

/** A receiver's keyframe requests reach the sender at most this often (ms). */
export const KEYFRAME_REQUEST_DELAY_MS = 300;

/** Per-member caps, so one device cannot exhaust the worker. */
export const SFU_LIMITS = { transports: 4, producers: 4, consumers: 32 };

/** A worker for an SFU with these options (mediasoup is loaded on first use). */
export async function startWorker(options: SfuOptions): Promise<types.Worker> {
  const mediasoup = await import('mediasoup');
  return mediasoup.createWorker({
    logLevel: 'warn',
    ...(options.rtcMinPort !== undefined && { rtcMinPort: options.rtcMinPort }),
    ...(options.rtcMaxPort !== undefined && { rtcMaxPort: options.rtcMaxPort }),
  });
}

/** A browser's WebRTC transport on `router`: UDP preferred, TCP for networks without it. */
export async function createBrowserTransport(
  router: types.Router,
  options: SfuOptions,
  direction: 'send' | 'recv',
): Promise<types.WebRtcTransport> {
  const transport = await router.createWebRtcTransport({
    listenIps: [
      { ip: options.listenIp, ...(options.announcedIp && { announcedIp: options.announcedIp }) },
    ],
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
    initialAvailableOutgoingBitrate: TRANSPORT_BITRATES.initialAvailableOutgoingBitrate,
    appData: { direction },
  });
  if (direction === 'send') {
    await transport.setMaxIncomingBitrate(TRANSPORT_BITRATES.maxIncomingBitrate);
  }
  return transport;
}

/** What a browser needs to set up its end of a transport (plain JSON). */
export function transportInfo(transport: types.WebRtcTransport) {
  return {
    id: transport.id,
    iceParameters: { ...transport.iceParameters },
    iceCandidates: transport.iceCandidates.map((c) => ({ ...c })),
    dtlsParameters: { ...transport.dtlsParameters } as Record<string, unknown>,
  };
}
export const rejected = (message: string) => new ProtocolError(ErrorCode.SFU_REJECTED, message);

/** mediasoup's own errors (bad parameters, closed objects) as a stable protocol error. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw rejected(err instanceof Error ? err.message : String(err));
  }
}
