import type { types } from 'mediasoup';
import type { TransportInfo } from '../../protocol';

/** A consumer as the member's client needs to know it. */
export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
}

/**
 * The SFU calls a member makes, whichever SFU serves it: the host's own (RoomSfu) for devices
 * in the room, the cloud's (CloudLeg) for participants outside it. Each is scoped to the member.
 */
export interface MemberSfu {
  capabilities(): Promise<types.RtpCapabilities>;
  createTransport(memberId: string, direction: 'send' | 'recv'): Promise<TransportInfo>;
  connect(memberId: string, transportId: string, dtlsParameters: object): Promise<void>;
  produce(
    memberId: string,
    transportId: string,
    shareId: string,
    kind: 'audio' | 'video',
    rtpParameters: object,
  ): Promise<{ id: string; close(): void }>;
  closeProducer(memberId: string, producerId: string): void;
  consume(
    memberId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: object,
  ): Promise<ConsumerInfo>;
  resume(memberId: string, consumerId: string): Promise<void>;
  setLayers(
    memberId: string,
    consumerId: string,
    spatial: number,
    temporal?: number,
  ): Promise<void>;
  restartIce(memberId: string, transportId: string): Promise<types.IceParameters>;
}
