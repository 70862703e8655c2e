/**
 * A synthetic 1080p screen-share stream: VP8 RTP packets (valid payload descriptors with
 * picture ids, a keyframe every 2 s) at ~435 packets/s of ~1,150 bytes, about 4 Mbps.
 */
import dgram from 'node:dgram';

export const SSRC = 0x1234_5678;
export const PAYLOAD_TYPE = 101;
const PACKETS_PER_FRAME = 15; // 29 fps × 15 ≈ 435 packets/s
const FPS = 29;
const SIZE = 1150;

export interface RtpSender {
  /** Sends only while active; sequence numbers stay continuous across pauses. */
  setActive(active: boolean): void;
  stop(): void;
}

export function startRtpSender(port: number): RtpSender {
  const socket = dgram.createSocket('udp4');
  let active = false;
  let seq = 0;
  let pictureId = 0;
  let frame = 0;
  const body = Buffer.alloc(SIZE - 12 - 4, 0x5a);
  const timer = setInterval(() => {
    frame++;
    if (!active) return;
    const timestamp = (frame * 90000) / FPS;
    const keyframe = frame % (FPS * 2) === 0;
    for (let i = 0; i < PACKETS_PER_FRAME; i++) {
      const p = Buffer.alloc(SIZE);
      p[0] = 0x80;
      p[1] = (i === PACKETS_PER_FRAME - 1 ? 0x80 : 0) | PAYLOAD_TYPE;
      p.writeUInt16BE(seq++ & 0xffff, 2);
      p.writeUInt32BE(timestamp >>> 0, 4);
      p.writeUInt32BE(SSRC, 8);
      // VP8 payload descriptor: X, S on the first packet, PartID 0; I with a 15-bit picture id.
      p[12] = 0x80 | (i === 0 ? 0x10 : 0);
      p[13] = 0x80;
      p.writeUInt16BE(0x8000 | (pictureId & 0x7fff), 14);
      body.copy(p, 16);
      // VP8 payload header on the first packet: P bit 0 = keyframe.
      if (i === 0) p[16] = keyframe ? 0x10 : 0x11;
      socket.send(p, port, '127.0.0.1');
    }
    pictureId++;
  }, 1000 / FPS);
  return {
    setActive: (a) => (active = a),
    stop: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}
