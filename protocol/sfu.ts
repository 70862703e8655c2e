/**
 * SFU signaling over the relay: mediasoup's transport, producer and consumer handshakes. The
 * mediasoup objects (RTP capabilities and parameters, DTLS parameters) are passed through as
 * JSON objects; the mediasoup worker validates them and bad ones come back as SFU_REJECTED.
 */
import { z } from 'zod';
import { Id, LIMITS } from './model';

/** An opaque mediasoup JSON object (already bounded by the relay's frame size limit). */
const Opaque = z.record(z.string(), z.unknown());
const SfuId = z.string().min(1).max(LIMITS.idMax);
const Empty = z.object({});

export const TransportInfo = z.object({
  id: SfuId,
  iceParameters: Opaque,
  iceCandidates: z.array(Opaque),
  dtlsParameters: Opaque,
});
export type TransportInfo = z.infer<typeof TransportInfo>;

export const sfuMethods = {
  /** The room router's RTP capabilities (creates the router on first use). */
  'sfu.capabilities': { params: Empty, result: z.object({ rtpCapabilities: Opaque }) },
  'sfu.createTransport': {
    params: z.object({ direction: z.enum(['send', 'recv']) }),
    result: TransportInfo,
  },
  'sfu.connectTransport': {
    params: z.object({ transportId: SfuId, dtlsParameters: Opaque }),
    result: Empty,
  },
  /** Publish a track of one of my shares. */
  'sfu.produce': {
    params: z.object({
      transportId: SfuId,
      shareId: Id,
      kind: z.enum(['audio', 'video']),
      rtpParameters: Opaque,
    }),
    result: z.object({ producerId: SfuId }),
  },
  'sfu.closeProducer': { params: z.object({ producerId: SfuId }), result: Empty },
  /** Receive a producer; the consumer starts paused until `sfu.resume`. */
  'sfu.consume': {
    params: z.object({ transportId: SfuId, producerId: SfuId, rtpCapabilities: Opaque }),
    result: z.object({
      consumerId: SfuId,
      producerId: SfuId,
      kind: z.enum(['audio', 'video']),
      rtpParameters: Opaque,
    }),
  },
  'sfu.resume': { params: z.object({ consumerId: SfuId }), result: Empty },
  /** The simulcast layer this receiver's viewport needs (mediasoup clamps to what exists). */
  'sfu.setLayers': {
    params: z.object({
      consumerId: SfuId,
      spatialLayer: z.number().int().min(0).max(3),
      temporalLayer: z.number().int().min(0).max(3).optional(),
    }),
    result: Empty,
  },
  'sfu.restartIce': {
    params: z.object({ transportId: SfuId }),
    result: z.object({ iceParameters: Opaque }),
  },
} as const;

export type SfuMethod = keyof typeof sfuMethods;

export const sfuNotifications = {
  /** A share is now published on the SFU: receivers may consume it. */
  producerAdded: z.object({
    shareId: Id,
    peerId: Id,
    producerId: SfuId,
    kind: z.enum(['audio', 'video']),
  }),
  /** My consumer ended (its producer closed, or the SFU let it go). */
  consumerClosed: z.object({ consumerId: SfuId }),
  /** The layers a consumer now receives (after a preference or bandwidth change). */
  layersChanged: z.object({
    consumerId: SfuId,
    spatialLayer: z.number().int().nullable(),
    temporalLayer: z.number().int().nullable(),
  }),
  /** The SFU restarted (its worker died): every transport is gone; create them again. */
  sfuReset: z.object({ reason: z.enum(['workerDied']) }),
} as const;
