/**
 * The IPC sender check: main answers only the app's own top-level page. A frame that navigated
 * elsewhere, an iframe, or a destroyed frame gets nothing.
 */
import { isAppUrl } from './navigation';

export interface SenderInfo {
  /** The sending frame's URL, or null when the frame is gone. */
  frameUrl: string | null;
  /** Whether the sending frame is its window's main frame. */
  isMainFrame: boolean;
}

export function senderAllowed(sender: SenderInfo): boolean {
  return sender.frameUrl !== null && sender.isMainFrame && isAppUrl(sender.frameUrl);
}
