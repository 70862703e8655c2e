/**
 * The desktop bridge when the page runs inside the Lectern app (null in a plain browser). The
 * preload exposes it as `window.lecternDesktop`; see protocol/desktop.ts for the contract.
 */
import { useEffect, useState } from 'react';
import type { DesktopApi, DiscoveredRoom } from '../../protocol/desktop';

export const desktop: DesktopApi | null =
  (window as unknown as { lecternDesktop?: DesktopApi }).lecternDesktop ?? null;

/** Rooms the desktop app found on the LAN, live; always empty in a browser. */
export function useDiscoveredRooms(): DiscoveredRoom[] {
  const [rooms, setRooms] = useState<DiscoveredRoom[]>([]);
  useEffect(() => {
    if (!desktop) return;
    let live = true;
    void desktop.listRooms().then((list) => live && setRooms(list));
    const off = desktop.onRoomsChanged(setRooms);
    return () => {
      live = false;
      off();
    };
  }, []);
  return rooms;
}
