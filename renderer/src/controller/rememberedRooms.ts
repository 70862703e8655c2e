/**
 * Rooms this device may rejoin without the code, kept in the page's own storage: per origin in a
 * browser (a room host's https page), in the app's storage on the desktop. Only rooms whose host
 * gave this device a credential over https (or this machine) are here.
 */
export interface RememberedRoom {
  /** The typed address it was joined at ('' = the page's own host). */
  address: string;
  roomName: string;
  name: string;
  role: 'teacher' | 'student';
  credential: string;
  /** The host's key pin when it had one (the desktop app pins it: main/policy/certPins.ts). */
  pin: string | null;
  savedAt: number;
}

/** The part of Web Storage used here (Node tests pass a Map-backed one). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'lectern.rememberedRooms';
const MAX = 20;

export function loadRooms(storage: StorageLike | null): RememberedRoom[] {
  try {
    const list = JSON.parse(storage?.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list)
      ? (list as RememberedRoom[]).filter((r) => typeof r?.credential === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Adds or replaces the entry for this address and role; newest first, at most 20. */
export function saveRoom(storage: StorageLike | null, room: RememberedRoom): RememberedRoom[] {
  const rest = loadRooms(storage).filter(
    (r) => !(r.address === room.address && r.role === room.role),
  );
  const list = [room, ...rest].slice(0, MAX);
  storage?.setItem(KEY, JSON.stringify(list));
  return list;
}

export function dropRoom(storage: StorageLike | null, credential: string): RememberedRoom[] {
  const list = loadRooms(storage).filter((r) => r.credential !== credential);
  storage?.setItem(KEY, JSON.stringify(list));
  return list;
}
