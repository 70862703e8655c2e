/**
 * The link a student opens to join a room: the host's page with the join code, and the room
 * key's pin after `#` (never sent to a server: the page's way to https and the desktop app check
 * the host they reach against it).
 */
export function joinLink(page: string, code: string, pin?: string | null): string {
  const url = new URL(page);
  url.searchParams.set('code', code);
  if (pin) url.hash = `pin=${encodeURIComponent(pin)}`;
  return url.href;
}
