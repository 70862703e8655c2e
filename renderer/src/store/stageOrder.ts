import { BOARD_SLOT, hasVideo, type Layout, type Share } from '../../../protocol';
import type { RoomState } from './state';

/** Something the room screen can show: a share, or the open board (no share). */
export interface StageEntry {
  id: string;
  share?: Share;
}

/**
 * Everything that could be on the room screen, in stage order: what is in the layout's slots
 * first (slot order), then the rest (oldest first, the board last). A camera that rides in its
 * owner's screen-share corner is still a candidate of its own.
 */
export function stageCandidates(
  shares: RoomState['shares'],
  layout: Layout,
  boardOpen = false,
): StageEntry[] {
  const all: StageEntry[] = Object.values(shares)
    .filter((s) => hasVideo(s.kind))
    .map((share) => ({ id: share.id, share }));
  if (boardOpen) all.push({ id: BOARD_SLOT });
  const placed = layout.slots.flatMap((id) => all.filter((e) => e.id === id));
  return [...placed, ...all.filter((e) => !placed.includes(e))];
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
