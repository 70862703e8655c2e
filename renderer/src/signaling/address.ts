import { PROBE_PATH } from '../../../protocol/probe';
import { REMOTE_LINK_PARAM, REMOTE_WS_PATH } from '../../../protocol/remote';

/**
 * The relay's WebSocket endpoint: the page's own host, or a typed address (`host` or
 * `host:port`, default port 47800). Null when the typed address is not one, or when none is
 * typed on a page that no room host served (the desktop app's own pages). A room host's page
 * keeps its own scheme; the desktop app speaks wss to another machine (its certificate is
 * pinned, main/policy/certPins.ts) and ws to this one (the room screen's own relay).
 */
export function relayUrl(
  location: { protocol: string; host: string },
  address = '',
): string | null {
  const typed = address.trim();
  const served = location.protocol === 'http:' || location.protocol === 'https:';
  const pageScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Only a page served by the room host has a relay at its own host (not the app:// pages).
  if (typed === '') return served ? `${pageScheme}//${location.host}/ws` : null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(typed);
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) return null;
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i.test(m[1]!);
  const appScheme = loopback ? 'ws:' : 'wss:';
  const scheme = served ? pageScheme : appScheme;
  return `${scheme}//${m[1]}:${m[2] ?? '47800'}/ws`;
}

/**
 * A remote participant's relay: the cloud that served the page, carrying its frames over the
 * room's link (protocol/remote.ts). The link's token goes along; the page's own scheme decides
 * ws or wss.
 */
export function remoteRelayUrl(location: { protocol: string; host: string }, link: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${REMOTE_WS_PATH}?${REMOTE_LINK_PARAM}=${encodeURIComponent(link)}`;
}

/**
 * Where the pre-join check measures: the SFU of the room host (next to its relay), or the
 * cloud's for a remote participant (with the link, which the cloud checks).
 */
export function probeUrl(
  location: { protocol: string; host: string },
  address: string,
  remoteLink: string | null,
): string | null {
  if (remoteLink !== null) {
    return remoteRelayUrl(location, remoteLink).replace(REMOTE_WS_PATH, PROBE_PATH);
  }
  return relayUrl(location, address)?.replace(/\/ws$/, PROBE_PATH) ?? null;
}
