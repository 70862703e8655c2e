/** SFU calls of one member, checked against the room: own shares only, own transports only. */
import { ErrorCode, ProtocolError, type SfuMethod } from '../../protocol';
import type { Member } from '../Member';
import type { RelayContext } from '../RelayContext';
import type { MemberSfu } from '../sfu/MemberSfu';
import type { HandlerTable } from './types';

/** The SFU serving this member: the host's, or the cloud's for a member outside the room. */
function sfuOf(ctx: RelayContext, m: Member): MemberSfu {
  if (!ctx.sfu?.available) {
    throw new ProtocolError(ErrorCode.SFU_UNAVAILABLE, 'this host has no SFU');
  }
  return ctx.sfu.forMember(m);
}

export const sfuHandlers = {
  'sfu.capabilities': {
    guard: 'member',
    run: async (ctx, m) => ({ rtpCapabilities: await sfuOf(ctx, m).capabilities() }),
  },
  'sfu.createTransport': {
    guard: 'member',
    run: (ctx, m, { direction }) => sfuOf(ctx, m).createTransport(m.id, direction),
  },
  'sfu.connectTransport': {
    guard: 'member',
    run: async (ctx, m, { transportId, dtlsParameters }) => {
      await sfuOf(ctx, m).connect(m.id, transportId, dtlsParameters);
      return {};
    },
  },
  'sfu.produce': {
    guard: 'member',
    run: async (ctx, m, { transportId, shareId, kind, rtpParameters }) => {
      const sfu = sfuOf(ctx, m);
      const share = m.room.shares.own(m, shareId);
      m.room.shares.checkProduce(m, share, kind);
      const producer = await sfu.produce(m.id, transportId, share.id, kind, rtpParameters);
      // The share may have stopped (or been muted) while the producer was being created.
      if (!m.room.shares.producerAdded(m, share, producer.id, kind)) {
        producer.close();
        throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'share stopped');
      }
      return { producerId: producer.id };
    },
  },
  'sfu.closeProducer': {
    guard: 'member',
    run: (ctx, m, { producerId }) => {
      sfuOf(ctx, m).closeProducer(m.id, producerId);
      m.room.shares.producerClosed(m, producerId);
      return {};
    },
  },
  'sfu.consume': {
    guard: 'member',
    run: async (ctx, m, { transportId, producerId, rtpCapabilities }) => {
      const c = await sfuOf(ctx, m).consume(m.id, transportId, producerId, rtpCapabilities);
      return {
        consumerId: c.id,
        producerId: c.producerId,
        kind: c.kind,
        rtpParameters: { ...c.rtpParameters },
      };
    },
  },
  'sfu.resume': {
    guard: 'member',
    run: async (ctx, m, { consumerId }) => {
      await sfuOf(ctx, m).resume(m.id, consumerId);
      return {};
    },
  },
  'sfu.setLayers': {
    guard: 'member',
    run: async (ctx, m, { consumerId, spatialLayer, temporalLayer }) => {
      await sfuOf(ctx, m).setLayers(m.id, consumerId, spatialLayer, temporalLayer);
      return {};
    },
  },
  'sfu.restartIce': {
    guard: 'member',
    run: async (ctx, m, { transportId }) => ({
      iceParameters: await sfuOf(ctx, m).restartIce(m.id, transportId),
    }),
  },
} satisfies HandlerTable<SfuMethod>;
