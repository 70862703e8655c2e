/**
 * Functions run inside test pages (serialized by Playwright; type-checked with the web
 * tsconfig): TURN allocations and a relayed data channel. Each is serialized alone.
 */
/** As the room hands them out (protocol IceServer), in the browser's own type. */
type IceServer = RTCIceServer;

/** Relay-only ICE with these servers: the relay candidates the page gathers. */
export async function relayCandidates(iceServers: IceServer[]): Promise<string[]> {
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
  pc.createDataChannel('probe');
  const found: string[] = [];
  const done = new Promise<void>((resolve) => {
    pc.onicecandidate = (e) => {
      if (e.candidate) found.push(e.candidate.candidate);
      else resolve();
    };
    setTimeout(resolve, 8000);
  });
  await pc.setLocalDescription(await pc.createOffer());
  await done;
  pc.close();
  return found.filter((c) => / typ relay /.test(c));
}

/** Two relay-only connections, one message between them through the TURN server. */
export async function relayedMessage(iceServers: IceServer[]): Promise<string> {
  const config: RTCConfiguration = { iceServers, iceTransportPolicy: 'relay' };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const channel = a.createDataChannel('lesson');
  const got = new Promise<string>((resolve, reject) => {
    b.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(String(m.data)));
    setTimeout(() => reject(new Error(`no message; ${a.connectionState}`)), 10_000);
  });
  channel.onopen = () => channel.send('bow up, then down');
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  const text = await got;
  const stats = [...(await a.getStats()).values()] as { type: string; candidateType?: string }[];
  const local = stats.find((s) => s.type === 'local-candidate');
  a.close();
  b.close();
  return `${text} via ${local?.candidateType ?? '?'}`;
}
