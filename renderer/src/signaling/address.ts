/**
 * The relay's WebSocket endpoint: the page's own host, or a typed address (`host` or
 * `host:port`, default port 47800). Null when the typed address is not one, or when none is
 * typed on a page that no room host served (the desktop app's own pages).
 */
export function relayUrl(
  location: { protocol: string; host: string },
  address = '',
): string | null {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const typed = address.trim();
  if (typed === '') {
    // Only a page served by the room host has a relay at its own host (not the app:// pages).
    const served = location.protocol === 'http:' || location.protocol === 'https:';
    return served ? `${scheme}//${location.host}/ws` : null;
  }
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(typed);
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) return null;
  return `${scheme}//${m[1]}:${m[2] ?? '47800'}/ws`;
}
