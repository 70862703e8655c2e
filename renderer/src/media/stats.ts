/** Per-stream figures the sampler exposes each second (and the overlay shows). */
/** Which connection a stream travels on: a P2P link to a device, or an SFU transport. */
export interface StreamLink {
  path: 'p2p' | 'sfu';
  /** The remote device's id (P2P), or the SFU transport's direction (`send`, `recv`). */
  id: string;
}

export interface StreamStats {
  id: string;
  kind: 'audio' | 'video';
  direction: 'in' | 'out';
  path: StreamLink['path'];
  /** See StreamLink.id. */
  link: string;
  codec: string;
  width: number;
  height: number;
  fps: number;
  bitrate: number;
  rttMs: number | null;
  packetsLost: number;
  /** Packets received (in) or sent (out) so far, for loss rates. */
  packets: number;
  jitterMs: number | null;
  freezeCount: number;
  qualityLimitationReason: string | null;
  framesDecoded: number;
  /** Audio: the level 0–1 (received, or of the captured source when sending). */
  audioLevel: number | null;
  /** Audio received: the share of samples concealed (lost, late) since the last sample, 0–1. */
  concealedRatio: number | null;
  /** How the connection carries it (the selected ICE pair), once one is selected. */
  route: Route | null;
}

/**
 * The selected ICE candidate pair, from this side: `relay` when either end is a TURN relay
 * (this side's relay names how it reaches the TURN server), else this side's candidate type;
 * `protocol` is what this side's packets travel on.
 */
export interface Route {
  candidate: 'host' | 'srflx' | 'prflx' | 'relay';
  protocol: 'udp' | 'tcp';
}

const CANDIDATES = new Set<Route['candidate']>(['host', 'srflx', 'prflx', 'relay']);
const asCandidate = (v: unknown): Route['candidate'] | null =>
  CANDIDATES.has(v as Route['candidate']) ? (v as Route['candidate']) : null;
const asProtocol = (v: unknown): Route['protocol'] => (v === 'tcp' || v === 'tls' ? 'tcp' : 'udp');

/** The route of a connection's selected candidate pair (null before one is selected). */
export function selectedRoute(reports: readonly Report[]): Route | null {
  const byId = new Map(reports.map((r) => [r.id, r]));
  const transport = reports.find((r) => r.type === 'transport' && r['selectedCandidatePairId']);
  const pair =
    (transport && byId.get(String(transport['selectedCandidatePairId']))) ??
    reports.find(
      (r) => r.type === 'candidate-pair' && r['nominated'] === true && r['state'] === 'succeeded',
    );
  if (!pair) return null;
  const local = byId.get(String(pair['localCandidateId']));
  const remote = byId.get(String(pair['remoteCandidateId']));
  const mine = asCandidate(local?.['candidateType']);
  if (!local || !mine) return null;
  if (mine === 'relay') return { candidate: 'relay', protocol: asProtocol(local['relayProtocol']) };
  const theirs = asCandidate(remote?.['candidateType']);
  return {
    candidate: theirs === 'relay' ? 'relay' : mine,
    protocol: asProtocol(local['protocol']),
  };
}

