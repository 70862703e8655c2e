/**
 * The relay's WebSocket endpoint: the page's own host, or a typed address (`host` or
 * `host:port`, default port 47800). Null when the typed address is not one.
 */
export function relayUrl(
  location: { protocol: string; host: string },
  address = '',
): string | null {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const typed = address.trim();
  if (typed === '') return `${scheme}//${location.host}/ws`;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(typed);
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) return null;
  return `${scheme}//${m[1]}:${m[2] ?? '47800'}/ws`;
}
