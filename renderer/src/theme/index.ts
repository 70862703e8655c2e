/** The page's theme: read the inputs, set `data-theme`, remember a person's choice. */
import { pickTheme, type Theme } from './pick';

export { pickTheme, type Theme };

const KEY = 'lectern.theme';

export function initialTheme(): Theme {
  return pickTheme({
    search: window.location.search,
    stored: readStored(),
    prefersDark: window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
  });
}

export function applyTheme(theme: Theme, remember = false): void {
  document.documentElement.dataset['theme'] = theme;
  if (!remember) return;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Storage can be off (private mode): the choice lasts for this page.
  }
}

export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
