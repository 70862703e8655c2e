import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../protocol/languages';
import { desktop } from '../desktop';
import { createLog } from '../log';

const log = createLog('settings');

function LanguagePickerView() {
  const { t, i18n } = useTranslation();
  const change = (language: Language) => {
    void i18n.changeLanguage(language);
    // The desktop app remembers it for the next start.
    void desktop
      ?.setSettings({ language })
      .catch((err: unknown) => log.warn('language not saved', err));
  };
  return (
    <label className="lang">
      <span className="sr">{t('language')}</span>
      <select value={i18n.language} onChange={(e) => change(e.target.value as Language)}>
        <LanguageOptions />
      </select>
    </label>
  );
}

/** One option per language the UI speaks, each in its own name. */
export function LanguageOptions() {
  return (
    <>
      {Object.entries(LANGUAGES).map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const LanguagePicker = memo(LanguagePickerView);
