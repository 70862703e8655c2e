import { LANGUAGES, type Language } from '../../../protocol/languages';
import { setLanguage, useT } from './i18n';

/** The console's language, each in its own name; remembered in this browser. */
export function LanguageSelect() {
  const { t, lang } = useT();
  return (
    <label className="lang">
      <span className="sr">{t('language')}</span>
      <select value={lang} onChange={(e) => setLanguage(e.target.value as Language)}>
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
