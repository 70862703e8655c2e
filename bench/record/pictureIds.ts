/**
 * A UDP relay between the bench's ffmpeg sender and the SFU that gives each VP8 packet a 15-bit
 * picture id, as browsers send them. ffmpeg's RTP muxer writes 7-bit ids, and mediasoup 3.12's
 * VP8 rewriting breaks the sequence where those wrap: the recorder's ffmpeg then drops every
 * 128th frame and the ones up to the next keyframe (14% of the frames at one keyframe a
 * second) — a fault of the bench's sender, not of recording what a browser shares.
 */
import dgram from 'node:dgram';

/** RFC 7741 payload descriptor: X (extensions) → I (picture id) → M (15 bits). */
function widen(packet: Buffer, next: (pid7: number) => number): Buffer {
  const csrc = packet[0]! & 0x0f;
  let at = 12 + 4 * csrc;
  if (packet[0]! & 0x10) at += 4 + 4 * packet.readUInt16BE(at + 2);
  if (packet.length < at + 3 || !(packet[at]! & 0x80) || !(packet[at + 1]! & 0x80)) return packet;
  const pid = at + 2;
  if (packet[pid]! & 0x80) return packet; // 15 bits already
  const wide = next(packet[pid]! & 0x7f);
  return Buffer.concat([
    packet.subarray(0, pid),
    Buffer.from([0x80 | (wide >> 8), wide & 0xff]),
    packet.subarray(pid + 1),
  ]);
}

/** Listens on 127.0.0.1; resolves with its port. Packets go on to `port` from the same socket. */
export async function pictureIdRelay(port: number): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  let last = -1;
  let wide = 0;
  const next = (pid7: number) => {
    if (pid7 !== last) {
      if (last !== -1) wide = (wide + 1) & 0x7fff;
      last = pid7;
    }
    return wide;
  };
  socket.on('message', (msg, from) => {
    if (from.port === port) return; // the SFU's RTCP: the sender does not listen
    socket.send(widen(msg, next), port, '127.0.0.1');
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => socket.close() };
}
