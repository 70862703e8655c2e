import { hasVideo, type Layout, type Share } from '../../../protocol';
import type { RoomState } from './state';

/**
 * Every share that could be on the room screen, in stage order: those in the layout's slots
 * first (slot order), then the others (oldest first). A camera that rides in its owner's
 * screen-share corner is still a candidate of its own.
 */
export function stageCandidates(shares: RoomState['shares'], layout: Layout): Share[] {
  const all = Object.values(shares).filter((s) => hasVideo(s.kind));
  const placed = layout.slots.flatMap((id) => all.filter((s) => s.id === id));
  return [...placed, ...all.filter((s) => !placed.includes(s))];
}

/** The list with the item at `from` moved to `to` (drag and drop, or the move buttons). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || from >= list.length || to < 0 || to >= list.length) {
    return [...list];
  }
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
