/** A free pair of local UDP ports (even RTP port, RTCP on the next) for one ffmpeg input. */
import dgram from 'node:dgram';

function bind(port: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

export async function freeUdpPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await bind(0);
    if (!probe) continue;
    const base = probe.address().port & ~1;
    probe.close();
    const [a, b] = await Promise.all([bind(base), bind(base + 1)]);
    a?.close();
    b?.close();
    if (a && b) return base;
  }
  throw new Error('no free UDP port pair for the recorder');
}
