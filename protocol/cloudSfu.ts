/**
 * The cloud's SFU, as the room host drives it over the room's one link. Participants outside the
 * room cannot reach the host's SFU (it listens on the school's LAN), so the host asks the
 * cloud's SFU to serve them: the host stays the authority (it checks every request against the
 * room, as for any member), the cloud SFU only carries media.
 *
 * - The room's producers reach the cloud once each, over one SRTP-encrypted RTP "pipe" per room
 *   that the host dials (the cloud's end learns the host's address from its first packet, so a
 *   school NAT in between is fine), and only while a remote participant receives them.
 * - Each remote participant has its WebRTC transports and consumers on the cloud's router.
 *
 * Frames, unsequenced like remote participants' (they belong to one link connection; a call in
 * flight when the link drops is refused on the host with CLOUD_UNAVAILABLE):
 * `q` host → cloud call, `p` cloud → host reply, `n` cloud → host notification.
 */
import { z } from 'zod';
import { Id, LIMITS } from './model';

const Opaque = z.record(z.string(), z.unknown());
const SfuId = z.string().min(1).max(LIMITS.idMax);
const Empty = z.object({});
const Kind = z.enum(['audio', 'video']);
/** The room member a call is for (the host's peer id). */
const Member = z.object({ member: Id });

export const CloudSfuCall = z.object({
  t: z.literal('q'),
  i: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  m: z.string().max(40),
  p: z.unknown(),
});
export type CloudSfuCall = z.infer<typeof CloudSfuCall>;

export const CloudSfuReply = z.object({
  t: z.literal('p'),
  i: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ok: z.boolean(),
  r: z.unknown().optional(),
  e: z.object({ code: z.string().max(64), message: z.string().max(500) }).optional(),
});
export type CloudSfuReply = z.infer<typeof CloudSfuReply>;

export const CloudSfuEvent = z.object({
  t: z.literal('n'),
  m: z.enum(['consumerClosed', 'producerClosed', 'sfuReset']),
  member: Id.optional(),
  p: z.unknown(),
});
export type CloudSfuEvent = z.infer<typeof CloudSfuEvent>;

export type CloudSfuFrame = CloudSfuCall | CloudSfuReply | CloudSfuEvent;

export const PipeInfo = z.object({
  /** Where the host sends the room's RTP (the cloud's public address). */
  ip: z.string().max(64),
  port: z.number().int().min(1).max(65535),
  /** The cloud end's SRTP key (it encrypts its RTCP with it). */
  srtpParameters: Opaque,
  /** The cloud router's capabilities (the host's pipe consumers are made for them). */
  rtpCapabilities: Opaque,
});
export type PipeInfo = z.infer<typeof PipeInfo>;

export const CloudTransportInfo = z.object({
  id: SfuId,
  iceParameters: Opaque,
  iceCandidates: z.array(Opaque),
  dtlsParameters: Opaque,
});

/** Method → params and result, validated on the cloud (params) and on the host (results). */
export const cloudSfuMethods = {
  capabilities: { params: Empty, result: z.object({ rtpCapabilities: Opaque }) },
  /** A receive transport, or a send one for a remote member on stage (the host checked that). */
  'transport.create': {
    params: Member.extend({
      direction: z.enum(['send', 'recv']).default('recv'),
      /**
       * The member's channel on the room's link (where its socket reached the cloud): a
       * receive transport goes to the process serving that socket, which may not be the
       * link's.
       */
      channel: z.string().max(64).optional(),
    }),
    result: CloudTransportInfo,
  },
  'transport.connect': {
    params: Member.extend({ transportId: SfuId, dtlsParameters: Opaque }),
    result: Empty,
  },
  'transport.restartIce': {
    params: Member.extend({ transportId: SfuId }),
    result: z.object({ iceParameters: Opaque }),
  },
  consume: {
    params: Member.extend({ transportId: SfuId, producerId: SfuId, rtpCapabilities: Opaque }),
    result: z.object({ consumerId: SfuId, producerId: SfuId, kind: Kind, rtpParameters: Opaque }),
  },
  resume: { params: Member.extend({ consumerId: SfuId }), result: Empty },
  /** A remote member on stage publishes on its send transport. */
  produce: {
    params: Member.extend({ transportId: SfuId, kind: Kind, rtpParameters: Opaque }),
    result: z.object({ producerId: SfuId }),
  },
  closeProducer: { params: Member.extend({ producerId: SfuId }), result: Empty },
  /** A member left: its transports and consumers close. */
  'member.remove': { params: Member, result: Empty },
  /** The room's pipe (created on first call; the same one after). */
  'pipe.open': { params: Empty, result: PipeInfo },
  'pipe.connect': { params: z.object({ srtpParameters: Opaque }), result: Empty },
  /** One of the room's producers arrives on the pipe, under the host's producer id. */
  'pipe.produce': {
    params: z.object({ producerId: SfuId, kind: Kind, rtpParameters: Opaque }),
    result: Empty,
  },
  'pipe.closeProducer': { params: z.object({ producerId: SfuId }), result: Empty },
  /**
   * A remote member's producer comes down the pipe to the host (made for the host router's
   * capabilities), so the room screen and the devices in the room receive it from the host.
   */
  'pipe.consume': {
    params: z.object({ producerId: SfuId, rtpCapabilities: Opaque }),
    result: z.object({ kind: Kind, rtpParameters: Opaque }),
  },
  /** Everything of the room goes (the host's SFU restarted, or the room closed). */
  'room.close': { params: Empty, result: Empty },
} as const;

export type CloudSfuMethod = keyof typeof cloudSfuMethods;
export type CloudSfuParams<M extends CloudSfuMethod> = z.input<
  (typeof cloudSfuMethods)[M]['params']
>;
export type CloudSfuResult<M extends CloudSfuMethod> = z.output<
  (typeof cloudSfuMethods)[M]['result']
>;

export function isCloudSfuMethod(m: string): m is CloudSfuMethod {
  return Object.prototype.hasOwnProperty.call(cloudSfuMethods, m);
}
