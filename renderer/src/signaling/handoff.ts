/**
 * From the http page to the https page without losing one's place: a viewer on plain http who
 * is invited on stage (or wants to share) opens the same room's https page, which resumes the
 * same member — same name, same stage invitation — and the http page's connection is replaced.
 * The resume token travels in the URL fragment (never sent to any server in a request line);
 * it was already readable on the http link, so this hands over nothing a listener lacked.
 */
export interface Handoff {
  resumeToken: string;
  device: string;
  name: string;
  /** Accept the pending stage invitation once there. */
  accept: boolean;
}

const KEY = 'handoff';

export function handoffUrl(secureUrl: string, search: string, h: Handoff): string {
  const data = new URLSearchParams({
    t: h.resumeToken,
    d: h.device,
    n: h.name,
    ...(h.accept && { a: '1' }),
  });
  const url = new URL(secureUrl);
  url.search = search;
  url.hash = `${KEY}=${encodeURIComponent(data.toString())}`;
  return url.toString();
}

/** The handoff in this page's fragment, or null. */
export function readHandoff(hash: string): Handoff | null {
  const m = new RegExp(`^#${KEY}=(.+)$`).exec(hash);
  if (!m) return null;
  const data = new URLSearchParams(decodeURIComponent(m[1]!));
  const resumeToken = data.get('t');
  const device = data.get('d');
  const name = data.get('n');
  if (!resumeToken || !device || !name) return null;
  return { resumeToken, device, name, accept: data.get('a') === '1' };
}
