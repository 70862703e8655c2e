/**
 * The desktop bridge when the page runs inside the Lectern app (null in a plain browser, and in
 * Node tests). The preload exposes it as `window.lecternDesktop`; see protocol/desktop.ts.
 */
import type { DesktopApi } from '../../protocol/desktop';

export const desktop: DesktopApi | null =
  (globalThis as { lecternDesktop?: DesktopApi }).lecternDesktop ?? null;
