import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';
import { zhCN } from './zh-CN';

import { LANGUAGES, pickLanguage, type Language } from '../../../protocol/languages';

export { LANGUAGES, pickLanguage, type Language };

export function initI18n(language: Language): void {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN }, ko: { translation: ko } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
}

export { i18next };