type Report = Record<string, unknown> & { id: string; type: string; timestamp: number };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Summarizes one getStats() report of a connection into per-stream figures; `previous` (the
 * last sample's reports by id) gives the byte deltas for bitrates. Pure, so it is tested in Node.
 */
export function summarize(
  link: StreamLink,
  reports: readonly Report[],
  previous: ReadonlyMap<string, Report>,
): StreamStats[] {
  const byId = new Map(reports.map((r) => [r.id, r]));
  let pairRtt: number | null = null;
  for (const r of reports) {
    if (
      r.type === 'candidate-pair' &&
      r['nominated'] === true &&
      typeof r['currentRoundTripTime'] === 'number'
    ) {
      pairRtt = r['currentRoundTripTime'] * 1000;
    }
  }
  const route = selectedRoute(reports);
  const out: StreamStats[] = [];
  for (const r of reports) {
    if (r.type !== 'inbound-rtp' && r.type !== 'outbound-rtp') continue;
    const kind = r['kind'];
    if (kind !== 'video' && kind !== 'audio') continue;
    // mediasoup's RTP probation stream (padding to probe bandwidth): never a picture.
    if (r['mid'] === 'probator' || r['trackIdentifier'] === 'probator') continue;
    const inbound = r.type === 'inbound-rtp';
    const bytes = num(inbound ? r['bytesReceived'] : r['bytesSent']);
    const prev = previous.get(r.id);
    const prevBytes = prev ? num(inbound ? prev['bytesReceived'] : prev['bytesSent']) : bytes;
    const dt = prev ? (r.timestamp - prev.timestamp) / 1000 : 0;
    const codec = byId.get(String(r['codecId']));
    const remote = inbound ? undefined : byId.get(String(r['remoteId'] ?? ''));
    const rtt =
      typeof remote?.['roundTripTime'] === 'number' ? remote['roundTripTime'] * 1000 : pairRtt;
    const audio = kind === 'audio';
    const source = inbound ? undefined : byId.get(String(r['mediaSourceId'] ?? ''));
    const level = inbound ? r['audioLevel'] : source?.['audioLevel'];
    const samples = num(r['totalSamplesReceived']) - num(prev?.['totalSamplesReceived']);
    const concealed = num(r['concealedSamples']) - num(prev?.['concealedSamples']);
    out.push({
      id: r.id,
      kind,
      direction: inbound ? 'in' : 'out',
      path: link.path,
      link: link.id,
      codec: String(codec?.['mimeType'] ?? '').replace(/^(video|audio)\//, ''),
      width: num(r['frameWidth']),
      height: num(r['frameHeight']),
      fps: num(r['framesPerSecond']),
      bitrate: dt > 0 ? Math.max(0, ((bytes - prevBytes) * 8) / dt) : 0,
      rttMs: rtt,
      packetsLost: num(inbound ? r['packetsLost'] : remote?.['packetsLost']),
      packets: num(inbound ? r['packetsReceived'] : r['packetsSent']),
      jitterMs: inbound
        ? num(r['jitter']) * 1000
        : typeof remote?.['jitter'] === 'number'
          ? remote['jitter'] * 1000
          : null,
      freezeCount: num(r['freezeCount']),
      qualityLimitationReason: inbound ? null : String(r['qualityLimitationReason'] ?? 'none'),
      framesDecoded: num(r['framesDecoded']),
      audioLevel: audio && typeof level === 'number' ? level : null,
      concealedRatio:
        audio && inbound && samples > 0 ? Math.min(1, Math.max(0, concealed / samples)) : null,
      route,
    });
  }
  return out;
}

/**
 * Above this received audio level (0–1 linear, getStats; about −46 dBov) a voice counts as
 * speaking. The SFU's observer uses −55 dBov; P2P levels are sampled once a second, so a
 * little higher keeps breathing and room noise out.
 */
export const SPEAKING_LEVEL = 0.005;

/**
 * Turns each link's stats into per-stream figures, sample after sample: keeps each link's last
 * reports (rates are differences between two samples) and counts the ICE failures and
 * interruptions between two reports of the device's connection quality.
 */
export class StatsSampler {
  private readonly previous = new Map<string, ReadonlyMap<string, Report>>();
  private ice = { failures: 0, interruptions: 0 };

  /** One link's figures since its last sample (`skip` leaves reports out, e.g. a placeholder's). */
  link(
    on: StreamLink,
    report: { values(): Iterable<unknown> },
    skip?: (r: Report) => boolean,
  ): StreamStats[] {
    const key = `${on.path}/${on.id}`;
    const reports = ([...report.values()] as Report[]).filter((r) => !skip?.(r));
    const figures = summarize(on, reports, this.previous.get(key) ?? new Map());
    this.previous.set(key, new Map(reports.map((r) => [r.id, r])));
    return figures;
  }

  /** A link closed: the next one to the same device starts afresh. */
  forget(on: StreamLink): void {
    this.previous.delete(`${on.path}/${on.id}`);
  }

  /** A P2P link's connection state changed. */
  connectionState(state: string): void {
    if (state === 'failed') this.ice.failures++;
    else if (state === 'disconnected') this.ice.interruptions++;
  }

  /** ICE failures and interruptions since the last call (for the 10 s report). */
  takeIceCounts(): { failures: number; interruptions: number } {
    const counts = this.ice;
    this.ice = { failures: 0, interruptions: 0 };
    return counts;
  }
}

/**
 * Who this device hears speaking over its P2P links (the SFU path has its own observer on
 * the host): the devices whose inbound audio is above SPEAKING_LEVEL.
 */
export function p2pSpeakers(stats: readonly StreamStats[]): string[] {
  return [
    ...new Set(
      stats
        .filter(
          (s) =>
            s.kind === 'audio' &&
            s.direction === 'in' &&
            s.path === 'p2p' &&
            (s.audioLevel ?? 0) > SPEAKING_LEVEL,
        )
        .map((s) => s.link),
    ),
  ];
}
