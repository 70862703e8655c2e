import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyTheme, currentTheme } from '../theme';

/** Light / dark, remembered on this device. */
function ThemeToggleView() {
  const { t } = useTranslation();
  const [theme, setTheme] = useState(currentTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      className="icon"
      aria-label={t(`theme.${next}`)}
      title={t(`theme.${next}`)}
      onClick={() => {
        applyTheme(next, true);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const ThemeToggle = memo(ThemeToggleView);
