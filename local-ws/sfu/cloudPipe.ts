/**
 * The room's pipe to the cloud's SFU: one SRTP-encrypted plain RTP transport that this host
 * dials (the cloud's end learns our address from our first packet that decrypts with the keys
 * exchanged over the TLS link, so a school NAT in between needs no port forwarding and a
 * stranger cannot take the pipe over), and on it one consumer per room producer that a remote
 * participant receives, produced on the cloud under the host's producer id; and, the other way,
 * one producer per remote member's producer, under the cloud's producer id, that the room's
 * devices receive as any other.
 */
import type { types } from 'mediasoup';
import {
  ErrorCode,
  ProtocolError,
  type CloudSfuMethod,
  type CloudSfuParams,
  type CloudSfuResult,
} from '../../protocol';
import { KEYFRAME_REQUEST_DELAY_MS, rejected } from '../../server-kit/sfuConfig';

/**
 * How often the host sends the cloud a packet on an otherwise idle pipe: the cloud can only
 * send down once it has seen one (it learns the host's NAT mapping from it), and a NAT forgets
 * an idle UDP mapping after 30 s or more.
 */
export const PIPE_KEEPALIVE_MS = 10_000;

/** How the host reaches the cloud's SFU (the room link's CloudSfuCalls). */
export interface CloudSfuClient {
  call<M extends CloudSfuMethod>(method: M, params: CloudSfuParams<M>): Promise<CloudSfuResult<M>>;
}

export interface CloudPipe {
  transport: types.PlainTransport;
  /** The cloud router's capabilities, without bandwidth estimation (see pipeCapabilities). */
  caps: types.RtpCapabilities;
}

/**
 * The cloud's capabilities for the pipe's consumers, without transport-wide congestion control
 * and REMB: nothing on a plain RTP pipe answers them, and a simulcast consumer whose bitrate is
 * managed but never estimated stays on its lowest layer. Without them it sends its top layer.
 */
export function pipeCapabilities(caps: types.RtpCapabilities): types.RtpCapabilities {
  const bwe = (type: string) => type === 'transport-cc' || type === 'goog-remb';
  return {
    codecs: (caps.codecs ?? []).map((c) => ({
      ...c,
      rtcpFeedback: (c.rtcpFeedback ?? []).filter((f) => !bwe(f.type)),
    })),
    headerExtensions: (caps.headerExtensions ?? []).filter(
      (h) => !h.uri.includes('transport-wide-cc') && !h.uri.includes('abs-send-time'),
    ),
  };
}

/**
 * The pipe consumer's parameters as the cloud's producer takes them: a simulcast consumer sends
 * one stream ("S3T3": three spatial layers to choose from here), which on the cloud is one
 * spatial layer with its temporal layers.
 */
export function singleStream(rtp: types.RtpParameters): Record<string, unknown> {
  const encodings = (rtp.encodings ?? []).map((e) => {
    const t = /T(\d)/.exec(e.scalabilityMode ?? '')?.[1];
    return { ...e, ...(e.scalabilityMode && { scalabilityMode: `L1T${t ?? 1}` }) };
  });
  return { ...rtp, encodings };
}

/** Dials the cloud's end of the room's pipe from this host's router. */
export async function openCloudPipe(
  router: types.Router,
  listenIp: string,
  cloud: CloudSfuClient,
): Promise<CloudPipe> {
  const info = await cloud.call('pipe.open', {});
  const transport = await router.createPlainTransport({
    listenIp,
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
  });
  try {
    await transport.connect({
      ip: info.ip,
      port: info.port,
      srtpParameters: info.srtpParameters as unknown as types.SrtpParameters,
    });
    await cloud.call('pipe.connect', { srtpParameters: { ...transport.srtpParameters! } });
    await keepPipeOpen(router, transport, pipeCapabilities(info.rtpCapabilities as never));
  } catch (err) {
    transport.close();
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(ErrorCode.SFU_REJECTED, String(err));
  }
  return {
    transport,
    caps: pipeCapabilities(info.rtpCapabilities as unknown as types.RtpCapabilities),
  };
}

/**
 * One of the room's producers, sent up the pipe and produced on the cloud under its own id.
 * `gone` is called once the pipe's consumer closes (its producer ended, or the pipe closed).
 */
export async function pipeProducer(
  pipe: CloudPipe,
  producerId: string,
  cloud: CloudSfuClient,
  gone: () => void,
): Promise<types.Consumer> {
  const consumer = await pipe.transport
    .consume({ producerId, rtpCapabilities: pipe.caps })
    .catch((err: unknown) => {
      throw rejected(err instanceof Error ? err.message : String(err));
    });
  consumer.on('producerclose', gone);
  consumer.observer.once('close', gone);
  try {
    await cloud.call('pipe.produce', {
      producerId,
      kind: consumer.kind,
      rtpParameters: singleStream(consumer.rtpParameters),
    });
  } catch (err) {
    consumer.close();
    throw err;
  }
  return consumer;
}

/**
 * A remote member's producer on the cloud, brought down the pipe and produced here under the
 * same id, for the room's devices. `appData` is the room's (shareId, memberId).
 */
export async function pipeDown(
  pipe: CloudPipe,
  router: types.Router,
  producerId: string,
  cloud: CloudSfuClient,
  appData: Record<string, unknown>,
): Promise<types.Producer> {
  const down = await cloud.call('pipe.consume', {
    producerId,
    rtpCapabilities: { ...pipeCapabilities(router.rtpCapabilities) },
  });
  return pipe.transport
    .produce({
      id: producerId,
      kind: down.kind,
      rtpParameters: singleStream(down.rtpParameters as never) as never,
      keyFrameRequestDelay: KEYFRAME_REQUEST_DELAY_MS,
      appData,
    })
    .catch((err: unknown) => {
      throw rejected(err instanceof Error ? err.message : String(err));
    });
}

/**
 * Sends one tiny RTP packet up the pipe now and every PIPE_KEEPALIVE_MS while it is open (from
 * a silent Opus producer on a direct transport that nothing on the cloud consumes: the cloud
 * latches onto the packet's address and drops it), so the cloud can send remote members'
 * media down even before anything of the room has gone up.
 */
async function keepPipeOpen(
  router: types.Router,
  pipe: types.PlainTransport,
  caps: types.RtpCapabilities,
): Promise<void> {
  const direct = await router.createDirectTransport();
  const ssrc = 0x1ec7e4;
  const payloadType = 100;
  const probe = await direct.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc }],
    },
  });
  await pipe.consume({ producerId: probe.id, rtpCapabilities: caps });
  let seq = 0;
  const send = () => {
    const packet = Buffer.alloc(13);
    packet[0] = 0x80;
    packet[1] = payloadType;
    packet.writeUInt16BE(seq++ & 0xffff, 2);
    packet.writeUInt32BE((seq * 960) >>> 0, 4);
    packet.writeUInt32BE(ssrc, 8);
    packet[12] = 0xf8; // an Opus frame of silence
    probe.send(packet);
  };
  send();
  const timer = setInterval(send, PIPE_KEEPALIVE_MS);
  timer.unref();
  pipe.observer.once('close', () => {
    clearInterval(timer);
    direct.close();
  });
}
