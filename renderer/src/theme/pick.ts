/**
 * Light and dark themes: the tokens in styles/tokens.css, switched by `data-theme` on <html>.
 * The room screen is dark by default (a bright white wall in a dim room dazzles); other views
 * follow the device's setting until the person picks one.
 */
export type Theme = 'light' | 'dark';

export interface ThemeInputs {
  search: string;
  stored: string | null;
  prefersDark: boolean;
}

/** ?theme= first (screenshots, a room PC's shortcut), then the stored choice, then the default. */
export function pickTheme({ search, stored, prefersDark }: ThemeInputs): Theme {
  const params = new URLSearchParams(search);
  const asked = params.get('theme');
  if (asked === 'light' || asked === 'dark') return asked;
  if (stored === 'light' || stored === 'dark') return stored;
  if (params.has('screen')) return 'dark';
  return prefersDark ? 'dark' : 'light';
}
