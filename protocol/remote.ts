/**
 * Participants outside the room. A remote participant opens the cloud's join page with a remote
 * link (`/join/?link=<token>`); its browser's relay WebSocket goes to the cloud (`/remote`), and
 * the cloud carries its frames to the room host over the room's ONE upstream link, as `x`
 * frames multiplexed by channel. The room's relay stays the one authority: the frames reach it
 * as from any other device, and it answers them the same way.
 *
 * `x` frames are not sequenced: a channel lives on one link connection, and when the link drops
 * its channels close (the browser reconnects and resumes, as after any drop).
 */
import { z } from 'zod';
import { Id, LIMITS } from './model';

/** The cloud's path for remote participants' WebSockets. */
export const REMOTE_WS_PATH = '/remote';
/** The cloud's path of the web client for remote participants. */
export const REMOTE_PAGE_PATH = '/join/';
/** The query parameter (page and WebSocket) that carries the link's token. */
export const REMOTE_LINK_PARAM = 'link';

/** What a remote link lets its holder join as. */
export const RemoteRole = z.enum(['student', 'teacher']);
export type RemoteRole = z.infer<typeof RemoteRole>;

/** Largest relay frame carried for a remote participant (the relay's own cap is the same). */
export const REMOTE_FRAME_MAX = 256 * 1024;

const Channel = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);

/** Who a new channel speaks for, as the cloud checked it. */
export const RemoteOpen = z.object({
  role: RemoteRole,
  /** The remote link it came by (revoking the link ends it). */
  link: Id,
  /** The browser's address as the cloud saw it (bans and per-address limits use it). */
  address: z.string().max(64),
  /** What the device says it is, for the lobby. */
  label: z.string().max(LIMITS.labelMax),
  /** Its WebSocket to the cloud was https (or loopback): it may capture and teach. */
  secure: z.boolean(),
});
export type RemoteOpen = z.infer<typeof RemoteOpen>;

/**
 * One remote participant's traffic on the link, either way: `open` (cloud → host) starts a
 * channel, `data` carries one relay frame, `close` ends it (`code`: the WebSocket close code
 * for the browser, or `REMOTE_REVOKED` when its link was revoked or expired).
 */
export const RemoteFrame = z.object({
  t: z.literal('x'),
  c: Channel,
  op: z.enum(['open', 'data', 'close']),
  open: RemoteOpen.optional(),
  text: z.string().max(REMOTE_FRAME_MAX).optional(),
  code: z.number().int().min(1000).max(4999).optional(),
});
export type RemoteFrame = z.infer<typeof RemoteFrame>;

/** Close codes of a remote participant's WebSocket (and of its channel). */
export const RemoteClose = {
  /** The room's link to the cloud dropped: reconnect (and resume) shortly. */
  ROOM_UNREACHABLE: 4503,
  /** The link was revoked or expired: the participant leaves the class. */
  REMOTE_REVOKED: 4403,
} as const;

/** A remote link as the console lists it (never its secret). */
export const RemoteLinkInfo = z.object({
  id: Id,
  role: RemoteRole,
  label: z.string().max(80),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type RemoteLinkInfo = z.infer<typeof RemoteLinkInfo>;

/** The console asks for a remote link: its role, a label, how long it lasts. */
export const NewRemoteLinkBody = z.object({
  role: RemoteRole.default('student'),
  label: z.string().trim().max(80).default(''),
  /** Minutes it lasts; absent: until the class on now ends (3 hours when none is on). */
  minutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
});

/** `<room>.<link>.<secret>`: the room and link ids route it, the secret proves it. */
export function remoteToken(room: string, link: string, secret: string): string {
  return `${room}.${link}.${secret}`;
}

export function parseRemoteToken(
  token: string,
): { room: string; link: string; secret: string } | null {
  const m = /^([A-Za-z0-9]{1,64})\.([A-Za-z0-9]{1,64})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  return m ? { room: m[1]!, link: m[2]!, secret: m[3]! } : null;
}

/** The page a remote participant opens, on the cloud's origin. */
export function remoteJoinLink(cloudOrigin: string, token: string): string {
  const url = new URL(REMOTE_PAGE_PATH, cloudOrigin);
  url.searchParams.set(REMOTE_LINK_PARAM, token);
  return url.href;
}
