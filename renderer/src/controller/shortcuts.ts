/**
 * The teacher's keyboard shortcuts, as pure functions (unit-tested). A shortcut that stands for
 * a button clicks the button that carries its `data-shortcut` (and `aria-keyshortcuts`), so
 * the key and the button can never do different things.
 */
import { LAYOUT_MODES, type LayoutMode, type PeerInfo } from '../../../protocol';

export const SHORTCUTS = [
  { key: 's', action: 'share' },
  { key: 'm', action: 'mic' },
  { key: 'c', action: 'camera' },
  { key: 'l', action: 'layout' },
  { key: 'h', action: 'nextHand' },
  { key: 'k', action: 'lock' },
  { key: '?', action: 'help' },
] as const;
export type ShortcutAction = (typeof SHORTCUTS)[number]['action'];

/** Actions that click a button marked `data-shortcut="<key>"`. */
export const BUTTON_ACTIONS: readonly ShortcutAction[] = ['share', 'mic', 'camera', 'lock'];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

const TYPED_INPUTS = new Set(['text', 'search', 'email', 'password', 'url', 'tel', 'number']);

/** Focus is somewhere a key is text, not a command (a chat box, a name field, a select). */
export function isTyping(target: KeyLike['target']): boolean {
  if (!target) return false;
  const tag = target.tagName?.toUpperCase();
  if (target.isContentEditable) return true;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && TYPED_INPUTS.has((target.type ?? 'text').toLowerCase());
}

/** The action a key press stands for, or null. */
export function shortcutOf(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

/** The layout after `mode` (single → side by side → 2 × 2 → single). */
export function nextLayout(mode: LayoutMode): LayoutMode {
  return LAYOUT_MODES[(LAYOUT_MODES.indexOf(mode) + 1) % LAYOUT_MODES.length]!;
}

/** The student whose hand has been up: the first in roster order who is off stage. */
export function nextHand(roster: readonly PeerInfo[]): PeerInfo | undefined {
  return roster.find((p) => p.role === 'student' && p.hand && p.stage === 'off' && p.online);
}
