/** SFU calls of one member, checked against the room: own shares only, own transports only. */
import { ErrorCode, ProtocolError, type ClientCall } from '../../protocol';
import type { Member } from '../Member';
import type { Sfu } from './Sfu';

export type SfuCall = Extract<ClientCall, { method: `sfu.${string}` }>;

export async function handleSfuCall(sfu: Sfu | null, m: Member, call: SfuCall): Promise<unknown> {
  if (!sfu) throw new ProtocolError(ErrorCode.SFU_UNAVAILABLE, 'this host has no SFU');
  const room = sfu.forRoom(m.room);
  switch (call.method) {
    case 'sfu.capabilities':
      return { rtpCapabilities: await room.capabilities() };
    case 'sfu.createTransport':
      return room.createTransport(m.id, call.params.direction);
    case 'sfu.connectTransport':
      await room.connect(m.id, call.params.transportId, call.params.dtlsParameters);
      return {};
    case 'sfu.produce': {
      const share = m.room.shares.get(call.params.shareId);
      if (!share) throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'no such share');
      if (share.peerId !== m.id) throw new ProtocolError(ErrorCode.FORBIDDEN, 'not your share');
      const { transportId, kind, rtpParameters } = call.params;
      const producer = await room.produce(m.id, transportId, share.id, kind, rtpParameters);
      // The share may have stopped while the producer was being created.
      if (m.room.shares.get(share.id) !== share) {
        producer.close();
        throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'share stopped');
      }
      if (kind === 'video') share.producerId = producer.id;
      m.room.broadcast(
        'producerAdded',
        { shareId: share.id, peerId: m.id, producerId: producer.id, kind },
        m.room.members.get(m.id),
      );
      return { producerId: producer.id };
    }
    case 'sfu.closeProducer':
      room.closeProducer(m.id, call.params.producerId);
      return {};
    case 'sfu.consume': {
      const { transportId, producerId, rtpCapabilities } = call.params;
      const c = await room.consume(m.id, transportId, producerId, rtpCapabilities);
      return {
        consumerId: c.id,
        producerId: c.producerId,
        kind: c.kind,
        rtpParameters: { ...c.rtpParameters },
      };
    }
    case 'sfu.resume':
      await room.resume(m.id, call.params.consumerId);
      return {};
    case 'sfu.setLayers': {
      const { consumerId, spatialLayer, temporalLayer } = call.params;
      await room.setLayers(m.id, consumerId, spatialLayer, temporalLayer);
      return {};
    }
    case 'sfu.restartIce':
      return { iceParameters: await room.restartIce(m.id, call.params.transportId) };
  }
}
