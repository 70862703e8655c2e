import { useEffect, useState } from 'react';
import type { DiscoveredRoom } from '../../../protocol/desktop';
import { desktop } from '../desktop';

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
