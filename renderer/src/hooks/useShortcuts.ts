import { useEffect } from 'react';
import {
  BUTTON_ACTIONS,
  SHORTCUTS,
  shortcutOf,
  type ShortcutAction,
} from '../controller/shortcuts';

/**
 * Listens for the shortcuts on the whole page. Button actions click the enabled button that
 * carries the key; the others call `run`.
 */
export function useShortcuts(run: (action: ShortcutAction) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      const action = shortcutOf({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        target: e.target as HTMLElement | null,
      });
      if (!action) return;
      e.preventDefault();
      if (BUTTON_ACTIONS.includes(action)) {
        const key = SHORTCUTS.find((s) => s.action === action)!.key;
        document
          .querySelector<HTMLButtonElement>(`[data-shortcut="${key}"]:not(:disabled)`)
          ?.click();
        return;
      }
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
}
