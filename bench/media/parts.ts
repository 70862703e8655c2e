/**
 * Runs inside a page (serialized by Playwright): where a picture's glass-to-glass time goes, from
 * the video RTP stats of every peer connection on the page (the bare pair's `__benchPc`, or the
 * app's links), averaged per frame since the connection began. Typed without the DOM, so the
 * runner imports it as it is.
 */
export interface LatencyParts {
  /** Sending side: encode time per frame. */
  encodeMs?: number;
  /** Receiving side: time in the jitter buffer (first packet to decoder) per frame. */
  jitterBufferMs?: number;
  /** Receiving side: decode time per frame. */
  decodeMs?: number;
}

interface Pc {
  getStats(): Promise<Map<string, unknown>>;
}

export async function latencyParts(): Promise<LatencyParts> {
  const w = globalThis as unknown as {
    __benchPc?: Pc;
    lectern?: { app: { engine: { links: Map<string, { pc: Pc }> } } };
  };
  const pcs = w.__benchPc ? [w.__benchPc] : [];
  for (const link of w.lectern?.app.engine.links.values() ?? []) pcs.push(link.pc);
  const parts: LatencyParts = {};
  const per = (total: unknown, count: unknown) => (1000 * Number(total)) / Number(count);
  for (const pc of pcs) {
    for (const s of (await pc.getStats()).values()) {
      const x = s as Record<string, number | string>;
      if (x['kind'] !== 'video') continue;
      // The stream that carried the share (not a link's placeholder of one frame).
      if (x['type'] === 'outbound-rtp' && Number(x['framesEncoded']) > 30) {
        parts.encodeMs = per(x['totalEncodeTime'], x['framesEncoded']);
      }
      if (x['type'] === 'inbound-rtp' && Number(x['framesDecoded']) > 30) {
        parts.jitterBufferMs = per(x['jitterBufferDelay'], x['jitterBufferEmittedCount']);
        parts.decodeMs = per(x['totalDecodeTime'], x['framesDecoded']);
      }
    }
  }
  return parts;
}
