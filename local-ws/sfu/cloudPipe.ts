/**
 * The room's pipe to the cloud's SFU: one SRTP-encrypted plain RTP transport that this host
 * dials (the cloud's end learns our address from our first packet that decrypts with the keys
 * exchanged over the TLS link, so a school NAT in between needs no port forwarding and a
 * stranger cannot take the pipe over), and on it one consumer per room producer that a remote
 * participant receives, produced on the cloud under the host's producer id.
 */
import type { types } from 'mediasoup';
import {
  ErrorCode,
  ProtocolError,
  type CloudSfuMethod,
  type CloudSfuParams,
  type CloudSfuResult,
} from '../../protocol';
import { rejected } from '../../server-kit/sfuConfig';

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
