/**
 * How each person's media travel, for the console's roster: from the device's last 10 s metrics
 * (each stream's path, and the ICE route of its connection) and whether it joined from outside
 * the room. Pure, so it is tested as it is.
 */
import type { DeviceMetrics, DevicePath, PeerInfo } from '../protocol';

/** Metrics older than this no longer say how a device is connected. */
export const PATH_FRESH_MS = 60_000;

export function pathOf(
  peer: Pick<PeerInfo, 'remote'>,
  latest: (DeviceMetrics & { at: number }) | undefined,
  now = Date.now(),
): DevicePath {
  const fresh = latest && now - latest.at <= PATH_FRESH_MS ? latest : undefined;
  const streams = fresh?.streams ?? [];
  const p2p = streams.filter((s) => s.path === 'p2p');
  const sfu = streams.filter((s) => s.path === 'sfu');
  const media: DevicePath['media'] = p2p.some((s) => s.route === 'relay')
    ? 'turn'
    : p2p.length > 0 && peer.remote
      ? 'p2p'
      : sfu.length > 0
        ? 'sfu'
        : p2p.length > 0
          ? 'p2p'
          : null;
  const tcp = streams.some((s) => s.transport === 'tcp');
  return {
    joined: peer.remote ? 'cloud' : 'lan',
    media,
    tcp,
    check: latest?.check ?? null,
  };
}
