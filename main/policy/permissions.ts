/**
 * The permission table: every permission Chromium may ask for is denied unless listed here, and
 * the listed ones are granted only to the app's own top-level page.
 */
import { APP_ORIGIN, isAppUrl } from './navigation';

/** Permissions the app uses, and why. Anything else is denied. */
export const GRANTED_TO_APP: Readonly<Record<string, string>> = {
  media: 'camera/microphone for a student on stage; getDisplayMedia audio',
  'display-capture': 'sharing a screen or window',
  fullscreen: 'the room screen and the stage view',
  'clipboard-sanitized-write': 'copying the join link',
};

export interface PermissionRequest {
  permission: string;
  /** The URL of the frame asking (Electron's details.requestingUrl). */
  requestingUrl: string;
  isMainFrame: boolean;
  /** For 'media': which kinds. */
  mediaTypes?: readonly string[];
}

/** Grant only listed permissions, only to the app's main frame, only known media kinds. */
export function permissionAllowed(req: PermissionRequest): boolean {
  if (!Object.hasOwn(GRANTED_TO_APP, req.permission)) return false;
  if (!req.isMainFrame || !isAppUrl(req.requestingUrl)) return false;
  if (req.permission === 'media' && req.mediaTypes) {
    return req.mediaTypes.every((t) => t === 'video' || t === 'audio');
  }
  return true;
}

/** Synchronous permission checks (Electron's permission check handler) use origins. */
export function permissionCheckAllowed(permission: string, requestingOrigin: string): boolean {
  return Object.hasOwn(GRANTED_TO_APP, permission) && requestingOrigin === APP_ORIGIN;
}
